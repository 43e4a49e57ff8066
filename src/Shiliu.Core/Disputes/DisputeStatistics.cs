using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Calendar;

namespace Shiliu.Core.Disputes;

public sealed record DisputeStatsQuery
{
    public int? Year { get; set; }
}

public sealed record DisputeCount(string Name, int Value);

public sealed record MonthFigures(int Month, int Screenings, int NilScreenings, int UnitsReported, int UnitsTotal, int Registered);

/// <summary>
/// Figures in the caller's scope. Cases with ethnic factors are counted like the others (de-identified: counts only, no
/// numbers, titles or names), so every role with the statistics permission sees the same totals.
/// </summary>
public sealed record DisputeStats(int Year, IReadOnlyList<MonthFigures> Months, IReadOnlyList<DisputeCount> ByCategory, IReadOnlyList<DisputeCount> ByColour,
    IReadOnlyList<DisputeCount> ByTier, IReadOnlyList<DisputeCount> OpenByColour, int Total, int Ethnic, int Concluded, int Resolved, double? ResolvedShare,
    double? AverageWorkingDays, IReadOnlyList<VetoRow> Veto);

/// <summary>一票否决预警: a unit where a 红 case with ethnic factors was registered in the period, and how many.</summary>
public sealed record VetoRow(Guid UnitId, string UnitName, string TownshipName, int Cases);

