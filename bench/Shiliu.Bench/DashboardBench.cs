using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;

namespace Shiliu.Bench;

/// <summary>
/// "dashboard": a county with --residents residents on PostgreSQL (three tenths of them on SQLite: county size), --cases
/// service cases and --appeals appeals written straight into the database and counted by rebuild-statistics, then the
/// county's, a township's and a community's whole view (GET /api/v1/dashboard, one call per view) under load.
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
        Console.WriteLine(Invariant($"{name}: inserted {residents:N0} residents ({seconds:0.0} s), {o.Cases:N0} service cases and {o.Appeals:N0} appeals over {communities.Count} communities in {clock.Elapsed.TotalSeconds:0.0} s"));
        clock.Restart();
        var rebuilt = await app.VerbAsync("rebuild-statistics");
        Console.WriteLine(Invariant($"{name}: rebuild-statistics in {clock.Elapsed.TotalSeconds:0.0} s: {rebuilt}"));

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
        };
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
            Invariant($"{name}, {residents:N0} residents, {o.Cases:N0} service cases, {o.Appeals:N0} appeals, "));
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
