using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shiliu.Bench;

/// <summary>
/// "screen-soak": the 大屏 left on for --minutes (120) with a refresh every --refresh seconds (1; a meeting room uses 60),
/// opened with a display key in Debian's headless Chromium at 1920 × 1080 on the demo county (its ledgers seeded, SQLite).
/// Once a minute it forces a garbage collection in the tab and samples the tab's JS heap, DOM nodes, event listeners and
/// ECharts instances, the renderer process's and the server's resident memory (/proc), and counts the figures calls the
/// tab made. The screen is a plain page polling one JSON endpoint, not a Blazor circuit, so the server side is the app
/// process itself. Memory must stay flat: the summary compares the first measured ten minutes with the last ten and fits
/// a line through every sample after the warm-up.
/// <para>
/// Chromium is started by hand and driven over its DevTools socket with the Page, Runtime, Performance, HeapProfiler and
/// SystemInfo domains only, as a wall display runs with no tool attached. Not Playwright: it enables the Network domain,
/// whose inspector keeps every response in the renderer, and the tab then grows ~5 MB a minute at a 1-second refresh
/// whatever the page does (measured 2026-12-07: the same page grew 204 → 236 MB in 7 minutes under Playwright and
/// 193 → 195 MB in 4 minutes without it).
/// </para>
/// </summary>
static class ScreenSoak
{
    const string Chromium = "/usr/bin/chromium";
    // The first minutes hold the demo ledger job and the JIT warming up; the trend is read from here on.
    const int WarmUpMinutes = 10;

    sealed record Sample(int Minute, int Calls, double HeapMb, int Nodes, int Listeners, int Charts, long TabRssMb, long ServerRssMb, string Status);

