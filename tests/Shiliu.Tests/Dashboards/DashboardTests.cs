using System.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using Shiliu.Core.Activities;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Dashboards;
using Shiliu.Core.Data;
using Shiliu.Core.Disputes;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Residents;
using Shiliu.Core.ServiceCases;
using Shiliu.Tests.Disputes;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;
using Shiliu.Tests.ServiceCases;

namespace Shiliu.Tests.Dashboards;

/// <summary>数据看板: every figure over the caller's subtree only, totals that add up, and every count opening exactly its records.</summary>
public sealed class DashboardTests
{
    // Monday 2 November 2026, 10:00 China time: the service cases fall due within the week.
    static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));

    static DashboardService D(IServiceProvider sp) => sp.GetRequiredService<DashboardService>();

    internal static SaveResident Person(Guid unit, string ethnicity, ResidenceType type, string? household) => new()
    {
        OrgUnitId = unit, Name = "看板居民", EthnicityCode = ethnicity, IdNumber = Ids.Next(), ResidenceType = type, HouseholdNo = household, RelationToHead = "户主",
        OriginPlace = type == ResidenceType.Floating ? "云南省红河州" : null, ArrivalDate = type == ResidenceType.Floating ? new DateOnly(2026, 10, 20) : null,
    };

    static SaveActivity Activity(Guid unit, string type, DateOnly date) => new()
    {
        OrgUnitId = unit, TypeCode = type, Title = "民族团结联欢", Date = date, Place = "社区广场", Organiser = "居委会", ParticipantsTotal = 60,
        Participants = [new() { EthnicityCode = "07", Count = 40 }],
    };

    /// <summary>城中社区 (桂山街道) gets three residents, an activity, two service cases and two disputes; 中心村 (扬武镇) one of each.</summary>
    internal static async Task FillAsync(ShiliuApp app, bool outside)
    {
        var g1 = await app.UnitAsync("530427001001-G01");
        var chengzhong = await app.UnitAsync("530427001001");
        var zhongxin = await app.UnitAsync("530427101001");
        var residents = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var activities = (IServiceProvider sp) => sp.GetRequiredService<ActivityService>();
        if (!outside)
        {
            var h1 = await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-01")));
            await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-02")));
            // Two visits to one household and two people serving the grid: the 期间走访 and 网格工作人员 lists behind the counts.
            foreach (var (date, kind) in new[] { (new DateOnly(2026, 10, 20), VisitKind.Routine), (new DateOnly(2026, 10, 31), VisitKind.Condolence) })
                await app.AsAsync("grid", sp => sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit
                    { ResidentId = h1, VisitDate = date, Kind = kind, Visitor = "网格员", Findings = "家中情况正常" }));
            await app.AsAsync("community", sp => sp.GetRequiredService<GridService>().SaveMembersAsync(g1.Id, new SaveGridMembers
                { Members = [new() { Name = "李网格", Role = GridRole.Leader, Phone = "0877-7012345" }, new() { Name = "刀专职", Role = GridRole.FullTime }] }));
            await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "18", ResidenceType.Floating, "H-03")));
            // Held for a festival: 结合民族节日 opens it.
            Guid festival;
            await using (var db = await app.SystemDbAsync()) festival = await db.Festivals.Select(f => f.Id).FirstAsync();
            var held = Activity(chengzhong.Id, "A03", new DateOnly(2026, 10, 30));
            held.FestivalId = festival;
            await app.AsAsync("community", sp => activities(sp).SaveAsync(null, held));
            await ServiceCaseTests.OpenAsync(app, "community");
            await ServiceCaseTests.OpenAsync(app, "community", "医疗卫生");
            await DisputeTests.RegisterAsync(app, "community", DisputeTests.Case(RiskColour.Red));
            await DisputeTests.RegisterAsync(app, "community", DisputeTests.Case(RiskColour.Blue));
        }
        else
        {
            await app.AsAsync("community2", sp => residents(sp).CreateAsync(Person(zhongxin.Id, "17", ResidenceType.Floating, "Z-1")));
            await app.AsAsync("community2", sp => activities(sp).SaveAsync(null, Activity(zhongxin.Id, "A01", new DateOnly(2026, 10, 29))));
            await ServiceCaseTests.OpenAsync(app, "community2");
            await DisputeTests.RegisterAsync(app, "community2", DisputeTests.Case(RiskColour.Red));
        }
    }

    static Dictionary<string, double?> Figures(DashboardView v, params string[] keys) =>
        v.Panels.Where(p => keys.Length == 0 || keys.Contains(p.Key)).SelectMany(p => p.Figures.Select(f => ($"{p.Key}/{f.Label}", f.Value)))
            .ToDictionary(x => x.Item1, x => x.Value);

    internal static double Figure(DashboardView v, string panel, string label) => v.Panels.Single(p => p.Key == panel).Figures.Single(f => f.Label == label).Value!.Value;

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Each_view_counts_only_its_subtree_the_county_is_the_sum_of_its_townships_and_an_outside_record_moves_nothing(DbProvider kind)
    {
        var clock = Clock();
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var chengzhong = await app.UnitAsync("530427001001");
        var yangwu = await app.UnitAsync("530427101000");
        await FillAsync(app, outside: false);
        clock.Advance(TimeSpan.FromDays(20));   // past every case's five working days
        var req = new DashboardRequest { From = new DateOnly(2026, 1, 1) };

        var before = await app.AsAsync("township", sp => D(sp).ReadAsync(req));
        Assert.Equal(("桂山街道", OrgLevel.Township), (before.UnitName, before.Level));
        Assert.Equal(3, Figure(before, "population", "在册人口"));
        Assert.Equal(1, Figure(before, "population", "流动"));
        Assert.Equal(2, Figure(before, "services", "逾期"));
        Assert.Equal(1, Figure(before, "disputes", "在办红色"));
        Assert.Equal(1, Figure(before, "activities", "期间活动"));
        // 考评排名 is for the county office and leaders: absent, not zeros.
        Assert.DoesNotContain(before.Panels, p => p.Key == "assessment");

        // Records in another township move none of the township's or the community's figures.
        var community = await app.AsAsync("community", sp => D(sp).ReadAsync(req));
        await FillAsync(app, outside: true);
        clock.Advance(TimeSpan.FromDays(20));
        var after = await app.AsAsync("township", sp => D(sp).ReadAsync(req));
        Assert.Equal(Figures(before, "population", "services", "disputes", "activities"), Figures(after, "population", "services", "disputes", "activities"));
        Assert.Equal(Figures(community, "population", "disputes", "activities"), Figures(await app.AsAsync("community", sp => D(sp).ReadAsync(req)), "population", "disputes", "activities"));
        Assert.Equal(chengzhong.Id, community.UnitId);
        Assert.Equal(3, Figure(community, "population", "在册人口"));

        // Nor can a township look at another's view.
        await app.AsAsync("township", sp => Assert.ThrowsAsync<NotFoundInScope>(() => D(sp).ReadAsync(new DashboardRequest { Unit = yangwu.Id })));

        // The county (a leader) sees both, and each count is the sum of its townships'.
        var county = await app.AsAsync("leader", sp => D(sp).ReadAsync(req));
        Assert.Equal(4, Figure(county, "population", "在册人口"));
        Assert.Equal(3, Figure(county, "services", "逾期"));
        Assert.Equal(2, Figure(county, "disputes", "在办红色"));
        List<Guid> townships;
        await using (var db = await app.SystemDbAsync())
            townships = await db.OrgUnits.Where(o => o.Level == OrgLevel.Township).Select(o => o.Id).ToListAsync();
        var parts = new List<DashboardView>();
        foreach (var t in townships) parts.Add(await app.AsAsync("leader", sp => D(sp).ReadAsync(new DashboardRequest { Unit = t, From = req.From })));
        string[] counted = ["population", "floating", "grids", "services", "disputes", "appeals", "activities"];
        foreach (var (name, value) in Figures(county, counted))
        {
            var (panel, label) = (name.Split('/')[0], name.Split('/')[1]);
            var unit = county.Panels.Single(p => p.Key == panel).Figures.Single(f => f.Label == label).Unit;
            // Shares, means and the number of peoples do not add up; every count does.
            if (unit is "%" or "天" || label == "民族数") continue;
            var sum = parts.Sum(p => p.Panels.SingleOrDefault(x => x.Key == panel)?.Figures.SingleOrDefault(f => f.Label == label)?.Value ?? 0);
            Assert.True(sum == (value ?? 0), $"{name}: 全县 {value}，各乡镇合计 {sum}");
        }

        var grid = await app.AsAsync("grid", sp => Assert.ThrowsAsync<RuleViolation>(() => D(sp).ReadAsync(req)));
        Assert.Equal(DashboardErrors.Denied, grid.Code);
        var late = await app.AsAsync("leader", sp => Assert.ThrowsAsync<RuleViolation>(() => D(sp).ReadAsync(new DashboardRequest { To = new DateOnly(2027, 1, 1) })));
        Assert.Equal("统计截止日期不能晚于今天", late.Fields!["to"].Single());
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Every_count_opens_exactly_its_records_in_the_list_it_links_to(DbProvider kind)
    {
        var clock = Clock();
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        await FillAsync(app, outside: false);
        await FillAsync(app, outside: true);
        clock.Advance(TimeSpan.FromDays(20));
        // 扬武镇's floating resident (arrived 20 October) moves out: the arrival still counts as 流入, and the list behind it
        // still shows the person.
        Guid leaver;
        await using (var db = await app.SystemDbAsync()) leaver = await db.Residents.Where(r => r.HouseholdNo == "Z-1").Select(r => r.Id).SingleAsync();
        await PopulationStatisticTests.EditAsync(app, "community2", leaver, r => (r.Status, r.StatusDate) = (ResidentStatus.MovedOut, new DateOnly(2026, 11, 21)));
        var view = await app.AsAsync("county", sp => D(sp).ReadAsync(new DashboardRequest { From = new DateOnly(2026, 1, 1) }));
        Assert.Equal((2, 1, 1), (Figure(view, "floating", "流入"), Figure(view, "floating", "流动人口迁出"), Figure(view, "grids", "期间走访覆盖户数")));
        var (checkedLinks, ledgers) = (0, 0);
        foreach (var panel in view.Panels)
        foreach (var f in panel.Figures.Where(f => f.Link is not null && f.Unit != "%"))
        {
            var rows = await app.AsAsync("county", sp => RowsAsync(sp, f.Link!));
            if (rows is null) continue;
            Assert.True(rows == f.Value, $"{panel.Title}·{f.Label} = {f.Value}，点开 {f.Link} 是 {rows} 条");
            checkedLinks++;
            // What the list shows, its 服务台账 exports: the same cases, and the sheet names the selection.
            if (await app.AsAsync("county", sp => LedgerAsync(sp, f.Link!)) is { } ledger)
            {
                Assert.True(ledger.Rows == f.Value, $"{panel.Title}·{f.Label} = {f.Value}，导出的服务台账是 {ledger.Rows} 件");
                Assert.True(f.Link!.Contains("from=") == ledger.Note.Contains("受理"), ledger.Note);
                ledgers++;
            }
        }
        Assert.True(ledgers >= 3, $"只导出了 {ledgers} 份服务台账");
        // The grid and household counts and the head-counts open their lists too (the county office keeps the archive).
        foreach (var (panel, label) in new[]
                 {
                     ("grids", "网格"), ("grids", "网格工作人员"), ("grids", "在册户数"), ("grids", "期间走访"), ("grids", "期间走访覆盖户数"),
                     ("population", "在册人口"), ("population", "流动"), ("floating", "流入"), ("floating", "流动人口迁出"),
                     ("services", "期间受理"), ("services", "期间办结"),
                     ("appeals", "期间收到"), ("appeals", "期间已答复"), ("activities", "结合民族节日"),
                 })
            Assert.NotNull(view.Panels.Single(p => p.Key == panel).Figures.Single(f => f.Label == label).Link);
        // The chart's values link too: 在办红色 on the pie opens the same cases.
        var pie = view.Panels.Single(p => p.Key == "disputes").Chart!.Series.Single();
        Assert.Equal(pie.Values[0], await app.AsAsync("county", sp => RowsAsync(sp, pie.Links![0]!)));
        // So do the months of the flow chart: October's arrivals and November's departure.
        var flows = view.Panels.Single(p => p.Key == "floating").Chart!.Series;
        foreach (var (series, month, people) in new[] { (0, 10, 2), (1, 11, 1) })
            Assert.Equal(people, await app.AsAsync("county", sp => RowsAsync(sp, flows[series].Links![month]!)));
        // The flow filter's refusals name the field they are about.
        foreach (var (query, field) in new (ResidentQuery, string)[]
                 {
                     (new() { Flow = ResidentFlow.In, From = new DateOnly(2026, 5, 1), To = new DateOnly(2026, 4, 1) }, "to"),
                     (new() { From = new DateOnly(2026, 5, 1) }, "flow"),
                     (new() { Flow = ResidentFlow.Out, Status = ResidentStatus.Registered }, "status"),
                     (new() { Flow = (ResidentFlow)5 }, "flow"),
                 })
        {
            var refused = await app.AsAsync("county", sp => Assert.ThrowsAsync<RuleViolation>(() => sp.GetRequiredService<ResidentService>().ListAsync(query)));
            Assert.True(refused.Fields?.ContainsKey(field), $"{field}: {refused.Message}");
        }
        Assert.True(checkedLinks >= 21, $"只核对了 {checkedLinks} 个数字");
    }

    /// <summary>The 服务台账 the service-case list exports for a drill-down address: its case rows and its note line.</summary>
    static async Task<(int Rows, string Note)?> LedgerAsync(IServiceProvider sp, string link)
    {
        var uri = new Uri("http://x" + link);
        var a = HttpUtility.ParseQueryString(uri.Query);
        if (uri.AbsolutePath != "/service-cases" || a["tab"] is not null) return null;
        DateOnly? Date(string k) => DateOnly.TryParse(a[k], out var d) ? d : null;
        bool? Flag(string k) => a[k] == "true" ? true : null;
        var file = await sp.GetRequiredService<ServiceCaseService>().ExportLedgerAsync(
            new ServiceLedgerRequest(Guid.TryParse(a["unit"], out var u) ? u : null, null, null, Flag("overdue"), "核对看板数字")
                { Open = Flag("open"), From = Date("from"), To = Date("to"), Closed = Flag("closed") });
        var (bytes, _) = await Exports.ReadAsync(file);
        var rows = (await new MemoryStream(bytes).QueryAsync(useHeaderRow: false)).Cast<IDictionary<string, object?>>().ToList();
        // Title, note, headers, the cases, and the 合计 row.
        Assert.Equal("合计", rows[^1]["A"]);
        return (rows.Count - 4, (string)rows[1]["A"]!);
    }

    /// <summary>
    /// The households a visited-households list shows, counted by its rows (the pager's total is the figure's own count);
    /// read again a household a page, its pages give the same rows in the same order, across the units that hold them.
    /// </summary>
    internal static async Task<int> VisitedRowsAsync(IServiceProvider sp, VisitPageQuery q)
    {
        var visits = sp.GetRequiredService<VisitService>();
        static string Key(VisitedHouseholdRow h) => $"{h.UnitName}/{h.HouseholdNo}/{string.Join(",", h.People.Select(p => p.ResidentId))}/{h.Visits}";
        var all = (await visits.HouseholdsAsync(q with { Page = 1, PageSize = 100 })).Households;
        Assert.Equal(all.Total, all.Items.Count);
        var paged = new List<string>();
        for (var page = 1; page <= all.Total + 1; page++)
        {
            var one = (await visits.HouseholdsAsync(q with { Page = page, PageSize = 1 })).Households;
            Assert.Equal(all.Total, one.Total);
            paged.AddRange(one.Items.Select(Key));
        }
        Assert.Equal(all.Items.Select(Key), paged);
        return all.Items.Count;
    }

    /// <summary>The rows the list page shows for a drill-down address, read the way the page reads its query string.</summary>
    internal static async Task<double?> RowsAsync(IServiceProvider sp, string link)
    {
        var uri = new Uri("http://x" + link);
        var a = HttpUtility.ParseQueryString(uri.Query);
        Guid? unit = Guid.TryParse(a["unit"], out var u) ? u : null;
        DateOnly? Date(string k) => DateOnly.TryParse(a[k], out var d) ? d : null;
        bool Flag(string k) => a[k] == "true";
        switch (uri.AbsolutePath)
        {
            case "/service-cases" when a["tab"] is null:
                return (await sp.GetRequiredService<ServiceCaseService>().ListAsync(new ServiceCaseQuery
                {
                    OrgUnitId = unit, Overdue = Flag("overdue") ? true : null, Open = Flag("open") ? true : null, From = Date("from"), To = Date("to"),
                    Closed = Flag("closed") ? true : null, PageSize = 100,
                })).Total;
            case "/disputes":
                return (await sp.GetRequiredService<DisputeService>().ListAsync(new DisputeQuery
                {
                    OrgUnitId = unit, Open = Flag("open") ? true : null, Concluded = Flag("concluded") ? true : null, From = Date("from"), To = Date("to"),
                    Colour = Enum.TryParse<RiskColour>(a["colour"], out var c) ? c : null,
                })).Total;
            case "/appeals":
                return (await sp.GetRequiredService<Shiliu.Core.Appeals.AppealService>().ListAsync(new Shiliu.Core.Appeals.AppealQuery
                {
                    OrgUnitId = unit, Open = Flag("open") ? true : null, Overdue = Flag("overdue") ? true : null, From = Date("from"), To = Date("to"),
                    Answered = Flag("answered") ? true : null,
                })).Total;
            case "/residents":
                return (await sp.GetRequiredService<ResidentService>().ListAsync(new ResidentQuery
                {
                    OrgUnitId = unit, EthnicityCode = a["ethnicity"], ResidenceType = Enum.TryParse<ResidenceType>(a["type"], out var t) ? t : null,
                    Flow = Enum.TryParse<ResidentFlow>(a["flow"], out var flow) ? flow : null, From = Date("from"), To = Date("to"),
                    Status = flow == ResidentFlow.Out ? ResidentStatus.MovedOut : null,
                })).Total;
            case "/grids" when Flag("staff"):
                return (await sp.GetRequiredService<GridService>().StaffAsync(unit)).Staff.Total;
            case "/grids" when Flag("visits"):
                return (await sp.GetRequiredService<VisitService>().PageAsync(new VisitPageQuery { OrgUnitId = unit, From = Date("from"), To = Date("to") })).Visits.Total;
            case "/grids" when Flag("visited"):
                return await VisitedRowsAsync(sp, new VisitPageQuery { OrgUnitId = unit, From = Date("from"), To = Date("to") });
            case "/grids" when Flag("households"):
                return (await sp.GetRequiredService<GridService>().UnitHouseholdsAsync(unit)).Households.Total;
            case "/grids":
                return (await sp.GetRequiredService<GridService>().TreeAsync(unit)).Sum(c => c.Grids.Count);
            case "/activities":
                return (await sp.GetRequiredService<ActivityService>().ListAsync(new ActivityQuery
                    { OrgUnitId = unit, From = Date("from"), To = Date("to"), TypeCode = a["type"], Festival = Flag("festival") ? true : null })).Total;
            default:
                return null;
        }
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_figures_export_as_an_audited_workbook_and_a_saved_picture_is_audited_too(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, Clock());
        await FillAsync(app, outside: false);
        var (bytes, name) = await app.AsAsync("township", async sp => await Exports.ReadAsync(await D(sp).ExportAsync(new DashboardRequest())));
        Assert.StartsWith("桂山街道数据看板", name);
        Assert.True(bytes.Length > 1000);
        // Saving the view as a picture (drawn in the browser) leaves its own export row too.
        await app.AsAsync("township", sp => D(sp).NoteImageAsync(new DashboardRequest()));
        await using var db = await app.SystemDbAsync();
        var rows = await db.AuditEntries.Where(e => e.Event == AuditEvents.Export && e.EntityType == "Dashboard").Select(e => e.Summary).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r!.StartsWith("导出桂山街道数据看板图片", StringComparison.Ordinal));
    }
}
