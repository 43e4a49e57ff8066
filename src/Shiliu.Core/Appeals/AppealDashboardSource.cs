using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Appeals;

/// <summary>群众诉求: appeals open and overdue today, received and answered in the period, by topic (counts only).</summary>
sealed class AppealDashboardSource(CalendarCache calendars, IDbContextFactory<ShiliuDb> dbs) : IDashboardSource
{
    public string Permission => AppealPermissions.View;
    public int Order => 80;

    public async Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery q, CancellationToken ct)
    {
        var held = db.Appeals.AsNoTracking().Under(a => a.OrgPath, q.UnitPath);
        var open = held.Where(a => AppealOverdue.Open.Contains(a.Status));
        var openCount = await open.CountAsync(ct);
        var overdue = (await AppealOverdue.IdsAsync(db, open, await calendars.GetAsync(dbs, ct), ct)).Count;
        var period = await held.Where(a => a.CreatedUtc >= q.FromUtc && a.CreatedUtc < q.ToUtcExclusive)
            .GroupBy(a => a.Topic).Select(g => new { Topic = g.Key, All = g.Count(), Answered = g.Count(a => a.AnsweredUtc != null), OnTime = g.Count(a => a.AnsweredOnTime == true) })
            .ToListAsync(ct);
        var answered = period.Sum(p => p.Answered);
        var topics = period.OrderByDescending(p => p.All).ToList();
        var link = $"/appeals?{q.UnitArg}";
        return
        [
            new DashboardPanel("appeals", "群众诉求",
            [
                new("办理中", openCount, "件", $"{link}&open=true"),
                new("逾期未答复", overdue, "件", $"{link}&overdue=true"),
                new("期间收到", period.Sum(p => p.All), "件", $"{link}&{q.PeriodArg}"),
                new("期间已答复", answered, "件", $"{link}&{q.PeriodArg}&answered=true"),
                DashboardFigure.Share("按时答复率", period.Sum(p => p.OnTime), answered),
            ], $"群众诉求台账（只计件数，不含诉求人信息），期间{q.From:yyyy年M月d日}至{q.To:yyyy年M月d日}；办理中和逾期截至今天")
            {
                Chart = new DashboardChart(ChartKind.Bar, "期间诉求按类别（件）", topics.Select(t => AppealNames.TopicName(t.Topic)).ToList(),
                    [new("收到", topics.Select(t => (double)t.All).ToList()), new("已答复", topics.Select(t => (double)t.Answered).ToList())]),
            },
        ];
    }
}
