using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Common;
using Shiliu.Core.Residents;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 人口统计 and 网格管理: the township sees its communities' figures and charts and exports them; the community staffs a grid;
/// the grid worker, on a phone, sees its grid's households with ID numbers and phones masked.
/// </summary>
public sealed class StatisticsJourneyTests(ITestOutputHelper output) : Journey(output, "statistics")
{
    static DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToChina(TimeProvider.System.GetUtcNow().UtcDateTime));

    static SaveResident Person(Guid unit, string name, string ethnicity, ResidenceType type, string? household, string? relation, ResidentNeeds needs, int arrivedMonthsAgo = 0) => new()
    {
        OrgUnitId = unit, Name = name, EthnicityCode = ethnicity, IdNumber = Shiliu.Tests.Residents.Ids.Next(), ResidenceType = type, HouseholdNo = household,
        RelationToHead = relation, Needs = needs, Phone = "13887654321",
        OriginPlace = type == ResidenceType.Floating ? "云南省红河州元阳县" : null, ArrivalDate = type == ResidenceType.Floating ? Today.AddMonths(-arrivedMonthsAgo) : null,
        Employer = type == ResidenceType.UnitEmployee ? "新平县人民医院" : null,
    };

    [Fact]
    public Task Township_sees_and_exports_the_statistics_community_staffs_a_grid_grid_worker_sees_households_on_a_phone() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        var g1 = await live.App.UnitAsync("530427001001-G01");
        var g2 = await live.App.UnitAsync("530427001001-G02");
        var second = await live.App.UnitAsync("530427001002");
        await live.App.AsAsync(null, async sp =>
        {
            var r = sp.GetRequiredService<ResidentService>();
            var head = await r.CreateAsync(Person(g1.Id, "刀国华", "18", ResidenceType.Permanent, "CZ-0101", "户主", ResidentNeeds.Employment));
            await r.CreateAsync(Person(g1.Id, "刀小明", "18", ResidenceType.Permanent, "CZ-0101", "子女", ResidentNeeds.Schooling));
            await r.CreateAsync(Person(g1.Id, "李秀英", "07", ResidenceType.Permanent, "CZ-0102", "户主", ResidentNeeds.Medical));
            await r.CreateAsync(Person(g1.Id, "普文", "07", ResidenceType.Floating, "CZ-0103", "户主", ResidentNeeds.Employment | ResidentNeeds.Training));
            await r.CreateAsync(Person(g2.Id, "白云", "16", ResidenceType.Floating, null, null, ResidentNeeds.Translation, arrivedMonthsAgo: 2));
            await r.CreateAsync(Person(g2.Id, "杨华", "14", ResidenceType.UnitEmployee, null, null, ResidentNeeds.None));
            await r.CreateAsync(Person(second.Id, "者玉兰", "07", ResidenceType.Floating, "ZX-01", "户主", ResidentNeeds.Legal, arrivedMonthsAgo: 5));
            await sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit { ResidentId = head, VisitDate = Today.AddDays(-7), Visitor = "李网格", Findings = "家中正常" });
        });

        // The township officer on an old office PC: its three communities' figures and charts, then 城中社区 alone, then the workbook.
        await page.GotoAsync("/statistics/population");
        await SignInAsync(page, "township", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("stat-unit")).ToContainTextAsync("桂山街道");
        await Expect(page.GetByTestId("stat-total")).ToHaveTextAsync("7");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "近12个月流动人口流入和迁出人数" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("stat-table")).ToContainTextAsync("城中社区");
        await ShotAsync(page, browser, "township-statistics");
        await page.GetByLabel("统计单位").SelectOptionAsync(new SelectOptionValue { Label = "城中社区" });
        await Expect(page.GetByTestId("stat-unit")).ToContainTextAsync("城中社区");
        await Expect(page.GetByTestId("stat-total")).ToHaveTextAsync("6");
        await Expect(page.GetByTestId("stat-table")).ToContainTextAsync(g1.Name);
        await ShotAsync(page, browser, "township-community-statistics");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByText("导出Excel").ClickAsync());
        Assert.Matches(@"^城中社区人口统计\d{8}\.xlsx$", download.SuggestedFilename);
        var file = Path.Combine(ShotDir, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        using (var doc = SpreadsheetDocument.Open(file, false))
        {
            var wb = doc.WorkbookPart!;
            var sheet = wb.Workbook.Sheets!.Elements<Sheet>().First();
            var rows = ((WorksheetPart)wb.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>()
                .Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToArray()).ToList();
            Assert.Equal(["合计", "6", "3", "2", "1"], rows[^1]);
        }
        // The same page on a phone (loaded afresh, as a phone would, so the menu starts folded).
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("stat-total")).ToHaveTextAsync("7");
        await ShotAsync(page, browser, "township-statistics-phone");
        await SignOutAsync(page);

        // The community's staff records who serves 第一网格 and links the grid worker's account.
        await page.SetViewportSizeAsync(1366, 768);
        await SignInAsync(page, "community", Db.DemoPassword);
        await page.GotoAsync("/grids");
        await circuit.WaitAsync();
        var row = page.GetByTestId("grid-row").Filter(new() { HasText = g1.Name });
        var edit = page.Locator(".grid-edit");
        // The first click after signing in can land before the page is attached to its circuit (seen once in CI).
        await CircuitWatch.ClickUntilVisibleAsync(row.GetByText("编辑"), edit);
        await edit.GetByLabel("四至范围").FillAsync("东至新平大街，南至桂山路，西至城中小学，北至农贸市场");
        await edit.GetByLabel("包含楼栋").FillAsync("桂山小区1—6栋");
        await edit.GetByLabel("包含楼栋").PressAsync("Tab");
        await edit.GetByRole(AriaRole.Button, new() { Name = "保存网格信息" }).ClickAsync();
        await Expect(row).ToContainTextAsync("东至新平大街");
        await edit.GetByRole(AriaRole.Button, new() { Name = "添加人员" }).ClickAsync();
        await edit.GetByLabel("第1名姓名").FillAsync("李网格");
        await edit.GetByLabel("第1名职务").SelectOptionAsync(new SelectOptionValue { Label = "网格长" });
        await edit.GetByLabel("第1名电话").FillAsync("13908770001");
        await edit.GetByLabel("第1名关联账号").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await edit.GetByRole(AriaRole.Button, new() { Name = "添加人员" }).ClickAsync();
        await edit.GetByLabel("第2名姓名").FillAsync("王指导");
        await edit.GetByLabel("第2名职务").SelectOptionAsync(new SelectOptionValue { Label = "网格指导员" });
        await edit.GetByLabel("第2名电话").FillAsync("0877-7012345");
        await edit.GetByLabel("第2名电话").PressAsync("Tab");
        await edit.GetByRole(AriaRole.Button, new() { Name = "保存网格人员" }).ClickAsync();
        await Expect(row).ToContainTextAsync("网格长 李网格");
        await Expect(row).ToContainTextAsync("（账号 grid）");
        await Expect(row).ToContainTextAsync("网格指导员 王指导");
        await ShotAsync(page, browser, "community-grid-staffed");
        await SignOutAsync(page);

        // The county office: every township's figures, and the grid map of the whole county with the staff just recorded.
        await SignInAsync(page, "county", Db.DemoPassword);
        await page.GotoAsync("/statistics/population");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("stat-unit")).ToContainTextAsync("新平");
        await Expect(page.GetByTestId("stat-total")).ToHaveTextAsync("7");
        await Expect(page.GetByTestId("stat-table")).ToContainTextAsync("桂山街道");
        await ShotAsync(page, browser, "county-statistics");
        await page.GotoAsync("/grids");
        await circuit.WaitAsync();
        // A line per community (not every grid of the county on one page); 城中社区's second grid has nobody recorded yet.
        var line = page.GetByTestId("community-summary").Locator("tr").Filter(new() { HasText = "城中社区" });
        await Expect(line.Locator("td").Nth(1)).ToHaveTextAsync("2");
        await Expect(line.Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Expect(line.Locator("td").Nth(3)).ToHaveTextAsync("6");
        await ShotAsync(page, browser, "county-grids");
        var county1 = page.GetByTestId("grid-row").Filter(new() { HasText = g1.Name });
        await CircuitWatch.ClickUntilVisibleAsync(line.GetByText("查看网格"), county1);
        await Expect(county1).ToContainTextAsync("网格长 李网格");
        await Expect(page.GetByTestId("community-summary")).ToHaveCountAsync(0);
        await ShotAsync(page, browser, "county-community-grids");
        await SignOutAsync(page);

        // The grid worker on a phone lands on its grid's households, masked.
        await page.SetViewportSizeAsync(390, 844);
        await SignInAsync(page, "grid", Db.DemoPassword);
        await page.GotoAsync("/grids");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("household-count")).ToContainTextAsync("共 3 户");
        var household = page.Locator(".household.open");
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByText("刀国华"), household);
        await Expect(household).ToContainTextAsync("刀小明");
        await Expect(household).ToContainTextAsync("138****4321");
        await Expect(page.Locator(".grid-own")).ToContainTextAsync("网格长 李网格");
        await ShotAsync(page, browser, "grid-worker-households-phone");

        // From the household straight to one member's record, to log the visit there.
        await household.Locator(".household-members li").Filter(new() { HasText = "刀小明" }).GetByText("档案 / 登记走访").ClickAsync();
        await page.WaitForURLAsync("**/residents?resident=*");
        await circuit.WaitAsync();
        var detail = page.Locator(".resident-detail");
        await Expect(detail).ToContainTextAsync("刀小明");
        await Expect(detail.GetByTestId("id-number")).ToContainTextAsync("530427********");
        await detail.GetByLabel("走访人").FillAsync("李网格");
        await detail.GetByLabel("走访情况").FillAsync("孩子在城中小学读书，家里一切正常。");
        await detail.GetByLabel("走访情况").PressAsync("Tab");
        await detail.GetByRole(AriaRole.Button, new() { Name = "登记走访" }).ClickAsync();
        await Expect(detail.GetByTestId("visits")).ToContainTextAsync("城中小学");
        await ShotAsync(page, browser, "grid-worker-visit-from-household");
    });
}
