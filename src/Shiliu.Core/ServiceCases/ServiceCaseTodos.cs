using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.ServiceCases;

/// <summary>The unit's cases past or near their deadline, cases offered to it waiting for acceptance, and cases due a 回访.</summary>
sealed class ServiceCaseTodos(IDbContextFactory<ShiliuDb> dbs, CalendarCache calendars) : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(ServiceCasePermissions.Manage) || db.Caller.OrgPath is not { } own) return [];
        var cal = await calendars.GetAsync(dbs, ct);
        var now = db.UtcNow;
        var soon = cal.AddOfficeMinutes(now, cal.Hours.MinutesPerDay);
        var running = db.ServiceCases.Where(c => c.OrgPath == own && (c.Status == ServiceCaseStatus.Accepted || c.Status == ServiceCaseStatus.InProgress
                                                                      || c.Status == ServiceCaseStatus.Offered));
        return
        [
            new("服务群众", TodoKind.Overdue, "已逾期的服务事项", await running.CountAsync(c => c.DueUtc < now, ct), "/service-cases?overdue=true"),
            new("服务群众", TodoKind.DueSoon, "一个工作日内到期的服务事项", await running.CountAsync(c => c.DueUtc >= now && c.DueUtc <= soon, ct), "/service-cases"),
            new("服务群众", TodoKind.Waiting, "转办给本单位、待接收的服务事项",
                await db.ServiceCases.CountAsync(c => c.HandoverToPath == own, ct), "/service-cases?incoming=true"),
            new("服务群众", TodoKind.Waiting, "已办结待回访的服务事项",
                await db.ServiceCases.CountAsync(c => c.OrgPath == own && c.Status == ServiceCaseStatus.Closed && c.NeedsRevisit, ct),
                $"/service-cases?status={ServiceCaseStatus.Closed}"),
        ];
    }
}
