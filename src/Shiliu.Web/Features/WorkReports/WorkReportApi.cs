using Shiliu.Web.Hosting;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.WorkReports;

namespace Shiliu.Web.Features.WorkReports;

public sealed record ReportVersion(int Version);
public sealed record ReviewReport(bool Adopt, string? Reason, int Version);
public sealed record PublishReport(bool Publish, int Version);

public static class WorkReportApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("工作信息", "工作信息（简报）的撰写、上报、上级采用或退回，以及县里发布");

    public static void MapWorkReportApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/work-reports").WithTag(Tag).RequireAuthorization(CampaignPermissions.View);

        g.MapGet("/", async (ReportList? list, Guid? campaignId, WorkReportService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(list ?? ReportList.Mine, campaignId, ct)))
            .WithName("WorkReports_List").WithSummary("工作信息：list=Mine 本单位、Incoming 下级报送、Published 已发布；campaignId 只列该创建活动期间写的");

        g.MapGet("/{id:guid}", async (Guid id, WorkReportService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("WorkReports_Get").WithSummary("一条工作信息");

        g.MapPost("/", async (SaveReport req, WorkReportService s, CancellationToken ct) =>
            {
                var id = await s.SaveAsync(null, req, ct);
                return TypedResults.Created($"/api/v1/work-reports/{id}", await s.GetAsync(id, ct));
            })
            .WithName("WorkReports_Create").WithSummary("新建草稿（正文为 HTML，保存前清除不安全的标记）").RequireAuthorization(CampaignPermissions.Progress);

        g.MapPut("/{id:guid}", async (Guid id, SaveReport req, WorkReportService s, CancellationToken ct) =>
            {
                await s.SaveAsync(id, req, ct);
                return TypedResults.Ok(await s.GetAsync(id, ct));
            })
            .WithName("WorkReports_Update").WithSummary("修改草稿或被退回的信息").RequireAuthorization(CampaignPermissions.Progress);

        g.MapPost("/{id:guid}/report", async (Guid id, ReportVersion req, WorkReportService s, CancellationToken ct) =>
            {
                await s.ReportAsync(id, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("WorkReports_Report").WithSummary("上报上级").RequireAuthorization(CampaignPermissions.Progress);

        g.MapPost("/{id:guid}/review", async (Guid id, ReviewReport req, WorkReportService s, CancellationToken ct) =>
            {
                await s.ReviewAsync(id, req.Adopt, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("WorkReports_Review").WithSummary("上级采用，或写明原因退回").RequireAuthorization(CampaignPermissions.Progress);

        g.MapPost("/{id:guid}/publish", async (Guid id, PublishReport req, WorkReportService s, CancellationToken ct) =>
            {
                await s.PublishAsync(id, req.Publish, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("WorkReports_Publish").WithSummary("县发布（或撤回）已采用的信息").RequireAuthorization(CampaignPermissions.Manage);
    }
}
