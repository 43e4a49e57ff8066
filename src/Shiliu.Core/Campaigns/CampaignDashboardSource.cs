using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Campaigns;

/// <summary>创建全覆盖 (units in the campaign, units with all 十个一 approved) and each phase's tasks done against the plan's dates.</summary>
sealed class CampaignDashboardSource : IDashboardSource
{
    public string Permission => CampaignPermissions.View;
    public int Order => 10;

    public async Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery q, CancellationToken ct)
    {
        if (q.CampaignId is not { } id) return [];
        var c = await db.Campaigns.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Title }).SingleAsync(ct);
        var units = await db.CampaignUnits.AsNoTracking().Under(u => u.OrgPath, q.UnitPath).Where(u => u.CampaignId == id)
            .Select(u => u.Id).ToListAsync(ct);
        var approved = await db.Deliverables.AsNoTracking().Under(d => d.OrgPath, q.UnitPath)
            .Where(d => d.CampaignId == id && d.Status == DeliverableStatus.Approved)
            .GroupBy(d => d.OrgUnitId).Select(g => g.Count()).ToListAsync(ct);
        var complete = approved.Count(n => n == TenItems.Names.Length);
        var link = $"/deliverables?campaign={id}&{q.UnitArg}";
        var coverage = new DashboardPanel("coverage", "创建全覆盖",
        [
            new("参加创建的单位", units.Count, "个", link),
            new("“十个一”全部审核通过", complete, "个", link + "&complete=true"),
            DashboardFigure.Share("全部通过的单位占比", complete, units.Count),
        ], $"《{c.Title}》参加单位和“十个一”审核记录，截至{q.Today:yyyy年M月d日}");

        var phases = await db.Set<CampaignPhase>().AsNoTracking().Where(p => p.CampaignId == id).OrderBy(p => p.No)
            .Select(p => new { p.Id, p.No, p.Name, p.StartDate, p.EndDate, Tasks = p.Tasks.Count }).ToListAsync(ct);
        var done = await db.UnitTasksDone.AsNoTracking().Under(t => t.OrgPath, q.UnitPath).Where(t => t.State == TaskDoneState.Done)
            .Join(db.Set<PhaseTask>().AsNoTracking(), t => t.PhaseTaskId, p => p.Id, (t, p) => new { p.PhaseId, t.CampaignUnitId })
            .GroupBy(x => x.PhaseId).Select(g => new { Phase = g.Key, Count = g.Count() }).ToListAsync(ct);
        var unitSet = units.Count;
        var rows = phases.Select(p =>
        {
            var due = p.Tasks * unitSet;
            var count = done.Where(d => d.Phase == p.Id).Sum(d => d.Count);
            // How far the calendar has run through the phase: what "on plan" means for its tasks today.
            var span = p.EndDate.DayNumber - p.StartDate.DayNumber + 1;
            var elapsed = Math.Clamp(q.Today.DayNumber - p.StartDate.DayNumber + 1, 0, span);
            return (Name: p.Name.EndsWith("阶段") ? p.Name : $"{p.Name}阶段", p.StartDate, p.EndDate, Done: due == 0 ? 0 : Math.Round(100.0 * count / due, 1),
                Time: span <= 0 ? 0 : Math.Round(100.0 * elapsed / span, 1));
        }).ToList();
        var current = rows.FirstOrDefault(r => r.StartDate <= q.Today && q.Today <= r.EndDate);
        var progress = new DashboardPanel("phases", "阶段进度",
            rows.Select(r => new DashboardFigure($"{r.Name}任务完成", r.Done, "%", $"/campaigns/{id}")).ToList(),
            $"创建活动方案的阶段日期（{string.Join("；", rows.Select(r => $"{r.Name}{r.StartDate:yyyy年M月d日}至{r.EndDate:yyyy年M月d日}"))}）和各单位阶段任务完成记录"
            + (current.Name is null ? "" : $"；今天处于{current.Name}"))
        {
            Chart = new DashboardChart(ChartKind.Bar, "各阶段任务完成率与时间进度（%）", rows.Select(r => r.Name).ToList(),
            [
                new("任务完成率", rows.Select(r => r.Done).ToList()),
                new("时间进度", rows.Select(r => r.Time).ToList()),
            ]),
        };
        return phases.Count == 0 ? [coverage] : [coverage, progress];
    }
}
