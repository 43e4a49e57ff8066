using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.Core.Accounts;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Shiliu.E2E.Infrastructure;

/// <summary>
/// What every browser journey shares: signing in as a person does, and one screenshot per step in
/// screenshots/&lt;journey&gt;/ beside the test assembly, for a person to look at.
/// </summary>
public abstract class Journey
{
    readonly ITestOutputHelper _output;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    int _shot;

    protected Journey(ITestOutputHelper output, string name)
    {
        _output = output;
        ShotDir = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        // Old pictures from an earlier run would pass for this run's in a review.
        if (Directory.Exists(ShotDir)) Directory.Delete(ShotDir, recursive: true);
        Directory.CreateDirectory(ShotDir);
    }

    protected string ShotDir { get; }

    /// <summary>A clock the journey moves itself (weeks pass between steps); none: the real one.</summary>
    protected virtual Microsoft.Extensions.Time.Testing.FakeTimeProvider? AppClock => null;

    /// <summary>
    /// One journey: a fresh app and browser page of the given size, the steps, and on failure a picture of where it stopped.
    /// </summary>
    protected Task RunAsync(int width, int height, Func<IPage, BrowserSession, CircuitWatch, Task> steps) =>
        RunAsync(width, height, (page, browser, circuit, _) => steps(page, browser, circuit));

    /// <summary>As above, with the running app at hand for preparing data through its services.</summary>
    protected async Task RunAsync(int width, int height, Func<IPage, BrowserSession, CircuitWatch, LiveApp, Task> steps)
    {
        await using var browser = await BrowserSession.LaunchAsync();
        await using var live = await LiveApp.StartAsync(AppClock);
        var page = await browser.NewPageAsync(live.BaseAddress, width, height);
        try
        {
            await steps(page, browser, new CircuitWatch(page), live);
        }
        catch
        {
            await TryShotAsync(page, "failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    protected static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    protected static async Task SignInAsync(IPage page, string userName, string password)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "账号登录" })).ToBeVisibleAsync();
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^登\s*录$") }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"));
    }

    /// <summary>Does what a person does with an authenticator app: types the shown key in, reads back the current code.</summary>
    protected static async Task EnrolTotpAsync(IPage page)
    {
        var shown = await page.GetByTestId("totp-key").InnerTextAsync();
        var secret = string.Concat(shown.Where(c => !char.IsWhiteSpace(c)));
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        var code = Totp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow));
        await page.GetByLabel("验证器显示的 6 位动态口令").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "完成绑定" }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/totp-setup"));
    }

    /// <summary>
    /// One picture per step; a page error anywhere before it fails the journey at that step, and so does a critical or
    /// serious accessibility violation (axe, WCAG 2.1 A/AA) on the page as pictured.
    /// </summary>
    protected async Task ShotAsync(IPage page, BrowserSession browser, string step, bool scan = true)
    {
        var file = Path.Combine(ShotDir, $"{++_shot:D2}-{step}.png");
        await SettleAsync(page);
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        Log($"{Path.GetFileName(file)} ({page.Url})");
        Assert.True(browser.PageErrors.Count == 0, $"page error(s) by step '{step}':\n{string.Join("\n", browser.PageErrors)}");
        if (scan) await Axe.AssertCleanAsync(page, $"step '{step}'", Path.Combine(ShotDir, "axe.tsv"));
    }

    /// <summary>
    /// Lets finite CSS transitions (the sider folding, a dialog zooming in) end, so a picture shows the page at rest, and
    /// lets an interactive page's circuit render it and its title (axe scanned the gap before that once and found no title).
    /// </summary>
    static async Task SettleAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync(
                $"() => {Axe.TitledAndLive} && document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
                null, new() { Timeout = 3_000 });
        }
        catch (TimeoutException)
        {
            // A page that never settles is still worth a picture; the assertions, not this wait, judge it.
        }
    }

    protected async Task TryShotAsync(IPage page, string step)
    {
        try
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(ShotDir, $"{++_shot:D2}-{step}.png"), FullPage = true });
        }
        catch (PlaywrightException e)
        {
            // The page may be what broke; the original failure matters more than this picture.
            Log($"no {step} screenshot: {e.Message}");
        }
    }

    protected void Log(string message) => _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1} s] {message}");
}
