using Shiliu.Core.Dashboards;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Dashboards;

public static class DashboardApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("数据看板", "创建覆盖、阶段进度、“十个一”、考评排名、人口、网格走访、服务、纠纷、诉求和活动的汇总数字，只计调用者管辖范围内的记录；每个数字带明细页地址");

    public static void MapDashboardApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/dashboard").WithTag(Tag).RequireAuthorization(DashboardPermissions.View);

        g.MapGet("/", async ([AsParameters] DashboardRequest req, DashboardService s, HttpContext http, CancellationToken ct) =>
            {
                var view = await s.ReadAsync(req, ct);
                // Which panel is slow, by name (no figure, no unit): for operators and the bench.
                http.Response.Headers["Server-Timing"] = string.Join(", ", view.Timings.Select(t => FormattableString.Invariant($"{t.Name};dur={t.Milliseconds:0.0}")));
                return TypedResults.Ok(view);
            })
            .WithName("Dashboard_Read")
            .WithSummary("一个单位（默认本单位）在一段期间（默认今年1月1日至今天）的看板：各板块的数字、图表数据和“十个一”矩阵，与页面一次读取的内容相同；调用者无权查看的板块不出现");

        g.MapPost("/export", async (DashboardRequest req, DashboardService s, CancellationToken ct) => Exported.File(await s.ExportAsync(req, ct)))
            .ProducesFile(Exported.Xlsx).WithName("Dashboard_Export")
            .WithSummary("导出看板的数字（Excel：指标、图表数据、矩阵各一页，带水印，记入审计日志）");
    }
}
