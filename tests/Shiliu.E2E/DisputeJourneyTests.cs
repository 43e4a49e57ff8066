using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// A community registers a 黄 dispute with ethnic factors and escalates it; the township receives it and escalates it to
/// the county, which receives it: one case number throughout, and the case page says who held it how long.
/// </summary>
public sealed class DisputeJourneyTests(ITestOutputHelper output) : Journey(output, "disputes")
{
    const string Title = "两村民小组因祭祀场地使用发生纠纷";

    [Fact]
    public Task Community_escalates_a_yellow_ethnic_dispute_the_township_escalates_it_and_the_county_receives_it() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        await page.GotoAsync("/disputes");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "登记纠纷" }), page.GetByLabel("纠纷名称", new() { Exact = true }));
        await page.GetByLabel("纠纷名称", new() { Exact = true }).FillAsync(Title);
        await page.GetByLabel("纠纷类别", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "民族风俗" });
        await page.GetByLabel("风险颜色", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "黄（较大，告知乡镇）" });
        await page.GetByLabel("涉民族因素", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("发生地点", new() { Exact = true }).FillAsync("城中社区三组公房");
        await page.GetByLabel("纠纷简要情况", new() { Exact = true }).FillAsync("三组彝族群众与五组汉族群众因火把节祭祀场地的使用发生争执，双方多次口角。");
        await page.GetByLabel("当事人1姓名", new() { Exact = true }).FillAsync("普文华");
        await page.GetByLabel("当事人1民族", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "彝族" });
        await page.GetByLabel("当事人1身份证号", new() { Exact = true }).FillAsync("530427197903080046");
        await page.GetByLabel("当事人1电话", new() { Exact = true }).FillAsync("13987650021");
        await page.GetByLabel("当事人2姓名", new() { Exact = true }).FillAsync("李建国");
        await page.GetByLabel("当事人2民族", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "汉族" });
        await page.GetByLabel("当事人2年龄", new() { Exact = true }).FillAsync("58");
        await page.GetByLabel("当事人2年龄", new() { Exact = true }).PressAsync("Tab");
        await ShotAsync(page, browser, "community-registers");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/disputes/[0-9a-f-]{36}$"));
        var url = page.Url;
        var number = (await page.GetByTestId("dispute-number").InnerTextAsync()).Trim();
        Assert.Matches(@"^JF\d{4}-\d{4}$", number);
        await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("登记");
        await Expect(page.GetByTestId("party-list")).ToContainTextAsync("530427********0046");
        await Expect(page.GetByTestId("party-list")).Not.ToContainTextAsync("530427197903080046");
        await Expect(page.GetByTestId("dispute-clock")).ToContainTextAsync("3个工作日");

        await page.GetByLabel("原因", new() { Exact = true }).FillAsync("涉及两个村民小组和民族风俗，社区调解不了");
        await page.GetByRole(AriaRole.Button, new() { Name = "上报桂山街道" }).ClickAsync();
        await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("上报待接收");
        await ShotAsync(page, browser, "community-escalated");

        // The month's screening found nothing else: a nil report, which counts as reported.
        await page.GetByRole(AriaRole.Tab, new() { Name = "排查上报" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/disputes/screening$"));
        await circuit.WaitAsync();
        await page.GetByLabel("排查范围", new() { Exact = true }).FillAsync("第一至第六网格");
        await page.GetByLabel("排查人", new() { Exact = true }).FillAsync("王调解员");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("screening-list")).ToContainTextAsync("零报告");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^上报\\d+月排查$") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "本月已上报" })).ToBeVisibleAsync();
        await SignOutAsync(page);

        await SignInAsync(page, "township", Db.DemoPassword);
        await page.GotoAsync("/disputes?incoming=true");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("dispute-list")).ToContainTextAsync(number);
        await Expect(page.GetByTestId("dispute-list")).ToContainTextAsync("普*华、李*国");
        await ShotAsync(page, browser, "township-incoming");
        await page.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Expect(page).ToHaveURLAsync(url);
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "接收" }).ClickAsync();
        await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("已受理");
        await Expect(page.GetByTestId("dispute-unit")).ToContainTextAsync("桂山街道");
        await page.GetByLabel("原因", new() { Exact = true }).FillAsync("涉及民族风俗，须县民宗局协调");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^上报新平") }).ClickAsync();
        await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("上报待接收");

        await page.GotoAsync("/disputes/screening");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("report-status")).ToContainTextAsync("零报告");
        await Expect(page.GetByTestId("not-reported")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("not-reported")).Not.ToContainTextAsync("城中社区");
        await ShotAsync(page, browser, "township-screening-reports");
        await SignOutAsync(page);

        await SignInAsync(page, "county", Db.DemoPassword);
        await page.GotoAsync(url);
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "接收" }).ClickAsync();
        await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("已受理");
        await Expect(page.GetByTestId("dispute-number")).ToHaveTextAsync(number);
        await Expect(page.GetByTestId("dispute-unit")).ToContainTextAsync("新平");
        await Expect(page.GetByTestId("holdings")).ToContainTextAsync("城中社区");
        await Expect(page.GetByTestId("holdings")).ToContainTextAsync("桂山街道");
        await Expect(page.GetByTestId("dispute-history")).ToContainTextAsync("涉及民族风俗，须县民宗局协调");
        await ShotAsync(page, browser, "county-received");

        await page.GotoAsync("/disputes/statistics");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("dispute-figures")).ToContainTextAsync("其中涉民族因素 1 件");
        await ShotAsync(page, browser, "county-statistics");

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(url);
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("已受理");
        await ShotAsync(page, browser, "case-phone-390x844");
    });
}
