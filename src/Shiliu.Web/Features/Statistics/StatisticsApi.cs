using Shiliu.Core.Common;
using Shiliu.Core.Residents;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Statistics;

public sealed record PopulationExport(Guid? OrgUnitId, int? Days);

public static class StatisticsApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("人口统计", "管辖范围内少数民族人口的分类统计、需求和流动情况，及其导出");

    public static void MapStatisticsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/statistics").WithTag(Tag).RequireAuthorization(ResidentPermissions.View);

        g.MapGet("/population", async (Guid? orgUnitId, int? days, PopulationStatisticsService s, CancellationToken ct) =>
                TypedResults.Ok(await s.GetAsync(orgUnitId, days ?? 90, ct)))
            .WithName("Statistics_Population")
            .WithSummary("人口统计：按下级单位、民族、类型的在册人数，需求，近12个月流动人口流入流出，近 N 天走访覆盖率（默认本单位、90天）");

        g.MapPost("/population/export", async (PopulationExport req, PopulationStatisticsService s, CancellationToken ct) =>
                Exported.File(await s.ExportAsync(req.OrgUnitId, req.Days ?? 90, ct)))
            .ProducesFile(Exported.Xlsx).WithName("Statistics_PopulationExport").WithSummary("导出人口统计（Excel，每张表一页，记入审计日志）");
    }
}
