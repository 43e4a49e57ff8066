using Shiliu.Web.Hosting;
using Shiliu.Core.Common;
using Shiliu.Core.Organizations;

namespace Shiliu.Web.Features.Organizations;

public sealed record MoveOrgUnit(Guid ParentId, int Version);
public sealed record SetOrgUnitDisabled(bool Disabled, int Version);

public static class OrganizationApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("组织机构", "县、乡镇（街道）、社区（村）、网格等单位组成的组织树；数据权限按单位的管辖范围划定");

    public static void MapOrganizationApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/org-units").WithTag(Tag).RequireAuthorization(OrgPermissions.View);

        g.MapGet("/", async (Guid? parentId, string? q, OrganizationService orgs, CancellationToken ct) =>
                TypedResults.Ok(!string.IsNullOrWhiteSpace(q) ? await orgs.SearchAsync(q, ct: ct)
                    : parentId is { } p ? await orgs.GetChildrenAsync(p, ct) : await orgs.GetRootsAsync(ct)))
            .WithName("OrgUnits_List")
            .WithSummary("组织树（按需加载）：不带参数返回管辖范围的顶层单位，parentId 返回其下级，q 按名称或代码搜索");

        g.MapGet("/{id:guid}", async (Guid id, OrganizationService orgs, CancellationToken ct) => TypedResults.Ok(await orgs.GetAsync(id, ct)))
            .WithName("OrgUnits_Get").WithSummary("单位详情（含上级路径）");

        g.MapPost("/", async (CreateOrgUnit req, OrganizationService orgs, CancellationToken ct) =>
            {
                var id = await orgs.CreateAsync(req, ct);
                return TypedResults.Created($"/api/v1/org-units/{id}", await orgs.GetAsync(id, ct));
            })
            .WithName("OrgUnits_Create").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("新增下级单位").RequireAuthorization(OrgPermissions.Manage);

        g.MapPut("/{id:guid}", async (Guid id, UpdateOrgUnit req, OrganizationService orgs, CancellationToken ct) =>
            {
                await orgs.UpdateAsync(id, req, ct);
                return TypedResults.Ok(await orgs.GetAsync(id, ct));
            })
            .WithName("OrgUnits_Update").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("修改名称或代码（需提交读取时的 version）").RequireAuthorization(OrgPermissions.Manage);

        g.MapPost("/{id:guid}/move", async (Guid id, MoveOrgUnit req, OrganizationService orgs, CancellationToken ct) =>
            {
                await orgs.MoveAsync(id, req.ParentId, req.Version, ct);
                return TypedResults.Ok(await orgs.GetAsync(id, ct));
            })
            .WithName("OrgUnits_Move").WithSummary("移动到另一上级单位").RequireAuthorization(OrgPermissions.Manage);

        g.MapPost("/{id:guid}/disabled", async (Guid id, SetOrgUnitDisabled req, OrganizationService orgs, CancellationToken ct) =>
            {
                await orgs.SetDisabledAsync(id, req.Disabled, req.Version, ct);
                return TypedResults.Ok(await orgs.GetAsync(id, ct));
            })
            .WithName("OrgUnits_SetDisabled").WithSummary("停用或启用单位").RequireAuthorization(OrgPermissions.Manage);

        g.MapDelete("/{id:guid}", async (Guid id, int version, OrganizationService orgs, CancellationToken ct) =>
            {
                await orgs.DeleteAsync(id, version, ct);
                return TypedResults.NoContent();
            })
            .WithName("OrgUnits_Delete").WithSummary("删除空单位（有下级、用户或业务记录的单位不能删除）").RequireAuthorization(OrgPermissions.Manage);
    }
}
