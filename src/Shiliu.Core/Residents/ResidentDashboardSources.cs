using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Residents;

/// <summary>
/// 人口: residents on the register by ethnicity and type, and floating arrivals and departures over the twelve months
/// ending with the period, all added up from the per-unit tallies (a county of a million residents is a few thousand rows).
/// </summary>
sealed class PopulationDashboardSource : IDashboardSource
{
    const int Peoples = 8;

    public string Permission => ResidentPermissions.Statistics;
    public int Order => 40;

    public async Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery q, CancellationToken ct)
    {
        var months = Enumerable.Range(0, 12).Select(i => q.To.AddMonths(i - 11).ToString("yyyy-MM")).ToList();
        var (first, last) = (months[0], months[^1]);
        var rows = await db.ResidentTallies.AsNoTracking().Under(t => t.OrgPath, q.UnitPath)
            .Where(t => t.Kind == TallyKind.EthnicityType
                        || ((t.Kind == TallyKind.InflowMonth || t.Kind == TallyKind.OutflowMonth)
                            && string.Compare(t.Key, first) >= 0 && string.Compare(t.Key, last) <= 0))
            .GroupBy(t => new { t.Kind, t.Key, t.Sub })
            .Select(g => new { g.Key.Kind, g.Key.Key, g.Key.Sub, Count = g.Sum(t => t.Count) })
            .ToListAsync(ct);
        var names = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.Ethnicity).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var typed = rows.Where(r => r.Kind == TallyKind.EthnicityType).ToList();
        int OfType(ResidenceType t) => typed.Where(r => r.Sub == (int)t).Sum(r => r.Count);
        // Leaders read the counts; only the keepers of the archive may open the people behind them.
        var people = db.Caller.Can(ResidentPermissions.View);
        string? Link(string args = "") => people ? $"/residents?{q.UnitArg}{args}" : null;
        var peoples = typed.GroupBy(r => r.Key).Select(g => (Code: g.Key, Name: names.GetValueOrDefault(g.Key, g.Key), Count: g.Sum(r => r.Count)))
            .Where(p => p.Count > 0).OrderByDescending(p => p.Count).ThenBy(p => p.Code).ToList();
        var top = peoples.Take(Peoples).ToList();
        var types = new[] { ResidenceType.Permanent, ResidenceType.Floating, ResidenceType.UnitEmployee };

        var population = new DashboardPanel("population", "少数民族人口",
        [
            new("在册人口", typed.Sum(r => r.Count), "人", Link()),
            .. types.Select(t => new DashboardFigure(ResidentNames.Type(t), OfType(t), "人", Link($"&type={t}"))),
            new("民族数", peoples.Count, "个"),
        ], $"少数民族人口台账（在册），截至{q.Today:yyyy年M月d日}" + (people ? "" : "；领导查看汇总数字，居民名单由台账管理人员查看"))
        {
            Chart = new DashboardChart(ChartKind.HorizontalBar, $"人数较多的{top.Count}个民族（人）", top.Select(p => p.Name).ToList(),
                types.Select(t => new DashboardSeries(ResidentNames.Type(t),
                    top.Select(p => (double)typed.Where(r => r.Key == p.Code && r.Sub == (int)t).Sum(r => r.Count)).ToList(),
                    top.Select(p => Link($"&ethnicity={p.Code}&type={t}")).ToList())).ToList()) { FoldBelow = 5 },
        };

        int Flow(TallyKind kind, string month, ResidenceType? type) =>
            rows.Where(r => r.Kind == kind && r.Key == month && (type is null || r.Sub == (int)type)).Sum(r => r.Count);
        var inflow = months.Select(m => (double)Flow(TallyKind.InflowMonth, m, null)).ToList();
        var outflow = months.Select(m => (double)Flow(TallyKind.OutflowMonth, m, ResidenceType.Floating)).ToList();
        // The tallies count whole months, so the lists open whole months too (the last one to its end, as counted).
        static DateOnly Start(string yyyyMM) => new(int.Parse(yyyyMM[..4]), int.Parse(yyyyMM[5..]), 1);
        string? Moved(ResidentFlow flow, string from, string to) =>
            Link($"&type={ResidenceType.Floating}&flow={flow}&from={Start(from):yyyy-MM-dd}&to={Start(to).AddMonths(1).AddDays(-1):yyyy-MM-dd}");
        var flows = new DashboardPanel("floating", "流动人口流入流出（近12个月）",
        [
            new("流入", inflow.Sum(), "人", Moved(ResidentFlow.In, first, last)),
            new("流动人口迁出", outflow.Sum(), "人", Moved(ResidentFlow.Out, first, last)),
            new("现有流动人口", OfType(ResidenceType.Floating), "人", Link($"&type={ResidenceType.Floating}")),
        ], $"少数民族人口台账的登记和迁出记录，{Month(first)}至{Month(last)}" + (people ? "" : "；领导查看汇总数字，居民名单由台账管理人员查看"))
        {
            Chart = new DashboardChart(ChartKind.Line, "每月流入和迁出（人）", months.Select(Month).ToList(),
                [new("流入", inflow, months.Select(m => Moved(ResidentFlow.In, m, m)).ToList()),
                 new("流动人口迁出", outflow, months.Select(m => Moved(ResidentFlow.Out, m, m)).ToList())]),
        };
        return [population, flows];
    }

    internal static string Month(string yyyyMM) => $"{yyyyMM[..4]}年{int.Parse(yyyyMM[5..])}月";
}