    public static async Task<int> RunAsync(Options o)
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"the soak drives Debian's Chromium at {Chromium}: apt-get install -y chromium fonts-noto-cjk");
        await using var app = await AppUnderTest.StartAsync(extraEnv: new Dictionary<string, string> { ["Shiliu__DemoLedgers"] = "true" });
        var county = await BenchData.CountyAsync(app.DbPath);
        var key = await BenchData.AddScreenAsync(app.DbPath, county, "压测大屏");

        var profile = Directory.CreateTempSubdirectory("shiliu-soak-chromium-").FullName;
        var port = AppUnderTest.FreePort();
        var psi = new ProcessStartInfo(Chromium) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        // --no-sandbox: run as root in a container; the rest keeps Chromium's own background work out of the figures.
        foreach (var a in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--lang=zh-CN", "--window-size=1920,1080", $"--remote-debugging-port={port}", $"--user-data-dir={profile}",
                     // The link the office opens on the screen's browser; the key becomes a cookie and leaves the address bar.
                     $"{app.BaseUrl}/screen/open?key={key}" })
            psi.ArgumentList.Add(a);
        psi.Environment["TZ"] = "Asia/Shanghai";
        using var chrome = Process.Start(psi)!;
        chrome.OutputDataReceived += (_, _) => { };
        chrome.ErrorDataReceived += (_, _) => { };
        chrome.BeginOutputReadLine();
        chrome.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var (pageUrl, browserUrl) = await DevToolsAsync(http);
            await using var page = await Cdp.ConnectAsync(pageUrl);
            await using var browser = await Cdp.ConnectAsync(browserUrl);
            await WaitForAsync(page, "location.pathname === '/screen/display'", "the key did not open the screen");
            await page.SendAsync("Page.navigate", new JsonObject { ["url"] = $"{app.BaseUrl}/screen/display?refresh={o.Refresh}" });
            await WaitForAsync(page, "!!document.querySelector('#sc-chart svg')", "the screen drew no chart");
            await page.SendAsync("Performance.enable");
            var version = (await browser.SendAsync("Browser.getVersion")).GetProperty("product").GetString();

            var started = DateTime.UtcNow;
            Console.WriteLine(Invariant($"大屏 soak: {o.Minutes} min, refresh every {o.Refresh} s, SQLite demo county, {version} driven over DevTools without the Network domain, started {started:yyyy-MM-dd HH:mm} UTC"));
            Console.WriteLine();
            Console.WriteLine("| Minute | Figures calls | JS heap after GC (MB) | DOM nodes | Listeners | ECharts instances | Tab renderer RSS (MB) | Server RSS (MB) | Status line |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            var samples = new List<Sample>();
            var clock = Stopwatch.StartNew();
            var calls = 0;
            for (var minute = 0; minute <= o.Minutes; minute++)
            {
                var due = TimeSpan.FromMinutes(minute) - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
                var s = await SampleAsync(page, browser, minute, calls, app.Pid);
                calls = s.Calls;
                samples.Add(s);
                Console.WriteLine(Invariant($"| {s.Minute} | {s.Calls} | {s.HeapMb:0.00} | {s.Nodes} | {s.Listeners} | {s.Charts} | {s.TabRssMb} | {s.ServerRssMb} | {s.Status} |"));
            }

            Console.WriteLine();
            var measured = samples.Where(s => s.Minute >= Math.Min(WarmUpMinutes, o.Minutes / 2)).ToList();
            var first = measured.Take(10).ToList();
            var last = measured.TakeLast(10).ToList();
            // A call is made one refresh after the last one's drawing: a little under one per refresh.
            var expected = clock.Elapsed.TotalSeconds / o.Refresh;
            var stale = samples.Count(s => !s.Status.StartsWith("数据更新于", StringComparison.Ordinal));
            Console.WriteLine(Invariant($"{calls} figures calls in {clock.Elapsed.TotalMinutes:0} min ({calls / expected:P0} of one per {o.Refresh} s); {stale} samples whose status line was not “数据更新于…”"));
            Console.WriteLine();
            Console.WriteLine("| Measure | Mean, first 10 measured min | Mean, last 10 min | Change | Fitted slope per hour | Max |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            Row("JS heap after GC (MB)", s => s.HeapMb, "0.00");
            Row("DOM nodes", s => s.Nodes, "0");
            Row("Event listeners", s => s.Listeners, "0");
            Row("ECharts instances", s => s.Charts, "0");
            Row("Tab renderer RSS (MB)", s => s.TabRssMb, "0");
            Row("Server RSS (MB)", s => s.ServerRssMb, "0");
            return stale == 0 && calls >= 0.8 * expected ? 0 : 1;

            void Row(string name, Func<Sample, double> f, string format)
            {
                double a = first.Average(f), b = last.Average(f);
                var change = a == 0 ? 0 : (b - a) / a * 100;
                Console.WriteLine(Invariant($"| {name} | {a.ToString(format, CultureInfo.InvariantCulture)} | {b.ToString(format, CultureInfo.InvariantCulture)} | {change:+0.0;-0.0;0.0} % | {Slope(measured, f) * 60:+0.00;-0.00;0.00} | {measured.Max(f).ToString(format, CultureInfo.InvariantCulture)} |"));
            }
        }
        finally
        {
            if (!chrome.HasExited) chrome.Kill(entireProcessTree: true);
            await chrome.WaitForExitAsync();
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { /* Chromium's last writes; the temp folder is cleared anyway */ }
        }
    }

    static async Task<Sample> SampleAsync(Cdp page, Cdp browser, int minute, int calls, int serverPid)
    {
        // Retained memory, not garbage waiting for the next collection.
        await page.SendAsync("HeapProfiler.collectGarbage");
        var metrics = (await page.SendAsync("Performance.getMetrics")).GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        // The figures calls since the last sample, from the page's own resource timings, then cleared (at most 60 a minute
        // at a 1-second refresh, under the browser's 250-entry buffer).
        var made = await EvaluateAsync(page, "(() => { const n = performance.getEntriesByType('resource').filter(e => e.name.includes('/screen/figures')).length; performance.clearResourceTimings(); return n; })()");
        var charts = await EvaluateAsync(page, "document.querySelectorAll('[_echarts_instance_]').length");
        var status = await EvaluateAsync(page, "document.getElementById('sc-status').textContent");
        return new Sample(minute, calls + made.GetInt32(), metrics["JSHeapUsedSize"] / 1048576.0, (int)metrics["Nodes"], (int)metrics["JSEventListeners"],
            charts.GetInt32(), await RendererRssMbAsync(browser), Memory.Of(serverPid).RssMb, status.GetString() ?? "");
    }

    /// <summary>
    /// The largest renderer of this browser (the tab; a spare renderer is smaller), by the process ids the browser itself
    /// reports: other Chromiums on the machine (a test run beside the soak) are not counted.
    /// </summary>
    static async Task<long> RendererRssMbAsync(Cdp browser)
    {
        var info = (await browser.SendAsync("SystemInfo.getProcessInfo")).GetProperty("processInfo");
        long max = 0;
        foreach (var p in info.EnumerateArray().Where(p => p.GetProperty("type").GetString() == "renderer"))
        {
            try
            {
                max = Math.Max(max, Memory.Of(p.GetProperty("id").GetInt32()).RssMb);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone between the listing and the read.
            }
        }
        return max;
    }

    static async Task<JsonElement> EvaluateAsync(Cdp page, string expression)
    {
        var r = await page.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (r.TryGetProperty("exceptionDetails", out var x)) throw new InvalidOperationException($"{expression}: {x}");
        return r.GetProperty("result").GetProperty("value");
    }

    static async Task WaitForAsync(Cdp page, string condition, string failure)
    {
        for (var i = 0; i < 120; i++)
        {
            var r = await page.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = condition, ["returnByValue"] = true });
            if (r.GetProperty("result").TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.True) return;
            await Task.Delay(500);
        }
        throw new InvalidOperationException(failure);
    }

    /// <summary>The page's and the browser's DevTools socket addresses, once Chromium listens.</summary>
    static async Task<(Uri Page, Uri Browser)> DevToolsAsync(HttpClient http)
    {
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var list = JsonDocument.Parse(await http.GetStringAsync("/json/list"));
                using var version = JsonDocument.Parse(await http.GetStringAsync("/json/version"));
                var page = list.RootElement.EnumerateArray().FirstOrDefault(t => t.GetProperty("type").GetString() == "page");
                if (page.ValueKind == JsonValueKind.Object)
                    return (new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), new Uri(version.RootElement.GetProperty("webSocketDebuggerUrl").GetString()!));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("Chromium's DevTools socket did not open");
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

    /// <summary>One DevTools socket: commands answered by id; the events it is sent (none are enabled but Performance's) are dropped.</summary>
    sealed class Cdp : IAsyncDisposable
    {
        readonly ClientWebSocket socket = new();
        readonly Dictionary<int, TaskCompletionSource<JsonElement>> waiting = [];
        readonly CancellationTokenSource stop = new();
        Task reader = Task.CompletedTask;
        int next;

        public static async Task<Cdp> ConnectAsync(Uri url)
        {
            var cdp = new Cdp();
            cdp.socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
            await cdp.socket.ConnectAsync(url, CancellationToken.None);
            cdp.reader = Task.Run(cdp.ReadAsync);
            return cdp;
        }

        public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
        {
            var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            int id;
            lock (waiting)
            {
                id = ++next;
                waiting[id] = tcs;
            }
            var text = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() }.ToJsonString();
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
            return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }

        async Task ReadAsync()
        {
            var buffer = new byte[1 << 16];
            using var message = new MemoryStream();
            while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                var r = await socket.ReceiveAsync(buffer, stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                using (var doc = JsonDocument.Parse(message.ToArray()))
                {
                    if (doc.RootElement.TryGetProperty("id", out var idElement))
                    {
                        TaskCompletionSource<JsonElement>? tcs;
                        lock (waiting)
                            waiting.Remove(idElement.GetInt32(), out tcs);
                        if (doc.RootElement.TryGetProperty("error", out var error)) tcs?.TrySetException(new InvalidOperationException(error.ToString()));
                        else tcs?.TrySetResult(doc.RootElement.GetProperty("result").Clone());
                    }
                }
                message.SetLength(0);
            }
        }

        public async ValueTask DisposeAsync()
        {
            stop.Cancel();
            try
            {
                if (socket.State == WebSocketState.Open) await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                await reader;
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                // The browser is going away with us.
            }
            socket.Dispose();
            stop.Dispose();
        }
    }
}
