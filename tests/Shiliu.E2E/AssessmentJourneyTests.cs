using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Assessment;
using Shiliu.Core.Evidence;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// The county opens a round; 城中社区 scores itself with its evidence linked; its pair 中心村 scores it; the assessor scores
/// it from the scoring page beside what the ledgers hold; the county publishes and reads the ranking; 城中社区 reads its sheets.
/// </summary>
public sealed class AssessmentJourneyTests(ITestOutputHelper output) : Journey(output, "assessment")
{
    const string Round = "2026年12月综合考核";
    readonly System.Diagnostics.Stopwatch _sinceFirstSignIn = new();

    [Fact]
    public Task A_round_is_scored_three_ways_published_and_read_by_the_unit() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        var app = live.App;
        AssessmentService A(IServiceProvider sp) => sp.GetRequiredService<AssessmentService>();
        var chengzhong = await app.UnitAsync("530427001001");
        var zhongxin = await app.UnitAsync("530427101001");
        await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
            new EvidenceMeta { OrgUnitId = chengzhong.Id, Year = 2026, Title = "社区民族工作领导小组成立文件", Criteria = [1, 2] },
            "领导小组文件.jpg", new MemoryStream(Shiliu.Tests.Evidence.TestFiles.Jpeg(800, 600))));

        // The county office declares and opens the round.
        await page.GotoAsync("/assessment/rounds/new");
        _sinceFirstSignIn.Restart();
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByLabel("考评名称").FillAsync(Round);
        await page.GetByLabel("城中社区", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("中心村", new() { Exact = true }).CheckAsync();
        await ShotAsync(page, browser, "round-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存（筹备中）" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/assessment/rounds/[0-9a-f-]{36}$"));
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "启动考评（开始自检自查）" }).ClickAsync();
        await Expect(page.GetByTestId("round-facts")).ToContainTextAsync("自检自查");
        await page.GetByLabel("随机种子").FillAsync("20190301");
        await page.GetByLabel("随机种子").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "抽取分组" }).ClickAsync();
        await Expect(page.GetByTestId("round-units")).ToContainTextAsync("中心村");
        await Expect(page.Locator(".hint", new() { HasText = "20190301" })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "round-opened");
        // The drawn pairs are edited by hand before 互检互评: a unit made to score itself is refused, naming it.
        var scorer = await page.GetByLabel("第1组评分单位").InputValueAsync();
        await page.GetByLabel("第1组被评单位").SelectOptionAsync(scorer);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存分组" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("不能评自己");
        await ShotAsync(page, browser, "pairs-refused");
        await page.GetByRole(AriaRole.Button, new() { Name = "恢复为当前分组" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "对调第1组" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "对调第2组" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "保存分组" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Expect(page.Locator(".hint", new() { HasText = "20190301" })).ToHaveCountAsync(0);
        var id = Guid.Parse(page.Url[^36..]);
        await SignOutAsync(page);

        // 城中社区 scores itself, linking its evidence.
        await ScoreAsync(page, browser, circuit, "community", "自检自查", lose: 1.5m, reason: "领导小组成员调整后未及时发文", evidence: "社区民族工作领导小组成立文件", shot: "self-sheet");
        await app.AsAsync("county", async sp => await A(sp).AdvanceAsync(id, (await A(sp).GetAsync(id)).Version));

        // 中心村 scores its pair.
        await ScoreAsync(page, browser, circuit, "community2", "互检互评", lose: 2, reason: "宣传栏内容陈旧", evidence: null, shot: "mutual-sheet");
        var mutualSheet = await app.AsAsync("community2", async sp => (await A(sp).TasksAsync()).Single(t => t.Mode == AssessMode.Mutual).SheetId!.Value);
        await app.AsAsync("county", sp => A(sp).AssignAsync(id, "assessor", [chengzhong.Id, zhongxin.Id]));
        await app.AsAsync("county", async sp => await A(sp).AdvanceAsync(id, (await A(sp).GetAsync(id)).Version));

        // The assessor scores from the record: what the ledgers hold stands beside each score box.
        await ScoreAsync(page, browser, circuit, "assessor", "调研督查", lose: 1, reason: "实地查看发现会议记录缺签到表", evidence: null, shot: "supervision-sheet",
            beforeSubmit: async () =>
            {
                await Expect(page.GetByLabel("第1条台账记录")).ToContainTextAsync("《社区民族工作领导小组成立文件》");
                await Expect(page.GetByLabel("第2条台账记录")).ToContainTextAsync("建议得分");
                await page.SetViewportSizeAsync(390, 844);
                await ShotAsync(page, browser, "supervision-sheet-phone");
                await page.SetViewportSizeAsync(1366, 768);
            },
            afterSubmit: async () =>
            {
                // The assessor sees only its own sheets: 中心村's mutual sheet is not there for it (the API answers 404 alike).
                await page.GotoAsync($"/assessment/sheets/{mutualSheet}");
                await circuit.WaitAsync();
                await Expect(page.Locator(".error-banner")).ToContainTextAsync("考评评分表不存在或不在您的管辖范围内");
                await ShotAsync(page, browser, "assessor-foreign-sheet");
            });

        // The sign-in pages take 20 requests a minute from one address: the last two sign-ins wait for the next minute.
        var wait = TimeSpan.FromSeconds(62) - _sinceFirstSignIn.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);

        // The county publishes and reads the ranking.
        await page.GotoAsync($"/assessment/rounds/{id}");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "发布考评结果" }).ClickAsync();
        await Expect(page.GetByTestId("round-facts")).ToContainTextAsync("结果已发布");
        await page.GetByRole(AriaRole.Button, new() { Name = "考评结果与排名" }).ClickAsync();
        await circuit.WaitAsync();
        var ranking = page.GetByTestId("ranking");
        // 城中社区: 自检 98.5, 互评 98, 督查 99 → 98.5×0.2 + 98×0.3 + 99×0.5 = 98.6, 示范; 中心村 has no submitted sheet.
        await Expect(ranking.Locator("tr", new() { HasText = "城中社区" })).ToContainTextAsync("98.6");
        await Expect(ranking.Locator("tr", new() { HasText = "城中社区" })).ToContainTextAsync("示范");
        await Expect(page.GetByTestId("heat-map")).ToContainTextAsync("城中社区");
        await ShotAsync(page, browser, "results");
        await SignOutAsync(page);

        // 城中社区 reads its own sheets and the feedback.
        await page.GotoAsync($"/assessment/rounds/{id}");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.GetByText("城中社区的考评结果")).ToBeVisibleAsync();
        await Expect(page.GetByText("实地查看发现会议记录缺签到表")).ToBeVisibleAsync();
        await Expect(page.GetByText("调研督查（调研督查组）")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "unit-result");
        await page.SetViewportSizeAsync(390, 844);
        await ShotAsync(page, browser, "unit-result-phone");
    });

    /// <summary>Signs in as <paramref name="user"/>, opens the sheet due from the list and scores full marks but for 第1条, then submits.</summary>
    async Task ScoreAsync(IPage page, BrowserSession browser, CircuitWatch circuit, string user, string mode, decimal lose, string reason, string? evidence, string shot,
        Func<Task>? beforeSubmit = null, Func<Task>? afterSubmit = null)
    {
        await page.GotoAsync("/assessment");
        await SignInAsync(page, user, Db.DemoPassword);
        await circuit.WaitAsync();
        var row = page.GetByTestId("sheet-tasks").Locator("tr", new() { HasText = mode }).Filter(new() { HasText = "城中社区" });
        await row.GetByRole(AriaRole.Button, new() { Name = "开始评分" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/assessment/sheets/[0-9a-f-]{36}$"));
        await circuit.WaitAsync();
        int[] points = [8, 8, 6, 8, 8, 6, 8, 10, 8, 6, 8, 8, 8];
        for (var no = 1; no <= points.Length; no++)
        {
            var box = page.GetByLabel($"第{no}条得分");
            await box.FillAsync((no == 1 ? points[0] - lose : points[no - 1]).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await box.PressAsync("Tab");
        }
        await page.GetByLabel("第1条扣分原因").FillAsync(reason);
        await page.GetByLabel("第1条扣分原因").PressAsync("Tab");
        // Over the points: refused, naming the criterion.
        await page.GetByLabel("第2条得分").FillAsync("9");
        await page.GetByLabel("第2条得分").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await Expect(page.Locator(".error-banner")).ToContainTextAsync("第2条（组织机构与工作机制）得分不能超过该项分值 8 分");
        await page.GetByLabel("第2条得分").FillAsync("8");
        await page.GetByLabel("第2条得分").PressAsync("Tab");
        if (evidence is not null) await page.GetByLabel(evidence).First.CheckAsync();
        await page.GetByLabel("总体评价").FillAsync("台账齐全，工作扎实");
        await page.GetByLabel("总体评价").PressAsync("Tab");
        if (beforeSubmit is not null) await beforeSubmit();
        await ShotAsync(page, browser, shot);
        await page.GetByRole(AriaRole.Button, new() { Name = "提交（提交后锁定）" }).ClickAsync();
        await Expect(page.GetByTestId("sheet-summary")).ToContainTextAsync("已提交");
        if (afterSubmit is not null) await afterSubmit();
        await SignOutAsync(page);
    }
}
