using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// Year after year: the county copies the 2019 campaign into a 2026 one and moves its last phase; a community files its
/// own work plan with the signed original, the township returns it with a reason, the community resubmits, the township
/// passes it; 2019 stays readable and unchanged, and 2026's 十个一 started empty (only the plan item has moved).
/// </summary>
public sealed class CampaignYearJourneyTests(ITestOutputHelper output) : Journey(output, "campaign-years")
{
    [Fact]
    public Task County_copies_2019_into_2026_and_a_community_plan_goes_through_a_return_to_approved() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        // 2019's record: 城中社区 submitted its culture wall (item 8).
        var chengzhong = await live.App.UnitAsync("530427001001");
        await live.App.AsAsync("community", async sp =>
        {
            var s = sp.GetRequiredService<DeliverableService>();
            await using var db = await live.App.SystemDbAsync();
            var wall = await db.Deliverables.SingleAsync(d => d.OrgUnitId == chengzhong.Id && d.ItemNo == 8);
            await s.UpdateAsync(wall.Id, new UpdateDeliverable { Status = DeliverableStatus.Completed, Evidence = "文化墙已建成", Version = wall.Version });
        });

        await page.GotoAsync("/campaigns");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "新建创建活动" }).ClickAsync();
        var form = page.GetByTestId("new-campaign");
        await form.GetByLabel("第一阶段开始日期").FillAsync("2026-03-01");
        await form.GetByLabel("新方案标题").FillAsync("2026年新平县民族团结进步创建活动进社区实施方案");
        await form.GetByLabel("新方案文号").FillAsync("新民发〔2026〕1号");
        await form.GetByLabel("新方案印发日期").FillAsync("2026-02-10");
        await form.GetByLabel("新方案印发日期").PressAsync("Tab");
        await ShotAsync(page, browser, "county-new-campaign");
        await form.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Expect(page.GetByTestId("campaign-2026")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByText("第一阶段 筹备阶段")).ToBeVisibleAsync();
        await Expect(page.GetByText("2026年3月1日至2026年3月30日")).ToBeVisibleAsync();

        // The copied dates are a start: the county moves the last phase's end.
        await page.GetByRole(AriaRole.Tab, new() { Name = "方案与领导小组" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "编辑方案" }).ClickAsync();
        var edit = page.GetByTestId("plan-edit");
        await edit.Locator(".phase-edit").Last.GetByLabel("结束日期").FillAsync("2027-06-30");
        await edit.Locator(".phase-edit").Last.GetByLabel("结束日期").PressAsync("Tab");
        await edit.GetByRole(AriaRole.Button, new() { Name = "保存方案" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "实施步骤" }).ClickAsync();
        await Expect(page.GetByText("至2027年6月30日")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "county-2026-phases");
        await SignOutAsync(page);

        var original = Path.Combine(ShotDir, "城中社区工作方案（盖章）.pdf");
        await File.WriteAllBytesAsync(original, Shiliu.Tests.Evidence.TestFiles.Pdf("Chengzhong 2026 plan"));
        await SignInAsync(page, "community", Db.DemoPassword);
        await page.GotoAsync("/campaigns/plans");
        await circuit.WaitAsync();
        var plan = page.GetByTestId("unit-plan-edit");
        await plan.GetByLabel("方案正文").FillAsync("一、指导思想\n结合城中社区实际，开展民族团结进步创建。");
        await plan.GetByLabel("方案正文").PressAsync("Tab");
        await plan.GetByLabel("上传盖章原件").SetInputFilesAsync(original);
        await Expect(plan.GetByText("查看原件")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "community-plan-draft");
        await plan.GetByRole(AriaRole.Button, new() { Name = "上报" }).ClickAsync();
        await Expect(page.GetByTestId("plan-state")).ToContainTextAsync("已上报");
        await SignOutAsync(page);

        await SignInAsync(page, "township", Db.DemoPassword);
        await page.GotoAsync("/campaigns/plans");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("plan-table").Locator("tbody tr")).ToHaveCountAsync(4);
        var review = page.GetByTestId("plan-review");
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByTestId("plan-table").GetByText("城中社区"), review);
        await review.GetByLabel("退回原因").FillAsync("请写明本社区2026年的创建目标");
        await review.GetByLabel("退回原因").PressAsync("Tab");
        await review.GetByRole(AriaRole.Button, new() { Name = "退回" }).ClickAsync();
        await Expect(page.GetByTestId("plan-state")).ToContainTextAsync("退回：请写明本社区2026年的创建目标");
        await ShotAsync(page, browser, "township-returned-plan");
        await SignOutAsync(page);

        await SignInAsync(page, "community", Db.DemoPassword);
        await page.GotoAsync("/campaigns/plans");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("plan-state")).ToContainTextAsync("请写明本社区2026年的创建目标");
        plan = page.GetByTestId("unit-plan-edit");
        await plan.GetByLabel("方案正文").FillAsync("一、指导思想\n结合城中社区实际，开展民族团结进步创建。\n二、创建目标\n2026年底前建成民族团结进步示范社区。");
        await plan.GetByLabel("方案正文").PressAsync("Tab");
        await plan.GetByRole(AriaRole.Button, new() { Name = "重新上报" }).ClickAsync();
        await Expect(page.GetByTestId("plan-state")).ToContainTextAsync("已上报");
        await page.SetViewportSizeAsync(390, 844);
        await ShotAsync(page, browser, "community-resubmitted-390");
        await page.SetViewportSizeAsync(1366, 768);
        await SignOutAsync(page);

        await SignInAsync(page, "township", Db.DemoPassword);
        await page.GotoAsync("/campaigns/plans");
        await circuit.WaitAsync();
        review = page.GetByTestId("plan-review");
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByTestId("plan-table").GetByText("城中社区"), review);
        await review.GetByRole(AriaRole.Button, new() { Name = "通过" }).ClickAsync();
        await Expect(page.GetByTestId("plan-state")).ToContainTextAsync("已通过");
        await Expect(page.GetByTestId("plan-history")).ToContainTextAsync("重新上报");
        await ShotAsync(page, browser, "township-approved-plan");
        await SignOutAsync(page);

        // 2026's 十个一: only the plan item has moved (passed); 2019 keeps the culture wall waiting for review.
        await SignInAsync(page, "county", Db.DemoPassword);
        await page.GotoAsync("/deliverables");
        await circuit.WaitAsync();
        var row = page.GetByTestId("deliverable-matrix").Locator("tbody tr").Filter(new() { HasText = "城中社区" });
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("已审核");
        await Expect(row.Locator("td").Nth(9)).ToHaveTextAsync("未开始");
        await Expect(page.GetByTestId("deliverable-matrix").Locator("td.st-cell", new() { HasText = "未开始" })).ToHaveCountAsync(359);
        await page.GetByTestId("campaign-2019").ClickAsync();
        await Expect(page.GetByTestId("history-note")).ToBeVisibleAsync();
        row = page.GetByTestId("deliverable-matrix").Locator("tbody tr").Filter(new() { HasText = "城中社区" });
        await Expect(row.Locator("td").Nth(9)).ToHaveTextAsync("待审核");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("未开始");
        await ShotAsync(page, browser, "county-2019-deliverables");

        await page.GotoAsync("/campaigns");
        await circuit.WaitAsync();
        await page.GetByTestId("campaign-2019").ClickAsync();
        await Expect(page.GetByTestId("history-note")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "实施步骤" }).ClickAsync();
        await Expect(page.GetByText("2018年9月1日至2018年9月30日")).ToBeVisibleAsync();
        await Expect(page.GetByText("2019年7月1日至2019年9月30日")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "方案与领导小组" }).ClickAsync();
        await Expect(page.GetByText("代旭中")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "编辑方案" })).ToHaveCountAsync(0);
        await ShotAsync(page, browser, "county-2019-history");
    });
}
