using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Disputes;

/// <summary>
/// Escalations waiting for the caller's unit, its own open cases overdue or due soon by their colour's deadline, the
/// month's screening report still to send (community, before and after the 20th) and, after the 20th, the communities
/// below that have not reported (township, county).
/// </summary>
sealed class DisputeTodos(DisputeOptions options, CalendarCache calendars, IDbContextFactory<ShiliuDb> dbs, ScreeningService screening) : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        var items = new List<TodoItem>();
        var caller = db.Caller;
        if (caller.OrgPath is not { } own) return items;
        if (caller.Can(DisputePermissions.Handle))
        {
            items.Add(new("矛盾纠纷", TodoKind.Review, "上报待接收的矛盾纠纷",
                await DisputeAccess.Visible(db).CountAsync(d => d.HandoverToPath == own, ct),
                "/disputes?incoming=true"));
            var open = await DisputeAccess.Visible(db).AsNoTracking()
                .Where(d => d.OrgPath == own && d.Status != DisputeStatus.Closed && d.ConcludedUtc == null)
                .OrderBy(d => d.RegisteredUtc).ThenBy(d => d.Id).Take(1000).ToListAsync(ct); // the oldest first: they are the ones running late
            if (open.Count > 0)
            {
                var cal = await calendars.GetAsync(dbs, ct);
                var steps = await Handover.StepsAsync(db, DisputeFlow.Name, open.Select(d => d.Id).ToList(), ct);
                var now = db.UtcNow;
                var clocks = open.Select(d => Handover.Clock(cal, options.LimitOf(d.Colour), d.RegisteredUtc, steps[d.Id].ToList(), DisputeFlow.Concluded, now)).ToList();
                items.Add(new("矛盾纠纷", TodoKind.Overdue, "已逾期未答复的矛盾纠纷", clocks.Count(c => c.State == DeadlineState.Overdue), "/disputes?open=true"));
                items.Add(new("矛盾纠纷", TodoKind.DueSoon, "即将到期的矛盾纠纷", clocks.Count(c => c.State == DeadlineState.DueSoon), "/disputes?open=true"));
            }
        }
        if (caller.Can(DisputePermissions.View))
        {
            var unit = await db.OrgUnits.AsNoTracking().Where(o => o.Path == own).Select(o => new { o.Id, o.Level }).FirstOrDefaultAsync(ct);
            if (unit is null) return items;
            var today = ScreeningService.Today(db);
            var month = ScreeningService.MonthOf(today);
            var due = screening.DueDate(month);
            if (unit.Level == OrgLevel.Community && caller.Can(DisputePermissions.Screen)
                && !await db.DisputeScreeningReports.AnyAsync(r => r.OrgUnitId == unit.Id && r.Month == month, ct))
                items.Add(new("矛盾纠纷", today > due ? TodoKind.Overdue : TodoKind.Waiting, $"本月矛盾纠纷排查待上报（{due.Month}月{due.Day}日前，无情况报零报告）", 1,
                    "/disputes/screening"));
            // Chasing late reports is the officers' work; a leader reads the figures but has nothing to do here.
            if (unit.Level is OrgLevel.Township or OrgLevel.County && today > due && caller.Can(DisputePermissions.Handle))
            {
                var status = await screening.StatusAsync(db, month, today, ct);
                items.Add(new("矛盾纠纷", TodoKind.Overdue, "本月未上报矛盾纠纷排查的社区", status.NotReported.Count, "/disputes/screening"));
            }
        }
        return items;
    }
}
