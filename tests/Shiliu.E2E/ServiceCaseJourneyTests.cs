using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Microsoft.Playwright;
using Shiliu.Core.Common;
using Shiliu.Core.Residents;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// On a phone, a community turns a visit's finding into a service case (the visit then shows the case), transfers it to a
/// community of another township, which accepts it, closes it; the resident is not satisfied, the case is handled again
/// (重办) and closed again.
/// </summary>
public sealed class ServiceCaseJourneyTests(ITestOutputHelper output) : Journey(output, "service-cases")
{
    [Fact]
    public Task A_visits_finding_becomes_a_case_transferred_accepted_closed_reopened_and_closed_again() => RunAsync(390, 844, async (page, browser, circuit, live) =>
    {
        // The visit is already recorded (the residents journey records visits through the page).
        var unit = await live.App.UnitAsync("530427001001");
        var rid = await live.App.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
        {
            OrgUnitId = unit.Id, Name = "者玉兰", EthnicityCode = "07", IdNumber = Shiliu.Tests.Residents.Ids.Next(new DateOnly(1988, 5, 2), male: false),
            Phone = "13987654321", ResidenceType = ResidenceType.Floating, OriginPlace = "云南省楚雄州双柏县", ArrivalDate = new DateOnly(2024, 3, 1), ArrivalReason = "务工",
        }));
        await live.App.AsAsync("community", sp => sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit
        {
            ResidentId = rid, VisitDate = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow)), Visitor = "李网格",
            Findings = "孩子今年秋季上小学，家长不会写汉字，入学登记需要帮助。", NeedsFound = ResidentNeeds.Schooling,
        }));

        await page.GotoAsync($"/residents?resident={rid}");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        var toCase = page.GetByTestId("visit-to-case");
        await Expect(toCase).ToBeVisibleAsync();
        await ShotAsync(page, browser, "visit-with-action");
        await toCase.ClickAsync();

        var form = page.Locator(".case-form");
        await Expect(form).ToBeVisibleAsync();
        await circuit.WaitAsync();
        await Expect(form.GetByLabel("事项类型")).ToHaveValueAsync(await TypeIdAsync(live, "子女入学"));
        await Expect(form.GetByLabel("群众诉求")).ToHaveValueAsync("孩子今年秋季上小学，家长不会写汉字，入学登记需要帮助。");
        await form.GetByLabel("事项概要").FillAsync("协助孩子办理小学入学登记");
        await form.GetByLabel("事项概要").PressAsync("Tab");
        await ShotAsync(page, browser, "case-form-from-visit");
        await form.GetByRole(AriaRole.Button, new() { Name = "受理", Exact = true }).ClickAsync();
        var detail = page.Locator(".case-detail");
        await Expect(detail.GetByTestId("case-status")).ToHaveTextAsync("已受理");
        var number = (await detail.Locator(".ant-card-head-title").InnerTextAsync()).Split(' ')[0];
        Assert.Matches(@"^FW\d{4}-\d{6}$", number);
        await ShotAsync(page, browser, "case-accepted");

        // 转办 to a community of another township, with the reason.
        var steps = detail.GetByTestId("case-steps");
        await steps.GetByLabel("转办单位").SelectOptionAsync(new SelectOptionValue { Label = "中心村" });
        await steps.GetByLabel("原因或结果").FillAsync("经核实，孩子将在中心村小学就读，由中心村协助办理");
        await steps.GetByLabel("原因或结果").PressAsync("Tab");
        await steps.GetByRole(AriaRole.Button, new() { Name = "转办" }).ClickAsync();
        await Expect(detail).ToContainTextAsync("已转办给 中心村，待接收");
        await Expect(detail.GetByTestId("case-holdings")).ToContainTextAsync("中心村 （待接收）");
        await ShotAsync(page, browser, "case-transferred");

        // The visit shows the case number and opens it.
        await page.GotoAsync($"/residents?resident={rid}");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("visit-case")).ToContainTextAsync(number);
        await ShotAsync(page, browser, "visit-shows-case");
        await SignOutAsync(page);

        // The receiver finds it waiting, accepts it and handles it.
        await page.GotoAsync("/service-cases?incoming=true");
        await SignInAsync(page, "community2", Db.DemoPassword);
        await circuit.WaitAsync();
        var list = page.GetByTestId("case-list");
        await Expect(list).ToContainTextAsync("城中社区 → 中心村（待接收）");
        await ShotAsync(page, browser, "receiver-waiting");
        await list.GetByText(number).ClickAsync();
        detail = page.Locator(".case-detail");
        steps = detail.GetByTestId("case-steps");
        await steps.GetByRole(AriaRole.Button, new() { Name = "接收" }).ClickAsync();
        await Expect(detail.GetByTestId("case-status")).ToHaveTextAsync("已受理");
        await Expect(detail).ToContainTextAsync("中心村");

        await steps.GetByLabel("原因或结果").FillAsync("已联系中心村小学，孩子完成入学登记");
        await steps.GetByLabel("原因或结果").PressAsync("Tab");
        await steps.GetByRole(AriaRole.Button, new() { Name = "办结" }).ClickAsync();
        await Expect(detail.GetByTestId("case-status")).ToHaveTextAsync("已办结");
        await ShotAsync(page, browser, "receiver-closed");

        // 回访: not satisfied — handled again (重办).
        await steps.GetByLabel("回访结果").SelectOptionAsync(new SelectOptionValue { Label = "不满意" });
        await steps.GetByLabel("原因或结果").FillAsync("校车接送还没有落实");
        await steps.GetByLabel("原因或结果").PressAsync("Tab");
        await steps.GetByRole(AriaRole.Button, new() { Name = "回访" }).ClickAsync();
        await Expect(detail.GetByTestId("case-status")).ToHaveTextAsync("办理中");
        await Expect(detail).ToContainTextAsync("已重办 1 次");
        await ShotAsync(page, browser, "reopened");

        await steps.GetByLabel("原因或结果").FillAsync("已协调镇中心校安排校车接送");
        await steps.GetByLabel("原因或结果").PressAsync("Tab");
        await steps.GetByRole(AriaRole.Button, new() { Name = "办结" }).ClickAsync();
        await Expect(detail.GetByTestId("case-status")).ToHaveTextAsync("已办结");
        var history = detail.GetByTestId("case-history");
        await Expect(history).ToContainTextAsync("重办");
        await Expect(history).ToContainTextAsync("校车接送还没有落实");
        await ShotAsync(page, browser, "closed-again");
        await page.SetViewportSizeAsync(1366, 768);
        await page.GetByRole(AriaRole.Tab, new() { Name = "统计" }).ClickAsync();
        // Closed again and not yet asked: 重办 counted, 回访 not (0 of 1), no 满意率 yet.
        await Expect(page.GetByTestId("service-figures").Locator("tbody tr").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"中心村\s*子女入学\s*1\s*1\s*100%\s*0%\s*—\s*1\s*0\.0"));
        await ShotAsync(page, browser, "figures");
    });

    static async Task<string> TypeIdAsync(LiveApp live, string name)
    {
        await using var db = await live.App.SystemDbAsync();
        return (await db.ServiceTypes.Where(t => t.Name == name).Select(t => t.Id).SingleAsync()).ToString();
    }
}
