using Shiliu.Web.Hosting;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Deliverables;

namespace Shiliu.Web.Features.Deliverables;

public sealed record ReviewDeliverable(bool Pass, string? Reason, int Version);
public sealed record DeliverableExport(Guid CampaignId, Guid? TownshipId);

public static class DeliverableApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("十个一", "各单位“十个一”创建成果的登记、佐证、上级审核和完成情况");

    public static void MapDeliverableApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/deliverables").WithTag(Tag).RequireAuthorization(CampaignPermissions.View);

        g.MapGet("/", async (Guid campaignId, Guid? townshipId, DeliverableService s, CancellationToken ct) =>
                TypedResults.Ok(await s.MatrixAsync(campaignId, townshipId, ct)))
            .WithName("Deliverables_Matrix").WithSummary("“十个一”完成情况矩阵（单位 × 十项），可按乡镇筛选");

        g.MapPost("/export", async (DeliverableExport req, DeliverableService s, CancellationToken ct) =>
                Exported.File(await s.ExportAsync(req.CampaignId, req.TownshipId, ct)))
            .ProducesFile(Exported.Xlsx).WithName("Deliverables_Export").WithSummary("导出“十个一”完成情况（Excel，记入审计日志）");

        g.MapGet("/units/{orgUnitId:guid}", async (Guid orgUnitId, Guid campaignId, DeliverableService s, CancellationToken ct) =>
                TypedResults.Ok(await s.UnitAsync(campaignId, orgUnitId, ct)))
            .WithName("Deliverables_Unit").WithSummary("某单位的十项及其状态、责任人、期限、佐证和审核意见");

        g.MapPut("/{id:guid}", async (Guid id, UpdateDeliverable req, DeliverableService s, CancellationToken ct) =>
            {
                await s.UpdateAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .WithName("Deliverables_Update").WithSummary("本单位登记状态、责任人、期限和佐证（“已完成”即提交审核）").RequireAuthorization(CampaignPermissions.Progress);

        g.MapPost("/{id:guid}/review", async (Guid id, ReviewDeliverable req, DeliverableService s, CancellationToken ct) =>
            {
                await s.ReviewAsync(id, req.Pass, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("Deliverables_Review").WithSummary("上级审核：通过，或写明原因退回").RequireAuthorization(CampaignPermissions.Progress);
    }
}
