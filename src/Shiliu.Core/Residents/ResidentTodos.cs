using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Residents;

/// <summary>Transfer requests for residents the caller keeps, and the caller's own checked imports not yet confirmed.</summary>
sealed class ResidentTodos : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(ResidentPermissions.Manage)) return [];
        var me = db.Caller.UserName;
        return
        [
            new("少数民族档案", TodoKind.Waiting, "待处理的居民转入申请", await db.ResidentTransfers.CountAsync(t => t.Status == TransferStatus.Pending, ct), "/residents"),
            new("少数民族档案", TodoKind.Waiting, "已检查待确认的居民导入",
                await db.ResidentImports.CountAsync(j => j.Status == ImportStatus.Previewed && j.RequestedBy == me, ct), "/residents/import"),
        ];
    }
}
