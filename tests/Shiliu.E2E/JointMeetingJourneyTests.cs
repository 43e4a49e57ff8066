using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.JointMeetings;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 桂山街道 convenes a joint meeting, records a decision that becomes a task for 公安 with a due date, files its progress
/// and closes it with an uploaded evidence file; the meeting then shows 100 % closed on time.
/// </summary>
public sealed class JointMeetingJourneyTests(ITestOutputHelper output) : Journey(output, "joint-meetings")
{
    const string Title = "2026年第四季度矛盾纠纷排查化解联席会议";
    const string Matter = "查清城中社区两户宅基地界址，10日内出具调查意见";

    [Fact]
    public Task Township_convenes_a_meeting_and_a_decision_is_closed_with_evidence_on_time() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        var photo = Path.Combine(ShotDir, "界桩埋设现场.jpg");
        await File.WriteAllBytesAsync(photo, Shiliu.Tests.Evidence.TestFiles.Jpeg(1200, 800));
        foreach (var (name, contact, post) in new[] { ("民政办", "张华", "主任"), ("城管中队", "王芳", "中队长") })
            await live.App.AsAsync("township", sp => sp.GetRequiredService<JointMeetingService>().SaveDepartmentAsync(null,
                new SaveDepartment { Name = name, ContactName = contact, ContactPost = post, WorkPhone = "0877-7011002" }));

        await page.GotoAsync("/joint-meetings?tab=departments");
        await SignInAsync(page, "township", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByLabel("部门名称").FillAsync("公安派出所");
        await page.GetByLabel("联系人", new() { Exact = true }).FillAsync("李明");
        await page.GetByLabel("联系人职务").FillAsync("副所长");
        await page.GetByLabel("办公电话").FillAsync("0877-7011001");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存成员单位" }).ClickAsync();
        await Expect(page.GetByTestId("department-list")).ToContainTextAsync("公安派出所");
        await ShotAsync(page, browser, "departments");

        await page.GotoAsync("/joint-meetings/new");
        await circuit.WaitAsync();
        await page.GetByLabel("会议名称").FillAsync(Title);
        await page.GetByLabel("会议地点").FillAsync("桂山街道办事处三楼会议室");
        await page.GetByLabel("主持人", new() { Exact = true }).FillAsync("杨建国");
        await page.GetByLabel("主持人职务").FillAsync("街道党工委副书记");
        await page.GetByLabel("记录人").FillAsync("刘婷");
        await page.GetByRole(AriaRole.Button, new() { Name = "按成员单位联系人添加" }).ClickAsync();
        await Expect(page.GetByLabel("第3位姓名")).ToBeVisibleAsync();
        await page.GetByLabel("第3位出席情况").SelectOptionAsync(new SelectOptionValue { Label = "缺席" });
        await page.GetByLabel("第3位缺席原因").FillAsync("出差");
        await page.GetByLabel("议题1", new() { Exact = true }).FillAsync("城中社区两户宅基地界址纠纷的化解");
        await page.GetByLabel("会议记录正文").FillAsync("杨建国通报了本季度矛盾纠纷排查情况。\n李明介绍了界址纠纷的调查情况，建议实地测量。");
        await ShotAsync(page, browser, "meeting-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存会议记录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/joint-meetings/[0-9a-f-]{36}$"));
        await circuit.WaitAsync();
        await Expect(page.Locator(".detail-list")).ToContainTextAsync("民政办 张华（主任），出差");

        await page.GetByLabel("议定事项", new() { Exact = true }).FillAsync(Matter);
        await page.GetByLabel("牵头单位").SelectOptionAsync(new SelectOptionValue { Label = "公安派出所" });
        await page.GetByLabel("配合单位民政办").CheckAsync();
        await page.GetByLabel("工作日数").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "交办" }).ClickAsync();
        var tasks = page.GetByTestId("task-table");
        await Expect(tasks).ToContainTextAsync(Matter);
        await Expect(tasks.GetByTestId("task-status")).ToHaveTextAsync("进行中");

        await page.GetByLabel("进展情况").FillAsync("已会同民政办实地测量，调取了1998年的宅基地批复");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记进展" }).ClickAsync();
        await Expect(page.GetByTestId("progress-list")).ToContainTextAsync("公安派出所：已会同民政办实地测量");

        // Closing without evidence is refused, naming what is missing.
        await page.GetByLabel("销号说明").FillAsync("双方已签订调解协议，界桩已埋设");
        await page.GetByRole(AriaRole.Button, new() { Name = "销号", Exact = true }).ClickAsync();
        await Expect(page.Locator(".error-banner")).ToContainTextAsync("销号须附佐证材料");
        await page.GetByLabel("佐证材料").SetInputFilesAsync(photo);
        await Expect(page.GetByTestId("evidence-ready")).ToContainTextAsync("界桩埋设现场.jpg");
        await page.GetByRole(AriaRole.Button, new() { Name = "销号", Exact = true }).ClickAsync();
        await Expect(tasks.GetByTestId("task-status")).ToHaveTextAsync("按期销号");
        var progress = page.GetByTestId("meeting-progress");
        await Expect(progress).ToContainTextAsync("100%");
        await ShotAsync(page, browser, "task-closed-on-time");

        await page.GotoAsync("/joint-meetings");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("meeting-list")).ToContainTextAsync("100%");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "记录会议" })).ToBeEnabledAsync();
        await ShotAsync(page, browser, "meeting-list");

        await page.SetViewportSizeAsync(390, 844);
        await page.GetByText(Title).ClickAsync();
        await Expect(page.GetByTestId("meeting-progress")).ToContainTextAsync("100%");
        await ShotAsync(page, browser, "meeting-phone");
    });
}
