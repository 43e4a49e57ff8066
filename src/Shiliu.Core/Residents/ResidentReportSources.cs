using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Core.Reporting;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.Residents;

/// <summary>
/// 一、基本情况 from the minority population archive's tallies: households and residents on the register by type and
/// ethnicity, arrivals and departures, units and grid staff. The area and the whole population are not kept here: the
/// draft leaves them for the unit to fill in.
/// </summary>
sealed class ResidentReportSource : IReportSource
{
    public string Permission => ResidentPermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var tallies = db.ResidentTallies.AsNoTracking().Under(t => t.OrgPath, q.UnitPath);
        var fromMonth = q.From.ToString("yyyy-MM");
        var toMonth = q.To.ToString("yyyy-MM");
        var rows = await tallies
            .Where(t => t.Kind == TallyKind.EthnicityType || t.Kind == TallyKind.HouseholdLastVisit
                        || ((t.Kind == TallyKind.InflowMonth || t.Kind == TallyKind.OutflowMonth)
                            && string.Compare(t.Key, fromMonth) >= 0 && string.Compare(t.Key, toMonth) <= 0))
            .GroupBy(t => new { t.Kind, Key = t.Kind == TallyKind.HouseholdLastVisit ? "" : t.Key, t.Sub })
            .Select(g => new { g.Key.Kind, g.Key.Key, g.Key.Sub, Count = g.Sum(t => t.Count) })
            .ToListAsync(ct);
        var names = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.Ethnicity).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var children = await db.OrgUnits.AsNoTracking().Where(o => o.ParentId == q.UnitId && !o.IsDisabled).CountAsync(ct);
        var staff = await db.GridMembers.AsNoTracking().Under(m => m.OrgPath, q.UnitPath).CountAsync(ct);

        var typed = rows.Where(r => r.Kind == TallyKind.EthnicityType).ToList();
        var total = typed.Sum(r => r.Count);
        int OfType(ResidenceType t) => typed.Where(r => r.Sub == (int)t).Sum(r => r.Count);
        var households = rows.Where(r => r.Kind == TallyKind.HouseholdLastVisit).Sum(r => r.Count);
        var byEthnicity = typed.GroupBy(r => r.Key).Select(g => (Name: names.GetValueOrDefault(g.Key, g.Key), Count: g.Sum(r => r.Count)))
            .OrderByDescending(e => e.Count).ToList();
        var inflow = rows.Where(r => r.Kind == TallyKind.InflowMonth).Sum(r => r.Count);
        var outflow = rows.Where(r => r.Kind == TallyKind.OutflowMonth).Sum(r => r.Count);

        var text = new List<string>();
        var child = children > 0 ? $"下设{children}个{q.ChildName}，" : "";
        if (total == 0)
        {
            text.Add($"{q.UnitName}辖区面积××平方公里、总人口××人（请填写），{child}少数民族人口台账中尚未登记居民，户数、人口和民族构成请补充。");
        }
        else
        {
            var top = byEthnicity.Where(e => e.Count > 0).Take(6).Select(e => $"{e.Name}{Count(e.Count)}人").ToList();
            text.Add($"{q.UnitName}辖区面积××平方公里、总人口××人（请填写），{child}少数民族人口台账在册{Count(households)}户{Count(total)}人，"
                + $"其中常住{Count(OfType(ResidenceType.Permanent))}人、流动{Count(OfType(ResidenceType.Floating))}人、辖区单位人员{Count(OfType(ResidenceType.UnitEmployee))}人，"
                + $"涉及{byEthnicity.Count}个民族，人数较多的有{string.Join("、", top)}{(byEthnicity.Count > top.Count ? "等" : "")}。");
            text.Add($"{q.Period}，新登记流入的流动人口{Count(inflow)}人，迁出（含流动人口离开）{Count(outflow)}人。"
                + (staff > 0 ? $"辖区现有网格员和网格工作人员{Count(staff)}名。" : ""));
        }
        List<ReportFigure> figures =
        [
            new("基本情况", "在册户数", Count(households)),
            new("基本情况", "在册少数民族人口（人）", Count(total)),
            new("基本情况", "其中：常住人口", Count(OfType(ResidenceType.Permanent))),
            new("基本情况", "其中：流动人口", Count(OfType(ResidenceType.Floating))),
            new("基本情况", "其中：辖区单位人员", Count(OfType(ResidenceType.UnitEmployee))),
            new("基本情况", "民族数", Count(byEthnicity.Count)),
            .. byEthnicity.Take(8).Select(e => new ReportFigure("基本情况", $"{e.Name}（人）", Count(e.Count))),
            new("基本情况", "期间流入流动人口（人）", Count(inflow)),
            new("基本情况", "期间迁出（人）", Count(outflow)),
            new("基本情况", $"下设{q.ChildName}（个）", Count(children)),
            new("基本情况", "网格工作人员（名）", Count(staff)),
        ];
        return new ReportPart(ReportSection.Basics, 10, null, text, $"少数民族人口台账，截至{q.Today:yyyy年M月d日}；辖区面积和总人口平台未登记", figures);
    }
}

/// <summary>网格化服务管理: grids, households visited in the period, visits by kind.</summary>
sealed class VisitReportSource : IReportSource
{
    public string Permission => ResidentPermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var grids = await db.OrgUnits.AsNoTracking().Under(o => o.Path, q.UnitPath).CountAsync(o => o.Level == OrgLevel.Grid && !o.IsDisabled, ct);
        var all = await db.ResidentTallies.AsNoTracking().Under(t => t.OrgPath, q.UnitPath).Where(t => t.Kind == TallyKind.HouseholdLastVisit)
            .SumAsync(t => t.Count, ct);
        var visited = await VisitFigures.HouseholdsAsync(db, q.UnitPath, q.From, q.To, q.Today, ct);
        var visits = await VisitFigures.ByKindAsync(db, q.UnitPath, q.From, q.To, q.Today, ct);
        int Of(VisitKind k) => visits[k];
        var total = visits.Values.Sum();
        var grid = grids > 0 ? $"全域划分网格{grids}个，" : "";
        // The draft claims what the figures show and no more: a slogan only where most households were reached.
        var text = total == 0
            ? $"{grid}{q.Period}平台中尚未登记入户走访，请补充网格员走访各族群众的情况。"
            : $"{grid}{q.Period}网格员入户走访{Count(total)}次，其中日常走访{Count(Of(VisitKind.Routine))}次、"
              + $"慰问{Count(Of(VisitKind.Condolence))}次、必访户走访{Count(Of(VisitKind.MustVisit))}次，走访覆盖{Count(visited)}户，占在册户数的{Share(visited, all)}"
              + (all > 0 && visited * 10 >= all * 8 ? "，做到民情清、底数明。" : "。");
        return new ReportPart(ReportSection.Work, 40, "推行网格化服务管理，常态走访各族群众", [text],
            $"网格和走访台账（民情日记），{q.Period}；覆盖户数为期间内有走访记录的户",
            [
                new("网格走访", "网格（个）", Count(grids)),
                new("网格走访", "走访（次）", Count(total)),
                new("网格走访", "走访覆盖户数", Count(visited)),
                new("网格走访", "走访覆盖率（占在册户数）", Share(visited, all)),
            ]);
    }
}
