using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Shiliu.E2E.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright. The browser build Playwright would download cannot be fetched on these
/// machines, so the system package is used; page errors and console errors of every page are collected.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const float TimeoutMs = 15_000;

    static readonly string[] ChromiumArgs =
    [
        // --no-sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    readonly IPlaywright _playwright;
    readonly IBrowser _browser;
    readonly ConcurrentQueue<string> _pageErrors = new();
    readonly ConcurrentQueue<string> _consoleErrors = new();
    readonly ConcurrentQueue<string> _failedLoads = new();

    BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Uncaught exceptions in any page: each one fails the journey.</summary>
    public IReadOnlyCollection<string> PageErrors => _pageErrors;

    /// <summary>console.error output of any page: recorded for the report, not failed on.</summary>
    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    /// <summary>
    /// Responses that keep a page from working as built: errors, and stylesheets or scripts answered with a redirect
    /// (an auth or gate redirect there leaves the page unstyled without any page error). Recorded, not failed on.
    /// </summary>
    public IReadOnlyCollection<string> FailedLoads => _failedLoads;

    public static async Task<BrowserSession> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"The browser tests drive Debian's Chromium at {ChromiumPath}, which is missing. Install it (and CJK fonts) with: " +
                "apt-get update && apt-get install -y chromium fonts-noto-cjk");
        // Expect() waits 5 s by default; a circuit start on a loaded 2-core machine can take longer.
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            });
            return new BrowserSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a fresh browser context (own cookies), as a staff member in Yunnan would have it.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, int width, int height)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => _pageErrors.Enqueue($"{page.Url}: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _consoleErrors.Enqueue($"{page.Url}: {message.Text}");
        };
        page.Response += (_, response) =>
        {
            var type = response.Request.ResourceType;
            if (response.Status >= 400 || (response.Status is 301 or 302 or 303 or 307 or 308 && type is "stylesheet" or "script"))
                _failedLoads.Enqueue($"{page.Url}: {response.Status} {type} {response.Url} -> {response.Headers.GetValueOrDefault("location", "")}");
        };
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
