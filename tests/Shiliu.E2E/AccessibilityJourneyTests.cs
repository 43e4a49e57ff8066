using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shiliu.E2E;

/// <summary>
/// What the bureau's acceptance testers do: axe-core at WCAG 2.1 A/AA over every page in a county officer's menu and
/// every page the public sees, on an office PC and on a 320-px-wide phone (where nothing may need the page itself to
/// scroll sideways: WCAG 1.4.10). Each page's counts go to axe-survey.txt beside the screenshots.
/// </summary>
public sealed class AccessibilityJourneyTests(ITestOutputHelper output) : Journey(output, "accessibility")
{
    static readonly string[] PublicPages = ["/public", "/public/appeal", "/public/appeal/lookup", "/public/guide", "/account/login"];

    // Names the innermost elements whose right edge passes the window's, for the failure message.
    const string OverflowingJs = """
        () => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && e.getClientRects().length > 0)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
            .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`).join(', ')
        """;

    // The API reference (Scalar) is a third-party page in its own window, not ours to change.
    static readonly string[] NotOurs = ["/api/docs"];

    [Fact]
    public Task Every_menu_page_and_public_page_passes_axe_on_a_pc_and_reflows_at_320_px() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        var problems = new List<string>();
        await SurveyAsync(page, browser, circuit, 1366, 768, problems);
        await SignOutAsync(page);
        await page.SetViewportSizeAsync(320, 640);
        await SurveyAsync(page, browser, circuit, 320, 640, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    });

    async Task SurveyAsync(IPage page, BrowserSession browser, CircuitWatch circuit, int width, int height, List<string> problems)
    {
        var label = $"{width}px";
        var rows = new List<string> { $"axe WCAG 2.1 A/AA at {width}×{height}: page | critical | serious | moderate | minor | rules (elements)" };
        var details = new List<string>();

        async Task ScanAsync(string path, bool live = false)
        {
            var (failing, other) = await Axe.ScanAsync(page);
            if (live && failing.Count > 0)
            {
                // Seen now and then on this loaded machine, before these changes too: a page whose circuit start left
                // it without its <title> (and half attached). A fresh load tells that apart from a page that is wrong;
                // the first scan stays on record in the survey file.
                details.Add($"{path} (first load, loaded again)\n{Axe.Describe(failing, detailed: true)}");
                await page.GotoAsync(path);
                await LiveAsync();
                (failing, other) = await Axe.ScanAsync(page);
            }
            var all = failing.Concat(other).ToList();
            int Count(string impact) => all.Where(v => v.Impact == impact).Sum(v => v.Nodes.Length);
            rows.Add($"{path} | {Count("critical")} | {Count("serious")} | {Count("moderate")} | {Count("minor")} | " +
                string.Join(", ", all.Select(v => $"{v.Id}×{v.Nodes.Length}")));
            if (failing.Count > 0) problems.Add($"{path}:\n{Axe.Describe(failing)}");
            details.Add($"{path}\n{Axe.Describe(all, detailed: true)}");
            // Reflow: at 320 px the page itself must not scroll sideways; wide tables scroll inside their own box.
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            if (width <= 320 && overflow > 0)
                problems.Add($"{path}: the page is {overflow}px wider than the 320-px window; sticking out: {await page.EvaluateAsync<string>(OverflowingJs)}");
            await ShotAsync(page, browser, $"{label}{path.Replace('/', '-')}", scan: false);
        }

        // The layout enables the page's controls once the circuit has rendered it.
        async Task LiveAsync()
        {
            await circuit.WaitAsync();
            await Expect(page.Locator("fieldset.page-body")).ToBeEnabledAsync();
        }

        foreach (var path in PublicPages)
        {
            await page.GotoAsync(path);
            await ScanAsync(path);
        }

        await page.GotoAsync("/account/login");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        var menu = await page.Locator(".shell-sider a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        foreach (var path in menu.Where(p => !NotOurs.Contains(p)).Distinct())
        {
            await page.GotoAsync(path);
            await LiveAsync();
            await ScanAsync(path, live: true);
        }

        await File.WriteAllLinesAsync(Path.Combine(ShotDir, $"axe-survey-{label}.txt"), rows.Append("").Concat(details));
        foreach (var row in rows) Log(row);
    }
}

