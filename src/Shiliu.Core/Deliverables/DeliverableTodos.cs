using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Deliverables;

/// <summary>“十个一” waiting for the caller (the work plan, item 2, counts among the campaign's unit plans): submissions from below to review; the unit's own items returned, overdue or due within three working days.</summary>
sealed class DeliverableTodos(CalendarService calendar) : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(CampaignPermissions.Progress)) return [];
        var own = db.Caller.OrgPath ?? "\u0001";
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var soon = (await calendar.CurrentAsync(ct)).AddWorkingDays(today, 3);
        var open = db.Deliverables.Where(d => d.OrgPath == own && d.DueDate != null
            && (d.Status == DeliverableStatus.NotStarted || d.Status == DeliverableStatus.InProgress || d.Status == DeliverableStatus.Returned));
        return
        [
            new("十个一", TodoKind.Review, "下级提交待审核的“十个一”",
                await db.Deliverables.CountAsync(d => d.Status == DeliverableStatus.Completed && d.OrgPath != own && d.ItemNo != UnitPlanService.DeliverableItem, ct), "/deliverables"),
            new("十个一", TodoKind.Returned, "被退回的“十个一”", await db.Deliverables.CountAsync(d => d.OrgPath == own && d.Status == DeliverableStatus.Returned && d.ItemNo != UnitPlanService.DeliverableItem, ct),
                "/deliverables"),
            new("十个一", TodoKind.Overdue, "已过期限未完成的“十个一”", await open.CountAsync(d => d.DueDate < today, ct), "/deliverables"),
            new("十个一", TodoKind.DueSoon, "3个工作日内到期的“十个一”", await open.CountAsync(d => d.DueDate >= today && d.DueDate <= soon, ct), "/deliverables"),
        ];
    }
}
