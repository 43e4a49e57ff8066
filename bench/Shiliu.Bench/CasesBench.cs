using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Shiliu.Core.Appeals;
using Shiliu.Core.Platform.Public;
using Shiliu.Core.ServiceCases;

namespace Shiliu.Bench;

/// <summary>
/// "cases": a county with 10^5 service cases and 10^4 appeals written straight into the database, then the handler's
/// lists, the to-do counts and the timeliness figures under load with a community, a township and a county token; and
/// the public appeal form at 50 posts a minute (open loop) from distinct forwarded addresses, each solving the challenge.
/// Runs once per engine (--engine sqlite|postgres|both).
/// </summary>
static class CasesBench
{
    internal sealed record Unit(Guid Id, string Path, Guid Parent);
    internal sealed record TypeRef(Guid Id, int Days, bool Revisit);

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
                await using var drop = new NpgsqlCommand("DROP DATABASE IF EXISTS bench_cases WITH (FORCE)", c);
                await drop.ExecuteNonQueryAsync();
                await using var create = new NpgsqlCommand("CREATE DATABASE bench_cases", c);
                await create.ExecuteNonQueryAsync();
            }
            connection = new NpgsqlConnectionStringBuilder(admin) { Database = "bench_cases" }.ToString();
        }
        // The public form's posts carry X-Forwarded-For; the app believes it only from a configured proxy.
        var env = new Dictionary<string, string> { ["Network__KnownProxies__0"] = "127.0.0.1" };
        await using var app = await AppUnderTest.StartAsync(pg ? "Postgres" : "Sqlite", connection, extraEnv: env);
        connection ??= $"Data Source={app.DbPath};Pooling=false;Default Timeout=30";
        var name = pg ? "PostgreSQL" : "SQLite";

        var clock = Stopwatch.StartNew();
        var (communities, types) = await LoadAsync(pg, connection, o.Cases, o.Appeals);
        Console.WriteLine(Invariant($"{name}: inserted {o.Cases:N0} service cases and {o.Appeals:N0} appeals over {communities.Count} demo communities in {clock.Elapsed.TotalSeconds:0.0} s"));
        // Rows written past the app keep no tallies: the operator's repair verb counts them, as after a restore.
        clock.Restart();
        var rebuilt = await app.VerbAsync("rebuild-statistics");
        Console.WriteLine(Invariant($"{name}: rebuild-statistics in {clock.Elapsed.TotalSeconds:0.0} s: {rebuilt}"));

        if (!pg && Environment.GetEnvironmentVariable("SHILIU_BENCH_KEEP_DB") is { Length: > 0 } keep)
        {
            // A copy for reading query plans afterwards (the app's own folder is deleted at the end).
            await using var db = new SqliteConnection(connection);
            await db.OpenAsync();
            await using var cmd = db.CreateCommand();
            cmd.CommandText = "VACUUM INTO $path";
            cmd.Parameters.AddWithValue("$path", keep);
            await cmd.ExecuteNonQueryAsync();
            Console.WriteLine($"copied the loaded database to {keep}");
        }

        var tokens = new List<(string Who, string Token)>();
        foreach (var user in new[] { "community", "township", "county" }) tokens.Add((user, await TokenAsync(pg, connection, user)));

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency, UseCookies = false, AllowAutoRedirect = false, UseProxy = false })
            { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var scenarios = new List<Scenario>();
        foreach (var (who, token) in tokens)
        {
            scenarios.Add(new($"{who}: GET /api/v1/service-cases (page 1)", "/api/v1/service-cases?page=1&pageSize=20", token));
            scenarios.Add(new($"{who}: GET /api/v1/service-cases?overdue=true", "/api/v1/service-cases?overdue=true&page=1&pageSize=20", token));
            scenarios.Add(new($"{who}: GET /api/v1/appeals (page 1)", "/api/v1/appeals?page=1&pageSize=20", token));
            scenarios.Add(new($"{who}: GET /api/v1/service-cases/figures", "/api/v1/service-cases/figures", token));
            scenarios.Add(new($"{who}: GET /api/v1/appeals/statistics", "/api/v1/appeals/statistics", token));
            scenarios.Add(new($"{who}: GET /api/v1/me/todos", "/api/v1/me/todos", token));
        }
        scenarios.Add(new("community: GET /api/v1/service-cases?incoming=true", "/api/v1/service-cases?incoming=true&page=1&pageSize=20", tokens[0].Token));
        foreach (var s in scenarios)
        {
            using var req = s.Request();
            using var res = await http.SendAsync(req);
            var body = await res.Content.ReadAsStringAsync();
            if (res.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{s.Name}: {(int)res.StatusCode} {body[..Math.Min(300, body.Length)]}");
            var total = body.StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("total", out var t) && t.ValueKind == JsonValueKind.Number ? $"total {t.GetInt32()}, " : "";
            Console.WriteLine(Invariant($"check {s.Name}: 200, {total}{body.Length} chars: {body[..Math.Min(140, body.Length)]}"));
        }
        var code = await LoadRunner.RunAllAsync(http, scenarios, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(o.Seconds), o.Concurrency,
            Invariant($"{name}, {o.Cases:N0} service cases and {o.Appeals:N0} appeals, "));

        if (o.FormPosts > 0) code |= await PublicFormAsync(app.BaseUrl, name, o.FormPosts);
        return code;
    }

    // ---- data ----------------------------------------------------------------------------------------------------

    internal static DbConnection Open(bool pg, string connection) => pg ? new NpgsqlConnection(connection) : new SqliteConnection(connection);

    internal static async Task<(List<Unit> Communities, List<TypeRef> Types)> LoadAsync(bool pg, string connection, int cases, int appeals)
    {
        await using var db = Open(pg, connection);
        await db.OpenAsync();
        var communities = new List<Unit>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """SELECT "Id", "Path", "ParentId" FROM "OrgUnits" WHERE "Level" = 3 ORDER BY "Path" """;
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) communities.Add(new Unit(ReadGuid(r, 0), r.GetString(1), ReadGuid(r, 2)));
        }
        var types = new List<TypeRef>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """SELECT "Id", "TimeLimitDays", "NeedsRevisit" FROM "ServiceTypes" ORDER BY "SortOrder" """;
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) types.Add(new TypeRef(ReadGuid(r, 0), r.GetInt32(1), r.GetBoolean(2)));
        }
        if (communities.Count == 0 || types.Count == 0) throw new InvalidOperationException("the app did not seed communities and service types");

        await using var tx = await db.BeginTransactionAsync();
        await InsertCasesAsync(pg, db, tx, communities, types, cases);
        await InsertAppealsAsync(pg, db, tx, communities, appeals);
        await tx.CommitAsync();
        // What autovacuum (PostgreSQL) would do after such a load, and what a long-running SQLite app's optimize does.
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = pg ? """ANALYZE "ServiceCases"; ANALYZE "Appeals";""" : "ANALYZE";
            await cmd.ExecuteNonQueryAsync();
        }
        return (communities, types);
    }

    internal static Guid ReadGuid(DbDataReader r, int i) => r.GetFieldType(i) == typeof(string) ? Guid.Parse(r.GetString(i)) : r.GetGuid(i);

    internal static object G(bool pg, Guid? g) => g is not { } v ? DBNull.Value : pg ? v : v.ToString("D").ToUpperInvariant();

    internal static object T(bool pg, DateTime? t) => t is not { } v ? DBNull.Value
        : pg ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    static object N<TV>(TV? v) where TV : struct => v is { } x ? x : DBNull.Value;

    static object S(string? v) => v is null ? DBNull.Value : v;

    internal static DbCommand Prepare(DbConnection db, DbTransaction tx, string table, string[] columns, out Dictionary<string, DbParameter> p)
    {
        var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})";
        p = new Dictionary<string, DbParameter>();
        foreach (var c in columns)
        {
            var par = cmd.CreateParameter();
            par.ParameterName = "@" + c;
            par.Value = DBNull.Value;
            cmd.Parameters.Add(par);
            p[c] = par;
        }
        return cmd;
    }

    static readonly string[] Titles = ["办理就业登记", "申请临时救助", "咨询医保报销", "法律援助申请", "老年人优待证", "残疾人补贴", "户籍证明开具", "房屋漏水求助"];

    /// <summary>
    /// Cases over the last two years, round-robin over the communities; the mix (of 100): 5 已受理, 10 办理中, 2 挂起,
    /// 1 转办待接收 (offered to the next community), 10 已办结, 30 已回访, 42 已归档. Open cases were received in the last
    /// 40 days, so with 5–20 working-day limits roughly a third of them are past due.
    /// </summary>
    static async Task InsertCasesAsync(bool pg, DbConnection db, DbTransaction tx, List<Unit> units, List<TypeRef> types, int count)
    {
        string[] cols = ["Id", "Number", "TypeId", "Source", "OrgUnitId", "OrgPath", "HandoverToUnitId", "HandoverToPath", "PersonName", "PhoneMasked",
            "Title", "Request", "Status", "TimeLimitDays", "NeedsRevisit", "AcceptedUtc", "DueUtc", "ClosedUtc", "ClosedOnTime", "DaysToClose", "Result",
            "Satisfaction", "RevisitedUtc", "ReopenCount", "CreatedBy", "CreatedUtc", "Version", "UpdatedUtc", "UpdatedBy"];
        await using var cmd = Prepare(db, tx, "ServiceCases", cols, out var p);
        // Prepared on SQLite only: on PostgreSQL a column that is NULL in one row and typed in the next would change the statement.
        if (!pg) await cmd.PrepareAsync();
        var rnd = new Random(12);
        var now = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var unit = units[i % units.Count];
            var type = types[i % types.Count];
            var mix = i * 37 % 100;
            var status = mix switch
            {
                < 5 => ServiceCaseStatus.Accepted,
                < 15 => ServiceCaseStatus.InProgress,
                < 17 => ServiceCaseStatus.Suspended,
                < 18 => ServiceCaseStatus.Offered,
                < 28 => ServiceCaseStatus.Closed,
                < 58 => ServiceCaseStatus.Revisited,
                _ => ServiceCaseStatus.Archived,
            };
            var open = status <= ServiceCaseStatus.Offered;
            var accepted = open ? now.AddMinutes(-rnd.Next(60, 40 * 24 * 60)) : now.AddMinutes(-rnd.Next(40 * 24 * 60, 730 * 24 * 60));
            var limit = new[] { 5, 10, 15, 20 }[i % 4];
            var due = status == ServiceCaseStatus.Suspended ? (DateTime?)null : accepted.AddDays(limit * 1.4);
            DateTime? closed = open ? null : accepted.AddDays(rnd.NextDouble() * limit * 1.6);
            var handover = status == ServiceCaseStatus.Offered ? units[(i + 1) % units.Count] : null;
            p["Id"].Value = G(pg, Guid.CreateVersion7(accepted));
            p["Number"].Value = Invariant($"FW{accepted.Year}-B{i:D7}");
            p["TypeId"].Value = G(pg, type.Id);
            p["Source"].Value = (int)(ServiceSource)(1 + i % 4);
            p["OrgUnitId"].Value = G(pg, unit.Id);
            p["OrgPath"].Value = unit.Path;
            p["HandoverToUnitId"].Value = G(pg, handover?.Id);
            p["HandoverToPath"].Value = S(handover?.Path);
            p["PersonName"].Value = "张某某";
            p["PhoneMasked"].Value = "138****0000";
            p["Title"].Value = Titles[i % Titles.Length];
            p["Request"].Value = "群众来电反映需要办理的事项，已登记，请按时限办理并答复。";
            p["Status"].Value = (int)status;
            p["TimeLimitDays"].Value = limit;
            p["NeedsRevisit"].Value = type.Revisit;
            p["AcceptedUtc"].Value = T(pg, accepted);
            p["DueUtc"].Value = T(pg, open ? due : null);
            p["ClosedUtc"].Value = T(pg, closed);
            p["ClosedOnTime"].Value = closed is { } c ? c <= due : DBNull.Value;
            p["DaysToClose"].Value = closed is { } c2 ? (c2 - accepted).TotalDays / 1.4 : DBNull.Value;
            p["Result"].Value = S(open ? null : "已按规定办理完毕");
            p["Satisfaction"].Value = status is ServiceCaseStatus.Revisited or ServiceCaseStatus.Archived ? 1 + i % 3 : DBNull.Value;
            p["RevisitedUtc"].Value = T(pg, status is ServiceCaseStatus.Revisited or ServiceCaseStatus.Archived ? closed!.Value.AddDays(2) : null);
            p["ReopenCount"].Value = i % 50 == 0 ? 1 : 0;
            p["CreatedBy"].Value = "bench";
            p["CreatedUtc"].Value = T(pg, accepted);
            p["Version"].Value = 0;
            p["UpdatedUtc"].Value = T(pg, closed ?? accepted);
            p["UpdatedBy"].Value = "bench";
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Appeals over the last two years, round-robin over the communities (the place and the holder), topics in turn;
    /// the mix (of 100): 5 待受理, 8 办理中, 1 转办中, 10 已答复, 1 重办, 70 办结, 5 已转办. Open ones came in the last 20 days.
    /// </summary>
    static async Task InsertAppealsAsync(bool pg, DbConnection db, DbTransaction tx, List<Unit> units, int count)
    {
        string[] cols = ["Id", "OrgUnitId", "OrgPath", "HandoverToUnitId", "HandoverToPath", "Code", "PinHash", "Channel", "Topic", "Text", "PlaceUnitId",
            "NameMasked", "PhoneMasked", "Status", "Answer", "AnsweredUtc", "AnsweredOnTime", "Resolved", "FeedbackUtc", "ReopenCount",
            "CreatedBy", "CreatedUtc", "ClosedUtc", "Version", "UpdatedUtc", "UpdatedBy"];
        await using var cmd = Prepare(db, tx, "Appeals", cols, out var p);
        // Prepared on SQLite only: on PostgreSQL a column that is NULL in one row and typed in the next would change the statement.
        if (!pg) await cmd.PrepareAsync();
        var rnd = new Random(13);
        var now = DateTime.UtcNow;
        var topics = AppealNames.Topics;
        for (var i = 0; i < count; i++)
        {
            var unit = units[i % units.Count];
            var topic = topics[i % topics.Count];
            var mix = i * 37 % 100;
            var status = mix switch
            {
                < 5 => AppealStatus.Pending,
                < 13 => AppealStatus.Handling,
                < 14 => AppealStatus.Transferring,
                < 24 => AppealStatus.Answered,
                < 25 => AppealStatus.Reopened,
                < 95 => AppealStatus.Closed,
                _ => AppealStatus.Converted,
            };
            var open = status is AppealStatus.Pending or AppealStatus.Handling or AppealStatus.Transferring or AppealStatus.Reopened;
            var created = open ? now.AddMinutes(-rnd.Next(30, 20 * 24 * 60)) : now.AddMinutes(-rnd.Next(20 * 24 * 60, 730 * 24 * 60));
            DateTime? answered = status is AppealStatus.Answered or AppealStatus.Closed or AppealStatus.Reopened ? created.AddDays(rnd.NextDouble() * topic.AnswerDays * 1.8) : null;
            DateTime? closedAt = status is AppealStatus.Closed or AppealStatus.Converted ? (answered ?? created).AddDays(3) : null;
            var handover = status == AppealStatus.Transferring ? units[(i + 1) % units.Count] : null;
            p["Id"].Value = G(pg, Guid.CreateVersion7(created));
            p["OrgUnitId"].Value = G(pg, unit.Id);
            p["OrgPath"].Value = unit.Path;
            p["HandoverToUnitId"].Value = G(pg, handover?.Id);
            p["HandoverToPath"].Value = S(handover?.Path);
            p["Code"].Value = Invariant($"BQ{i:D8}");
            p["PinHash"].Value = "bench-no-pin";
            p["Channel"].Value = i % 4;
            p["Topic"].Value = topic.Key;
            p["Text"].Value = "小区门口路灯坏了很久，晚上出行不安全，希望尽快修复。";
            p["PlaceUnitId"].Value = G(pg, unit.Id);
            p["NameMasked"].Value = "李**";
            p["PhoneMasked"].Value = "139****0000";
            p["Status"].Value = (int)status;
            p["Answer"].Value = S(answered is null ? null : "已联系相关单位处理。");
            p["AnsweredUtc"].Value = T(pg, answered);
            p["AnsweredOnTime"].Value = answered is { } a ? a <= created.AddDays(topic.AnswerDays * 1.4) : DBNull.Value;
            p["Resolved"].Value = status == AppealStatus.Closed ? i % 10 != 0 : status == AppealStatus.Reopened ? false : DBNull.Value;
            p["FeedbackUtc"].Value = T(pg, status is AppealStatus.Closed or AppealStatus.Reopened ? answered!.Value.AddDays(2) : null);
            p["ReopenCount"].Value = status == AppealStatus.Reopened ? 1 : 0;
            p["CreatedBy"].Value = "public";
            p["CreatedUtc"].Value = T(pg, created);
            p["ClosedUtc"].Value = T(pg, closedAt);
            p["Version"].Value = 0;
            p["UpdatedUtc"].Value = T(pg, closedAt ?? answered ?? created);
            p["UpdatedBy"].Value = "bench";
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A county (or other demo user's) token written straight into the database; shared with the other scenarios.</summary>
    internal static Task<string> TokenForAsync(bool pg, string connection, string userName) => TokenAsync(pg, connection, userName);

    internal static async Task<string> TokenAsync(bool pg, string connection, string userName)
    {
        var text = "shl_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var db = Open(pg, connection);
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO "AccessTokens" ("Id", "UserId", "Name", "Prefix", "Hash", "CreatedUtc", "ExpiresUtc", "RevokedUtc", "LastUsedUtc")
            SELECT @id, "Id", 'bench', @prefix, @hash, @created, @expires, NULL, NULL FROM "AspNetUsers" WHERE "UserName" = @user
            """;
        void Add(string n, object v)
        {
            var par = cmd.CreateParameter();
            par.ParameterName = n;
            par.Value = v;
            cmd.Parameters.Add(par);
        }
        Add("@id", G(pg, Guid.CreateVersion7()));
        Add("@prefix", text[..10]);
        Add("@hash", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))));
        Add("@created", T(pg, DateTime.UtcNow));
        Add("@expires", T(pg, DateTime.UtcNow.AddDays(1)));
        Add("@user", userName);
        if (await cmd.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException($"no user {userName}");
        // The demo users must change their first password; until they have, their tokens only reach the account pages.
        await using var changed = db.CreateCommand();
        changed.CommandText = """UPDATE "AspNetUsers" SET "MustChangePassword" = @no, "PasswordChangedUtc" = @now WHERE "UserName" = @user""";
        foreach (var (n, v) in new (string, object)[] { ("@no", false), ("@now", T(pg, DateTime.UtcNow)), ("@user", userName) })
        {
            var par = changed.CreateParameter();
            par.ParameterName = n;
            par.Value = v;
            changed.Parameters.Add(par);
        }
        await changed.ExecuteNonQueryAsync();
        return text;
    }

    // ---- public form ---------------------------------------------------------------------------------------------

    sealed record FormPost(int N, string Address, double GetMs, double SolveMs, double PostMs, int Status, bool Receipt, string? Error);

    /// <summary>
    /// Open loop: post n starts at n × 1.2 s whatever the earlier ones are doing (50 a minute). Each post comes from its
    /// own address (X-Forwarded-For 10.77.x.y) and does what a browser does: GET the page (cookie, antiforgery token,
    /// challenge), work out the proof of work, POST the form as multipart. Success is a 200 that shows the receipt;
    /// anything else (a 429 included) is an error.
    /// </summary>
    static async Task<int> PublicFormAsync(string baseUrl, string engine, int posts)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false, MaxConnectionsPerServer = 64 })
            { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var interval = TimeSpan.FromSeconds(60.0 / 50);
        var started = Stopwatch.GetTimestamp();
        var tasks = new List<Task<FormPost>>();
        Console.Error.WriteLine($"public form: {posts} posts at 50/min …");
        for (var n = 0; n < posts; n++)
        {
            var at = started + (long)(n * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var k = n;
            tasks.Add(Task.Run(() => PostOnceAsync(http, k)));
        }
        var results = await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var ok = results.Count(r => r.Status == 200 && r.Receipt);
        Console.WriteLine();
        Console.WriteLine(Invariant($"{engine}, public appeal form: {posts} posts, one every {interval.TotalSeconds:0.0} s (open loop, 50/min), each from its own X-Forwarded-For address, {elapsed.TotalSeconds:0} s, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        Console.WriteLine();
        Console.WriteLine("| Step | p50 (ms) | p99 (ms) | max (ms) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (label, pick) in new (string, Func<FormPost, double>)[]
                 { ("GET /public/appeal (page, token, challenge)", r => r.GetMs), ("proof of work in the bench (16 bits)", r => r.SolveMs), ("POST /public/appeal (filed, receipt shown)", r => r.PostMs) })
        {
            var v = results.Select(pick).Order().ToArray();
            Console.WriteLine(Invariant($"| {label} | {Pct(v, 0.5):0.0} | {Pct(v, 0.99):0.0} | {v[^1]:0.0} |"));
        }
        Console.WriteLine();
        Console.WriteLine(Invariant($"posts filed with a receipt: {ok} of {posts}; 429: {results.Count(r => r.Status == 429)}; other failures: {posts - ok - results.Count(r => r.Status == 429)}"));
        foreach (var bad in results.Where(r => !(r.Status == 200 && r.Receipt)).Take(5))
            Console.WriteLine(Invariant($"  post {bad.N} from {bad.Address}: {bad.Status} {bad.Error}"));
        return ok == posts ? 0 : 1;
    }

    static double Pct(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    static readonly Regex Antiforgery = new("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"", RegexOptions.Compiled);
    static readonly Regex Challenge = new("name=\"challenge\" value=\"([^\"]+)\"", RegexOptions.Compiled);
    static readonly Regex Difficulty = new("data-difficulty=\"(\\d+)\"", RegexOptions.Compiled);
    static readonly Regex Topic = new("<select id=\"topic\"[^>]*>\\s*<option value=\"\">[^<]*</option>\\s*<option value=\"([^\"]+)\"", RegexOptions.Compiled);
    static readonly Regex Place = new("<option value=\"([0-9a-fA-F-]{36})\"", RegexOptions.Compiled);

    static async Task<FormPost> PostOnceAsync(HttpClient http, int n)
    {
        var address = Invariant($"10.77.{n / 250}.{n % 250 + 1}");
        double getMs = 0, solveMs = 0;
        try
        {
            var t0 = Stopwatch.GetTimestamp();
            using var get = new HttpRequestMessage(HttpMethod.Get, "/public/appeal");
            get.Headers.Add("X-Forwarded-For", address);
            using var page = await http.SendAsync(get);
            var html = await page.Content.ReadAsStringAsync();
            getMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (page.StatusCode != HttpStatusCode.OK) return new(n, address, getMs, 0, 0, (int)page.StatusCode, false, "GET failed");
            var cookies = string.Join("; ", page.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : []);
            var token = WebUtility.HtmlDecode(Challenge.Match(html).Groups[1].Value);

            var t1 = Stopwatch.GetTimestamp();
            var answer = ChallengeService.Solve(token, int.Parse(Difficulty.Match(html).Groups[1].Value, CultureInfo.InvariantCulture));
            solveMs = Stopwatch.GetElapsedTime(t1).TotalMilliseconds;

            using var form = new MultipartFormDataContent
            {
                { new StringContent("appeal"), "_handler" },
                { new StringContent(WebUtility.HtmlDecode(Antiforgery.Match(html).Groups[1].Value)), "__RequestVerificationToken" },
                { new StringContent(token), "challenge" },
                { new StringContent(answer), "challenge-answer" },
                { new StringContent(Topic.Match(html) is { Success: true } t ? t.Groups[1].Value : AppealNames.Topics[0].Key), "topic" },
                { new StringContent(Invariant($"压测诉求 {n}：小区门口路灯坏了很久，晚上出行不安全，希望尽快修复。")), "text" },
                { new StringContent(Place.Match(html).Groups[1].Value), "place" },
                { new StringContent("幸福路12号"), "address" },
                { new StringContent("王某"), "name" },
                { new StringContent(Invariant($"139{n:D8}")), "phone" },
            };
            using var post = new HttpRequestMessage(HttpMethod.Post, "/public/appeal") { Content = form };
            post.Headers.Add("X-Forwarded-For", address);
            if (cookies.Length > 0) post.Headers.Add("Cookie", cookies);
            var t2 = Stopwatch.GetTimestamp();
            using var res = await http.SendAsync(post);
            var body = await res.Content.ReadAsStringAsync();
            var postMs = Stopwatch.GetElapsedTime(t2).TotalMilliseconds;
            var receipt = body.Contains("data-testid=\"appeal-code\"", StringComparison.Ordinal);
            var error = receipt ? null : Regex.Match(body, "role=\"alert\">([^<]*)<").Groups[1].Value is { Length: > 0 } m ? m : body[..Math.Min(200, body.Length)];
            return new(n, address, getMs, solveMs, postMs, (int)res.StatusCode, receipt, error);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new(n, address, getMs, solveMs, double.PositiveInfinity, 0, false, e.Message);
        }
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
