using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Scalar.AspNetCore;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Platform;

public sealed record MeResponse(Guid Id, string UserName, string DisplayName, Guid OrgUnitId, string OrgName, string OrgLevel,
    IReadOnlyList<string> Roles, IReadOnlyList<string> RoleNames, IReadOnlyList<string> Permissions, bool ViaToken);

public sealed record AntiforgeryToken(string Header, string Token);

public static class PlatformApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("平台", "各模块共用的接口：当前用户及其权限、防伪令牌、数据字典");

    public static void MapPlatformApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", async (ClaimsPrincipal user, OrganizationService orgs, CancellationToken ct) =>
            {
                var orgId = Guid.Parse(user.FindFirstValue(ShiliuClaims.OrgId)!);
                var org = await orgs.GetAsync(orgId, ct);
                var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
                return TypedResults.Ok(new MeResponse(Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), user.Identity!.Name!,
                    user.FindFirstValue(ShiliuClaims.DisplayName) ?? "", orgId, org.Name, OrgUnit.LevelName(org.Level), roles,
                    roles.Select(Roles.ChineseName).ToList(),
                    Core.ShiliuModules.Catalog.Permissions.Where(p => p.Roles.Intersect(roles).Any()).Select(p => p.Code).Order().ToList(),
                    user.HasClaim(c => c.Type == ShiliuClaims.TokenId)));
            })
            .WithTag(Tag).WithName("Me_Get").WithSummary("当前用户：身份、角色、所在单位和权限").RequireAuthorization(Core.Platform.PlatformPermissions.Staff);

        api.MapGet("/antiforgery", (HttpContext ctx, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
                TypedResults.Ok(new AntiforgeryToken(Hosting.ApiAntiforgery.Header, antiforgery.GetAndStoreTokens(ctx).RequestToken!)))
            .WithTag(Tag).WithName("Antiforgery_Get").WithSummary("防伪令牌：以登录凭据（cookie）调用写接口时放在请求头中；使用访问令牌时不需要")
            .RequireAuthorization(Core.Platform.PlatformPermissions.Staff);

        api.MapGet("/dictionaries/{kind}", async (string kind, DictionaryService dicts, CancellationToken ct) =>
                TypedResults.Ok(await dicts.GetAsync(kind, ct: ct)))
            .WithTag(Tag).WithName("Dictionaries_Get").WithSummary("字典（如 ethnicity 民族）").RequireAuthorization(Core.Platform.PlatformPermissions.Staff);
    }

    public static void MapApiReference(this WebApplication app)
    {
        // An attack surface without a use on a production server (SECURITY.md #26), unless the county wants it there.
        if (app.Environment.IsProduction() && !app.Configuration.GetValue("Api:DocsInProduction", false)) return;
        app.MapOpenApi("/api/v1/openapi.json").RequireAuthorization(Core.Platform.PlatformPermissions.Staff).ExcludeFromDescription();
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("石榴 API 参考").WithOpenApiRoutePattern("/api/v1/openapi.json"))
            .RequireAuthorization(Core.Platform.PlatformPermissions.Staff);
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", async (IDbContextFactory<ShiliuDb> dbs, CancellationToken ct) =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            return await db.Database.CanConnectAsync(ct)
                ? Results.Text("ready")
                : Results.Text("database unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
