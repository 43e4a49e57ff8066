using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Shiliu.Bench;

/// <summary>
/// Scenario load benchmark: starts the built web app on 127.0.0.1 with a throwaway SQLite database, grows the org tree
/// to province scale and measures a few read paths under concurrent load ("org"); streams large files through the
/// evidence archive ("files"); fills the archive with 10^5 items and measures its list queries ("evidence"); fills the
/// honour roll with 26 years of awardees and measures the staff roll ("commendations").
/// </summary>
public static class BenchProgram
{
    static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> Main(string[] args)
    {
        if (!Options.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Shiliu.Bench -- [--seconds 15] [--concurrency 32] [--units 100000] " +
                                    "[--scenarios all|org,files,evidence,population,cases,commendations,assessment,questionnaires,dashboard,screen-soak] [--minutes 120] [--refresh 1] [--residents 1000000] [--evidence 100000] [--file-mb 200] [--runs 3] [--import-rows 100000] [--import-big 1000000] " +
                                    "[--cases 100000] [--appeals 10000] [--visits 300000] [--form-posts 50] [--awardees 20000] [--assessment-units 1000] [--responses 100000] [--engine sqlite|postgres|both]");
            return 2;
        }

        if (options.Run("screen-soak"))
        {
            var code = await ScreenSoak.RunAsync(options);
            if (options.Scenarios == "screen-soak") return code;
        }

        if (options.Run("dashboard"))
        {
            var code = await DashboardBench.RunAsync(options);
            if (options.Scenarios == "dashboard") return code;
        }

        if (options.Run("questionnaires"))
        {
            var code = await QuestionnaireBench.RunAsync(options);
            if (options.Scenarios == "questionnaires") return code;
        }

        if (options.Run("assessment"))
        {
            var code = await AssessmentBench.RunAsync(options);
            if (options.Scenarios == "assessment") return code;
        }

        if (options.Run("cases"))
        {
            var code = await CasesBench.RunAsync(options);
            if (options.Scenarios == "cases") return code;
        }

