using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.Core.Accounts;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// One journey through a real browser against the real app on Kestrel: first sign-in of the admin (forced password
/// change and TOTP enrolment), an edit of the org tree, and the auditor finding that edit in the audit log.
/// Each step leaves a PNG in screenshots/ beside the test assembly, for a person to look at.
/// </summary>
public sealed class AdminJourneyTests(ITestOutputHelper output) : Journey(output, "admin")
{
    const string NewAdminPassword = "Xinping#Changed2026";
    const string Township = "桂山街道";
    const string Community = "石榴籽社区";
    const string CommunityCode = "530427001099";
    const int Width = 1366, Height = 768;

    [Fact]
    public async Task Admin_adds_a_community_and_the_auditor_sees_it_in_the_audit_log()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        await using var live = await LiveApp.StartAsync();
        Log($"app on {live.BaseAddress}");
        var page = await browser.NewPageAsync(live.BaseAddress, Width, Height);
        var circuit = new CircuitWatch(page);
        var finished = false;
        try
        {
            await AdminSignsInForTheFirstTimeAsync(page, browser);
            await AdminAddsACommunityAsync(page, browser, circuit);
            await AdminSignsOutAsync(page, browser);
            await AuditorFindsTheEditAsync(page, browser, circuit);
            finished = true;
        }
        finally
        {
            if (!finished) await TryShotAsync(page, "failure");
            var problems = browser.ConsoleErrors.Select(e => $"console error: {e}")
                .Concat(browser.FailedLoads.Select(f => $"failed load: {f}")).ToList();
            await File.WriteAllLinesAsync(Path.Combine(ShotDir, "browser-problems.txt"), problems);
            foreach (var p in problems) Log(p);
            await page.Context.CloseAsync();
        }
        Log("journey done");
    }

    async Task AdminSignsInForTheFirstTimeAsync(IPage page, BrowserSession browser)
    {
        // Anyone opening the site first sees the county's public home page; staff sign in from its header.
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "服务窗口与热线" })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "public-home");
        await page.GetByRole(AriaRole.Link, new() { Name = "工作人员登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "账号登录" })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "sign-in");

        await SignInAsync(page, "admin", Db.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/account/change-password$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "修改密码" })).ToBeVisibleAsync();
        await page.GetByLabel("当前密码", new() { Exact = true }).FillAsync(Db.AdminPassword);
        await page.GetByLabel("新密码", new() { Exact = true }).FillAsync(NewAdminPassword);
        await page.GetByLabel("确认新密码", new() { Exact = true }).FillAsync(NewAdminPassword);
        await ShotAsync(page, browser, "change-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认修改" }).ClickAsync();

        // An admin must bind TOTP next; the gate sends every other page here.
        await Expect(page).ToHaveURLAsync(new Regex("/account/totp-setup$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "绑定动态口令" })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "totp-setup-admin");
        await EnrolTotpAsync(page);

        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^您好") })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "home-admin");
    }

    async Task AdminAddsACommunityAsync(IPage page, BrowserSession browser, CircuitWatch circuit)
    {
        await circuit.WaitAsync();
        var menuItem = page.Locator(".shell-sider").GetByText("组织机构", new() { Exact = true });
        var county = page.Locator("ul.org-tree > li.tree-node").First;
        await CircuitWatch.ClickUntilVisibleAsync(menuItem, county);
        await Expect(page).ToHaveURLAsync(new Regex("/org-units$"));
        await circuit.WaitAsync();

        // The county opens by itself and lists its 2 街道, 4 镇 and 6 乡.
        await Expect(county.Locator("xpath=./div[contains(@class,'tree-row')]//*[contains(@class,'tree-name')]")).ToHaveTextAsync("新平彝族傣族自治县");
        await Expect(county).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(county.Locator("xpath=./ul[@role='group']/li")).ToHaveCountAsync(12);
        await Expect(TreeName(page, Township)).ToBeVisibleAsync();
        await Expect(TreeName(page, "平掌乡")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "org-tree");

        var addChild = page.GetByRole(AriaRole.Button, new() { Name = "新增下级单位" });
        await CircuitWatch.ClickUntilVisibleAsync(TreeName(page, Township), addChild);
        await Expect(page.Locator(".org-detail-card")).ToContainTextAsync("530427001000");
        await ShotAsync(page, browser, "org-township-selected");

        var name = page.GetByLabel("单位名称");
        await CircuitWatch.ClickUntilVisibleAsync(addChild, name);
        // AntDesign's Input binds on change, which fires when focus leaves.
        await name.FillAsync(Community);
        await name.PressAsync("Tab");
        var code = page.GetByLabel("单位代码");
        await code.FillAsync(CommunityCode);
        await code.PressAsync("Tab");
        await ShotAsync(page, browser, "org-add-community-dialog");

        // AntDesign may space out a two-character Chinese caption ("保 存"), depending on version and settings.
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^保\s*存$") }).ClickAsync();
        await Expect(page.GetByText($"已新增“{Community}”")).ToBeVisibleAsync();
        await Expect(name).ToBeHiddenAsync();

        var newNode = page.Locator(
            $"xpath=//li[contains(@class,'tree-node')][./div[contains(@class,'tree-row')]//*[contains(@class,'tree-name') and normalize-space()='{Township}']]" +
            $"/ul[@role='group']/li//*[contains(@class,'tree-name') and normalize-space()='{Community}']");
        var expand = page.GetByRole(AriaRole.Button, new() { Name = $"展开 {Township}", Exact = true });
        if (await expand.IsVisibleAsync()) await expand.ClickAsync();
        await Expect(newNode).ToBeVisibleAsync();
        await ShotAsync(page, browser, "org-community-added");

        // Opened afresh at phone size, as on a phone: a resize alone does not show what a phone user gets on load.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await circuit.WaitAsync();
        await Expect(TreeName(page, Township)).ToBeVisibleAsync();
        await ShotAsync(page, browser, "org-phone-390x844");
        await page.SetViewportSizeAsync(Width, Height);
    }

    async Task AdminSignsOutAsync(IPage page, BrowserSession browser)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/account/login\?signedOut=1$"));
        await Expect(page.GetByText("您已安全退出。")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "signed-out");
    }

    async Task AuditorFindsTheEditAsync(IPage page, BrowserSession browser, CircuitWatch circuit)
    {
        await SignInAsync(page, "auditor", Db.DemoPassword);
        // The auditor is one of the three admins, so TOTP is compulsory for them as well.
        await Expect(page).ToHaveURLAsync(new Regex("/account/totp-setup$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "绑定动态口令" })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "totp-setup-auditor");
        await EnrolTotpAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^您好") })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "home-auditor");

        await page.GotoAsync("/audit");
        await Expect(page).ToHaveURLAsync(new Regex("/audit$"));
        await circuit.WaitAsync();
        var row = page.Locator("table.data-table tbody tr")
            .Filter(new() { Has = page.Locator("td:nth-child(6)", new() { HasTextString = Community }) })
            .Filter(new() { Has = page.Locator("td:nth-child(2)", new() { HasTextRegex = new Regex("^\\s*新增\\s*$") }) })
            .Filter(new() { Has = page.Locator("td:nth-child(4)", new() { HasTextRegex = new Regex("^\\s*admin\\s*$") }) });
        await Expect(row).ToHaveCountAsync(1);
        await ShotAsync(page, browser, "audit-log");
    }

    static ILocator TreeName(IPage page, string unit) =>
        page.Locator(".org-tree .tree-label").Filter(new() { Has = page.Locator(".tree-name", new() { HasTextRegex = new Regex($"^{Regex.Escape(unit)}$") }) });
}
