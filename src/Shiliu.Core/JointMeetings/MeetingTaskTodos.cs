using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.JointMeetings;

/// <summary>The convener's overdue and due-soon tasks (due within <see cref="JointMeetingService.DueSoonWorkingDays"/> working days).</summary>
sealed class MeetingTaskTodos(IDbContextFactory<ShiliuDb> dbs, CalendarCache calendar) : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(JointMeetingPermissions.Manage) || db.Caller.OrgPath is not { } own) return [];
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var soon = (await calendar.GetAsync(dbs, ct)).AddWorkingDays(today, JointMeetingService.DueSoonWorkingDays);
        var open = db.MeetingTasks.Where(t => t.OrgPath == own && t.Status == TaskStatus.Open);
        return
        [
            new("联席会议", TodoKind.Overdue, "逾期未销号的议定事项", await open.CountAsync(t => t.DueDate < today, ct), "/joint-meetings?tab=tasks&timing=Overdue"),
            new("联席会议", TodoKind.DueSoon, $"{JointMeetingService.DueSoonWorkingDays}个工作日内到期的议定事项",
                await open.CountAsync(t => t.DueDate >= today && t.DueDate <= soon, ct), "/joint-meetings?tab=tasks&timing=DueSoon"),
        ];
    }
}
