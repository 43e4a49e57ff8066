using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Shiliu.Testing;

namespace Shiliu.Bench;

/// <summary>
/// The population archive at scale: the real import (the app's import-residents verb: upload staging, preview, one-
/// transaction commit) of 10^5 rows on SQLite and PostgreSQL and 10^6 rows on PostgreSQL, each against the raw engine
/// writing the same number of resident rows in the same run (a prepared INSERT loop on SQLite, binary COPY on
/// PostgreSQL); then list and statistics latency with the 10^6 residents in the county's scope.
/// </summary>
static class PopulationBench
{
    const string Community = "530427001001";
    static readonly string AuditKey = Convert.ToBase64String(SHA256.HashData("shiliu-bench-audit-key"u8));

    internal sealed record Engine(string Name, string Provider, string Connection);

    sealed record ImportResult(string Engine, int Rows, double PreviewSeconds, double TotalSeconds, double WallSeconds, long PeakRssMb, double RawSeconds)
    {
        public double RowsPerSecond => Rows / TotalSeconds;
        public double RawRowsPerSecond => Rows / RawSeconds;
        public double Ratio => RowsPerSecond / RawRowsPerSecond;
    }

    public static async Task<int> RunAsync(Options o)
    {
        var admin = Environment.GetEnvironmentVariable("SHILIU_BENCH_PG") is { Length: > 0 } given ? given
            : Shiliu.Tests.Infrastructure.PostgresServer.AdminConnectionString ?? throw new InvalidOperationException("PostgreSQL is needed: install it or set SHILIU_BENCH_PG");
        var work = Directory.CreateTempSubdirectory("shiliu-popbench-").FullName;
        try
        {
            var small = Path.Combine(work, $"residents-{o.ImportRows}.xlsx");
            var big = Path.Combine(work, $"residents-{o.ImportBig}.xlsx");
            var clock = Stopwatch.StartNew();
            await using (var f = File.Create(small)) ResidentWorkbooks.Write(f, o.ImportRows, seed: 31, blankRows: false);
            await using (var f = File.Create(big)) ResidentWorkbooks.Write(f, o.ImportBig, seed: 32, blankRows: false);
            Console.WriteLine(Invariant($"made {o.ImportRows:N0}-row ({new FileInfo(small).Length / 1e6:0.0} MB) and {o.ImportBig:N0}-row ({new FileInfo(big).Length / 1e6:0.0} MB) template files in {clock.Elapsed.TotalSeconds:0} s"));

            var results = new List<ImportResult>
            {
                await ImportCaseAsync(await SqliteAsync(work, "import-small"), await SqliteAsync(work, "raw-small"), small, o.ImportRows, work),
                await ImportCaseAsync(await PostgresAsync(admin, "bench_import_small"), await PostgresAsync(admin, "bench_raw_small"), small, o.ImportRows, work),
            };
            var bigDb = await PostgresAsync(admin, "bench_import_big");
            results.Add(await ImportCaseAsync(bigDb, await PostgresAsync(admin, "bench_raw_big"), big, o.ImportBig, work));

            Console.WriteLine();
            Console.WriteLine("| Engine | Rows | Preview (s) | Preview + commit (s) | Rows/s | Raw engine (s) | Raw rows/s | Ratio | Wall incl. process start (s) | Peak RSS (MB) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
                Console.WriteLine(Invariant($"| {r.Engine} | {r.Rows:N0} | {r.PreviewSeconds:0.0} | {r.TotalSeconds:0.0} | {r.RowsPerSecond:N0} | {r.RawSeconds:0.0} | {r.RawRowsPerSecond:N0} | {r.Ratio:P0} | {r.WallSeconds:0.0} | {r.PeakRssMb} |"));
            Console.WriteLine();

            return await ReadLoadAsync(bigDb, o);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Runs the import verb on a fresh database, then the raw engine on another fresh one, with the same row count.</summary>
    static async Task<ImportResult> ImportCaseAsync(Engine db, Engine rawDb, string file, int rows, string work)
    {
        await CliAsync(db, work, "seed-demo");
        var wall = Stopwatch.StartNew();
        var (output, peak) = await CliAsync(db, work, "import-residents", "--file", file, "--org", Community, "--commit");
        wall.Stop();
        var preview = double.Parse(Regex.Match(output, @"（([\d.]+) 秒）").Groups[1].Value, CultureInfo.InvariantCulture);
        var total = double.Parse(Regex.Match(output, @"已导入 [\d,]+ 人（共用时 ([\d.]+) 秒）").Groups[1].Value, CultureInfo.InvariantCulture);
        var inserted = int.Parse(Regex.Match(output, @"已导入 ([\d,]+) 人").Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
        if (inserted != rows) throw new InvalidOperationException($"imported {inserted}, expected {rows}:\n{output}");
        var (idLen, phoneLen) = await CipherLengthsAsync(db);

        await CliAsync(rawDb, work, "seed-demo");
        var raw = rawDb.Provider == "Sqlite" ? await RawSqliteAsync(rawDb, rows, idLen, phoneLen) : await RawCopyAsync(rawDb, rows, idLen, phoneLen);
        var r = new ImportResult(db.Name, rows, preview, total, wall.Elapsed.TotalSeconds, peak, raw);
        Console.Error.WriteLine(Invariant($"{db.Name} {rows:N0}: import {total:0.0} s ({r.RowsPerSecond:N0}/s, peak {peak} MB), raw {raw:0.0} s ({r.RawRowsPerSecond:N0}/s), ratio {r.Ratio:P0}"));
        return r;
    }

    static async Task<Engine> SqliteAsync(string work, string name)
    {
        await Task.CompletedTask;
        return new Engine("SQLite", "Sqlite", $"Data Source={Path.Combine(work, name + ".db")}");
    }

    static async Task<Engine> PostgresAsync(string admin, string database)
    {
        await using (var c = new NpgsqlConnection(admin))
        {
            await c.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", c);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", c);
            await create.ExecuteNonQueryAsync();
        }
        return new Engine("PostgreSQL", "Postgres", new NpgsqlConnectionStringBuilder(admin) { Database = database }.ToString());
    }

    static Dictionary<string, string> Env(Engine db, string work) => new()
    {
        ["Database__Provider"] = db.Provider, ["ConnectionStrings__Shiliu"] = db.Connection, ["Audit__Key"] = AuditKey,
        ["Shiliu__DataDir"] = Path.Combine(work, "data-" + Math.Abs(db.Connection.GetHashCode())), ["ASPNETCORE_ENVIRONMENT"] = "Benchmark",
        ["Import__MaxUploadMb"] = "1000", ["SHILIU_DEMO_PASSWORD"] = "Pomegranate#2026", ["SHILIU_ADMIN_PASSWORD"] = "Xinping#Init2026",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Runs an operator verb of the built app; returns its output and the process's peak resident memory.</summary>
    static async Task<(string Output, long PeakMb)> CliAsync(Engine db, string work, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Shiliu.Web.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Env(db, work)) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!p.HasExited)
        {
            peak = Math.Max(peak, PeakKb(p.Id));
            await Task.Delay(100);
        }
        await p.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (p.ExitCode is not (0 or 3)) throw new InvalidOperationException($"{string.Join(' ', args)} exited {p.ExitCode}:\n{output}");
        return (output, peak / 1024);
    }

    static long PeakKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    static async Task<(int Id, int Phone)> CipherLengthsAsync(Engine db)
    {
        await using var c = Open(db);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT max(length(\"IdNumberCipher\")), max(length(\"PhoneCipher\")) FROM \"Residents\"";
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture));
    }

    static System.Data.Common.DbConnection Open(Engine db) => db.Provider == "Sqlite" ? new SqliteConnection(db.Connection) : new NpgsqlConnection(db.Connection);

    /// <summary>One generated resident row, shaped like the import writes (lengths of sealed values included).</summary>
    sealed record Row(Guid Id, string Name, int Gender, string Eth, string IdCipher, string IdHash, string IdMasked, DateOnly Birth, string? PhoneCipher,
        string? PhoneHash, string? PhoneMasked, string Household, string Relation, string Address, int Type, string? Origin, DateOnly? Arrival, string Languages, int Needs);

    static IEnumerable<Row> Rows(int rows, int idLen, int phoneLen)
    {
        string Filler(int len, int i) => Convert.ToBase64String(SHA512.HashData(BitConverter.GetBytes(i))).PadRight(len, 'Q')[..len];
        for (var i = 0; i < rows; i++)
        {
            var id = ResidentWorkbooks.Id(i, 99);
            var phone = i % 3 == 0;
            yield return new Row(Guid.CreateVersion7(), "者玉兰", 2, "07", Filler(idLen, i), Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(id))),
                id[..4] + "**********" + id[^4..], new DateOnly(1980, 1, 1).AddDays(i % 10_000), phone ? Filler(phoneLen, -i) : null,
                phone ? Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(-i))) : null, phone ? "139****1234" : null, $"H-{i / 4:000000}", "户主",
                $"新平县桂山街道{i % 300}号", i % 5 == 1 ? 2 : 1, i % 5 == 1 ? "云南省楚雄州双柏县" : null, i % 5 == 1 ? new DateOnly(2019, 3, 1) : null, "彝语、汉语", i % 7 == 0 ? 3 : 0);
        }
    }

    static async Task<(Guid Id, string Path)> CommunityAsync(System.Data.Common.DbConnection c)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT \"Id\", \"Path\" FROM \"OrgUnits\" WHERE \"Code\" = '{Community}'";
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetFieldValue<Guid>(0), r.GetString(1));
    }

    const string Columns = "\"Id\", \"OrgUnitId\", \"OrgPath\", \"CommunityId\", \"Name\", \"Gender\", \"EthnicityCode\", \"IdNumberCipher\", \"IdNumberHash\", " +
        "\"IdNumberMasked\", \"BirthDate\", \"PhoneCipher\", \"PhoneHash\", \"PhoneMasked\", \"HouseholdNo\", \"RelationToHead\", \"Address\", \"ResidenceType\", " +
        "\"OriginPlace\", \"ArrivalDate\", \"Languages\", \"ReligionConsent\", \"Needs\", \"Status\", \"Version\", \"UpdatedUtc\", \"UpdatedBy\"";

    /// <summary>The SQLite baseline: one prepared INSERT re-executed in one transaction (EF's own value formats).</summary>
    internal static async Task<double> RawSqliteAsync(Engine db, int rows, int idLen, int phoneLen)
    {
        await using var c = new SqliteConnection(db.Connection);
        await c.OpenAsync();
        var (unit, path) = await CommunityAsync(c);
        var sw = Stopwatch.StartNew();
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        var names = Columns.Split(", ");
        cmd.CommandText = $"INSERT INTO \"Residents\" ({Columns}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i))})";
        var ps = names.Select((_, i) => cmd.Parameters.Add("$p" + i, SqliteType.Text)).ToArray();
        await cmd.PrepareAsync();
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        string U(Guid g) => g.ToString("D").ToUpperInvariant();
        foreach (var r in Rows(rows, idLen, phoneLen))
        {
            object?[] v = [U(r.Id), U(unit), path, U(unit), r.Name, r.Gender, r.Eth, r.IdCipher, r.IdHash, r.IdMasked, r.Birth.ToString("yyyy-MM-dd"), r.PhoneCipher, r.PhoneHash,
                r.PhoneMasked, r.Household, r.Relation, r.Address, r.Type, r.Origin, r.Arrival?.ToString("yyyy-MM-dd"), r.Languages, 0, r.Needs, 1, 1, now, "bench"];
            for (var i = 0; i < v.Length; i++) ps[i].Value = v[i] ?? DBNull.Value;
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>The PostgreSQL baseline: binary COPY of the rows in one transaction.</summary>
    internal static async Task<double> RawCopyAsync(Engine db, int rows, int idLen, int phoneLen)
    {
        await using var c = new NpgsqlConnection(db.Connection);
        await c.OpenAsync();
        var (unit, path) = await CommunityAsync(c);
        var sw = Stopwatch.StartNew();
        await using var tx = await c.BeginTransactionAsync();
        await using (var copy = await c.BeginBinaryImportAsync($"COPY \"Residents\" ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            var now = DateTime.UtcNow;
            foreach (var r in Rows(rows, idLen, phoneLen))
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(unit, NpgsqlDbType.Uuid);
                await copy.WriteAsync(path, NpgsqlDbType.Text);
                await copy.WriteAsync(unit, NpgsqlDbType.Uuid);
                await copy.WriteAsync(r.Name, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Gender, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Eth, NpgsqlDbType.Text);
                await copy.WriteAsync(r.IdCipher, NpgsqlDbType.Text);
                await copy.WriteAsync(r.IdHash, NpgsqlDbType.Text);
                await copy.WriteAsync(r.IdMasked, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Birth, NpgsqlDbType.Date);
                await Nullable(copy, r.PhoneCipher);
                await Nullable(copy, r.PhoneHash);
                await Nullable(copy, r.PhoneMasked);
                await copy.WriteAsync(r.Household, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Relation, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Address, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Type, NpgsqlDbType.Integer);
                await Nullable(copy, r.Origin);
                if (r.Arrival is { } a) await copy.WriteAsync(a, NpgsqlDbType.Date); else await copy.WriteNullAsync();
                await copy.WriteAsync(r.Languages, NpgsqlDbType.Text);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                await copy.WriteAsync(r.Needs, NpgsqlDbType.Integer);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync("bench", NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        await tx.CommitAsync();
        return sw.Elapsed.TotalSeconds;

        static Task Nullable(NpgsqlBinaryImporter copy, string? v) => v is null ? copy.WriteNullAsync() : copy.WriteAsync(v, NpgsqlDbType.Text);
    }

    /// <summary>The app on the 10^6-resident PostgreSQL database, under load from a county officer's token.</summary>
    static async Task<int> ReadLoadAsync(Engine db, Options o)
    {
        await using var app = await AppUnderTest.StartAsync(db.Provider, db.Connection, AuditKey);
        var token = await TokenAsync(db.Connection, "county");
        string community;
        await using (var c = new NpgsqlConnection(db.Connection))
        {
            await c.OpenAsync();
            community = (await CommunityAsync(c)).Id.ToString();
        }
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency, UseCookies = false, AllowAutoRedirect = false, UseProxy = false })
            { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var scenarios = new[]
        {
            new Scenario("GET /api/v1/residents (county, page 1)", "/api/v1/residents?page=1&pageSize=20", token),
            new Scenario("GET /api/v1/residents?orgUnitId=<community>&page=50", $"/api/v1/residents?orgUnitId={community}&page=50&pageSize=20", token),
            new Scenario("GET /api/v1/residents?ethnicityCode=07 (彝族)", "/api/v1/residents?ethnicityCode=07&page=1&pageSize=20", token),
            new Scenario("GET /api/v1/residents?name=李", $"/api/v1/residents?name={Uri.EscapeDataString("李")}&page=1&pageSize=20", token),
            new Scenario("GET /api/v1/residents?residenceType=Floating&needs=Employment", "/api/v1/residents?residenceType=Floating&needs=Employment&page=1&pageSize=20", token),
            new Scenario("GET /api/v1/statistics/population (county)", "/api/v1/statistics/population", token),
            new Scenario($"GET /api/v1/statistics/population?orgUnitId=<community>", $"/api/v1/statistics/population?orgUnitId={community}", token),
        };
        foreach (var s in scenarios)
        {
            using var req = s.Request();
            using var res = await http.SendAsync(req);
            var body = await res.Content.ReadAsStringAsync();
            if (res.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{s.Path}: {(int)res.StatusCode} {body[..Math.Min(300, body.Length)]}");
            Console.WriteLine(Invariant($"check {s.Path}: 200, {body.Length} chars: {body[..Math.Min(160, body.Length)]}"));
        }
        return await LoadRunner.RunAllAsync(http, scenarios, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(o.Seconds), o.Concurrency,
            Invariant($"{o.ImportBig:N0} residents in the county's scope (PostgreSQL), "));
    }

    static async Task<string> TokenAsync(string connection, string userName)
    {
        var text = "shl_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO "AccessTokens" ("Id", "UserId", "Name", "Prefix", "Hash", "CreatedUtc", "ExpiresUtc")
            SELECT @id, "Id", 'bench', @prefix, @hash, now(), now() + interval '1 day' FROM "AspNetUsers" WHERE "UserName" = @user
            """, c);
        cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
        cmd.Parameters.AddWithValue("prefix", text[..10]);
        cmd.Parameters.AddWithValue("hash", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
        cmd.Parameters.AddWithValue("user", userName);
        if (await cmd.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException($"no user {userName}");
        return text;
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
