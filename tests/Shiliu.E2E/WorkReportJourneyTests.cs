using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>A community writes a brief with a script in it and reports it; the township adopts it; the county publishes it.</summary>
public sealed class WorkReportJourneyTests(ITestOutputHelper output) : Journey(output, "work-reports")
{
    const string Title = "城中社区举办“石榴籽”民族团结联谊会";

    [Fact]
    public Task Community_reports_a_brief_the_township_adopts_it_and_the_county_publishes_it() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        await page.GotoAsync("/work-reports");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "撰写信息" }), page.GetByLabel("标题"));
        await page.GetByLabel("标题").FillAsync(Title);
        await page.GetByLabel("正文（每段一行）").FillAsync("11月20日，城中社区组织辖区彝族、傣族、哈尼族等各族群众200余人开展联谊活动。\n<img src=x onerror=alert(1)>活动中开展了民族政策宣讲。");
        await page.GetByLabel("正文（每段一行）").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Expect(page.Locator(".report-body")).ToContainTextAsync("<img src=x onerror=alert(1)>活动中");
        await page.GetByRole(AriaRole.Button, new() { Name = "上报" }).ClickAsync();
        await Expect(page.Locator(".ind-title + .muted")).ToContainTextAsync("已上报");
        await ShotAsync(page, browser, "community-reported");
        await SignOutAsync(page);

        await SignInAsync(page, "township", Db.DemoPassword);
        await page.GotoAsync("/work-reports");
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "下级报送" }).ClickAsync();
        await page.GetByText(Title).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "采用" }).ClickAsync();
        await Expect(page.Locator(".ind-title + .muted")).ToContainTextAsync("已采用");
        await SignOutAsync(page);

        await SignInAsync(page, "county", Db.DemoPassword);
        await page.GotoAsync("/work-reports");
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "下级报送" }).ClickAsync();
        await page.GetByText(Title).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "发布", Exact = true }).ClickAsync();
        await Expect(page.Locator(".ind-title + .muted")).ToContainTextAsync("已发布");
        await ShotAsync(page, browser, "county-published");
    });
}
