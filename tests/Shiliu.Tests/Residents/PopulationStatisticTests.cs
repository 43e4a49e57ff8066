using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Residents;

public sealed class PopulationStatisticTests
{
    static SaveResident Person(Guid unit, string ethnicity, ResidenceType type, string? household = null, string? relation = null,
        ResidentNeeds needs = ResidentNeeds.None, DateOnly? arrival = null) => new()
    {
        OrgUnitId = unit, Name = "统计居民", EthnicityCode = ethnicity, IdNumber = Ids.Next(), ResidenceType = type, HouseholdNo = household, RelationToHead = relation,
        Needs = needs, Phone = "13800001111",
        OriginPlace = type == ResidenceType.Floating ? "云南省红河州" : null, ArrivalDate = type == ResidenceType.Floating ? arrival ?? new DateOnly(2024, 5, 1) : null,
        Employer = type == ResidenceType.UnitEmployee ? "新平县供电局" : null,
    };

    static DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToChina(TimeProvider.System.GetUtcNow().UtcDateTime));

    /// <summary>What the tallies must hold: the same figures counted straight from every resident and visit.</summary>
    internal static async Task<List<string>> FreshGroupByAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        var residents = await db.Residents.AsNoTracking().ToListAsync();
        var allVisits = await db.Visits.AsNoTracking().ToListAsync();
        var lastVisit = allVisits.GroupBy(v => v.ResidentId).ToDictionary(g => g.Key, g => g.Max(v => v.VisitDate));
        var registered = residents.Where(r => r.Status == ResidentStatus.Registered).ToList();
        var rows = new List<(Guid C, string P, TallyKind K, string Key, int Sub)>();
        rows.AddRange(registered.Select(r => (r.CommunityId, r.OrgPath, TallyKind.EthnicityType, r.EthnicityCode, (int)r.ResidenceType)));
        rows.AddRange(registered.SelectMany(r => Enum.GetValues<ResidentNeeds>().Where(n => n != ResidentNeeds.None && r.Needs.HasFlag(n))
            .Select(n => (r.CommunityId, r.OrgPath, TallyKind.Need, n.ToString(), 0))));
        rows.AddRange(residents.Where(r => r.ResidenceType == ResidenceType.Floating && r.ArrivalDate is not null && r.Status != ResidentStatus.Cancelled)
            .Select(r => (r.CommunityId, r.OrgPath, TallyKind.InflowMonth, r.ArrivalDate!.Value.ToString("yyyy-MM"), 0)));
        rows.AddRange(residents.Where(r => r.Status == ResidentStatus.MovedOut && r.StatusDate is not null)
            .Select(r => (r.CommunityId, r.OrgPath, TallyKind.OutflowMonth, r.StatusDate!.Value.ToString("yyyy-MM"), (int)r.ResidenceType)));
        rows.AddRange(registered.GroupBy(r => (r.CommunityId, r.OrgPath, r.HouseholdNo ?? r.Id.ToString()))
            .Select(h => (h.Key.CommunityId, h.Key.OrgPath, TallyKind.HouseholdLastVisit,
                h.Where(r => lastVisit.ContainsKey(r.Id)).Select(r => (DateOnly?)lastVisit[r.Id]).Max()?.ToString("yyyy-MM-dd") ?? "", 0)));
        // Visits count for the community of the person visited (they move with a transfer), by the unit they are filed under.
        var communityOf = residents.ToDictionary(r => r.Id, r => r.CommunityId);
        rows.AddRange(allVisits.Select(v => (communityOf[v.ResidentId], v.OrgPath, TallyKind.VisitMonth, v.VisitDate.ToString("yyyy-MM"), (int)v.Kind)));
        rows.AddRange(allVisits.DistinctBy(v => (v.OrgPath, v.VisitDate.Year, v.HouseholdNo ?? v.ResidentId.ToString()))
            .Select(v => (communityOf[v.ResidentId], v.OrgPath, TallyKind.HouseholdVisitYear, v.VisitDate.ToString("yyyy"), 0)));
        return rows.GroupBy(x => x).Select(g => $"{g.Key.C}|{g.Key.P}|{g.Key.K}|{g.Key.Key}|{g.Key.Sub}={g.Count()}").Order().ToList();
    }

    internal static async Task<List<string>> StoredAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return (await db.ResidentTallies.AsNoTracking().ToListAsync()).Select(t => $"{t.CommunityId}|{t.OrgPath}|{t.Kind}|{t.Key}|{t.Sub}={t.Count}").Order().ToList();
    }

    /// <summary>Edits a resident as the user would: the record as shown, the full ID number and phone revealed, one change made.</summary>
    internal static Task EditAsync(ShiliuApp app, string user, Guid id, Action<SaveResident> change) => app.AsAsync(user, async sp =>
    {
        var residents = sp.GetRequiredService<ResidentService>();
        var d = await residents.GetAsync(id);
        var full = await residents.RevealAsync(id, "测试修改");
        var req = new SaveResident
        {
            OrgUnitId = d.Row.OrgUnitId, Name = d.Row.Name, EthnicityCode = d.Row.EthnicityCode, IdNumber = full.IdNumber, Phone = full.Phone, HouseholdNo = d.Row.HouseholdNo,
            RelationToHead = d.Row.RelationToHead, ResidenceType = d.Row.ResidenceType, OriginPlace = d.OriginPlace, ArrivalDate = d.ArrivalDate, Employer = d.Employer,
            Needs = d.Row.Needs, Status = d.Row.Status, StatusDate = d.StatusDate, Version = d.Row.Version,
        };
        change(req);
        await residents.UpdateAsync(id, req);
    });

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Tallies_equal_a_fresh_group_by_after_creates_updates_moves_transfers_and_visits(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var g1 = await app.UnitAsync("530427001001-G01");
        var g2 = await app.UnitAsync("530427001001-G02");
        var chengzhong = await app.UnitAsync("530427001001");
        var zhongxin = await app.UnitAsync("530427101001");
        var residents = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var visits = (IServiceProvider sp) => sp.GetRequiredService<VisitService>();

        var head = await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-01", "户主", ResidentNeeds.Employment | ResidentNeeds.Medical)));
        var spouse = await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "18", ResidenceType.Permanent, "H-01", "配偶", ResidentNeeds.Medical)));
        var floating = await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "07", ResidenceType.Floating, arrival: Today.AddMonths(-1))));
        var mover = await app.AsAsync("community", sp => residents(sp).CreateAsync(Person(chengzhong.Id, "16", ResidenceType.UnitEmployee)));
        var leaver = await app.AsAsync("community", sp => residents(sp).CreateAsync(Person(g2.Id, "07", ResidenceType.Floating, "H-09", "户主")));
        await app.AsAsync("community2", sp => residents(sp).CreateAsync(Person(zhongxin.Id, "07", ResidenceType.Permanent, "Z-1", "户主")));
        Assert.Equal(await FreshGroupByAsync(app), await StoredAsync(app));

        await app.AsAsync("grid", sp => visits(sp).CreateAsync(new SaveVisit { ResidentId = spouse, VisitDate = Today.AddDays(-3), Visitor = "网格员", Findings = "家中正常", NeedsFound = ResidentNeeds.Legal }));
        await app.AsAsync("grid", sp => visits(sp).CreateAsync(new SaveVisit { ResidentId = floating, VisitDate = Today.AddDays(-200), Visitor = "网格员", Findings = "务工稳定" }));

        // A move between grids (by the community), a change of type and needs, and a move-out.
        Task Edit(string user, Guid id, Action<SaveResident> change) => EditAsync(app, user, id, change);
        await Edit("community", mover, r => r.OrgUnitId = g2.Id);
        await Edit("grid", head, r => (r.ResidenceType, r.OriginPlace, r.ArrivalDate, r.Needs) = (ResidenceType.Floating, "云南省玉溪市", Today, ResidentNeeds.Training));
        await Edit("community", leaver, r => (r.Status, r.StatusDate) = (ResidentStatus.MovedOut, Today.AddDays(-10)));
        Assert.Equal(await FreshGroupByAsync(app), await StoredAsync(app));

        // A transfer to 扬武镇's community, accepted by the keeper (the receiving side is outside its scope).
        var t = await app.AsAsync(null, sp => residents(sp).RequestTransferAsync(spouse, zhongxin.Id, "已搬迁"));
        await app.AsAsync("community", sp => residents(sp).DecideTransferAsync(t, true, null));
        var stored = await StoredAsync(app);
        Assert.Equal(await FreshGroupByAsync(app), stored);
        Assert.Contains(stored, s => s.StartsWith($"{zhongxin.Id}|{zhongxin.Path}|EthnicityType|18|1=1", StringComparison.Ordinal));

        // The operator's rebuild gives the same figures, and is audited.
        await using (var db = await app.SystemDbAsync())
            await db.ResidentTallies.ExecuteDeleteAsync();
        var (exit, output) = await Cli.RunAsync(app, "rebuild-statistics");
        Assert.Equal(0, exit);
        Assert.Contains("各社区（村）人口和走访统计（2 组）", output);
        Assert.Equal(stored, await StoredAsync(app));
        await using (var db = await app.SystemDbAsync())
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == AuditEvents.Operator && a.Summary!.Contains("重建人口统计")));

        // A database from before the visit tallies: the first start after the upgrade counts them.
        await using (var db = await app.SystemDbAsync())
        {
            await db.ResidentTallies.Where(t => t.Kind == TallyKind.VisitMonth || t.Kind == TallyKind.HouseholdVisitYear).ExecuteDeleteAsync();
            Assert.NotEqual(stored, await StoredAsync(app));
            await DatabaseStartup.MigrateAsync(db);
        }
        Assert.Equal(stored, await StoredAsync(app));
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Statistics_add_up_for_community_township_and_county_stay_in_scope_and_export_as_xlsx(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var g1 = await app.UnitAsync("530427001001-G01");
        var g2 = await app.UnitAsync("530427001001-G02");
        var chengzhong = await app.UnitAsync("530427001001");
        var second = await app.UnitAsync("530427001002");
        var zhongxin = await app.UnitAsync("530427101001");
        var s = (IServiceProvider sp) => sp.GetRequiredService<PopulationStatisticsService>();
        await app.AsAsync(null, async sp =>
        {
            var r = sp.GetRequiredService<ResidentService>();
            var head = await r.CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-01", "户主", ResidentNeeds.Employment));
            await r.CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-01", "子女", ResidentNeeds.Employment | ResidentNeeds.Schooling));
            await r.CreateAsync(Person(g1.Id, "18", ResidenceType.Floating, arrival: Today));
            await r.CreateAsync(Person(g2.Id, "16", ResidenceType.UnitEmployee));
            await r.CreateAsync(Person(chengzhong.Id, "07", ResidenceType.Permanent));
            await r.CreateAsync(Person(second.Id, "18", ResidenceType.Floating, arrival: Today.AddMonths(-2)));
            await r.CreateAsync(Person(zhongxin.Id, "07", ResidenceType.Permanent));
            await sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit { ResidentId = head, VisitDate = Today.AddDays(-5), Visitor = "网格员", Findings = "正常" });
        });

        var c = await app.AsAsync("community", sp => s(sp).GetAsync(null));
        Assert.Equal((chengzhong.Id, 5, 3, 1, 1), (c.UnitId, c.Totals.Total, c.Totals.Permanent, c.Totals.Floating, c.Totals.UnitEmployee));
        Assert.Equal([$"{chengzhong.Name}（未分网格）", g1.Name, g2.Name], c.ByUnit.Select(u => u.UnitName));
        Assert.Equal([1, 3, 1], c.ByUnit.Select(u => u.Counts.Total));
        Assert.Equal(("彝族", 3), (c.ByEthnicity[0].Name, c.ByEthnicity[0].Counts.Total));
        Assert.Equal([("傣族", 1), ("哈尼族", 1)], c.ByEthnicity.Skip(1).Select(e => (e.Name, e.Counts.Total)).Order());
        Assert.Equal(2, c.Needs.Single(n => n.Need == ResidentNeeds.Employment).Count);
        Assert.Equal(1, c.Needs.Single(n => n.Need == ResidentNeeds.Schooling).Count);
        Assert.Equal(12, c.Months.Count);
        Assert.Equal((Today.ToString("yyyy-MM"), 1), (c.Months[^1].Month, c.Months[^1].Inflow));
        // Households: H-01 (visited 5 days ago), the floating resident, the unit employee, the community's own resident.
        Assert.Equal((4, 1), (c.TotalCoverage.Households, c.TotalCoverage.Visited));
        Assert.Equal((2, 1), c.Coverage.Where(x => x.UnitId == g1.Id).Select(x => (x.Households, x.Visited)).Single());
        Assert.Equal(0, (await app.AsAsync("community", sp => s(sp).GetAsync(null, days: 3))).TotalCoverage.Visited);

        var t = await app.AsAsync("township", sp => s(sp).GetAsync(null));
        Assert.Equal(6, t.Totals.Total);
        Assert.Equal((5, 1), (t.ByUnit.Single(u => u.UnitId == chengzhong.Id).Counts.Total, t.ByUnit.Single(u => u.UnitId == second.Id).Counts.Total));
        Assert.Equal(2, t.Months.Sum(m => m.Inflow));
        var county = await app.AsAsync("county", sp => s(sp).GetAsync(null));
        Assert.Equal(7, county.Totals.Total);
        Assert.Equal(12, county.ByUnit.Count);
        Assert.Equal([6, 1], county.ByUnit.Where(u => u.Counts.Total > 0).Select(u => u.Counts.Total));
        var grid = await app.AsAsync("grid", sp => s(sp).GetAsync(null));
        Assert.Equal((3, g1.Name, 2), (grid.Totals.Total, Assert.Single(grid.ByUnit).UnitName, grid.TotalCoverage.Households));

        await app.AsAsync("community", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).GetAsync(second.Id)));
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).GetAsync(chengzhong.Id)));
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).ExportAsync(chengzhong.Id)));
        Assert.Equal(ResidentErrors.Denied, (await app.AsAsync("leader", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).GetAsync(null)))).Code);

        var (bytes, name) = await app.AsAsync("township", async sp => await Exports.ReadAsync(await s(sp).ExportAsync(null)));
        Assert.EndsWith(".xlsx", name);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var wb = doc.WorkbookPart!;
        Assert.Equal(["分单位人口", "民族构成", "需求", "流动人口", "走访覆盖"], wb.Workbook.Sheets!.Elements<Sheet>().Select(x => x.Name!.Value!));
        string[][] Cells(string sheet)
        {
            var part = (WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().Single(x => x.Name == sheet).Id!);
            return part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(x => x.InlineString?.InnerText ?? x.CellValue?.Text ?? "").ToArray()).ToArray();
        }
        var units = Cells("分单位人口");
        Assert.Contains("桂山街道", units[0][0]);
        Assert.Equal([chengzhong.Name, "5", "3", "1", "1"], units.Single(r => r[0] == chengzhong.Name));
        Assert.Equal(["合计", "6", "3", "2", "1"], units[^1]);
        Assert.Equal(["彝族", "3", "3", "0", "0"], Cells("民族构成")[3]);
        Assert.Equal(["就业", "2"], Cells("需求")[3]);
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == AuditEvents.Export && a.UserName == "township" && a.Summary!.Contains("人口统计")));
    }

}
