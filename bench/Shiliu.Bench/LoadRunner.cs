using System.Diagnostics;
using System.Net.Http.Headers;

namespace Shiliu.Bench;

/// <summary>One GET request, optionally with a personal access token.</summary>
sealed record Scenario(string Name, string Path, string? Token)
{
    public HttpRequestMessage Request()
    {
        var req = new HttpRequestMessage(HttpMethod.Get, Path);
        if (Token is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return req;
    }
}

/// <summary>Latencies are Stopwatch ticks, sorted; errors are non-2xx answers and transport failures.</summary>
sealed record LoadResult(string Scenario, long[] SortedTicks, int Errors, TimeSpan Elapsed)
{
    public double RequestsPerSecond => SortedTicks.Length / Elapsed.TotalSeconds;

    public double MaxMs => SortedTicks.Length == 0 ? double.NaN : Ms(SortedTicks[^1]);

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p) => SortedTicks.Length == 0
        ? double.NaN
        : Ms(SortedTicks[Math.Clamp((int)Math.Ceiling(p * SortedTicks.Length) - 1, 0, SortedTicks.Length - 1)]);

    static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Closed-loop load: each worker sends its next request as soon as the previous one is fully read.</summary>
static class LoadRunner
{
    /// <summary>Warm-up then a measured run per scenario, printed as the Markdown table the write-ups use; exit code 1 on errors.</summary>
    public static async Task<int> RunAllAsync(HttpClient http, IEnumerable<Scenario> scenarios, TimeSpan warmUp, TimeSpan measured, int concurrency, string heading)
    {
        var results = new List<LoadResult>();
        foreach (var s in scenarios)
        {
            Console.Error.WriteLine($"running {s.Name} …");
            await RunAsync(http, s, warmUp, concurrency);
            results.Add(await RunAsync(http, s, measured, concurrency));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{heading}{measured.TotalSeconds:0} s per scenario after {warmUp.TotalSeconds:0} s warm-up, {concurrency} concurrent workers, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        Console.WriteLine();
        Console.WriteLine("| Scenario | Requests/s | p50 (ms) | p99 (ms) | max (ms) | Errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.RequestsPerSecond:0} | {r.Percentile(0.50):0.0} | {r.Percentile(0.99):0.0} | {r.MaxMs:0.0} | {r.Errors} |"));
        return results.Sum(r => r.Errors) == 0 ? 0 : 1;
    }

    public static async Task<LoadResult> RunAsync(HttpClient http, Scenario scenario, TimeSpan duration, int concurrency)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(http, scenario, deadline)));
        var parts = await Task.WhenAll(workers);
        // Requests still in flight at the deadline finish and count, so the window ends when the last one does.
        var elapsed = Stopwatch.GetElapsedTime(started);
        var ticks = parts.SelectMany(p => p.Ticks).ToArray();
        Array.Sort(ticks);
        return new LoadResult(scenario.Name, ticks, parts.Sum(p => p.Errors), elapsed);
    }

    static async Task<(List<long> Ticks, int Errors)> WorkAsync(HttpClient http, Scenario scenario, long deadline)
    {
        var ticks = new List<long>(8192);
        var errors = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var req = scenario.Request();
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                // The default completion option buffers the whole body, so the latency includes the download.
                using var res = await http.SendAsync(req);
                ticks.Add(Stopwatch.GetTimestamp() - t0);
                if (!res.IsSuccessStatusCode) errors++;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                errors++;
            }
        }
        return (ticks, errors);
    }
}
