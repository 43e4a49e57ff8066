using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Residents.Import;

namespace Shiliu.Core.Residents;

/// <summary>
/// Transfer requests for residents the caller keeps, the caller's own checked imports not yet confirmed, ledger exports
/// waiting for the caller's approval, and the caller's approved exports not yet downloaded.
/// </summary>
sealed class ResidentTodos : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        var me = db.Caller.UserName;
        var items = new List<TodoItem>();
        if (db.Caller.Can(ResidentPermissions.Manage))
        {
            items.Add(new("少数民族档案", TodoKind.Waiting, "待处理的居民转入申请", await db.ResidentTransfers.CountAsync(t => t.Status == TransferStatus.Pending, ct), "/residents"));
            items.Add(new("少数民族档案", TodoKind.Waiting, "已检查待确认的居民导入",
                await db.ResidentImports.CountAsync(j => j.Status == ImportStatus.Previewed && j.RequestedBy == me, ct), "/residents/import"));
        }
        var myId = db.Caller.UserId ?? "";
        if (db.Caller.Can(ResidentPermissions.ApproveExport))
            items.Add(new("少数民族档案", TodoKind.Review, "待审批的台账导出申请",
                await db.LedgerExportRequests.CountAsync(r => r.Status == LedgerExportStatus.Pending && r.RequestedById != myId, ct), "/residents/exports"));
        if (db.Caller.Can(ResidentPermissions.View))
        {
            var now = db.UtcNow;
            items.Add(new("少数民族档案", TodoKind.Waiting, "已批准待下载的台账",
                await db.LedgerExportRequests.CountAsync(r => r.Status == LedgerExportStatus.Approved && r.RequestedById == myId && r.ExpiresUtc > now, ct),
                "/residents/exports"));
        }
        return items;
    }
}
