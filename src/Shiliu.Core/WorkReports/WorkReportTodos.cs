using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.WorkReports;

/// <summary>Briefs reported from below to adopt or return, the unit's own briefs returned, and adopted ones the county may publish.</summary>
sealed class WorkReportTodos : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(CampaignPermissions.Progress)) return [];
        var own = db.Caller.OrgPath ?? "\u0001";
        var items = new List<TodoItem>
        {
            new("工作信息", TodoKind.Review, "下级报送待采用的工作信息",
                await db.WorkReports.CountAsync(r => r.Status == ReportStatus.Reported && r.OrgPath != own, ct), "/work-reports"),
            new("工作信息", TodoKind.Returned, "被退回的工作信息", await db.WorkReports.CountAsync(r => r.OrgPath == own && r.Status == ReportStatus.Returned, ct),
                "/work-reports"),
        };
        if (db.Caller.Can(CampaignPermissions.Manage))
            items.Add(new("工作信息", TodoKind.Waiting, "已采用待发布的工作信息", await db.WorkReports.CountAsync(r => r.Status == ReportStatus.Adopted, ct), "/work-reports"));
        return items;
    }
}
