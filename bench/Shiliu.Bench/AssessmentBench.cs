using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shiliu.Bench;

/// <summary>
/// "assessment": a round over 1,000 communities (added straight into the database under the demo townships), opened
/// through the API, with three submitted sheets per unit (自检自查, 互检互评, 调研督查) of 13 criteria each written
/// straight into the database; then the county's results (ranking, heat map, weakest criteria) are recomputed from
/// scratch on each request and timed, and the ranking is checked against the expected order.
/// Runs once per engine (--engine sqlite|postgres|both).
/// </summary>
static class AssessmentBench
{
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
            await using (var c = new Npgsql.NpgsqlConnection(admin))
            {
                await c.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand("DROP DATABASE IF EXISTS bench_assessment WITH (FORCE)", c);
                await drop.ExecuteNonQueryAsync();
                await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE bench_assessment", c);
                await create.ExecuteNonQueryAsync();
            }
            connection = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = "bench_assessment" }.ToString();
        }
        await using var app = await AppUnderTest.StartAsync(pg ? "Postgres" : "Sqlite", connection);
        connection ??= $"Data Source={app.DbPath};Pooling=false;Default Timeout=30";
        var name = pg ? "PostgreSQL" : "SQLite";
        var units = o.AssessmentUnits;

        var clock = Stopwatch.StartNew();
        var ids = await AddUnitsAsync(pg, connection, units);
        var token = await WriteTokenAsync(pg, connection, "county");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var created = await http.PostAsJsonAsync("/api/v1/assessment-rounds", new
        {
            name = $"基准考评{units}", periodFrom = "2026-01-01", periodTo = "2026-12-31", unitIds = ids, weightSelf = 20, weightMutual = 30, weightSupervision = 50,
        });
        created.EnsureSuccessStatusCode();
        var round = await created.Content.ReadFromJsonAsync<JsonElement>();
        var roundId = round.GetProperty("id").GetGuid();
        (await http.PostAsJsonAsync($"/api/v1/assessment-rounds/{roundId}/open", new { version = round.GetProperty("version").GetInt32() })).EnsureSuccessStatusCode();
        var expectedFirst = await AddSheetsAsync(pg, connection, roundId, ids);
        Console.WriteLine(Invariant($"{name}: {units:N0} units, {units * 3:N0} submitted sheets, {units * 3 * 13:N0} scores loaded in {clock.Elapsed.TotalSeconds:0.0} s"));

        var times = new List<double>();
        var runs = Math.Max(o.Runs, 5);
        for (var i = 0; i <= runs; i++)
        {
            var t = Stopwatch.StartNew();
            using var res = await http.GetAsync($"/api/v1/assessment-rounds/{roundId}/results");
            res.EnsureSuccessStatusCode();
            var body = await res.Content.ReadFromJsonAsync<JsonElement>();
            t.Stop();
            var ranking = body.GetProperty("ranking");
            if (ranking.GetArrayLength() != units || ranking[0].GetProperty("orgUnitId").GetGuid() != expectedFirst)
                throw new InvalidOperationException($"{name}: the ranking has {ranking.GetArrayLength()} rows or the wrong unit first");
            if (i > 0) times.Add(t.Elapsed.TotalMilliseconds); // the first request warms the app up
        }
        times.Sort();
        Console.WriteLine();
        Console.WriteLine(Invariant($"| engine | units × criteria × modes | results requests | median (ms) | max (ms) |"));
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(Invariant($"| {name} | {units:N0} × 13 × 3 | {times.Count} | {times[times.Count / 2]:0} | {times[^1]:0} |"));
        Console.WriteLine();
        return times[^1] < 1000 ? 0 : 1;
    }

    /// <summary>Communities under the demo townships, round robin, as the org page would add them.</summary>
    static async Task<List<Guid>> AddUnitsAsync(bool pg, string connection, int count)
    {
        await using var db = CasesBench.Open(pg, connection);
        await db.OpenAsync();
        var towns = new List<(Guid Id, string Path)>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """SELECT "Id", "Path" FROM "OrgUnits" WHERE "Level" = 2 ORDER BY "Code" """;
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) towns.Add((CasesBench.ReadGuid(r, 0), r.GetString(1)));
        }
        await using var tx = await db.BeginTransactionAsync();
        using var insert = CasesBench.Prepare(db, tx, "OrgUnits", ["Id", "ParentId", "Name", "Code", "Level", "Path", "SortOrder", "IsDisabled", "IsDemo", "CreatedUtc", "Version", "UpdatedUtc"], out var p);
        var ids = new List<Guid>(count);
        var now = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var id = Guid.CreateVersion7();
            var town = towns[i % towns.Count];
            (p["Id"].Value, p["ParentId"].Value, p["Name"].Value, p["Code"].Value) = (CasesBench.G(pg, id), CasesBench.G(pg, town.Id), $"基准社区{i + 1:D4}", $"BENCH-A{i + 1:D5}");
            (p["Level"].Value, p["Path"].Value, p["SortOrder"].Value, p["IsDisabled"].Value, p["IsDemo"].Value) = (3, $"{town.Path}{id:N}/", 100 + i, false, true);
            (p["CreatedUtc"].Value, p["Version"].Value, p["UpdatedUtc"].Value) = (CasesBench.T(pg, now), 0, CasesBench.T(pg, now));
            await insert.ExecuteNonQueryAsync();
            ids.Add(id);
        }
        await tx.CommitAsync();
        return ids;
    }

    /// <summary>Three submitted sheets per unit with 13 scores each; unit i loses (i mod 97) + mode half-points on each sheet, so the first unit ranks first (its equals sort after it by name).</summary>
    static async Task<Guid> AddSheetsAsync(bool pg, string connection, Guid round, List<Guid> units)
    {
        await using var db = CasesBench.Open(pg, connection);
        await db.OpenAsync();
        var points = new List<(int No, int Points)>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """SELECT "No", "Points" FROM "AssessmentCriteria" WHERE "RoundId" = @r ORDER BY "No" """;
            var par = cmd.CreateParameter();
            (par.ParameterName, par.Value) = ("@r", CasesBench.G(pg, round));
            cmd.Parameters.Add(par);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) points.Add((r.GetInt32(0), r.GetInt32(1)));
        }
        var paths = new Dictionary<Guid, string>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """SELECT "Id", "Path" FROM "OrgUnits" WHERE "Code" LIKE 'BENCH-A%'""";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) paths[CasesBench.ReadGuid(r, 0)] = r.GetString(1);
        }
        await using var tx = await db.BeginTransactionAsync();
        using var sheet = CasesBench.Prepare(db, tx, "AssessmentSheets", ["Id", "RoundId", "Mode", "ScoredUnitId", "ScoredName", "OrgUnitId", "OrgPath", "ScorerName", "ScorerKey",
            "Status", "SubmittedUtc", "TotalTenths", "Deductions", "Version", "UpdatedUtc"], out var s);
        using var line = CasesBench.Prepare(db, tx, "AssessmentScoreLines", ["Id", "SheetId", "CriterionNo", "Tenths", "DeductionReason", "EvidenceIds"], out var l);
        var now = DateTime.UtcNow;
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            for (var mode = 1; mode <= 3; mode++)
            {
                var sheetId = Guid.CreateVersion7();
                var lost = i % 97 + mode; // half-points lost on this sheet, spread over the criteria
                var tenths = points.Select((c, k) => c.Points * 10 - Math.Min(c.Points * 10, 5 * (lost / points.Count + (k < lost % points.Count ? 1 : 0)))).ToList();
                (s["Id"].Value, s["RoundId"].Value, s["Mode"].Value, s["ScoredUnitId"].Value, s["ScoredName"].Value) =
                    (CasesBench.G(pg, sheetId), CasesBench.G(pg, round), mode, CasesBench.G(pg, unit), $"基准社区{i + 1:D4}");
                (s["OrgUnitId"].Value, s["OrgPath"].Value, s["ScorerName"].Value, s["ScorerKey"].Value, s["Status"].Value) =
                    (CasesBench.G(pg, unit), paths[unit], "基准评分", $"bench:{mode}", 1);
                (s["SubmittedUtc"].Value, s["TotalTenths"].Value, s["Deductions"].Value, s["Version"].Value, s["UpdatedUtc"].Value) =
                    (CasesBench.T(pg, now), tenths.Sum(), tenths.Select((t, k) => t < points[k].Points * 10).Count(x => x), 0, CasesBench.T(pg, now));
                await sheet.ExecuteNonQueryAsync();
                for (var k = 0; k < points.Count; k++)
                {
                    (l["Id"].Value, l["SheetId"].Value, l["CriterionNo"].Value, l["Tenths"].Value) = (CasesBench.G(pg, Guid.CreateVersion7()), CasesBench.G(pg, sheetId), points[k].No, tenths[k]);
                    l["DeductionReason"].Value = tenths[k] < points[k].Points * 10 ? "基准扣分" : DBNull.Value;
                    l["EvidenceIds"].Value = pg ? Array.Empty<Guid>() : "[]";
                    await line.ExecuteNonQueryAsync();
                }
            }
        }
        await tx.CommitAsync();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = pg ? """ANALYZE "AssessmentSheets"; ANALYZE "AssessmentScoreLines";""" : "ANALYZE";
            await cmd.ExecuteNonQueryAsync();
        }
        return units[0];
    }

    /// <summary>A read-write personal access token of the user, as the tokens page would issue it.</summary>
    static async Task<string> WriteTokenAsync(bool pg, string connection, string userName)
    {
        var text = "shl_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var db = CasesBench.Open(pg, connection);
        await db.OpenAsync();
        async Task Exec(string sql, params (string, object)[] args)
        {
            await using var cmd = db.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (n, v) in args)
            {
                var par = cmd.CreateParameter();
                (par.ParameterName, par.Value) = (n, v);
                cmd.Parameters.Add(par);
            }
            await cmd.ExecuteNonQueryAsync();
        }
        await Exec("""
            INSERT INTO "AccessTokens" ("Id", "UserId", "Name", "Prefix", "Hash", "CreatedUtc", "ExpiresUtc", "RevokedUtc", "LastUsedUtc", "CanWrite", "Modules")
            SELECT @id, "Id", 'bench', @prefix, @hash, @created, @expires, NULL, NULL, @write, '*' FROM "AspNetUsers" WHERE "UserName" = @user
            """, ("@id", CasesBench.G(pg, Guid.CreateVersion7())), ("@prefix", text[..10]),
            ("@hash", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))),
            ("@created", CasesBench.T(pg, DateTime.UtcNow)), ("@expires", CasesBench.T(pg, DateTime.UtcNow.AddDays(1))), ("@write", true), ("@user", userName));
        // The demo users must change their first password; until they have, their tokens only reach the account pages.
        await Exec("""UPDATE "AspNetUsers" SET "MustChangePassword" = @no, "PasswordChangedUtc" = @now WHERE "UserName" = @user""",
            ("@no", false), ("@now", CasesBench.T(pg, DateTime.UtcNow)), ("@user", userName));
        return text;
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
