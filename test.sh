#!/usr/bin/env bash
# The one test command (README "Test it"; CI's .ci/run calls exactly this). It provisions what the suite needs when it
# is missing (Debian packages when run as root; otherwise it names the apt-get line to run), starts a throwaway
# PostgreSQL on loopback, lints the API contract, runs every test on SQLite and PostgreSQL and the browser journeys in
# Chromium, and reports how many tests ran on each engine. Extra arguments go to `dotnet test`, e.g.
#   ./test.sh --filter "FullyQualifiedName~Residents"
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)

command -v dotnet >/dev/null 2>&1 || { echo "需要 .NET 10 SDK / the .NET 10 SDK is needed: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 2; }

# What the suite needs beyond the SDK: Chromium and CJK fonts (browser journeys, screenshots that read in Chinese),
# PostgreSQL (the second engine), npm (Redocly CLI and the S3 test server), git (the README test clones the repo),
# LibreOffice Writer and poppler (a journey renders a generated Word report to PDF and its pages to PNG).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "${SHILIU_TEST_PG:-}" ] || need+=(postgresql)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v git >/dev/null 2>&1 || need+=(git)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ "$(id -u)" = 0 ]; then
  command -v runuser >/dev/null 2>&1 || need+=(util-linux)
fi
if [ ${#need[@]} -gt 0 ]; then
  line="apt-get install -y --no-install-recommends ${need[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "缺少测试所需的软件包：${need[*]}。请用 root 运行 ./test.sh（会自动安装），或先执行：" >&2
    echo "Missing packages the tests need: ${need[*]}. Run ./test.sh as root (it installs them), or first run:" >&2
    echo "  sudo apt-get update && sudo $line" >&2
    exit 2
  fi
  echo "== installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $line -qq >/dev/null
fi

# A throwaway PostgreSQL shared by both test projects: temp folder, 127.0.0.1 only, stopped at exit. initdb and
# postgres refuse to run as root, so as root the cluster belongs to postgres (or nobody).
if [ -z "${SHILIU_TEST_PG:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pgdir=$(mktemp -d /tmp/shiliu-test-pg.XXXXXX)
  as=()
  if [ "$(id -u)" = 0 ]; then
    owner=postgres; id postgres >/dev/null 2>&1 || owner=nobody
    chown -R "$owner" "$pgdir"
    as=(runuser -u "$owner" --)
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${as[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
  "${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  cleanup() {
    "${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  }
  trap cleanup EXIT
  export SHILIU_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=20"
  echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
fi

# A real S3-compatible server (s3rver, from the npm registry) for the object-store tests.
s3dir="${HOME:-/root}/.cache/shiliu/s3rver-3.7.1"
if [ ! -f "$s3dir/node_modules/s3rver/bin/s3rver.js" ]; then
  echo "== installing s3rver 3.7.1 (npm)"
  npm install --prefix "$s3dir" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null
fi
export SHILIU_S3RVER="$s3dir/node_modules/s3rver/bin/s3rver.js"

# The committed API contract passes Redocly's recommended rules (redocly.yaml names each accepted warning).
echo "== Redocly lint of docs/openapi.json"
.ci/lint-openapi

dotnet tool restore >/dev/null
rm -rf TestResults
set +e
dotnet test Shiliu.slnx --logger "trx" --results-directory TestResults "$@"
status=$?
set -e

python3 - <<'PY' || true
import glob, re
names = []
for f in glob.glob("TestResults/*.trx"):
    names += re.findall(r'<UnitTestResult [^>]*testName="([^"]*)"[^>]*outcome="([^"]*)"', open(f, encoding="utf-8").read())
sq = sum(1 for n, o in names if "Sqlite" in n)
pg = sum(1 for n, o in names if "Postgres" in n)
passed = sum(1 for n, o in names if o == "Passed")
failed = sum(1 for n, o in names if o == "Failed")
print(f"== tests on SQLite: {sq}, on PostgreSQL: {pg}, engine-independent: {len(names) - sq - pg}")
print(f"{passed} passed, {failed} failed")
# Where the time goes: the slowest tests, so a session that trims the run knows where to look.
timed = []
for f in glob.glob("TestResults/*.trx"):
    for m in re.finditer(r'<UnitTestResult [^>]*testName="([^"]*)"[^>]*duration="(\d+):(\d+):([\d.]+)"', open(f, encoding="utf-8").read()):
        timed.append((int(m.group(2)) * 3600 + int(m.group(3)) * 60 + float(m.group(4)), m.group(1)))
timed.sort(reverse=True)
print(f"== slowest tests (of {sum(t for t, _ in timed):.0f} s in all):")
for t, n in timed[:12]:
    print(f"   {t:6.1f} s  {n[:150]}")
PY
# axe (WCAG 2.1 A/AA) over every journey screenshot: each journey's screenshots/<journey>/axe.tsv has a line per scan.
python3 - <<'PY' || true
import glob, os, collections
rows = []
for f in glob.glob("tests/Shiliu.E2E/bin/*/net10.0/screenshots/*/axe.tsv"):
    journey = os.path.basename(os.path.dirname(f))
    for line in open(f, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 4:
            rows.append((journey, parts[0], parts[1], int(parts[2]), int(parts[3]), [r for r in parts[4].split(",") if r] if len(parts) > 4 else []))
if rows:
    paths = {r[2].split("?")[0].split("://", 1)[-1].split("/", 1)[-1] for r in rows}
    failing = sum(1 for r in rows if r[3] > 0)
    other = collections.Counter(rule for r in rows for rule in r[5])
    print(f"== axe: {len(rows)} scans in {len({r[0] for r in rows})} journeys, {len(paths)} distinct pages; "
          f"scans with critical/serious violations: {failing}; moderate/minor: {sum(r[4] for r in rows)}"
          + (f" ({', '.join(f'{k} ×{v}' for k, v in other.most_common())})" if other else ""))
PY
screens=$(find tests -path '*bin*' -name '*.png' -path '*screenshots*' 2>/dev/null | wc -l)
echo "== screenshots saved: $screens (tests/Shiliu.E2E/bin/*/net10.0/screenshots/<journey>/)"
echo "== tests took $(( $(date +%s) - started )) s"
exit $status