/// <summary>网格和走访: grids, grid staff, households on the register and those with a visit in the period, visits by kind.</summary>
sealed class GridDashboardSource : IDashboardSource
{
    public string Permission => ResidentPermissions.Statistics;
    public int Order => 50;

    public async Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery q, CancellationToken ct)
    {
        var grids = await db.OrgUnits.AsNoTracking().Under(o => o.Path, q.UnitPath).CountAsync(o => o.Level == OrgLevel.Grid && !o.IsDisabled, ct);
        var staff = await db.GridMembers.AsNoTracking().Under(m => m.OrgPath, q.UnitPath).CountAsync(ct);
        var all = await db.ResidentTallies.AsNoTracking().Under(t => t.OrgPath, q.UnitPath).Where(t => t.Kind == TallyKind.HouseholdLastVisit)
            .SumAsync(t => t.Count, ct);
        var visited = await VisitFigures.HouseholdsAsync(db, q.UnitPath, q.From, q.To, q.Today, ct);
        var visits = await VisitFigures.ByKindAsync(db, q.UnitPath, q.From, q.To, q.Today, ct);
        // The keepers open the grids and households behind the counts; leaders read the counts only.
        var people = db.Caller.Can(ResidentPermissions.View);
        var kinds = Enum.GetValues<VisitKind>();
        return
        [
            new DashboardPanel("grids", "网格和走访覆盖",
            [
                new("网格", grids, "个", people ? $"/grids?{q.UnitArg}" : null),
                new("网格工作人员", staff, "名", people ? $"/grids?{q.UnitArg}&staff=true" : null),
                new("在册户数", all, "户", people ? $"/grids?{q.UnitArg}&households=true" : null),
                new("期间走访覆盖户数", visited, "户", people ? $"/grids?{q.UnitArg}&visited=true&{q.PeriodArg}" : null),
                DashboardFigure.Share("走访覆盖率", visited, all),
                new("期间走访", visits.Values.Sum(), "次", people ? $"/grids?{q.UnitArg}&visits=true&{q.PeriodArg}" : null),
            ], $"网格和走访台账，{q.From:yyyy年M月d日}至{q.To:yyyy年M月d日}；覆盖户数为期间内有走访记录的户"
              + (people ? "" : "；领导查看汇总数字，住户名单由台账管理人员查看"))
            {
                Chart = new DashboardChart(ChartKind.Pie, "期间走访按类型（次）", kinds.Select(k => k switch { VisitKind.Condolence => "慰问", VisitKind.MustVisit => "必访户走访", _ => "日常走访" }).ToList(),
                    [new("走访", kinds.Select(k => (double)visits[k]).ToList())]),
            },
        ];
    }
}
