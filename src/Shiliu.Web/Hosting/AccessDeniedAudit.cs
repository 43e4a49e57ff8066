using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;

namespace Shiliu.Web.Hosting;

/// <summary>SECURITY.md #17: refusals of signed-in callers go to the audit log (throttled by <see cref="AccessDenials"/>).</summary>
public static class AccessDeniedAudit
{
    public static async Task RecordAsync(HttpContext ctx, string refused)
    {
        var route = $"{ctx.Request.Method} {(ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(未知地址)"}";
        await using var db = await ctx.RequestServices.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync(ctx.RequestAborted);
        await ctx.RequestServices.GetRequiredService<AccessDenials>().RecordAsync(db, route, refused, ctx.RequestAborted);
    }
}

/// <summary>An endpoint's or page's policy refusing a signed-in caller is audited, then answered as usual (403 or the denied page).</summary>
public sealed class AuditedAuthorizationResults : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Select(a => a.Policy ?? (a.Roles is { } roles ? AccessDenials.RolesPrefix + roles : null)).OfType<string>().ToList() ?? [];
            await AccessDeniedAudit.RecordAsync(context, string.Join(" / ", policies));
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
