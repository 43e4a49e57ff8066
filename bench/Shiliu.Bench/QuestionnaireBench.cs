using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Shiliu.Bench;

/// <summary>
/// "questionnaires": the demo satisfaction survey of 城中社区 with 10^5 answer sheets (about 13 answer rows each) written
/// straight into the database, then the results (GET, under load with a county token) and the two Excel exports (POST,
/// one after another). Runs once per engine (--engine sqlite|postgres|both); --responses sets the count.
/// </summary>
static class QuestionnaireBench
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
            await using (var c = new NpgsqlConnection(admin))
            {
                await c.OpenAsync();
                await using var drop = new NpgsqlCommand("DROP DATABASE IF EXISTS bench_questionnaires WITH (FORCE)", c);
                await drop.ExecuteNonQueryAsync();
                await using var create = new NpgsqlCommand("CREATE DATABASE bench_questionnaires", c);
                await create.ExecuteNonQueryAsync();
            }
            connection = new NpgsqlConnectionStringBuilder(admin) { Database = "bench_questionnaires" }.ToString();
        }
        await using var app = await AppUnderTest.StartAsync(pg ? "Postgres" : "Sqlite", connection);
        connection ??= $"Data Source={app.DbPath};Pooling=false;Default Timeout=60";
        var name = pg ? "PostgreSQL" : "SQLite";

        var clock = Stopwatch.StartNew();
        var (questionnaire, rows) = await LoadAsync(pg, connection, o.Responses);
        Console.WriteLine(Invariant($"{name}: inserted {o.Responses:N0} answer sheets ({rows:N0} answer rows) into the demo publication in {clock.Elapsed.TotalSeconds:0.0} s"));
        // Rows written past the app keep no tallies: the operator's repair verb counts them, as after a restore.
        clock.Restart();
        var rebuilt = await app.VerbAsync("rebuild-statistics");
        Console.WriteLine(Invariant($"{name}: rebuild-statistics in {clock.Elapsed.TotalSeconds:0.0} s: {rebuilt.ReplaceLineEndings(" ")}"));
        var token = await TokenAsync(pg, connection, "county");
        // The exports are POSTs: the token may write.
        await using (var db = Open(pg, connection))
        {
            await db.OpenAsync();
            await using var cmd = db.CreateCommand();
            cmd.CommandText = """UPDATE "AccessTokens" SET "CanWrite" = TRUE""";
            await cmd.ExecuteNonQueryAsync();
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency, UseCookies = false, AllowAutoRedirect = false, UseProxy = false })
            { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        var results = new Scenario("GET /api/v1/questionnaires/{id}/results (county)", $"/api/v1/questionnaires/{questionnaire}/results", token);
        using (var check = results.Request())
        {
            using var res = await http.SendAsync(check);
            var body = await res.Content.ReadAsStringAsync();
            if (res.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"results: {(int)res.StatusCode} {body[..Math.Min(300, body.Length)]}");
            Console.WriteLine(Invariant($"check {results.Name}: 200, {body.Length} chars: {body[..Math.Min(160, body.Length)]}"));
        }
        var code = await LoadRunner.RunAllAsync(http, [results], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(o.Seconds), o.Concurrency,
            Invariant($"{name}, one publication with {o.Responses:N0} answer sheets, "));

        // The exports one at a time, as a clerk presses the button: each answer is a whole xlsx read to the end.
        Console.WriteLine();
        Console.WriteLine("| Export (POST, sequential) | runs | p50 (ms) | p99 (ms) | max (ms) | bytes |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (label, path, runs) in new[]
                 {
                     ("results workbook", $"/api/v1/questionnaires/{questionnaire}/results/export", 20),
                     ("raw sheets without identifiers", $"/api/v1/questionnaires/{questionnaire}/results/raw", 5),
                 })
        {
            var times = new List<double>();
            long bytes = 0;
            for (var i = 0; i < runs; i++)
            {
                using var req = new HttpRequestMessage(HttpMethod.Post, path);
                req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var t = Stopwatch.StartNew();
                using var res = await http.SendAsync(req);
                var content = await res.Content.ReadAsByteArrayAsync();
                times.Add(t.Elapsed.TotalMilliseconds);
                if (res.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{label}: {(int)res.StatusCode}");
                bytes = content.Length;
            }
            var sorted = times.Order().ToArray();
            Console.WriteLine(Invariant($"| {label} | {runs} | {Pct(sorted, 0.5):0} | {Pct(sorted, 0.99):0} | {sorted[^1]:0} | {bytes:N0} |"));
        }
        return code;
    }

    static double Pct(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    static DbConnection Open(bool pg, string connection) => pg ? new NpgsqlConnection(connection) : new SqliteConnection(connection);

    static object G(bool pg, Guid g) => pg ? g : g.ToString("D").ToUpperInvariant();

    static Guid ReadGuid(DbDataReader r, int i) => r.GetFieldType(i) == typeof(string) ? Guid.Parse(r.GetString(i)) : r.GetGuid(i);

    /// <summary>Sheets shaped as the public page stores them: the template's questions, 满意-heavy, a third raising an appeal.</summary>
    static async Task<(Guid Questionnaire, long Rows)> LoadAsync(bool pg, string connection, int count)
    {
        await using var db = Open(pg, connection);
        await db.OpenAsync();
        Guid questionnaire, publication;
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """SELECT "QuestionnaireId", "Id" FROM "QuestionnairePublications" ORDER BY "CreatedUtc" LIMIT 1""";
            await using var r = await cmd.ExecuteReaderAsync();
            if (!await r.ReadAsync()) throw new InvalidOperationException("the app did not seed the demo questionnaire");
            (questionnaire, publication) = (ReadGuid(r, 0), ReadGuid(r, 1));
        }
        await using var tx = await db.BeginTransactionAsync();
        var sheet = Command(db, tx, """INSERT INTO "QuestionnaireResponses" ("Id", "PublicationId", "AnsweredOn") VALUES (@id, @pub, @on)""", "@id", "@pub", "@on");
        var answer = Command(db, tx, """INSERT INTO "QuestionnaireAnswers" ("PublicationId", "ResponseId", "Question", "Row", "Choice", "Number", "Text") VALUES (@pub, @rid, @q, @row, @choice, NULL, @text)""",
            "@pub", "@rid", "@q", "@row", "@choice", "@text");
        if (!pg) { await sheet.PrepareAsync(); await answer.PrepareAsync(); }
        var rnd = new Random(7);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string[] scale = ["a", "a", "a", "a", "b", "b", "b", "c", "d", "a"];
        long rows = 0;
        async Task Add(Guid rid, string q, string choice, string row = "", string? text = null)
        {
            (answer.Parameters["@pub"].Value, answer.Parameters["@rid"].Value, answer.Parameters["@q"].Value, answer.Parameters["@row"].Value, answer.Parameters["@choice"].Value) =
                (G(pg, publication), G(pg, rid), q, row, choice);
            answer.Parameters["@text"].Value = text is null ? DBNull.Value : text;
            await answer.ExecuteNonQueryAsync();
            rows++;
        }
        for (var i = 0; i < count; i++)
        {
            var rid = Guid.NewGuid();
            sheet.Parameters["@id"].Value = G(pg, rid);
            sheet.Parameters["@pub"].Value = G(pg, publication);
            sheet.Parameters["@on"].Value = pg ? today.AddDays(-(i % 14)) : today.AddDays(-(i % 14)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await sheet.ExecuteNonQueryAsync();
            await Add(rid, "age", ((char)('a' + rnd.Next(6))).ToString());
            await Add(rid, "years", ((char)('a' + rnd.Next(4))).ToString());
            await Add(rid, "overall", scale[rnd.Next(scale.Length)]);
            foreach (var row in new[] { "a", "b", "c", "d", "e" }) await Add(rid, "items", scale[rnd.Next(scale.Length)], row);
            await Add(rid, "channels", "a");
            if (rnd.Next(2) == 0) await Add(rid, "channels", "d");
            var raised = rnd.Next(3) == 0;
            await Add(rid, "raised", raised ? "a" : "b");
            if (raised) await Add(rid, "handled", (1 + rnd.Next(5)).ToString(CultureInfo.InvariantCulture));
            if (i % 10 == 0) await Add(rid, "suggest", "", text: "希望多组织各民族邻里一起参加的文体活动");
        }
        await tx.CommitAsync();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = pg ? """ANALYZE "QuestionnaireResponses"; ANALYZE "QuestionnaireAnswers";""" : "ANALYZE";
            await cmd.ExecuteNonQueryAsync();
        }
        return (questionnaire, rows);
    }

    static DbCommand Command(DbConnection db, DbTransaction tx, string sql, params string[] names)
    {
        var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = n;
            p.Value = DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    static Task<string> TokenAsync(bool pg, string connection, string user) => CasesBench.TokenForAsync(pg, connection, user);

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
