using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Activities;

/// <summary>宣传教育和节庆活动: activities in the period by month and type, with head counts and those held on festivals.</summary>
sealed class ActivityDashboardSource : IDashboardSource
{
    public string Permission => EvidencePermissions.View;
    public int Order => 90;

    public async Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery q, CancellationToken ct)
    {
        var rows = await db.Activities.AsNoTracking().Under(a => a.OrgPath, q.UnitPath).Where(a => a.Date >= q.From && a.Date <= q.To)
            .GroupBy(a => new { a.Date.Year, a.Date.Month, a.TypeCode })
            .Select(g => new { g.Key.Year, g.Key.Month, Type = g.Key.TypeCode, Count = g.Count(), People = g.Sum(a => a.ParticipantsTotal), Festivals = g.Count(a => a.FestivalId != null) })
            .ToListAsync(ct);
        var names = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.ActivityType).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var months = new List<DateOnly>();
        for (var m = new DateOnly(q.From.Year, q.From.Month, 1); m <= q.To; m = m.AddMonths(1)) months.Add(m);
        var types = rows.GroupBy(r => r.Type).OrderByDescending(g => g.Sum(r => r.Count)).Select(g => g.Key).ToList();
        var link = $"/activities?{q.UnitArg}&{q.PeriodArg}";
        static DateOnly End(DateOnly month, DateOnly to) => month.AddMonths(1).AddDays(-1) is var e && e < to ? e : to;
        return
        [
            new DashboardPanel("activities", "宣传教育和节庆活动",
            [
                new("期间活动", rows.Sum(r => r.Count), "场", link),
                new("参与群众", rows.Sum(r => r.People), "人次"),
                new("结合民族节日", rows.Sum(r => r.Festivals), "场", $"{link}&festival=true"),
                .. types.Take(4).Select(t => new DashboardFigure(names.GetValueOrDefault(t, t), rows.Where(r => r.Type == t).Sum(r => r.Count), "场", $"{link}&type={t}")),
            ], $"活动台账，{q.From:yyyy年M月d日}至{q.To:yyyy年M月d日}")
            {
                Chart = new DashboardChart(ChartKind.StackedBar, "每月活动按类型（场）", months.Select(m => $"{m.Year}年{m.Month}月").ToList(),
                    types.Select(t => new DashboardSeries(names.GetValueOrDefault(t, t),
                        months.Select(m => (double)rows.Where(r => r.Type == t && r.Year == m.Year && r.Month == m.Month).Sum(r => r.Count)).ToList(),
                        months.Select(m => (string?)$"/activities?{q.UnitArg}&from={(m < q.From ? q.From : m):yyyy-MM-dd}&to={End(m, q.To):yyyy-MM-dd}&type={t}").ToList())).ToList()),
            },
        ];
    }
}
