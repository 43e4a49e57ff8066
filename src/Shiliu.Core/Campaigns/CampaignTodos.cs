using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Campaigns;

/// <summary>Phase tasks of the caller's unit that the level above sent back.</summary>
sealed class CampaignTodos : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(CampaignPermissions.Progress)) return [];
        var own = db.Caller.OrgPath ?? "\u0001";
        return [new("创建活动", TodoKind.Returned, "被退回的阶段任务", await db.UnitTasksDone.CountAsync(d => d.OrgPath == own && d.State == TaskDoneState.Returned, ct), "/campaigns")];
    }
}
