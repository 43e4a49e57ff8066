using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;

namespace Shiliu.Bench;

/// <summary>
/// "dashboard": a county with --residents residents on PostgreSQL (three tenths of them on SQLite: county size) spread
/// over its 36 communities by household, --cases
/// service cases, --appeals appeals, --visits household visits (three tenths on SQLite) and --evidence evidence items
/// written straight into the database, counted by rebuild-statistics and settled as autovacuum would; then the county's,
/// a township's and a community's whole view (GET /api/v1/dashboard, one call per view) under load, and the county's view
/// of last year (a past period), and the lists its figures open.
/// The target is p99 &lt; 300 ms for the county view. Runs once per engine (--engine sqlite|postgres|both).
/// </summary>
static class DashboardBench
{
    // Raw rows carry sealed values of the lengths the import writes (AES-GCM of an 18-digit ID and an 11-digit phone, base64).
    const int IdCipherLength = 64, PhoneCipherLength = 56;

    public static async Task<int> RunAsync(Options o)
    {
        var code = 0;
        foreach (var engine in o.Engine == "both" ? new[] { "sqlite", "postgres" } : [o.Engine])
            code |= await RunEngineAsync(engine, o);
        return code;
    }

    static async Task<int> RunEngineAsync(string engine, Options o)
    {
        var pg = engine == "postgres";
        string? connection = null;
        if (pg)
        {
            var admin = Environment.GetEnvironmentVariable("SHILIU_BENCH_PG") is { Length: > 0 } given ? given
                : Shiliu.Tests.Infrastructure.PostgresServer.AdminConnectionString ?? throw new InvalidOperationException("PostgreSQL is needed: install it or set SHILIU_BENCH_PG");
            await using (var c = new NpgsqlConnection(admin))
            {
                await c.OpenAsync();
                await using var drop = new NpgsqlCommand("DROP DATABASE IF EXISTS bench_dashboard WITH (FORCE)", c);
                await drop.ExecuteNonQueryAsync();
                await using var create = new NpgsqlCommand("CREATE DATABASE bench_dashboard", c);
                await create.ExecuteNonQueryAsync();
            }
            connection = new NpgsqlConnectionStringBuilder(admin) { Database = "bench_dashboard" }.ToString();
        }
        await using var app = await AppUnderTest.StartAsync(pg ? "Postgres" : "Sqlite", connection);
        connection ??= $"Data Source={app.DbPath};Pooling=false;Default Timeout=30";
        var name = pg ? "PostgreSQL" : "SQLite";
        var residents = pg ? o.Residents : Math.Max(1, o.Residents * 3 / 10);

        var clock = Stopwatch.StartNew();
        var db = new PopulationBench.Engine(name, pg ? "Postgres" : "Sqlite", connection);
        var seconds = pg ? await PopulationBench.RawCopyAsync(db, residents, IdCipherLength, PhoneCipherLength)
            : await PopulationBench.RawSqliteAsync(db, residents, IdCipherLength, PhoneCipherLength);
        var (communities, _) = await CasesBench.LoadAsync(pg, connection, o.Cases, o.Appeals);
        await SpreadAsync(pg, connection, communities);
        var (arrived, left) = await AddFlowsAsync(pg, connection);
        var visits = await AddVisitsAsync(pg, connection, pg ? o.Visits : Math.Max(1, o.Visits * 3 / 10));
        var evidence = await AddEvidenceAsync(pg, connection, communities, o.Evidence);
        Console.WriteLine(Invariant($"{name}: {arrived:N0} floating residents re-dated to arrive in the last 700 days, {left:N0} of them moved out since"));
        Console.WriteLine(Invariant($"{name}: inserted {residents:N0} residents ({seconds:0.0} s), {o.Cases:N0} service cases and {o.Appeals:N0} appeals over {communities.Count} communities, {visits:N0} visits, {evidence:N0} evidence items in {clock.Elapsed.TotalSeconds:0.0} s"));
        clock.Restart();
        var rebuilt = await app.VerbAsync("rebuild-statistics");
        Console.WriteLine(Invariant($"{name}: rebuild-statistics in {clock.Elapsed.TotalSeconds:0.0} s: {rebuilt}"));
        if (pg) await SettleAsync(connection);

        var county = await CasesBench.TokenAsync(pg, connection, "county");
        var township = await CasesBench.TokenAsync(pg, connection, "township");
        var community = await CasesBench.TokenAsync(pg, connection, "community");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency, UseCookies = false, AllowAutoRedirect = false, UseProxy = false })
            { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var scenarios = new List<Scenario>
        {
            new("county: GET /api/v1/dashboard", "/api/v1/dashboard", county),
            new($"county: GET /api/v1/dashboard?unit=<township>", $"/api/v1/dashboard?unit={communities[0].Parent}", county),
            new("township: GET /api/v1/dashboard", "/api/v1/dashboard", township),
            new("community: GET /api/v1/dashboard", "/api/v1/dashboard", community),
            // A past period: households visited in it are counted from the period's visits, not from the tally of last visits.
            new($"county: GET /api/v1/dashboard?from={LastYear}-01-01&to={LastYear}-12-31", $"/api/v1/dashboard?from={LastYear}-01-01&to={LastYear}-12-31", county),
        };
        // The lists the county's figures open (issue 15's drill-downs), as the dashboard links them: its 12 months of flows,
        // this year's visits and visited households, last year's households (keyed by the visits), this year's closed cases.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var (year, months) = ($"from={today.Year}-01-01&to={today:yyyy-MM-dd}", $"from={today.AddMonths(-11):yyyy-MM}-01&to={today:yyyy-MM-dd}");
        scenarios.AddRange(
        [
            new($"county list: GET /api/v1/residents?type=Floating&flow=In&<12 months>", $"/api/v1/residents?type=Floating&flow=In&{months}", county),
            new($"county list: GET /api/v1/residents?type=Floating&flow=Out&<12 months>", $"/api/v1/residents?type=Floating&flow=Out&{months}", county),
            new($"county list: GET /api/v1/visits/period?<this year>", $"/api/v1/visits/period?{year}", county),
            new($"county list: GET /api/v1/visits/households?<this year>", $"/api/v1/visits/households?{year}", county),
            new($"county list: GET /api/v1/visits/households?<last year>", $"/api/v1/visits/households?from={LastYear}-01-01&to={LastYear}-12-31", county),
            new($"county list: GET /api/v1/service-cases?<this year>&closed=true", $"/api/v1/service-cases?{year}&closed=true", county),
        ]);
        // Three times each: the first call of a view is cold (JIT, plan caches); the third shows where a warm call spends its time.
        foreach (var s in scenarios.SelectMany(s => Enumerable.Repeat(s, 3)))
        {
            using var req = s.Request();
            var sw = Stopwatch.StartNew();
            using var res = await http.SendAsync(req);
            var body = await res.Content.ReadAsStringAsync();
            if (res.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{s.Name}: {(int)res.StatusCode} {body[..Math.Min(300, body.Length)]}");
            Console.WriteLine(Invariant($"check {s.Name}: 200 in {sw.ElapsedMilliseconds} ms, {body.Length} chars; Server-Timing: {string.Join(", ", res.Headers.TryGetValues("Server-Timing", out var t) ? t : [])}"));
        }
        return await LoadRunner.RunAllAsync(http, scenarios, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(o.Seconds), o.Concurrency,
            Invariant($"{name}, {residents:N0} residents, {o.Cases:N0} service cases, {o.Appeals:N0} appeals, {visits:N0} visits, {evidence:N0} evidence items, "));
    }

    static int LastYear => DateTime.UtcNow.Year - 1;

    /// <summary>
    /// What autovacuum does to a database at rest after a bulk load: statistics, and the visibility map that lets counts
    /// be read from an index alone. Without it the first minutes of a run measure autovacuum's timing, not the queries
    /// (the running-case count was a 25 ms parallel table scan before autovacuum reached the cases, 5 ms after).
    /// The checkpoint first: with asynchronous commit, rows whose commit is not yet on disk cannot be marked all-visible.
    /// </summary>
    static async Task SettleAsync(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        foreach (var sql in new[] { "CHECKPOINT", """VACUUM (ANALYZE) "Residents", "Visits", "ServiceCases", "ServiceCaseTallies", "Appeals", "ResidentTallies", "OrgUnits", "EvidenceItems", "EvidenceRefs" """ })
        {
            await using var cmd = new NpgsqlCommand(sql, db) { CommandTimeout = 600 };
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// The generated residents all live in one community; a county's live in all of its communities. They are dealt out by
    /// household (a household stays together), so each community's lists and tallies hold a share, as in a real county.
    /// </summary>
    static async Task SpreadAsync(bool pg, string connection, IReadOnlyList<CasesBench.Unit> communities)
    {
        await using var db = CasesBench.Open(pg, connection);
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandTimeout = 600;
        string Id(Guid g) => pg ? $"'{g}'::uuid" : $"'{g.ToString("D").ToUpperInvariant()}'";
        var values = string.Join(", ", communities.Select((c, k) => Invariant($"({k}, {Id(c.Id)}, '{c.Path}')")));
        var n = communities.Count;
        cmd.CommandText = pg
            ? $"""
              WITH u(k, id, path) AS (VALUES {values})
              UPDATE "Residents" r SET "OrgUnitId" = u.id, "OrgPath" = u.path, "CommunityId" = u.id
              FROM u WHERE substr(r."HouseholdNo", 3)::int % {n} = u.k
              """
            : $"""
              WITH u(k, id, path) AS (VALUES {values})
              UPDATE "Residents" SET "OrgUnitId" = u.id, "OrgPath" = u.path, "CommunityId" = u.id
              FROM u WHERE CAST(substr("Residents"."HouseholdNo", 3) AS INTEGER) % {n} = u.k;
              ANALYZE "Residents";
              """;
        await cmd.ExecuteNonQueryAsync();
        if (pg)
        {
            // As autovacuum would after such an update: without fresh statistics the planner still believes every resident
            // lives in one community, and the recount's per-community queries ran past their 30 s timeout.
            await using var vacuum = db.CreateCommand();
            vacuum.CommandTimeout = 600;
            vacuum.CommandText = """VACUUM (ANALYZE) "Residents" """;
            await vacuum.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// The generated floating residents all arrived in 2019 and none has left: a quarter of them are re-dated to arrive over
    /// the last 700 days, and a fifth of those moved out some day between their arrival and yesterday, so the flow figures
    /// and the lists behind them have a county's worth of rows to find (about 26,000 arrivals a year at 10^6 residents).
    /// </summary>
    static async Task<(int Arrived, int Left)> AddFlowsAsync(bool pg, string connection)
    {
        await using var db = CasesBench.Open(pg, connection);
        await db.OpenAsync();
        async Task<int> RunAsync(string sql)
        {
            await using var cmd = db.CreateCommand();
            cmd.CommandTimeout = 600;
            cmd.CommandText = sql;
            return await cmd.ExecuteNonQueryAsync();
        }
        var arrived = await RunAsync(pg
            ? """UPDATE "Residents" SET "ArrivalDate" = CURRENT_DATE - 1 - (random() * 699)::int WHERE "ResidenceType" = 2 AND random() < 0.25"""
            : """UPDATE "Residents" SET "ArrivalDate" = date('now', '-' || (1 + abs(random()) % 700) || ' days') WHERE "ResidenceType" = 2 AND abs(random()) % 4 = 0""");
        var left = await RunAsync(pg
            ? """
              UPDATE "Residents" SET "Status" = 2, "StatusDate" = "ArrivalDate" + ((CURRENT_DATE - 1 - "ArrivalDate") * random())::int
              WHERE "ResidenceType" = 2 AND "ArrivalDate" >= CURRENT_DATE - 700 AND random() < 0.2
              """
            : """
              UPDATE "Residents" SET "Status" = 2,
                  "StatusDate" = date("ArrivalDate", '+' || CAST((julianday('now', '-1 day') - julianday("ArrivalDate")) * (abs(random()) % 1000) / 1000 AS INTEGER) || ' days')
              WHERE "ResidenceType" = 2 AND "ArrivalDate" >= date('now', '-700 days') AND abs(random()) % 5 = 0
              """);
        return (arrived, left);
    }

    /// <summary>
    /// One visit each for that many residents drawn at random, dated over the two years before today, so the grid panel
    /// counts real households (the tally of last visits for a period to today, the visits themselves for a past one).
    /// </summary>
    static async Task<int> AddVisitsAsync(bool pg, string connection, int visits)
    {
        await using var db = CasesBench.Open(pg, connection);
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandTimeout = 600;
        cmd.CommandText = pg
            ? """
              INSERT INTO "Visits" ("Id", "ResidentId", "OrgPath", "HouseholdNo", "VisitDate", "Kind", "Visitor", "Findings", "NeedsFound", "FollowUp", "Version", "UpdatedUtc", "UpdatedBy")
              SELECT gen_random_uuid(), r."Id", r."OrgPath", r."HouseholdNo", CURRENT_DATE - 1 - (random() * 700)::int, 1 + (random() * 2)::int,
                     '网格员', '家中情况正常', 0, NULL, 0, now(), 'bench'
              FROM (SELECT "Id", "OrgPath", "HouseholdNo" FROM "Residents" ORDER BY random() LIMIT @n) r
              """
            : """
              INSERT INTO "Visits" ("Id", "ResidentId", "OrgPath", "HouseholdNo", "VisitDate", "Kind", "Visitor", "Findings", "NeedsFound", "FollowUp", "Version", "UpdatedUtc", "UpdatedBy")
              SELECT upper(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12)),
                     "Id", "OrgPath", "HouseholdNo", date('now', '-' || (1 + abs(random()) % 700) || ' days'), 1 + abs(random()) % 3,
                     '网格员', '家中情况正常', 0, NULL, 0, strftime('%Y-%m-%d %H:%M:%f', 'now'), 'bench'
              FROM (SELECT hex(randomblob(16)) AS h, "Id", "OrgPath", "HouseholdNo" FROM "Residents" ORDER BY random() LIMIT @n)
              """;
        var p = cmd.CreateParameter();
        p.ParameterName = "n";
        p.Value = visits;
        cmd.Parameters.Add(p);
        var added = await cmd.ExecuteNonQueryAsync();
        if (!pg)
        {
            // On its own: SQLite's change count is not reset by ANALYZE, so in one batch the insert was counted twice.
            await using var analyze = db.CreateCommand();
            analyze.CommandText = """ANALYZE "Visits" """;
            await analyze.ExecuteNonQueryAsync();
        }
        return added;
    }

    /// <summary>
    /// That many evidence items (photos of the last two years, each filed under one of the 13 criteria) spread over the
    /// communities: the archive the target names. No panel reads it today; loading it keeps a future one honest.
    /// </summary>
    static async Task<int> AddEvidenceAsync(bool pg, string connection, IReadOnlyList<CasesBench.Unit> communities, int count)
    {
        await using var db = CasesBench.Open(pg, connection);
        await db.OpenAsync();
        var added = 0;
        foreach (var (unit, i) in communities.Select((u, i) => (u, i)))
        {
            var n = count / communities.Count + (i < count % communities.Count ? 1 : 0);
            if (n == 0) continue;
            await using var cmd = db.CreateCommand();
            cmd.CommandTimeout = 600;
            const string Columns = """
                "Id", "OrgUnitId", "OrgPath", "Year", "Category", "Title", "FileName", "Format", "ContentType", "Size", "Sha256", "StorageKey",
                "ThumbnailKey", "Width", "Height", "Description", "Tags", "ActivityId", "UploadedBy", "UploadedUtc", "DeletedUtc", "DeletedBy", "Version", "UpdatedUtc", "UpdatedBy"
                """;
            cmd.CommandText = pg
                ? $"""
                  INSERT INTO "EvidenceItems" ({Columns})
                  SELECT gen_random_uuid(), @unit, @path, extract(year FROM t.at)::int, 1, '活动照片 ' || s.i, '活动照片' || s.i || '.jpg', 'jpg', 'image/jpeg',
                         200000 + s.i % 3000000, md5(s.i::text || @path) || md5(@path || s.i::text), 'blobs/bench/' || s.i, NULL, 1600, 1200, NULL, '宣传月', NULL,
                         'bench', t.at, NULL, NULL, 0, t.at, 'bench'
                  FROM generate_series(1, @n) AS s(i), LATERAL (SELECT now() - (s.i % 700) * interval '1 day' AS at) t
                  """
                : $"""
                  WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < @n)
                  INSERT INTO "EvidenceItems" ({Columns})
                  SELECT upper(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12)),
                         @unit, @path, CAST(strftime('%Y', at) AS INTEGER), 1, '活动照片 ' || i, '活动照片' || i || '.jpg', 'jpg', 'image/jpeg',
                         200000 + i % 3000000, lower(h || h), 'blobs/bench/' || h, NULL, 1600, 1200, NULL, '宣传月', NULL, 'bench', at, NULL, NULL, 0, at, 'bench'
                  FROM (SELECT i, hex(randomblob(16)) AS h, strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (i % 700) || ' days') AS at FROM s)
                  """;
            void Add(string name, object value)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                cmd.Parameters.Add(p);
            }
            Add("unit", CasesBench.G(pg, unit.Id));
            Add("path", unit.Path);
            Add("n", n);
            added += await cmd.ExecuteNonQueryAsync();
        }
        await using var refs = db.CreateCommand();
        refs.CommandTimeout = 600;
        refs.CommandText = pg
            ? """INSERT INTO "EvidenceRefs" ("EvidenceId", "Kind", "No") SELECT "Id", 1, 1 + (random() * 12)::int FROM "EvidenceItems" WHERE "UploadedBy" = 'bench'"""
            : """INSERT INTO "EvidenceRefs" ("EvidenceId", "Kind", "No") SELECT "Id", 1, 1 + abs(random()) % 13 FROM "EvidenceItems" WHERE "UploadedBy" = 'bench'""";
        await refs.ExecuteNonQueryAsync();
        return added;
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