/// <summary>
/// 适老化 on the residents' pages: large text and high contrast switched on once stay on across pages and reloads,
/// with and without script, and every control a resident taps is at least 44 × 44 px.
/// </summary>
public sealed class PublicDisplayJourneyTests(ITestOutputHelper output) : Journey(output, "public-display")
{
    [Fact]
    public Task A_resident_switches_on_large_text_and_high_contrast_and_they_stay_on() => RunAsync(390, 844, async (page, browser, circuit) =>
    {
        var html = page.Locator("html");
        await page.GotoAsync("/public/appeal");
        await page.GetByLabel("诉求内容（必填，2000字以内）").FillAsync("楼道灯坏了");
        await page.GetByRole(AriaRole.Button, new() { Name = "大字模式" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "高对比度" }).ClickAsync();
        await Expect(html).ToHaveClassAsync(new Regex(@"\btext-large\b.*\bcontrast-high\b|\bcontrast-high\b.*\btext-large\b"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "大字模式" })).ToHaveAttributeAsync("aria-pressed", "true");
        // Switched in place: what the resident had typed is still there.
        await Expect(page.GetByLabel("诉求内容（必填，2000字以内）")).ToHaveValueAsync("楼道灯坏了");
        // 17 px is the phone's normal size (18 px on a PC); large text is a quarter bigger.
        Assert.Equal("21px", await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).fontSize"));
        await ShotAsync(page, browser, "appeal-large-contrast");
        await AssertTargetsAsync(page);

        // Kept on the next page and after a reload, rendered by the server (no flash of small text).
        await page.GotoAsync("/public/guide");
        await Expect(html).ToHaveClassAsync(new Regex(@"\bcontrast-high\b"));
        await Expect(html).ToHaveClassAsync(new Regex(@"\btext-large\b"));
        await ShotAsync(page, browser, "guide-large-contrast");
        await AssertTargetsAsync(page);

        // Without script the switch is a form post to the server, which answers with the page again.
        await page.EvaluateAsync("() => { const f = document.querySelector('form.pub-display'); f.requestSubmit(f.querySelector('button[value=contrast]')); }");
        await Expect(page).ToHaveURLAsync(new Regex("/public/guide$"));
        await Expect(html).Not.ToHaveClassAsync(new Regex(@"\bcontrast-high\b"));
        await Expect(html).ToHaveClassAsync(new Regex(@"\btext-large\b"));
        await ShotAsync(page, browser, "guide-large-only");

        foreach (var path in new[] { "/public", "/public/appeal/lookup" })
        {
            await page.GotoAsync(path);
            await ShotAsync(page, browser, $"large{path.Replace('/', '-')}");
            await AssertTargetsAsync(page);
        }
    });

    // 适老化: each control a resident taps is at least 44 × 44 px. A link inside a sentence is exempt (WCAG 2.5.8); a
    // radio button or check box counts by its label, which is what a finger hits.
    const string SmallTargetsJs = """
        () => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
            .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
            .filter(e => !(e.tagName === 'A' && [...e.parentElement.childNodes].some(n => n !== e && n.textContent.trim() !== '')))
            .map(e => (e.type === 'radio' || e.type === 'checkbox') && e.closest('label') ? e.closest('label') : e)
            .map(e => ({ e, r: e.getBoundingClientRect() }))
            .filter(x => x.r.width < 43.5 || x.r.height < 43.5)
            .map(x => `${x.e.tagName.toLowerCase()} "${(x.e.innerText || x.e.name || '').trim().slice(0, 20)}" ${Math.round(x.r.width)}×${Math.round(x.r.height)}`)
        """;

    static async Task AssertTargetsAsync(IPage page)
    {
        var small = await page.EvaluateAsync<string[]>(SmallTargetsJs);
        Assert.True(small.Length == 0, $"controls smaller than 44 × 44 px on {page.Url}: {string.Join("; ", small)}");
    }
}
