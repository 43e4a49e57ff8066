using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Appeals;

/// <summary>New appeals to accept, appeals offered to the caller's unit, reopened ones, and the unit's open appeals due soon or overdue.</summary>
sealed class AppealTodos(CalendarCache calendars, IDbContextFactory<ShiliuDb> dbs) : ITodoSource
{
    static readonly AppealStatus[] Open = [AppealStatus.Pending, AppealStatus.Handling, AppealStatus.Transferring, AppealStatus.Reopened];

    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(AppealPermissions.Handle) || db.Caller.OrgPath is not { } own) return [];
        var open = await db.Appeals.AsNoTracking().Where(a => a.OrgPath == own && Open.Contains(a.Status))
            .Select(a => new { a.Id, a.Topic, a.CreatedUtc, a.Status }).ToListAsync(ct);
        var cal = await calendars.GetAsync(dbs, ct);
        var steps = await Handover.StepsAsync(db, AppealFlow.Definition.Name, open.Select(a => a.Id).ToList(), ct);
        var clocks = open.Select(a => Handover.Clock(cal, AppealNames.Topic(a.Topic)?.Limit ?? new TimeLimit(10, ClockUnit.WorkingDays), a.CreatedUtc,
            steps[a.Id].ToList(), AppealFlow.Pausing, db.UtcNow).State).ToList();
        return
        [
            new("群众诉求", TodoKind.Waiting, "新诉求待受理", open.Count(a => a.Status == AppealStatus.Pending), "/appeals?status=Pending"),
            new("群众诉求", TodoKind.Waiting, "其他单位转来的诉求待接收", await db.Appeals.CountAsync(a => a.HandoverToPath == own, ct), "/appeals?offered=1"),
            new("群众诉求", TodoKind.Returned, "群众反馈未解决、待重办的诉求", open.Count(a => a.Status == AppealStatus.Reopened), "/appeals?status=Reopened"),
            new("群众诉求", TodoKind.DueSoon, "即将到期未答复的诉求", clocks.Count(c => c == DeadlineState.DueSoon), "/appeals"),
            new("群众诉求", TodoKind.Overdue, "已逾期未答复的诉求", clocks.Count(c => c == DeadlineState.Overdue), "/appeals"),
        ];
    }
}
