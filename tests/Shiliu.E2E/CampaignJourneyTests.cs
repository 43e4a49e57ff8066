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
    public Task Community_records_a_task_the_township_returns_it_and_the_county_sees_it_done() => RunAsync(1366, 768, async (page, browser, circuit) =>
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
        task = page.GetByTestId("task-1-1");
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByTestId("progress-table").GetByText("城中社区"), task);
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

        // The county office edits the plan: a new paragraph, a new task, and the signed original attached.
        var original = Path.Combine(ShotDir, "新民发〔2019〕2号.pdf");
        await File.WriteAllBytesAsync(original, Shiliu.Tests.Evidence.TestFiles.Pdf("Xinmin 2019 No.2"));
        await page.GetByRole(AriaRole.Button, new() { Name = "编辑方案" }).ClickAsync();
        var edit = page.GetByTestId("plan-edit");
        var tasks = edit.GetByLabel("主要任务");
        await tasks.FillAsync(await tasks.InputValueAsync() + "\n各社区每季度至少开展一次“民族团结一家亲”主题活动。");
        await edit.GetByLabel("上传方案原件").SetInputFilesAsync(original);
        await Expect(edit.GetByText("查看原件")).ToBeVisibleAsync();
        var lastPhase = edit.Locator(".phase-edit").Last;
        await lastPhase.GetByRole(AriaRole.Button, new() { Name = "添加任务" }).ClickAsync();
        // The seed's last phase has two tasks; wait for the new, empty third one before typing into it.
        await Expect(lastPhase.GetByLabel("任务内容")).ToHaveCountAsync(3);
        await lastPhase.GetByLabel("任务内容").Last.FillAsync("召开创建工作总结表彰大会");
        await ShotAsync(page, browser, "plan-edit");
        await edit.GetByRole(AriaRole.Button, new() { Name = "保存方案" }).ClickAsync();
        await Expect(page.GetByText("各社区每季度至少开展一次“民族团结一家亲”主题活动。")).ToBeVisibleAsync();
        await Expect(page.GetByText("查看方案原件")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "实施步骤" }).ClickAsync();
        await Expect(page.GetByText("召开创建工作总结表彰大会")).ToBeVisibleAsync();
    });
}
