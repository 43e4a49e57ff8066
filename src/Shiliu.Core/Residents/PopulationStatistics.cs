using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Exports;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Residents;

/// <summary>Registered residents by 常住 / 流动 / 辖区单位.</summary>
public sealed record TypeCounts(int Permanent, int Floating, int UnitEmployee)
{
    public static readonly TypeCounts Zero = new(0, 0, 0);
    public int Total => Permanent + Floating + UnitEmployee;
    public TypeCounts Add(ResidenceType type, int n) => type switch
    {
        ResidenceType.Permanent => this with { Permanent = Permanent + n },
        ResidenceType.Floating => this with { Floating = Floating + n },
        _ => this with { UnitEmployee = UnitEmployee + n },
    };
}

public sealed record UnitCountRow(Guid UnitId, string UnitName, TypeCounts Counts);
public sealed record EthnicityCountRow(string Code, string Name, TypeCounts Counts);
public sealed record NeedCountRow(ResidentNeeds Need, string Name, int Count);
/// <summary>One month (yyyy-MM, China time): floating residents who arrived, floating residents and all residents who moved out.</summary>
public sealed record MonthFlowRow(string Month, int Inflow, int FloatingOut, int AllOut);
public sealed record CoverageRow(Guid UnitId, string UnitName, int Households, int Visited)
{
    public double Share => Households == 0 ? 0 : (double)Visited / Households;
}

/// <summary>The population figures of one unit, its child units (the unit itself first when it keeps residents directly).</summary>
public sealed record PopulationStats(Guid UnitId, string UnitName, OrgLevel Level, DateOnly AsOf, int Days, TypeCounts Totals,
    IReadOnlyList<UnitCountRow> ByUnit, IReadOnlyList<EthnicityCountRow> ByEthnicity, IReadOnlyList<NeedCountRow> Needs,
    IReadOnlyList<MonthFlowRow> Months, IReadOnlyList<CoverageRow> Coverage, CoverageRow TotalCoverage)
{
    public string ChildLevelName => Level switch { OrgLevel.County => "乡镇（街道）", OrgLevel.Township => "社区（村）", _ => "网格" };
}

/// <summary>
/// 人口统计: counts by unit × type, ethnicity × type, needs, floating in/out by month and visit coverage, for a unit in the
/// caller's scope. Read from the per-unit tallies only, so a county of a million residents adds up a few thousand rows.
/// </summary>
public sealed class PopulationStatisticsService(IDbContextFactory<ShiliuDb> dbs, ExportService exports)
{
    // Paths are "/" + 32-hex-digit ids + "/": a child's path is its parent's plus 33 characters.
    const int Segment = 33;

    public async Task<PopulationStats> GetAsync(Guid? orgUnitId, int days = 90, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看人口统计");
        return await ComputeAsync(db, orgUnitId, days, ct);
    }

