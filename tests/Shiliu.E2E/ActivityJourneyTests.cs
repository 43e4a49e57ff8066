using Shiliu.Core.Dictionaries;
using Shiliu.Core.ServiceCases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
    /// <summary>
    /// The 法律援助 ↔ legal-publicity link read from the activity's side: a community clerk opens its 宪法宣传日 activity
    /// and finds the legal-aid case that names it, one click from the case itself.
    /// </summary>
    [Fact]
    public Task A_legal_publicity_activity_lists_the_legal_aid_cases_that_name_it() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        var app = live.App;
        var unit = await app.UnitAsync("530427001001");
        Guid activity, type;
        await using (var db = await app.SystemDbAsync())
        {
            var code = await db.Set<DictionaryItem>().Where(d => d.Kind == Shiliu.Core.Dictionaries.DictionaryKinds.ActivityType && d.Name == "法律宣传")
                .Select(d => d.Code).SingleAsync();
            var a = new Shiliu.Core.Activities.Activity
            {
                OrgUnitId = unit.Id, OrgPath = unit.Path, TypeCode = code, Title = "宪法宣传日进社区", Date = DateOnly.FromDateTime(DateTime.Today),
                Place = "城中社区广场", Organiser = "城中社区", Criteria = "",
            };
            db.Add(a);
            await db.SaveChangesAsync();
            activity = a.Id;
            type = await db.Set<ServiceType>().Where(t => t.Name == "法律援助").Select(t => t.Id).SingleAsync();
        }
        var number = await app.AsAsync("community", async sp =>
        {
            var cases = sp.GetRequiredService<Shiliu.Core.ServiceCases.ServiceCaseService>();
            var id = await cases.CreateAsync(new Shiliu.Core.ServiceCases.CreateServiceCase
            {
                TypeId = type, Source = Shiliu.Core.ServiceCases.ServiceSource.Window, PersonName = "刀国华", Phone = "13887001122",
                Title = "工伤赔偿咨询法律援助", Request = "在工地受伤，老板不赔，想申请法律援助。",
            });
            var detail = await cases.GetAsync(id);
            await cases.LinkActivitiesAsync(id, [activity], detail.Version);
            return detail.Number;
        });

        await page.GotoAsync("/activities");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "列表" }).ClickAsync();
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "宪法宣传日进社区" }).ClickAsync();
        var linked = page.GetByTestId("activity-cases");
        await Expect(linked).ToContainTextAsync($"{number} 工伤赔偿咨询法律援助");
        await ShotAsync(page, browser, "activity-with-its-legal-aid-case");
        await linked.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Expect(page.GetByText("工伤赔偿咨询法律援助").First).ToBeVisibleAsync();
        await Expect(page.GetByText("宪法宣传日进社区").First).ToBeVisibleAsync();
        await ShotAsync(page, browser, "the-case-names-the-activity");
    });
}
