using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.ServiceCases;

public sealed record ServiceFigureQuery
{
    public Guid? OrgUnitId { get; set; }
    /// <summary>Cases received (受理) from this day on (China time).</summary>
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
}

/// <summary>
/// One unit and type's cases received in the period: 按时办结率 = closed on time / closed, 回访率 = revisited / closed that
/// need a 回访, 满意率 = 满意 + 基本满意 / revisited, 重办 counted apart, average working days to 办结 (pauses left out).
/// </summary>
public sealed record ServiceFigureRow(Guid? OrgUnitId, string UnitName, Guid? TypeId, string TypeName, int Received, int Closed, int ClosedOnTime, int RevisitDue,
    int Revisited, int Satisfied, int Reopened, double? AverageDays)
{
    public double? OnTimeRate => Closed == 0 ? null : (double)ClosedOnTime / Closed;
    public double? RevisitRate => RevisitDue == 0 ? null : (double)Revisited / RevisitDue;
    public double? SatisfactionRate => Revisited == 0 ? null : (double)Satisfied / Revisited;
}

public sealed record ServiceFigureTable(string ScopeName, DateOnly? From, DateOnly? To, IReadOnlyList<ServiceFigureRow> Rows, ServiceFigureRow Total);

/// <summary>The timeliness and satisfaction figures, counted by the database over the caller's scope.</summary>
public sealed class ServiceFigures(IDbContextFactory<ShiliuDb> dbs)
{
    public async Task<ServiceFigureTable> ComputeAsync(ServiceFigureQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.View, ServiceCaseErrors.Denied, "查看服务群众统计");
        if (q.From is { } f && q.To is { } t && f > t) throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "to", "结束日期不能早于开始日期");
        var unit = q.OrgUnitId is { } u
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == u, ct) ?? throw new NotFoundInScope("单位")
            : await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct);
        // Cases the unit holds: one offered to it from outside is not yet its case (the scope shows it so it can be accepted).
        // Whole months come from the tallies; the days before the first and after the last whole month from the cases.
        // Cases are received now, never later: a period to today reads this month from its tally.
        var split = MonthSplit.Of(q.From, q.To, DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow)));
        var cases = db.ServiceCases.AsNoTracking();
        var tallies = db.ServiceCaseTallies.AsNoTracking();
        if (unit is not null)
        {
            cases = cases.Under(c => c.OrgPath, unit.Path);
            tallies = tallies.Under(t => t.OrgPath, unit.Path);
        }
        var counts = new List<ServiceCount>();
        // Days outside whole months read the cases received in them by date (the recent index holds the path too);
        // SQLite would otherwise read every case the subtree ever received through the path index (a county's: all of them).
        var days = cases.PreferIndexOnSqlite("ServiceCases", "IX_ServiceCases_Recent");
        foreach (var (from, until) in split.Days)
            counts.AddRange(await ServiceTally.CountAsync(ServiceTally.Received(days, from, until), ct));
        if (split.HasMonths)
        {
            if (split.FirstMonth is { } mf) tallies = tallies.Where(t => t.Month >= mf);
            if (split.EndMonth is { } mt) tallies = tallies.Where(t => t.Month < mt);
            counts.AddRange(await tallies.GroupBy(t => new { t.OrgUnitId, t.TypeId }).Select(g => new ServiceCount(g.Key.OrgUnitId, g.Key.TypeId,
                g.Sum(t => t.Received), g.Sum(t => t.Closed), g.Sum(t => t.ClosedOnTime), g.Sum(t => t.RevisitDue), g.Sum(t => t.Revisited),
                g.Sum(t => t.Satisfied), g.Sum(t => t.Reopened), g.Sum(t => t.DaysSum))).ToListAsync(ct));
        }
        var groups = counts.GroupBy(c => (c.OrgUnitId, c.TypeId)).Select(g => new
        {
            g.Key.OrgUnitId, g.Key.TypeId, Received = g.Sum(c => c.Received), Closed = g.Sum(c => c.Closed), OnTime = g.Sum(c => c.ClosedOnTime),
            RevisitDue = g.Sum(c => c.RevisitDue), Revisited = g.Sum(c => c.Revisited), Satisfied = g.Sum(c => c.Satisfied), Reopened = g.Sum(c => c.Reopened),
            DaysSum = g.Sum(c => c.DaysSum),
        }).ToList();
        var units = await db.UnitNamesAsync(groups.Select(g => g.OrgUnitId), ct);
        var types = await db.ServiceTypes.AsNoTracking().ToDictionaryAsync(x => x.Id, x => (x.Name, x.SortOrder), ct);
        var rows = groups.Select(g => new ServiceFigureRow(g.OrgUnitId, units[g.OrgUnitId], g.TypeId, types[g.TypeId].Name, g.Received, g.Closed, g.OnTime,
                g.RevisitDue, g.Revisited, g.Satisfied, g.Reopened, g.Closed == 0 ? null : Math.Round(g.DaysSum / g.Closed, 1)))
            .OrderBy(r => r.UnitName).ThenBy(r => types[r.TypeId!.Value].SortOrder).ToList();
        var closed = rows.Sum(r => r.Closed);
        var total = new ServiceFigureRow(null, "合计", null, "", rows.Sum(r => r.Received), closed, rows.Sum(r => r.ClosedOnTime), rows.Sum(r => r.RevisitDue),
            rows.Sum(r => r.Revisited), rows.Sum(r => r.Satisfied), rows.Sum(r => r.Reopened),
            closed == 0 ? null : Math.Round(groups.Sum(g => g.DaysSum) / closed, 1));
        return new ServiceFigureTable(unit?.Name ?? "全县", q.From, q.To, rows, total);
    }
}
