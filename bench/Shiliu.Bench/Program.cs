using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Shiliu.Bench;

/// <summary>
/// Scenario load benchmark: starts the built web app on 127.0.0.1 with a throwaway SQLite database,
/// grows the org tree to province scale, and measures a few read paths under concurrent load.
/// </summary>
public static class BenchProgram
{
    static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> Main(string[] args)
    {
        if (!Options.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Shiliu.Bench -- [--seconds 15] [--concurrency 32] [--units 100000]");
            return 2;
        }

        await using var app = await AppUnderTest.StartAsync();
        var county = await BenchData.CountyAsync(app.DbPath);
        var townships = await BenchData.AddOrgUnitsAsync(app.DbPath, county, options.Units);
        var token = await BenchData.AddTokenAsync(app.DbPath, "county");
        Console.WriteLine(Invariant($"app ready at {app.BaseUrl}; {await BenchData.CountOrgUnitsAsync(app.DbPath)} org units ({options.Units} added, {townships} extra townships)"));

        // Cookies off: every login-page hit is a fresh anonymous visitor; redirects off: a redirect is an error here.
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
        })
        { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };

        Scenario[] scenarios =
        [
            new("GET /account/login (anonymous SSR)", "/account/login", null),
            new("GET /api/v1/org-units (roots)", "/api/v1/org-units", token),
            new("GET /api/v1/org-units?parentId=county", $"/api/v1/org-units?parentId={county.Id}", token),
        ];

        await CheckAsync(http, new Scenario("GET /api/v1/me", "/api/v1/me", token), expectedRows: null);
        await CheckAsync(http, scenarios[0], expectedRows: null);
        await CheckAsync(http, scenarios[1], expectedRows: 1);
        await CheckAsync(http, scenarios[2], expectedRows: 12 + townships);

        var results = new List<LoadResult>();
        foreach (var s in scenarios)
        {
            Console.Error.WriteLine($"running {s.Name} …");
            await LoadRunner.RunAsync(http, s, WarmUp, options.Concurrency);
            results.Add(await LoadRunner.RunAsync(http, s, TimeSpan.FromSeconds(options.Seconds), options.Concurrency));
        }

        Console.WriteLine();
        Console.WriteLine(Invariant($"{options.Seconds} s per scenario after {WarmUp.TotalSeconds:0} s warm-up, {options.Concurrency} concurrent workers, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        Console.WriteLine();
        Console.WriteLine("| Scenario | Requests/s | p50 (ms) | p99 (ms) | max (ms) | Errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(Invariant($"| {r.Scenario} | {r.RequestsPerSecond:0} | {r.Percentile(0.50):0.0} | {r.Percentile(0.99):0.0} | {r.MaxMs:0.0} | {r.Errors} |"));
        return results.Sum(r => r.Errors) == 0 ? 0 : 1;
    }

    /// <summary>Fails fast, before any load, if a scenario does not answer as expected (bad token, wrong tree).</summary>
    static async Task CheckAsync(HttpClient http, Scenario s, int? expectedRows)
    {
        using var req = s.Request();
        using var res = await http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        if (res.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{s.Path} returned {(int)res.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        if (expectedRows is { } n)
        {
            using var json = JsonDocument.Parse(body);
            var rows = json.RootElement.GetArrayLength();
            if (rows != n) throw new InvalidOperationException($"{s.Path} returned {rows} rows, expected {n}");
        }
        Console.WriteLine(Invariant($"check {s.Path}: 200, {body.Length} chars"));
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

sealed record Options(int Seconds, int Concurrency, int Units)
{
    public static bool TryParse(string[] args, out Options options, out string error)
    {
        options = new Options(15, 32, 100_000);
        error = "";
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                error = $"missing or invalid value for {args[i]}";
                return false;
            }
            switch (args[i])
            {
                case "--seconds" when v is >= 1 and <= 3600: options = options with { Seconds = v }; break;
                case "--concurrency" when v is >= 1 and <= 1024: options = options with { Concurrency = v }; break;
                case "--units" when v <= 1_000_000: options = options with { Units = v }; break;
                default:
                    error = $"unknown option or out-of-range value: {args[i]} {args[i + 1]}";
                    return false;
            }
        }
        return true;
    }
}
