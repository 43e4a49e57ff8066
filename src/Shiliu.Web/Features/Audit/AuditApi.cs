using Shiliu.Web.Hosting;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;

namespace Shiliu.Web.Features.Audit;

public static class AuditApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("审计", "审计日志的查询和哈希链完整性校验（审计管理员）");

    public static void MapAuditApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/audit").WithTag(Tag).RequireAuthorization(AuditPermissions.Read);

        g.MapGet("/", async ([AsParameters] AuditQuery q, AuditService audit, CancellationToken ct) => TypedResults.Ok(await audit.SearchAsync(q, ct)))
            .WithName("Audit_Search").WithSummary("查询审计日志（审计管理员）");

        g.MapGet("/verify", async (AuditService audit, CancellationToken ct) => TypedResults.Ok(await audit.VerifyAsync(ct)))
            .WithName("Audit_Verify").WithSummary("校验审计日志哈希链");
    }
}
