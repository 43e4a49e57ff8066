using Shiliu.Web.Hosting;
using Shiliu.Core.Common;
using Shiliu.Core.Residents;

namespace Shiliu.Web.Features.Grids;

public static class GridApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("网格化服务管理", "社区（村）下的网格：四至范围、网格人员、在册住户和走访覆盖");

    public static void MapGridApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/grids").WithTag(Tag).RequireAuthorization(ResidentPermissions.View);

        g.MapGet("/", async (Guid? orgUnitId, GridService s, CancellationToken ct) => TypedResults.Ok(await s.TreeAsync(orgUnitId, ct)))
            .WithName("Grids_Tree").WithSummary("网格图：单位下的社区（村）及其网格（四至、网格人员、在册人数、户数、近90天走访覆盖）");

        g.MapGet("/{id:guid}", async (Guid id, GridService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Grids_Get").WithSummary("一个网格的信息和网格人员");

        g.MapPut("/{id:guid}", async (Guid id, SaveGridInfo req, GridService s, CancellationToken ct) =>
            {
                await s.SaveInfoAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ResidentPermissions.GridManage).WithName("Grids_SaveInfo").WithSummary("修改网格的四至范围、包含楼栋和备注（乡镇、社区）");

        g.MapPut("/{id:guid}/members", async (Guid id, SaveGridMembers req, GridService s, CancellationToken ct) =>
            {
                await s.SaveMembersAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ResidentPermissions.GridManage).WithName("Grids_SaveMembers")
            .WithSummary("保存网格人员名单（网格长、专职、兼职、指导员；可关联本网格的网格员账号）");

        g.MapGet("/{id:guid}/households", async (Guid id, int? page, int? pageSize, GridService s, CancellationToken ct) =>
                TypedResults.Ok(await s.HouseholdsAsync(id, page, pageSize, ct)))
            .WithName("Grids_Households").WithSummary("网格内的在册住户（按户号分页；身份证号、电话脱敏）");
    }
}
