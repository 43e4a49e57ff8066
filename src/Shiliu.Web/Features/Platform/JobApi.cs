using Shiliu.Web.Hosting;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Web.Features.Platform;

public static class JobApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("后台任务", "导入、迎检台账生成、定时清理等后台任务的状态，以及失败任务的重新执行");

    public static void MapJobApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/jobs").WithTag(Tag).RequireAuthorization(PlatformPermissions.Jobs);

        g.MapGet("/", async ([AsParameters] JobQuery q, JobService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("Jobs_List").WithSummary("后台任务（导入、迎检台账、定时清理等），最新的在前；可按状态、类型筛选");

        g.MapGet("/counts", async (JobService s, CancellationToken ct) => TypedResults.Ok(await s.CountsAsync(ct)))
            .WithName("Jobs_Counts").WithSummary("各状态的后台任务数");

        g.MapPost("/{id:long}/retry", async (long id, JobService s, CancellationToken ct) =>
            {
                await s.RetryAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithName("Jobs_Retry").WithSummary("重新执行失败的任务（从第一次尝试开始）");
    }
}
