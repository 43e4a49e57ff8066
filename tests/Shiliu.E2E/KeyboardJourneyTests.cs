using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// A community clerk who cannot use a mouse: signs in, skips the menu, opens 工作信息 from the menu, writes a brief and
/// saves it, with Tab, Shift+Tab, Enter, Space and typing only. Every element that takes focus on the way must show it.
/// </summary>
public sealed class KeyboardJourneyTests(ITestOutputHelper output) : Journey(output, "keyboard")
{
    const string Title = "城中社区开展民族团结进步宣传月活动";

    // What a sighted keyboard user sees of the focused element: its name, and whether a focus ring is drawn.
    const string FocusedJs = """
        () => {
            const e = document.activeElement;
            if (!e || e === document.body) return { name: '', ring: false, tag: 'body' };
            const s = getComputedStyle(e);
            const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
            const name = (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText) || e.innerText || e.value || '').trim();
            return { name, ring, tag: e.tagName.toLowerCase() };
        }
        """;

    sealed class Focused
    {
        public string Name { get; set; } = "";
        public bool Ring { get; set; }
        public string Tag { get; set; } = "";
    }

    [Fact]
    public Task Community_clerk_writes_and_saves_a_brief_with_the_keyboard_only() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        await page.GotoAsync("/account/login");
        await TabToAsync(page, "用户名");
        await page.Keyboard.TypeAsync("community");
        await TabToAsync(page, "密码");
        await page.Keyboard.TypeAsync(Db.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"));
        await circuit.WaitAsync();
        await SettledFocusAsync(page);

        // The skip link is the first stop of the page (reached here backwards from the page heading, where the app
        // puts focus after each navigation); it shows when focused, and Enter moves focus past the menu.
        var skip = await TabToAsync(page, "跳到正文", backwards: true);
        Assert.Equal("a", skip.Tag);
        await Expect(page.Locator(".skip-link")).ToBeInViewportAsync();
        await ShotAsync(page, browser, "skip-link-shown");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.activeElement.id === 'main'");

        // Back into the menu (Shift+Tab walks backwards from the page) and open 工作信息.
        await TabToAsync(page, "工作信息", backwards: true);
        await ShotAsync(page, browser, "menu-item-focused");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/work-reports$"));
        await SettledFocusAsync(page);

        await TabToAsync(page, "撰写信息");
        var form = page.GetByLabel("标题");
        await PressUntilVisibleAsync(page, "Enter", form);
        await TabToAsync(page, "标题");
        await page.Keyboard.TypeAsync(Title);
        await TabToAsync(page, "正文（每段一行）");
        await page.Keyboard.TypeAsync("11月25日，城中社区在文化广场开展民族团结进步宣传月活动，各族居民300余人参加。");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("活动中发放双语宣传册500份。");
        await TabToAsync(page, "保存草稿");
        await ShotAsync(page, browser, "save-focused");
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator(".report-body")).ToContainTextAsync("发放双语宣传册500份");
        await Expect(page.Locator(".ind-title")).ToContainTextAsync(Title);
        await ShotAsync(page, browser, "brief-saved");
    });

    // Whether keyboard focus is inside the open dialog (AntDesign renders it in .ant-modal-wrap at the end of the body).
    const string FocusInDialogJs = "() => !!document.querySelector('.ant-modal-wrap .ant-modal')?.contains(document.activeElement)";

    /// <summary>
    /// A dialog opened from the keyboard takes focus, keeps it while Tab and Shift+Tab go round, closes with Escape and
    /// hands focus back to the button that opened it, so the clerk goes on from where they were.
    /// </summary>
    [Fact]
    public Task A_dialog_holds_focus_while_open_and_gives_it_back_when_closed() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        await page.GotoAsync("/org-units");
        await SignInAsync(page, "county", Db.DemoPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/org-units$"));
        await circuit.WaitAsync();
        await SettledFocusAsync(page);
        await TabToAsync(page, "桂山街道", prefix: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "新增下级单位" })).ToBeVisibleAsync();
        await TabToAsync(page, "新增下级单位");
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await page.WaitForFunctionAsync(FocusInDialogJs);

        var path = new List<string>();
        foreach (var key in Enumerable.Repeat("Tab", 12).Concat(Enumerable.Repeat("Shift+Tab", 12)))
        {
            await page.Keyboard.PressAsync(key);
            var f = await page.EvaluateAsync<Focused>(FocusedJs);
            path.Add(f.Name);
            Assert.True(await page.EvaluateAsync<bool>(FocusInDialogJs), $"{key} took focus out of the open dialog: {string.Join(" → ", path)}");
        }
        Assert.Contains("单位名称", path);
        Assert.Contains("保存", path);
        await ShotAsync(page, browser, "dialog-holds-focus");

        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await page.WaitForFunctionAsync("() => document.activeElement?.innerText?.trim() === '新增下级单位'");
        await ShotAsync(page, browser, "focus-back-on-the-opener");
    });

    /// <summary>
    /// Presses Tab (or Shift+Tab) until the focused element is named <paramref name="name"/>, asserting on the way that
    /// every focused element draws a focus ring. Fails after 60 presses: the element is not in the tab order.
    /// </summary>
    async Task<Focused> TabToAsync(IPage page, string name, bool backwards = false, bool prefix = false)
    {
        var seen = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            var f = await page.EvaluateAsync<Focused>(FocusedJs);
            // AntDesign buttons transition every property, the ring's width too: give it the transition's 0.3 s.
            for (var wait = 0; f.Tag != "body" && !f.Ring && wait < 10; wait++)
            {
                await Task.Delay(100);
                f = await page.EvaluateAsync<Focused>(FocusedJs);
            }
            seen.Add(f.Name);
            if (f.Tag != "body") Assert.True(f.Ring, $"'{f.Name}' ({f.Tag}) has keyboard focus but shows no focus ring");
            if (f.Name == name || (prefix && f.Name.StartsWith(name, StringComparison.Ordinal))) return f;
        }
        throw new Xunit.Sdk.XunitException($"'{name}' not reached with {(backwards ? "Shift+Tab" : "Tab")}; focus went: {string.Join(" → ", seen)}");
    }

    /// <summary>
    /// Waits until the page is live (the layout enables its controls then) and the app has put focus on the page's
    /// heading: a Tab pressed before that would be overtaken by the focus move.
    /// </summary>
    static async Task SettledFocusAsync(IPage page)
    {
        await Expect(page.Locator("fieldset.page-body")).ToBeEnabledAsync();
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.tagName === 'H1'");
    }

    /// <summary>A key press on a prerendered page can land before its circuit attaches and be lost; repeats it until the result shows.</summary>
    static async Task PressUntilVisibleAsync(IPage page, string key, ILocator evidence)
    {
        var clock = Stopwatch.StartNew();
        while (!await evidence.IsVisibleAsync())
        {
            await page.Keyboard.PressAsync(key);
            try
            {
                await evidence.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 2_000 });
            }
            catch (TimeoutException) when (clock.ElapsedMilliseconds < BrowserSession.TimeoutMs)
            {
                // The press was lost; try again while time remains.
            }
        }
    }
}
