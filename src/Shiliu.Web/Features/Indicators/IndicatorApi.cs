using Shiliu.Web.Hosting;
using Shiliu.Core.Platform;
using Shiliu.Core.Common;
using Shiliu.Core.Indicators;

namespace Shiliu.Web.Features.Indicators;

public sealed record PublishFramework(int Version);

public static class IndicatorApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("测评指标", "民族团结进步示范单位测评指标体系的各个版本：一级、二级指标和测评标准，草稿与发布");

    public static void MapIndicatorApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/indicator-frameworks").WithTag(Tag).RequireAuthorization(PlatformPermissions.Staff);

        g.MapGet("/", async (IndicatorService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct)))
            .WithName("Indicators_List").WithSummary("测评指标的各个版本");

        g.MapGet("/current", async (IndicatorService s, CancellationToken ct) =>
                await s.GetCurrentAsync(ct) is { } tree ? Results.Ok(tree) : Results.Problem("尚未发布任何测评指标", statusCode: 404, title: "未找到"))
            .WithName("Indicators_Current").Produces<Shiliu.Core.Indicators.FrameworkTree>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("当前使用的（最新发布的）测评指标");

        g.MapGet("/{id:guid}", async (Guid id, IndicatorService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Indicators_Get").WithSummary("一个版本的完整指标表：一级 → 二级 → 测评标准");

        g.MapPost("/{id:guid}/drafts", async (Guid id, IndicatorService s, CancellationToken ct) =>
            {
                var draft = await s.CreateDraftAsync(id, ct);
                return TypedResults.Created($"/api/v1/indicator-frameworks/{draft}", await s.GetAsync(draft, ct));
            })
            .WithName("Indicators_CreateDraft").WithSummary("以某个版本为底稿新建草稿").RequireAuthorization(IndicatorPermissions.Manage);

        g.MapPut("/{id:guid}", async (Guid id, FrameworkTree tree, IndicatorService s, CancellationToken ct) =>
            {
                await s.SaveDraftAsync(id, tree, ct);
                return TypedResults.Ok(await s.GetAsync(id, ct));
            })
            .WithName("Indicators_SaveDraft").WithSummary("保存草稿（整表替换，需提交读取时的 version）").RequireAuthorization(IndicatorPermissions.Manage);

        g.MapPost("/{id:guid}/publish", async (Guid id, PublishFramework req, IndicatorService s, CancellationToken ct) =>
            {
                await s.PublishAsync(id, req.Version, ct);
                return TypedResults.Ok(await s.GetAsync(id, ct));
            })
            .WithName("Indicators_Publish").WithSummary("发布草稿：分值合计须等于总分，发布后冻结").RequireAuthorization(IndicatorPermissions.Manage);

        g.MapDelete("/{id:guid}", async (Guid id, IndicatorService s, CancellationToken ct) =>
            {
                await s.DeleteDraftAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithName("Indicators_DeleteDraft").WithSummary("删除草稿").RequireAuthorization(IndicatorPermissions.Manage);
    }
}
