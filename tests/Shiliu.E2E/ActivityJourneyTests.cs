using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 节庆日历: the county office corrects a festival (泼水节 lasts four days this year), a community sees it in July's
/// neighbour month April, plans an activity from the festival day and exports its activity ledger.
/// </summary>
public sealed class ActivityJourneyTests(ITestOutputHelper output) : Journey(output, "activities")
{
    [Fact]
    public Task County_edits_the_festival_calendar_and_a_community_plans_from_it_and_exports_its_ledger() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        await page.GotoAsync("/activities");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "节庆日历" }).ClickAsync();
        var table = page.GetByTestId("festival-table");
        await table.Locator("tr").Filter(new() { HasText = "傣族泼水节" }).GetByText("修改").ClickAsync();
        await Expect(page.GetByLabel("节日名称")).ToHaveValueAsync("傣族泼水节");
        await page.GetByLabel("天数").FillAsync("4");
        await page.GetByLabel("节日说明").FillAsync("傣历新年，今年县里安排4天");
        await page.GetByLabel("节日说明").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存节日" }).ClickAsync();
        await Expect(table.Locator("tr").Filter(new() { HasText = "傣族泼水节" })).ToContainTextAsync("公历4月13日起，共4天");
        await ShotAsync(page, browser, "county-festivals");
        await SignOutAsync(page);

        await SignInAsync(page, "community", Db.DemoPassword);
        await page.GotoAsync("/activities");
        await circuit.WaitAsync();
        var month = page.GetByTestId("month-title");
        // Back to April of this year, where 泼水节 stands.
        // One month per click, each waited for: a second click before the re-render would overshoot.
        while (await month.InnerTextAsync() is var shown && !shown.EndsWith("年4月", StringComparison.Ordinal))
        {
            await page.GetByLabel("上个月").ClickAsync();
            await Expect(month).Not.ToHaveTextAsync(shown);
        }
        var calendar = page.GetByTestId("activity-calendar");
        await Expect(calendar.Locator(".cal-fest").Filter(new() { HasText = "傣族泼水节" })).ToHaveCountAsync(4);
        await calendar.Locator(".cal-fest").Filter(new() { HasText = "傣族泼水节" }).First.GetByText("策划活动").ClickAsync();
        await Expect(page.GetByLabel("活动名称")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("傣族泼水节活动$"));
        await page.GetByLabel("活动地点").FillAsync("城中社区广场");
        await page.GetByLabel("参加人数").FillAsync("200");
        await page.GetByLabel("活动测评标准第5条 群众文化体育活动").CheckAsync();
        await ShotAsync(page, browser, "community-plans-from-festival");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await Expect(page.Locator(".activity-detail")).ToContainTextAsync("民族节庆");
        await Expect(calendar.Locator(".cal-act")).ToHaveCountAsync(1);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByText(new System.Text.RegularExpressions.Regex("导出\\d{4}年活动台账")).ClickAsync());
        Assert.Matches("^城中社区\\d{4}年活动台账\\.xlsx$", download.SuggestedFilename);
        var file = Path.Combine(ShotDir, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        Assert.True(new FileInfo(file).Length > 1000);
        await ShotAsync(page, browser, "community-activity-saved");
    });
}