    static async Task<PopulationStats> ComputeAsync(ShiliuDb db, Guid? orgUnitId, int days, CancellationToken ct)
    {
        if (days is < 1 or > 3650) throw new RuleViolation(ResidentErrors.Invalid, "天数须在1至3650之间");
        var units = db.OrgUnits.AsNoTracking();
        var unit = await db.FocusUnitAsync(orgUnitId, ct);
        var children = await units.Where(o => o.ParentId == unit.Id).OrderBy(o => o.SortOrder).ThenBy(o => o.Code)
            .Select(o => new { o.Id, o.Name, o.Path }).ToListAsync(ct);

        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var months = Enumerable.Range(0, 12).Select(i => today.AddMonths(i - 11).ToString("yyyy-MM")).ToList();
        var firstMonth = months[0];
        var since = today.AddDays(-days).ToString("yyyy-MM-dd");
        var path = unit.Path;
        var n = path.Length + Segment;

        var tallies = db.ResidentTallies.AsNoTracking().Under(t => t.OrgPath, path);
        var figures = await tallies
            .Where(t => t.Kind == TallyKind.EthnicityType || t.Kind == TallyKind.Need
                        || ((t.Kind == TallyKind.InflowMonth || t.Kind == TallyKind.OutflowMonth) && string.Compare(t.Key, firstMonth) >= 0))
            .GroupBy(t => new { Child = t.OrgPath.Substring(0, n), t.Kind, t.Key, t.Sub })
            .Select(g => new { g.Key.Child, g.Key.Kind, g.Key.Key, g.Key.Sub, Count = g.Sum(t => t.Count) })
            .ToListAsync(ct);
        var households = await tallies.Where(t => t.Kind == TallyKind.HouseholdLastVisit)
            .GroupBy(t => t.OrgPath.Substring(0, n))
            .Select(g => new { Child = g.Key, Households = g.Sum(t => t.Count), Visited = g.Sum(t => t.Key != "" && string.Compare(t.Key, since) >= 0 ? t.Count : 0) })
            .ToListAsync(ct);

        // Residents kept by the unit itself (a community's residents not yet put in a grid) show as its own row.
        var rows = children.Select(c => (c.Id, c.Name, c.Path)).ToList();
        if (figures.Any(f => f.Child == path) || households.Any(h => h.Child == path))
            rows.Insert(0, (unit.Id, unit.Level switch { OrgLevel.Community => $"{unit.Name}（未分网格）", OrgLevel.Grid => unit.Name, _ => $"{unit.Name}（本级）" }, path));

        var typed = figures.Where(f => f.Kind == TallyKind.EthnicityType).ToList();
        static TypeCounts Of(IEnumerable<(int Count, int Sub)> xs) => xs.Aggregate(TypeCounts.Zero, (acc, x) => acc.Add((ResidenceType)x.Sub, x.Count));

        var byUnit = rows.Select(r => new UnitCountRow(r.Id, r.Name, Of(typed.Where(f => f.Child == r.Path).Select(f => (f.Count, f.Sub))))).ToList();
        var names = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.Ethnicity)
            .ToDictionaryAsync(d => d.Code, d => (d.Name, d.SortOrder), ct);
        var byEthnicity = typed.GroupBy(f => f.Key)
            .Select(g => new EthnicityCountRow(g.Key, names.TryGetValue(g.Key, out var e) ? e.Name : g.Key, Of(g.Select(f => (f.Count, f.Sub)))))
            .OrderByDescending(e => e.Counts.Total).ThenBy(e => names.TryGetValue(e.Code, out var x) ? x.SortOrder : int.MaxValue).ToList();
        var needs = ResidentNames.Needs
            .Select(x => new NeedCountRow(x.Need, x.Name, figures.Where(f => f.Kind == TallyKind.Need && f.Key == x.Need.ToString()).Sum(f => f.Count))).ToList();
        var flows = months.Select(m => new MonthFlowRow(m,
            figures.Where(f => f.Kind == TallyKind.InflowMonth && f.Key == m).Sum(f => f.Count),
            figures.Where(f => f.Kind == TallyKind.OutflowMonth && f.Key == m && f.Sub == (int)ResidenceType.Floating).Sum(f => f.Count),
            figures.Where(f => f.Kind == TallyKind.OutflowMonth && f.Key == m).Sum(f => f.Count))).ToList();
        var coverage = rows.Select(r => households.FirstOrDefault(h => h.Child == r.Path) is { } h
            ? new CoverageRow(r.Id, r.Name, h.Households, h.Visited) : new CoverageRow(r.Id, r.Name, 0, 0)).ToList();
        var total = new CoverageRow(unit.Id, unit.Name, households.Sum(h => h.Households), households.Sum(h => h.Visited));
        return new PopulationStats(unit.Id, unit.Name, unit.Level, today, days, Of(typed.Select(f => (f.Count, f.Sub))),
            byUnit, byEthnicity, needs, flows, coverage, total);
    }

    /// <summary>The same figures as a workbook, one sheet per table, each titled with the unit and date; audited as an export.</summary>
    public async Task<ExportFile> ExportAsync(Guid? orgUnitId, int days = 90, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "导出人口统计");
        var s = await ComputeAsync(db, orgUnitId, days, ct);
        var date = s.AsOf.ToString("yyyy年M月d日");
        var note = $"统计单位：{s.UnitName}　统计日期：{date}（数据来自在册少数民族信息档案）";
        static object[] Types(TypeCounts c) => [c.Total, c.Permanent, c.Floating, c.UnitEmployee];
        var path = await db.OrgUnits.Where(o => o.Id == s.UnitId).Select(o => o.Path).SingleAsync(ct);
        var spec = new ExportSpec($"{s.UnitName}人口统计{s.AsOf:yyyyMMdd}.xlsx", $"{s.UnitName}人口统计（{date}，在册 {s.Totals.Total} 人）", nameof(ResidentTally),
            s.UnitId.ToString(), path);
        return await exports.XlsxAsync(db, spec, book =>
        {
            void Sheet(string name, string title, string[] headers, IEnumerable<object[]> body, object[]? total, double[] widths)
            {
                using var sheet = book.Sheet(name, title, headers, widths, note);
                foreach (var row in body) sheet.Mixed(row);
                if (total is not null) sheet.Total(total);
            }

            Sheet("分单位人口", $"{s.UnitName}少数民族人口统计（按{s.ChildLevelName}）", ["单位", "合计", "常住", "流动", "辖区单位"],
                s.ByUnit.Select(u => (object[])[u.UnitName, .. Types(u.Counts)]), ["合计", .. Types(s.Totals)], [28, 10, 10, 10, 10]);
            Sheet("民族构成", $"{s.UnitName}少数民族人口民族构成", ["民族", "合计", "常住", "流动", "辖区单位"],
                s.ByEthnicity.Select(e => (object[])[e.Name, .. Types(e.Counts)]), ["合计", .. Types(s.Totals)], [16, 10, 10, 10, 10]);
            Sheet("需求", $"{s.UnitName}少数民族群众需求统计", ["需求类别", "人数"], s.Needs.Select(x => (object[])[x.Name, x.Count]), null, [16, 10]);
            Sheet("流动人口", $"{s.UnitName}流动人口流入流出（近12个月）", ["月份", "流入（流动人口）", "迁出（流动人口）", "迁出（全部）"],
                s.Months.Select(m => (object[])[m.Month, m.Inflow, m.FloatingOut, m.AllOut]),
                ["合计", s.Months.Sum(m => m.Inflow), s.Months.Sum(m => m.FloatingOut), s.Months.Sum(m => m.AllOut)], [12, 18, 18, 14]);
            Sheet("走访覆盖", $"{s.UnitName}走访覆盖率（近{s.Days}天）", ["单位", "在册户数", "已走访户数", "覆盖率"],
                s.Coverage.Select(c => (object[])[c.UnitName, c.Households, c.Visited, $"{c.Share:P1}"]),
                ["合计", s.TotalCoverage.Households, s.TotalCoverage.Visited, $"{s.TotalCoverage.Share:P1}"], [28, 12, 12, 10]);
            return Task.CompletedTask;
        }, ct);
    }
}