        if (options.Run("population"))
        {
            var code = await PopulationBench.RunAsync(options);
            if (options.Scenarios == "population") return code;
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

        var scenarios = new List<Scenario>();
        await CheckAsync(http, new Scenario("GET /api/v1/me", "/api/v1/me", token), expectedRows: null);
        if (options.Run("org"))
        {
            // The sign-in pages allow 20 requests a minute per address (429 beyond), so they cannot be load-tested from one
            // address: the anonymous SSR scenario uses /account/denied, a static page on the same account layout, and the
            // login page is only checked once.
            await CheckAsync(http, new Scenario("GET /account/login", "/account/login", null), expectedRows: null);
            scenarios.Add(new("GET /account/denied (anonymous SSR)", "/account/denied", null));
            scenarios.Add(new("GET /api/v1/org-units (roots)", "/api/v1/org-units", token));
            scenarios.Add(new("GET /api/v1/org-units?parentId=county", $"/api/v1/org-units?parentId={county.Id}", token));
            await CheckAsync(http, scenarios[0], expectedRows: null);
            await CheckAsync(http, scenarios[1], expectedRows: 1);
            await CheckAsync(http, scenarios[2], expectedRows: 12 + townships);
        }

        var communities = await EvidenceBench.CommunitiesAsync(app.DbPath);
        var counts = new EvidenceCounts();
        if (options.Run("files"))
        {
            // Large files go one at a time on their own client: a long timeout, and no competing load.
            using var files = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromMinutes(30) };
            var transfers = new List<TransferResult>();
            for (var run = 1; run <= options.Runs; run++)
            {
                // A new random file each run, so every upload is stored for real (the store keeps one copy per SHA-256).
                var video = EvidenceBench.MakeVideo(app.Dir, options.FileMb, run);
                var unit = communities[run % communities.Count];
                var (t, _) = await EvidenceBench.TransferAsync(files, token, unit.Id, video, 2018 + run, run, app.Pid);
                counts.Add(unit.Id, EvidenceBench.UploadCriterion);
                transfers.Add(t);
                File.Delete(video);
                Console.Error.WriteLine(Invariant($"file run {run}: up {t.UploadMBps:0.0} MB/s, down {t.DownloadMBps:0.0} MB/s"));
            }
            Console.WriteLine();
            Console.WriteLine(Invariant($"{options.FileMb} MB MP4-shaped random file: POST /api/v1/evidence (multipart, streamed from disk), then GET /api/v1/evidence/{{id}}/content?download=true read to the end, SHA-256 checked; server memory from /proc/{app.Pid}/status (VmRSS, VmHWM), max VmRSS sampled every 20 ms"));
            Console.WriteLine();
            Console.WriteLine("| Run | Upload (s) | Upload (MB/s) | Download (s) | Download (MB/s) | VmRSS before → after upload → after download (MB) | VmHWM before → after upload → after download (MB) | max sampled VmRSS upload / download (MB) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var t in transfers)
                Console.WriteLine(Invariant($"| {t.Run} | {t.UploadSeconds:0.00} | {t.UploadMBps:0.0} | {t.DownloadSeconds:0.00} | {t.DownloadMBps:0.0} | {t.Before.RssMb} → {t.AfterUpload.RssMb} → {t.AfterDownload.RssMb} | {t.Before.PeakMb} → {t.AfterUpload.PeakMb} → {t.AfterDownload.PeakMb} | {t.UploadMaxRssMb} / {t.DownloadMaxRssMb} |"));
            Console.WriteLine();
        }

        if (options.Run("evidence"))
        {
            if (counts.Total == 0)
            {
                // One real upload, so the row shapes the bench copies are checked against what the app writes.
                using var files = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
                var small = EvidenceBench.MakeVideo(app.Dir, 1, 0);
                await EvidenceBench.TransferAsync(files, token, communities[1 % communities.Count].Id, small, 2024, 0, app.Pid);
                counts.Add(communities[1 % communities.Count].Id, EvidenceBench.UploadCriterion);
                File.Delete(small);
            }
            Console.WriteLine($"row written by the app: {await EvidenceBench.CheckStoredShapeAsync(app.DbPath)}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await EvidenceBench.AddEvidenceAsync(app.DbPath, communities, options.Evidence, counts);
            Console.WriteLine(Invariant($"inserted {options.Evidence} evidence rows (+{options.Evidence} criterion links) over {communities.Count} demo communities in {clock.Elapsed.TotalSeconds:0.0} s; {counts.Total} items in the archive"));
            var one = communities[0];
            var deepPage = 2000;
            var lists = new (Scenario Scenario, int? Total)[]
            {
                (new("GET /api/v1/evidence?page=1&pageSize=24 (whole county)", "/api/v1/evidence?page=1&pageSize=24", token), counts.Total),
                (new("GET /api/v1/evidence?orgUnitId=<community>&page=1&pageSize=24", $"/api/v1/evidence?orgUnitId={one.Id}&page=1&pageSize=24", token), counts.OfUnit(one.Id)),
                (new("GET /api/v1/evidence?criterion=5&page=1&pageSize=24", "/api/v1/evidence?criterion=5&page=1&pageSize=24", token), counts.OfCriterion(5)),
                (new($"GET /api/v1/evidence?page={deepPage}&pageSize=24 (deep page)", $"/api/v1/evidence?page={deepPage}&pageSize=24", token), counts.Total),
                (new($"GET /api/v1/evidence?keyword={EvidenceBench.Keyword}&page=1&pageSize=24", $"/api/v1/evidence?keyword={Uri.EscapeDataString(EvidenceBench.Keyword)}&page=1&pageSize=24", token), counts.Tagged),
                (new("GET /api/v1/evidence/coverage?orgUnitId=<community>", $"/api/v1/evidence/coverage?orgUnitId={one.Id}", token), null),
            };
            foreach (var (s, total) in lists) await CheckTotalAsync(http, s, total);
            scenarios.AddRange(lists.Select(l => l.Scenario));
        }

        if (options.Run("commendations"))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var written = await CommendationsBench.AddAsync(app.DbPath, county.Id, communities, options.Awardees);
            Console.WriteLine(Invariant($"inserted {written} awardees in 26 decided calls over {communities.Count} demo communities in {clock.Elapsed.TotalSeconds:0.0} s"));
            var roll = new[]
            {
                new Scenario("GET /api/v1/commendations/roll (whole county, newest 1000)", "/api/v1/commendations/roll", token),
                new Scenario("GET /api/v1/commendations/roll?year=2020", "/api/v1/commendations/roll?year=2020", token),
            };
            foreach (var s in roll) await CheckAsync(http, s, expectedRows: null);
            scenarios.AddRange(roll);
        }

        return await LoadRunner.RunAllAsync(http, scenarios, WarmUp, TimeSpan.FromSeconds(options.Seconds), options.Concurrency, "");
    }

