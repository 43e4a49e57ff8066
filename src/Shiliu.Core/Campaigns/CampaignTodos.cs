using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Campaigns;

/// <summary>Phase tasks and the work plan of the caller's unit that the level above sent back; plans reported by the units below.</summary>
sealed class CampaignTodos : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(CampaignPermissions.Progress)) return [];
        var own = db.Caller.OrgPath ?? "\u0001";
        return
        [
            new("创建活动", TodoKind.Returned, "被退回的阶段任务", await db.UnitTasksDone.CountAsync(d => d.OrgPath == own && d.State == TaskDoneState.Returned, ct), "/campaigns"),
            new("创建活动", TodoKind.Returned, "被退回的工作方案", await db.UnitPlans.CountAsync(p => p.OrgPath == own && p.Status == UnitPlanStatus.Returned, ct), "/campaigns/plans"),
            new("创建活动", TodoKind.Review, "待审核的单位工作方案",
                await db.UnitPlans.Where(p => p.Status == UnitPlanStatus.Reported && p.OrgPath != own).CountAsync(ct), "/campaigns/plans"),
        ];
    }
}