public sealed class DisputeStatisticsService(IDbContextFactory<ShiliuDb> dbs, CalendarCache calendars)
{
    public async Task<DisputeStats> StatsAsync(DisputeStatsQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Statistics, DisputeErrors.Denied, "查看矛盾纠纷统计");
        var today = ScreeningService.Today(db);
        var year = q.Year ?? today.Year;
        if (year is < 2000 or > 2100) throw RuleViolation.ForField(DisputeErrors.Invalid, "year", "年份须在2000至2100之间");
        var from = ChinaTime.DayStartUtc(new DateOnly(year, 1, 1));
        var to = ChinaTime.DayStartUtc(new DateOnly(year + 1, 1, 1));
        var cases = await DisputeAccess.Counted(db).AsNoTracking().Where(d => d.RegisteredUtc >= from && d.RegisteredUtc < to)
            .Select(d => new { d.CategoryCode, d.Colour, d.Tier, d.Status, d.EthnicFactors, d.RegisteredUtc, d.ConcludedUtc }).ToListAsync(ct);
        var cats = await DisputeService.CategoriesAsync(db, ct);
        var first = new DateOnly(year, 1, 1);
        var screenings = await db.DisputeScreenings.AsNoTracking().Where(s => s.Date >= first && s.Date < first.AddYears(1)).Select(s => new { s.Date, s.Nil }).ToListAsync(ct);
        var reports = await db.DisputeScreeningReports.AsNoTracking().Where(r => r.Month >= year * 100 && r.Month < (year + 1) * 100).Select(r => r.Month).ToListAsync(ct);
        var communities = await db.OrgUnits.CountAsync(o => o.Level == OrgLevel.Community && !o.IsDisabled, ct);
        var months = Enumerable.Range(1, 12).Select(m => new MonthFigures(m, screenings.Count(s => s.Date.Month == m), screenings.Count(s => s.Date.Month == m && s.Nil),
            reports.Count(r => r % 100 == m), communities, cases.Count(c => ChinaTime.ToChina(c.RegisteredUtc).Month == m))).ToList();
        // 调解不成 closes too; "resolved" counts the cases that reached an agreement.
        var concluded = cases.Count(c => c.ConcludedUtc is not null);
        var agreed = cases.Count(c => c.Status is DisputeStatus.Resolved or DisputeStatus.Visited)
                     + await ClosedAgreedAsync(db, from, to, ct);
        var cal = await calendars.GetAsync(dbs, ct);
        var days = cases.Where(c => c.ConcludedUtc is not null)
            .Select(c => cal.WorkingDaysBetween(DateOnly.FromDateTime(ChinaTime.ToChina(c.RegisteredUtc)), DateOnly.FromDateTime(ChinaTime.ToChina(c.ConcludedUtc!.Value))))
            .ToList();
        static IReadOnlyList<DisputeCount> By<T>(IEnumerable<T> items, Func<T, string> key) => items.GroupBy(key).Select(g => new DisputeCount(g.Key, g.Count())).OrderByDescending(c => c.Value).ToList();
        var colours = Enum.GetValues<RiskColour>();
        return new DisputeStats(year, months,
            By(cases, c => cats.GetValueOrDefault(c.CategoryCode, c.CategoryCode)),
            colours.Select(c => new DisputeCount(DisputeNames.Colour(c), cases.Count(x => x.Colour == c))).ToList(),
            Enum.GetValues<DisputeTier>().Select(t => new DisputeCount(DisputeNames.Tier(t), cases.Count(x => x.Tier == t))).ToList(),
            colours.Select(c => new DisputeCount(DisputeNames.Colour(c), cases.Count(x => x.Colour == c && x.ConcludedUtc is null && x.Status != DisputeStatus.Closed))).ToList(),
            cases.Count, cases.Count(c => c.EthnicFactors), concluded, agreed, concluded == 0 ? null : Math.Round(100.0 * agreed / concluded, 1),
            days.Count == 0 ? null : Math.Round(days.Average(), 1),
            await VetoAsync(db, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), ct));
    }

    /// <summary>Closed cases that had reached an agreement (their mediation step was 调解成功).</summary>
    static async Task<int> ClosedAgreedAsync(ShiliuDb db, DateTime from, DateTime to, CancellationToken ct)
    {
        var closed = DisputeAccess.Counted(db).Where(d => d.RegisteredUtc >= from && d.RegisteredUtc < to && d.Status == DisputeStatus.Closed).Select(d => d.Id);
        return await db.Set<Platform.Workflow.WorkflowStep>().IgnoreQueryFilters()
            .Where(s => s.Workflow == DisputeFlow.Name && s.Action == "succeed" && closed.Contains(s.ItemId)).Select(s => s.ItemId).Distinct().CountAsync(ct);
    }

    /// <summary>
    /// 一票否决预警 for a period: the units (where the case was registered) with a 红 case involving ethnic factors registered
    /// in it. Counts only. The assessment module reads this.
    /// </summary>
    public async Task<IReadOnlyList<VetoRow>> VetoAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Statistics, DisputeErrors.Denied, "查看一票否决预警");
        if (to < from) throw RuleViolation.ForField(DisputeErrors.Invalid, "to", "结束日期不能早于开始日期");
        return await VetoAsync(db, from, to, ct);
    }

    internal static async Task<IReadOnlyList<VetoRow>> VetoAsync(ShiliuDb db, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = ChinaTime.DayStartUtc(from);
        var end = ChinaTime.DayStartUtc(to.AddDays(1));
        var hits = await DisputeAccess.Counted(db).AsNoTracking()
            .Where(d => d.EthnicFactors && d.Colour == RiskColour.Red && d.RegisteredUtc >= start && d.RegisteredUtc < end)
            .GroupBy(d => d.RegisteredUnitId).Select(g => new { Unit = g.Key, Cases = g.Count() }).ToListAsync(ct);
        var ids = hits.Select(h => h.Unit).ToList();
        var units = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Name, o.ParentId }).ToListAsync(ct);
        var parents = await db.UnitNamesAsync(units.Where(u => u.ParentId is not null).Select(u => u.ParentId!.Value), ct);
        return hits.Join(units, h => h.Unit, u => u.Id, (h, u) => new VetoRow(u.Id, u.Name, u.ParentId is { } p ? parents.GetValueOrDefault(p, "") : "", h.Cases))
            .OrderBy(v => v.TownshipName).ThenBy(v => v.UnitName).ToList();
    }
}
