using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Jobs;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Platform;

/// <summary>The platform's own to-dos: failed background jobs, and next year's holidays once the notice is due.</summary>
sealed class PlatformTodos : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        var items = new List<TodoItem>();
        if (db.Caller.Can(PlatformPermissions.Jobs))
        {
            var since = db.UtcNow.AddDays(-7);
            items.Add(new TodoItem("后台任务", TodoKind.Failed, "近7天失败的后台任务", await db.BackgroundJobs.CountAsync(j => j.Status == JobStatus.Failed && j.CreatedUtc >= since, ct),
                "/jobs"));
        }
        var today = ChinaTime.ToChina(db.UtcNow);
        // The State Council publishes next year's arrangement in November or December.
        if (db.Caller.Can(PlatformPermissions.CalendarManage) && today.Month >= 11)
        {
            var next = today.Year + 1;
            var entered = await db.HolidayYears.AnyAsync(y => y.Year == next && !y.Provisional, ct);
            items.Add(new TodoItem("节假日安排", TodoKind.Waiting, $"国务院办公厅通知发布后录入{next}年节假日安排", entered ? 0 : 1, "/calendar"));
        }
        return items;
    }
}
