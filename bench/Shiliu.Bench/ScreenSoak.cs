using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Shiliu.Bench;

/// <summary>
/// "screen-soak": the 大屏 left on for --minutes (120) with a refresh every --refresh seconds (1; a meeting room uses 60),
/// opened with a display key in Debian's headless Chromium at 1920 × 1080 on the demo county (its ledgers seeded, SQLite).
/// Once a minute it forces a garbage collection in the tab and samples the tab's JS heap, DOM nodes, event listeners and
/// ECharts instances (Chrome DevTools Protocol), the renderer process's and the server's resident memory (/proc), and
/// counts the figures calls answered. The screen is a plain page polling one JSON endpoint, not a Blazor circuit, so the
/// server side is the app process itself. Memory must stay flat: the summary compares the first measured ten minutes with
/// the last ten and fits a line through every sample after the warm-up.
/// </summary>
static class ScreenSoak
{
    const string Chromium = "/usr/bin/chromium";
    // The first minutes hold the demo ledger job and the JIT warming up; the trend is read from here on.
    const int WarmUpMinutes = 10;

    sealed record Sample(int Minute, int Calls, int Failed, double HeapMb, int Nodes, int Listeners, int Charts, long TabRssMb, long ServerRssMb, string Status);

    public static async Task<int> RunAsync(Options o)
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"the soak drives Debian's Chromium at {Chromium}: apt-get install -y chromium fonts-noto-cjk");
        await using var app = await AppUnderTest.StartAsync(extraEnv: new Dictionary<string, string> { ["Shiliu__DemoLedgers"] = "true" });
        var county = await BenchData.CountyAsync(app.DbPath);
        var key = await BenchData.AddScreenAsync(app.DbPath, county, "压测大屏");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // --no-sandbox: run as root in a container; the rest keeps Chromium's own background work out of the figures.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl, ViewportSize = new ViewportSize { Width = 1920, Height = 1080 }, Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        int calls = 0, failed = 0, pageErrors = 0;
        page.Response += (_, r) =>
        {
            if (!r.Url.Contains("/screen/figures", StringComparison.Ordinal)) return;
            if (r.Status == 200) Interlocked.Increment(ref calls);
            else Interlocked.Increment(ref failed);
        };
        page.PageError += (_, e) =>
        {
            Interlocked.Increment(ref pageErrors);
            Console.Error.WriteLine($"page error: {e}");
        };
        // The link the office opens on the screen's browser; the key becomes a cookie and leaves the address bar.
        await page.GotoAsync($"/screen/open?key={key}");
        if (!page.Url.EndsWith("/screen/display", StringComparison.Ordinal)) throw new InvalidOperationException($"the key did not open the screen: {page.Url}");
        await page.GotoAsync($"/screen/display?refresh={o.Refresh}");
        await page.Locator("#sc-chart svg").First.WaitForAsync(new() { Timeout = 60_000 });
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");

        var started = DateTime.UtcNow;
        Console.WriteLine(Invariant($"大屏 soak: {o.Minutes} min, refresh every {o.Refresh} s, SQLite demo county, Chromium {browser.Version}, started {started:yyyy-MM-dd HH:mm} UTC"));
        Console.WriteLine();
        Console.WriteLine("| Minute | Figures calls (failed) | JS heap after GC (MB) | DOM nodes | Listeners | ECharts instances | Tab renderer RSS (MB) | Server RSS (MB) | Status line |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        for (var minute = 0; minute <= o.Minutes; minute++)
        {
            var due = TimeSpan.FromMinutes(minute) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var s = await SampleAsync(page, cdp, minute, calls, failed, app.Pid);
            samples.Add(s);
            Console.WriteLine(Invariant($"| {s.Minute} | {s.Calls} ({s.Failed}) | {s.HeapMb:0.00} | {s.Nodes} | {s.Listeners} | {s.Charts} | {s.TabRssMb} | {s.ServerRssMb} | {s.Status} |"));
        }

        Console.WriteLine();
        var measured = samples.Where(s => s.Minute >= Math.Min(WarmUpMinutes, o.Minutes / 2)).ToList();
        var first = measured.Take(10).ToList();
        var last = measured.TakeLast(10).ToList();
        Console.WriteLine(Invariant($"{calls} figures calls answered, {failed} failed, {pageErrors} page errors, in {clock.Elapsed.TotalMinutes:0} min"));
        Console.WriteLine();
        Console.WriteLine("| Measure | Mean, first 10 measured min | Mean, last 10 min | Change | Fitted slope per hour | Max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("JS heap after GC (MB)", s => s.HeapMb, "0.00");
        Row("DOM nodes", s => s.Nodes, "0");
        Row("Event listeners", s => s.Listeners, "0");
        Row("ECharts instances", s => s.Charts, "0");
        Row("Tab renderer RSS (MB)", s => s.TabRssMb, "0");
        Row("Server RSS (MB)", s => s.ServerRssMb, "0");
        return failed == 0 && pageErrors == 0 ? 0 : 1;

        void Row(string name, Func<Sample, double> f, string format)
        {
            double a = first.Average(f), b = last.Average(f);
            var change = a == 0 ? 0 : (b - a) / a * 100;
            Console.WriteLine(Invariant($"| {name} | {a.ToString(format, CultureInfo.InvariantCulture)} | {b.ToString(format, CultureInfo.InvariantCulture)} | {change:+0.0;-0.0;0.0} % | {Slope(measured, f) * 60:+0.00;-0.00;0.00} | {measured.Max(f).ToString(format, CultureInfo.InvariantCulture)} |"));
        }
    }

    static async Task<Sample> SampleAsync(IPage page, ICDPSession cdp, int minute, int calls, int failed, int serverPid)
    {
        // Retained memory, not garbage waiting for the next collection.
        await cdp.SendAsync("HeapProfiler.collectGarbage");
        var metrics = (await cdp.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        var charts = await page.Locator("[_echarts_instance_]").CountAsync();
        var status = await page.Locator("#sc-status").InnerTextAsync();
        return new Sample(minute, calls, failed, metrics["JSHeapUsedSize"] / 1048576.0, (int)metrics["Nodes"], (int)metrics["JSEventListeners"], charts,
            RendererRssMb(), Memory.Of(serverPid).RssMb, status);
    }

    /// <summary>The largest Chromium renderer's resident memory: the one tab (a spare renderer, if any, is smaller).</summary>
    static long RendererRssMb()
    {
        long max = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (!cmd.Contains("chromium", StringComparison.Ordinal) || !cmd.Contains("--type=renderer", StringComparison.Ordinal)) continue;
                max = Math.Max(max, Memory.Of(pid).RssMb);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone between the listing and the read.
            }
        }
        return max;
    }

    /// <summary>Least-squares slope of the measure per minute.</summary>
    static double Slope(List<Sample> s, Func<Sample, double> f)
    {
        if (s.Count < 2) return 0;
        double mx = s.Average(x => x.Minute), my = s.Average(f);
        var num = s.Sum(x => (x.Minute - mx) * (f(x) - my));
        var den = s.Sum(x => (x.Minute - mx) * (x.Minute - mx));
        return den == 0 ? 0 : num / den;
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