    /// <summary>
    /// Checks an evidence query answers 200 and, for a list, that its total is exactly what the bench put in the archive
    /// and that the page holds as many rows as that total leaves for it.
    /// </summary>
    static async Task CheckTotalAsync(HttpClient http, Scenario s, int? expectedTotal)
    {
        using var req = s.Request();
        using var res = await http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        if (res.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{s.Path} returned {(int)res.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        if (expectedTotal is not { } expected)
        {
            Console.WriteLine(Invariant($"check {s.Path}: 200, {body.Length} chars"));
            return;
        }
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var total = root.GetProperty("total").GetInt32();
        var rows = root.GetProperty("rows").GetArrayLength();
        var page = root.GetProperty("page").GetInt32();
        var size = root.GetProperty("pageSize").GetInt32();
        var expectedRows = Math.Clamp(expected - (page - 1) * size, 0, size);
        if (total != expected || rows != expectedRows)
            throw new InvalidOperationException($"{s.Path} counts {total} with {rows} rows on page {page}; expected {expected} with {expectedRows} rows");
        Console.WriteLine(Invariant($"check {s.Path}: 200, total {total} as expected, {rows} rows, {body.Length} chars"));
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

sealed record Options(int Seconds, int Concurrency, int Units, int Evidence = 100_000, int FileMb = 200, int Runs = 3, string Scenarios = "org,files,evidence",
    int ImportRows = 100_000, int ImportBig = 1_000_000, int Cases = 100_000, int Appeals = 10_000, int FormPosts = 50, string Engine = "both",
    int Awardees = 20_000, int AssessmentUnits = 1000, int Responses = 100_000, int Residents = 1_000_000, int Minutes = 120, int Refresh = 1, int Visits = 300_000)
{
    public static readonly string[] Known = ["org", "files", "evidence", "population", "cases", "commendations", "assessment", "questionnaires", "dashboard", "screen-soak"];

    public bool Run(string scenario) => Scenarios.Split(',').Contains(scenario);

    public static bool TryParse(string[] args, out Options options, out string error)
    {
        options = new Options(15, 32, 100_000);
        error = "";
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--scenarios" && i + 1 < args.Length)
            {
                // "all" leaves out the soak: it runs for hours and measures memory, not speed.
                var list = args[i + 1] == "all" ? Known.Where(k => k != "screen-soak").ToArray() : args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (list.Length == 0 || list.Any(x => !Known.Contains(x)))
                {
                    error = $"unknown scenario in --scenarios {args[i + 1]}; known: all, {string.Join(",", Known)}";
                    return false;
                }
                options = options with { Scenarios = string.Join(',', list) };
                continue;
            }
            if (args[i] == "--engine" && i + 1 < args.Length)
            {
                if (args[i + 1] is not ("sqlite" or "postgres" or "both"))
                {
                    error = $"--engine takes sqlite, postgres or both, not {args[i + 1]}";
                    return false;
                }
                options = options with { Engine = args[i + 1] };
                continue;
            }
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
                case "--evidence" when v <= 10_000_000: options = options with { Evidence = v }; break;
                case "--file-mb" when v is >= 1 and <= 1000: options = options with { FileMb = v }; break;
                case "--runs" when v is >= 1 and <= 20: options = options with { Runs = v }; break;
                case "--import-rows" when v is >= 100 and <= 1_048_575: options = options with { ImportRows = v }; break;
                case "--residents" when v is >= 1 and <= 10_000_000: options = options with { Residents = v }; break;
                case "--cases" when v is >= 1 and <= 10_000_000: options = options with { Cases = v }; break;
                case "--responses" when v is >= 1 and <= 10_000_000: options = options with { Responses = v }; break;
                case "--appeals" when v is >= 1 and <= 10_000_000: options = options with { Appeals = v }; break;
                case "--visits" when v is >= 1 and <= 10_000_000: options = options with { Visits = v }; break;
                case "--form-posts" when v <= 10_000: options = options with { FormPosts = v }; break;
                case "--awardees" when v is >= 26 and <= 10_000_000: options = options with { Awardees = v }; break;
                case "--assessment-units" when v is >= 2 and <= 100_000: options = options with { AssessmentUnits = v }; break;
                case "--minutes" when v is >= 1 and <= 24 * 60: options = options with { Minutes = v }; break;
                case "--refresh" when v is >= 1 and <= 3600: options = options with { Refresh = v }; break;
                case "--import-big" when v is >= 100 and <= 1_048_575: options = options with { ImportBig = v }; break;
                default:
                    error = $"unknown option or out-of-range value: {args[i]} {args[i + 1]}";
                    return false;
            }
        }
        return true;
    }
}
