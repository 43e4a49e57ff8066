using System.Net;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 访问令牌: the county office makes a read-only token for the residents module with its password, sees it once, and the
/// token reads residents but writes nothing; a security administrator is told admins get no tokens.
/// </summary>
public sealed class TokenJourneyTests(ITestOutputHelper output) : Journey(output, "tokens")
{
    [Fact]
    public Task County_office_makes_a_read_only_residents_token_with_its_password() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        await page.GotoAsync("/tokens");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByPlaceholder("例如：县大数据平台对接").FillAsync("县大数据平台对接");
        await page.GetByLabel("有效期").FillAsync("30");
        await page.GetByLabel("可访问的模块").GetByText("少数民族信息档案（含走访）").ClickAsync();
        await page.GetByLabel("当前密码").FillAsync("Wrong#Password1");
        await page.GetByLabel("当前密码").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建令牌" }).ClickAsync();
        await Expect(page.GetByText("密码不正确，未创建令牌")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "wrong-password");
        await page.GetByLabel("当前密码").FillAsync(Db.DemoPassword);
        await page.GetByLabel("当前密码").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建令牌" }).ClickAsync();
        var shown = page.Locator(".token-alert");
        await Expect(shown).ToContainTextAsync("shl_");
        await Expect(page.Locator("table")).ToContainTextAsync("只读：少数民族信息档案（含走访）");
        await ShotAsync(page, browser, "token-created");

        var text = System.Text.RegularExpressions.Regex.Match(await shown.InnerTextAsync(), "shl_[A-Za-z0-9_-]+").Value;
        using var api = new HttpClient { BaseAddress = live.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new("Bearer", text);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/residents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/org-units")).StatusCode);
        await SignOutAsync(page);
    });
}
