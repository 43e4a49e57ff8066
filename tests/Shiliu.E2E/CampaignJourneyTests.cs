using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// A community records a phase task as done; its township returns it with a reason; the community sees the reason,
/// fixes it and records it again; the county's progress table counts it.
/// </summary>
public sealed class CampaignJourneyTests(ITestOutputHelper output) : Journey(output, "campaign")
{
    const string Task1 = "成立民族团结进步示范社区创建组织机构";

    [Fact]
    public async Task Community_records_a_task_the_township_returns_it_and_the_county_sees_it_done()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        await using var live = await LiveApp.StartAsync();
        var page = await browser.NewPageAsync(live.BaseAddress, 1366, 768);
        var circuit = new CircuitWatch(page);
        var finished = false;
        try
        {
            await page.GotoAsync("/campaigns");
            await SignInAsync(page, "community", Db.DemoPassword);
            await circuit.WaitAsync();
            await Expect(page.GetByTestId("current-phase")).ToHaveTextAsync("各阶段已结束");
            var task = page.GetByTestId("task-1-1");
            await Expect(task).ToContainTextAsync("已逾期");
            await Expect(task).ToContainTextAsync("已于2018年9月30日结束");
            await task.GetByLabel("完成情况说明").FillAsync("社区成立了创建工作领导小组");
            await task.GetByLabel("完成情况说明").PressAsync("Tab");
            await task.GetByRole(AriaRole.Button, new() { Name = "标记完成" }).ClickAsync();
            await Expect(task).ToContainTextAsync("已完成");
            await ShotAsync(page, browser, "community-done");
            await SignOutAsync(page);

            await SignInAsync(page, "township", Db.DemoPassword);
            await page.GotoAsync("/campaigns");
            await circuit.WaitAsync();
            await Expect(page.GetByTestId("progress-table").Locator("tbody tr")).ToHaveCountAsync(3);
            await page.GetByTestId("progress-table").GetByText("城中社区").ClickAsync();
            task = page.GetByTestId("task-1-1");
            await task.GetByLabel("退回原因").FillAsync("请附上领导小组成立文件的文号");
            await task.GetByLabel("退回原因").PressAsync("Tab");
            await task.GetByRole(AriaRole.Button, new() { Name = "退回" }).ClickAsync();
            await Expect(task).ToContainTextAsync("退回：请附上领导小组成立文件的文号");
            await ShotAsync(page, browser, "township-returned");
            await SignOutAsync(page);

            await SignInAsync(page, "community", Db.DemoPassword);
            await page.GotoAsync("/campaigns");
            await circuit.WaitAsync();
            task = page.GetByTestId("task-1-1");
            await Expect(task).ToContainTextAsync("请附上领导小组成立文件的文号");
            await task.GetByLabel("完成情况说明").FillAsync("已成立领导小组，见桂山社发〔2018〕3号");
            await task.GetByLabel("完成情况说明").PressAsync("Tab");
            await task.GetByRole(AriaRole.Button, new() { Name = "标记完成" }).ClickAsync();
            await Expect(task).ToContainTextAsync("已完成");
            await SignOutAsync(page);

            await SignInAsync(page, "county", Db.DemoPassword);
            await page.GotoAsync("/campaigns");
            await circuit.WaitAsync();
            var row = page.GetByTestId("progress-table").Locator("tbody tr").Filter(new() { HasText = "城中社区" });
            await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1/1");
            await ShotAsync(page, browser, "county-progress");
            await page.GetByRole(AriaRole.Tab, new() { Name = "方案与领导小组" }).ClickAsync();
            await Expect(page.GetByText("代旭中")).ToBeVisibleAsync();
            await ShotAsync(page, browser, "plan");
            finished = true;
        }
        finally
        {
            if (!finished) await TryShotAsync(page, "failure");
            await page.Context.CloseAsync();
        }
    }
}
