using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Assessment;
using Shiliu.Core.Common;
using Shiliu.Core.Dashboards;
using Shiliu.Core.Data;
using Shiliu.Core.Disputes;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Reporting;
using Shiliu.Core.Residents;
using Shiliu.Tests.Assessment;
using Shiliu.Tests.Disputes;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Reporting;
using Shiliu.Tests.Residents;
using static Shiliu.Tests.Dashboards.DashboardTests;

namespace Shiliu.Tests.Dashboards;

/// <summary>The reviewer's findings on the 数据看板 (issue 15 §2): each with the behaviour it asked for, on both engines.</summary>
public sealed class DashboardReviewTests
{
    static DashboardService D(IServiceProvider sp) => sp.GetRequiredService<DashboardService>();

    static DashboardPanel Panel(DashboardView v, string key) => v.Panels.Single(p => p.Key == key);

    static SaveVisit Visit(Guid resident, DateOnly date, VisitKind kind = VisitKind.Routine) =>
        new() { ResidentId = resident, VisitDate = date, Kind = kind, Visitor = "网格员", Findings = "家中情况正常" };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_visited_households_list_reads_a_page_from_the_units_that_hold_it_in_the_order_of_their_codes(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));
        var residents = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var visits = (IServiceProvider sp) => sp.GetRequiredService<VisitService>();
        // Four units of 桂山街道 with visited households: 城中社区 itself (one person without a 户号), its second grid (two
        // households), its first (three, one with two visited members), and the township's other community (one).
        var plan = new (string Unit, string? Household, int People)[]
        {
            ("530427001001-G02", "B-2", 1), ("530427001001-G01", "A-3", 1), ("530427001001", null, 1), ("530427001001-G01", "A-1", 2),
            ("530427001001-G02", "B-1", 1), ("530427001001-G01", "A-2", 1), ("530427001002", "C-1", 1),
        };
        var names = new Dictionary<string, string>();
        foreach (var (code, household, people) in plan)
        {
            var unit = await app.UnitAsync(code);
            names[code] = unit.Name;
            for (var i = 0; i < people; i++)
            {
                var id = await app.AsAsync(null, sp => residents(sp).CreateAsync(Person(unit.Id, "07", ResidenceType.Permanent, household)));
                await app.AsAsync(null, sp => visits(sp).CreateAsync(Visit(id, new DateOnly(2026, 6, 10 + i))));
            }
        }
        // In the order of the units' codes (the community before its grids, the grids by number), then by 户号.
        string[] expected =
        [
            $"{names["530427001001"]}/", $"{names["530427001001-G01"]}/A-1", $"{names["530427001001-G01"]}/A-2", $"{names["530427001001-G01"]}/A-3",
            $"{names["530427001001-G02"]}/B-1", $"{names["530427001001-G02"]}/B-2", $"{names["530427001002"]}/C-1",
        ];
        // Both keyings: the register now (1 January to today) and as the visits recorded them (June, and the calendar year
        // 2026 is not past yet, so a past period that is not a whole year); each also one household a page (VisitedRowsAsync).
        foreach (var (from, to) in new[] { (new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 2)), (new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)) })
        {
            var q = new VisitPageQuery { From = from, To = to };
            Assert.Equal(7, await app.AsAsync("township", sp => VisitedRowsAsync(sp, q)));
            var listed = await app.AsAsync("township", sp => visits(sp).HouseholdsAsync(q));
            Assert.Equal(expected, listed.Households.Items.Select(h => $"{h.UnitName}/{h.HouseholdNo}"));
            Assert.Equal([1, 2, 1, 1, 1, 1, 1], listed.Households.Items.Select(h => h.People.Count));
            // Page 2 of three a page starts inside the first grid and ends in the second.
            var second = await app.AsAsync("township", sp => visits(sp).HouseholdsAsync(q with { Page = 2, PageSize = 3 }));
            Assert.Equal(expected[3..6], second.Households.Items.Select(h => $"{h.UnitName}/{h.HouseholdNo}"));
            Assert.Equal(7, second.Households.Total);
            // A page past the end is empty; a grid's own list holds its households only.
            Assert.Empty((await app.AsAsync("township", sp => visits(sp).HouseholdsAsync(q with { Page = 4, PageSize = 3 }))).Households.Items);
            var g2 = await app.UnitAsync("530427001001-G02");
            Assert.Equal(["B-1", "B-2"], (await app.AsAsync("community", sp => visits(sp).HouseholdsAsync(q with { OrgUnitId = g2.Id }))).Households.Items.Select(h => h.HouseholdNo!));
        }
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Visit_coverage_counts_the_households_visited_inside_a_past_period_not_those_visited_since_its_start(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));
        var g1 = await app.UnitAsync("530427001001-G01");
        var residents = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var h1 = await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-01")));
        var h1b = await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-01")));
        var h2 = await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "18", ResidenceType.Permanent, "H-02")));
        await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "18", ResidenceType.Floating, "H-03")));
        var visits = (IServiceProvider sp) => sp.GetRequiredService<VisitService>();
        // H-01 twice in March (two of its members), again in October; H-02 in June, on the period's last day.
        // Last year: H-01 in May (a condolence) and July (another member), H-02 on New Year's Eve.
        foreach (var (who, date, how) in new[]
                 {
                     (h1, new DateOnly(2026, 3, 1), VisitKind.Routine), (h1b, new DateOnly(2026, 3, 20), VisitKind.Routine),
                     (h2, new DateOnly(2026, 6, 30), VisitKind.MustVisit), (h1, new DateOnly(2026, 10, 8), VisitKind.Condolence),
                     (h1, new DateOnly(2025, 5, 1), VisitKind.Condolence), (h1b, new DateOnly(2025, 7, 7), VisitKind.Routine), (h2, new DateOnly(2025, 12, 31), VisitKind.Routine),
                 })
            await app.AsAsync("grid", sp => visits(sp).CreateAsync(Visit(who, date, how)));

        async Task<(double Visited, double Visits, double All)> Coverage(DateOnly from, DateOnly to)
        {
            var v = await app.AsAsync("township", sp => D(sp).ReadAsync(new DashboardRequest { From = from, To = to }));
            // The households list behind the figure has as many rows, whichever way the figure was counted (its pager's
            // total is the figure's own count, so the rows are what is checked).
            Assert.Equal(Figure(v, "grids", "期间走访覆盖户数"), await app.AsAsync("township", sp => DashboardTests.VisitedRowsAsync(sp, new VisitPageQuery { From = from, To = to })));
            return (Figure(v, "grids", "期间走访覆盖户数"), Figure(v, "grids", "期间走访"), Figure(v, "grids", "在册户数"));
        }
        async Task<IReadOnlyList<double>> ByKind(DateOnly from, DateOnly to) =>
            Panel(await app.AsAsync("township", sp => D(sp).ReadAsync(new DashboardRequest { From = from, To = to })), "grids").Chart!.Series.Single().Values;

        // March: one household (H-01, visited twice); its later visit in October does not make it count for April–May.
        Assert.Equal((1, 2, 3), await Coverage(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)));
        Assert.Equal((0, 0, 3), await Coverage(new DateOnly(2026, 4, 1), new DateOnly(2026, 5, 31)));
        // A past period whose end is a visit day counts it; the day after does not.
        Assert.Equal((1, 1, 3), await Coverage(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)));
        Assert.Equal((0, 0, 3), await Coverage(new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30)));
        Assert.Equal((2, 4, 3), await Coverage(new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 2)));
        // Whole months (from the monthly tally) with part months at both ends (from the visits): 3月20日 and 10月8日 are in,
        // 3月1日 is not; by kind 日常, 慰问, 必访.
        Assert.Equal((2, 3, 3), await Coverage(new DateOnly(2026, 3, 15), new DateOnly(2026, 10, 10)));
        Assert.Equal([1, 1, 1], await ByKind(new DateOnly(2026, 3, 15), new DateOnly(2026, 10, 10)));
        Assert.Equal([2, 0, 0], await ByKind(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)));
        // A past calendar year (the year tally of households): H-01 through two of its members, and H-02 on the last day.
        Assert.Equal((2, 3, 3), await Coverage(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)));
        Assert.Equal([2, 1, 0], await ByKind(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)));
        Assert.Equal((1, 1, 3), await Coverage(new DateOnly(2025, 7, 1), new DateOnly(2025, 12, 30)));
        Assert.Equal((2, 5, 3), await Coverage(new DateOnly(2025, 6, 1), new DateOnly(2026, 6, 30)));

        // The households behind 期间走访覆盖户数: H-01 (visited through two of its members, twice in the period) and H-02.
        var reached = await app.AsAsync("township", sp => sp.GetRequiredService<VisitService>().HouseholdsAsync(
            new VisitPageQuery { OrgUnitId = g1.Id, From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 12, 31) }));
        Assert.Equal([("H-01", 2, 2, new DateOnly(2025, 5, 1), new DateOnly(2025, 7, 7)), ("H-02", 1, 1, new DateOnly(2025, 12, 31), new DateOnly(2025, 12, 31))],
            reached.Households.Items.Select(h => (h.HouseholdNo!, h.People.Count, h.Visits, h.FirstVisit, h.LastVisit)));
        Assert.All(reached.Households.Items, h => Assert.Equal(g1.Name, h.UnitName));
        await app.AsAsync("community2", sp => Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<VisitService>().HouseholdsAsync(new VisitPageQuery { OrgUnitId = g1.Id })));

        // H-02 moves out. A period running to today counts (and lists) the households on the register now, so the share of
        // the register stays within 100%; a past period still counts and lists H-02 as its June visit recorded it.
        await PopulationStatisticTests.EditAsync(app, "grid", h2, r => (r.Status, r.StatusDate) = (ResidentStatus.MovedOut, new DateOnly(2026, 11, 1)));
        Assert.Equal((1, 4, 2), await Coverage(new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 2)));
        Assert.Equal((1, 1, 2), await Coverage(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)));
        var now = await app.AsAsync("township", sp => sp.GetRequiredService<VisitService>().HouseholdsAsync(new VisitPageQuery()));
        Assert.True(now.OnRegister);
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 2)), (now.From, now.To));
        Assert.Equal([("H-01", 2, 3)], now.Households.Items.Select(h => (h.HouseholdNo!, h.People.Count, h.Visits)));
        var june = await app.AsAsync("township", sp => sp.GetRequiredService<VisitService>().HouseholdsAsync(
            new VisitPageQuery { From = new DateOnly(2026, 6, 1), To = new DateOnly(2026, 6, 30) }));
        Assert.False(june.OnRegister);
        Assert.Equal("H-02", june.Households.Items.Single().HouseholdNo);

        // The list behind 期间走访: the same visits, newest first, named; another township's community cannot open it.
        var listed = await app.AsAsync("township", sp => sp.GetRequiredService<VisitService>().PageAsync(
            new VisitPageQuery { OrgUnitId = g1.Id, From = new DateOnly(2026, 3, 15), To = new DateOnly(2026, 10, 10) }));
        Assert.Equal(3, listed.Visits.Total);
        Assert.Equal([(new DateOnly(2026, 10, 8), "慰问"), (new DateOnly(2026, 6, 30), "必访"), (new DateOnly(2026, 3, 20), "走访")],
            listed.Visits.Items.Select(v => (v.VisitDate, v.KindName)));
        Assert.All(listed.Visits.Items, v => Assert.False(string.IsNullOrEmpty(v.ResidentName)));
        await app.AsAsync("community2", sp => Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<VisitService>().PageAsync(new VisitPageQuery { OrgUnitId = g1.Id })));
        await app.AsAsync("community2", sp => Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<GridService>().StaffAsync(g1.Id)));
        var backwards = await app.AsAsync("township", sp => Assert.ThrowsAsync<RuleViolation>(() => sp.GetRequiredService<VisitService>().PageAsync(
            new VisitPageQuery { From = new DateOnly(2026, 5, 1), To = new DateOnly(2026, 4, 1) })));
        Assert.Equal("结束日期不能早于开始日期", backwards.Fields!["to"].Single());

        // The township's report draft for a past period counts the same households as its dashboard.
        async Task<string> Drafted(DateOnly from, DateOnly to)
        {
            var (_, annex, doc) = await app.AsAsync("township", async sp => await ReportTests.OpenAsync(
                await sp.GetRequiredService<ReportService>().DraftAsync(new ReportRequest { From = from, To = to })));
            doc.Dispose();
            return annex.Single(r => r[1] == "走访覆盖户数")[2];
        }
        Assert.Equal("0", await Drafted(new DateOnly(2026, 4, 1), new DateOnly(2026, 5, 31)));
        Assert.Equal("1", await Drafted(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)));
        // This year to today: H-01 only, H-02 having left (as on the dashboard above); last year: both.
        Assert.Equal("1", await Drafted(new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 2)));
        Assert.Equal("2", await Drafted(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Leaders_read_head_counts_without_links_and_are_told_when_ethnic_disputes_are_left_out_with_totals_that_match_the_lists(DbProvider kind)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        await FillAsync(app, outside: false);
        await DisputeTests.RegisterAsync(app, "community", DisputeTests.Case(RiskColour.Red, ethnic: true));
        var req = new DashboardRequest { From = new DateOnly(2026, 1, 1) };
        var leader = await app.AsAsync("leader", sp => D(sp).ReadAsync(req));
        var county = await app.AsAsync("county", sp => D(sp).ReadAsync(req));

        // Population and grid figures: counts for the leader, never a list of people.
        foreach (var key in new[] { "population", "floating", "grids" })
        {
            Assert.All(Panel(leader, key).Figures, f => Assert.Null(f.Link));
            Assert.Contains("领导查看汇总数字", Panel(leader, key).Source);
            Assert.DoesNotContain("领导查看汇总数字", Panel(county, key).Source);
        }
        Assert.Equal(Figure(county, "population", "在册人口"), Figure(leader, "population", "在册人口"));

        // The ethnic case is counted for its handlers and left out for the leader, who is told so.
        Assert.Equal(2, Figure(county, "disputes", "在办红色"));
        Assert.Equal(1, Figure(leader, "disputes", "在办红色"));
        Assert.Contains("不含涉民族因素的纠纷", Panel(leader, "disputes").Source);
        Assert.DoesNotContain("涉民族因素", Panel(county, "disputes").Source);
        // And what the leader's figures say is what the lists they open show.
        foreach (var f in Panel(leader, "disputes").Figures.Where(f => f.Link is not null))
            Assert.Equal(f.Value, await app.AsAsync("leader", sp => RowsAsync(sp, f.Link!)));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Weakest_criteria_are_those_of_the_units_in_the_view(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));
        var chengzhong = await app.UnitAsync(AssessmentFixtures.Chengzhong);
        var zhongxin = await app.UnitAsync(AssessmentFixtures.Zhongxin);
        // The round ends after the demo county's own, so it is the latest the dashboard reads.
        var spec = AssessmentFixtures.Round("2027年1月综合考核", [chengzhong.Id, zhongxin.Id]);
        (spec.PeriodFrom, spec.PeriodTo) = (new DateOnly(2026, 2, 1), new DateOnly(2027, 1, 31));
        var round = await app.AsAsync("county", sp => AssessmentFixtures.A(sp).CreateAsync(spec));
        await app.AsAsync("county", async sp => await AssessmentFixtures.A(sp).OpenAsync(round, (await AssessmentFixtures.A(sp).GetAsync(round)).Version));
        // 城中社区 (桂山街道) loses most on the first criterion, 中心村 (扬武镇) on the second.
        async Task<string> SelfAsync(string user, Guid unit, int weak)
        {
            var a = (IServiceProvider sp) => sp.GetRequiredService<AssessmentService>();
            var id = await app.AsAsync(user, sp => a(sp).OpenSheetAsync(round, AssessMode.Self, unit));
            var sheet = await app.AsAsync(user, sp => a(sp).GetSheetAsync(id));
            await app.AsAsync(user, sp => a(sp).SaveSheetAsync(id, new SaveSheet
            {
                Version = sheet.Version, Feedback = "自查",
                Lines = sheet.Lines.Select((l, i) => new SaveLine
                    { CriterionNo = l.CriterionNo, Score = i == weak ? 0 : l.Points, DeductionReason = i == weak ? "尚未开展" : null }).ToList(),
            }));
            sheet = await app.AsAsync(user, sp => a(sp).GetSheetAsync(id));
            await app.AsAsync(user, sp => a(sp).SubmitSheetAsync(id, sheet.Version));
            return sheet.Lines[weak].ShortTitle;
        }
        var first = await SelfAsync("community", chengzhong.Id, 0);
        var second = await SelfAsync("community2", zhongxin.Id, 1);

        static string Weakest(DashboardView v) => Panel(v, "assessment").Figures.FirstOrDefault(f => f.Label.StartsWith("薄弱指标", StringComparison.Ordinal))?.Label
            ?? Panel(v, "assessment").Title + string.Join("；", Panel(v, "assessment").Figures.Select(f => $"{f.Label}={f.Value}"));
        var guishan = await app.AsAsync("leader", sp => D(sp).ReadAsync(new DashboardRequest { Unit = chengzhong.ParentId }));
        var yangwu = await app.AsAsync("leader", sp => D(sp).ReadAsync(new DashboardRequest { Unit = zhongxin.ParentId }));
        var community = await app.AsAsync("leader", sp => D(sp).ReadAsync(new DashboardRequest { Unit = zhongxin.Id }));
        Assert.Contains(first, Weakest(guishan));
        Assert.Contains(second, Weakest(yangwu));
        Assert.Contains(second, Weakest(community));
        Assert.Contains("桂山街道辖区内参评单位", Panel(guishan, "assessment").Source);
        // The county's view reads both, each criterion at half its points on average: the first criterion goes first.
        var county = await app.AsAsync("leader", sp => D(sp).ReadAsync(new DashboardRequest()));
        var weak = Panel(county, "assessment").Figures.Where(f => f.Label.StartsWith("薄弱指标", StringComparison.Ordinal)).Select(f => f.Label).ToList();
        Assert.Contains(first, weak[0]);
        Assert.Contains(second, weak[1]);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_record_at_23_59_falls_in_the_period_ending_that_day_and_one_at_00_00_in_the_period_starting_the_next(DbProvider kind)
    {
        // 31 October 2026, 23:59 China time.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 31, 15, 59, 0, TimeSpan.Zero));
        Assert.Equal(new DateTime(2026, 10, 31, 16, 0, 0, DateTimeKind.Utc), ChinaTime.DayStartUtc(new DateOnly(2026, 11, 1)));
        Assert.Equal(DateTimeKind.Utc, ChinaTime.DayStartUtc(new DateOnly(2026, 11, 1)).Kind);
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        await DisputeTests.RegisterAsync(app, "community", DisputeTests.Case(RiskColour.Blue));
        clock.Advance(TimeSpan.FromMinutes(1));   // 1 November, 00:00 China time
        await DisputeTests.RegisterAsync(app, "community", DisputeTests.Case(RiskColour.Yellow));
        clock.Advance(TimeSpan.FromDays(1));

        async Task<double> Registered(DateOnly from, DateOnly to) =>
            Figure(await app.AsAsync("community", sp => D(sp).ReadAsync(new DashboardRequest { From = from, To = to })), "disputes", "期间登记");
        Assert.Equal(1, await Registered(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)));
        Assert.Equal(1, await Registered(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1)));
        Assert.Equal(2, await Registered(new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 1)));
        // The list the figure opens draws the same line.
        var octoberLink = (await app.AsAsync("community", sp => D(sp).ReadAsync(new DashboardRequest { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 10, 31) })))
            .Panels.Single(p => p.Key == "disputes").Figures.Single(f => f.Label == "期间登记").Link!;
        Assert.Equal(1, await app.AsAsync("community", sp => RowsAsync(sp, octoberLink)));
    }
}
