using Shiliu.Core.Auditing;
using Shiliu.Core.Common;

namespace Shiliu.Web.Features.Audit;

public sealed record AuditPageResponse(IReadOnlyList<AuditRow> Items, int Total);

public static class AuditApi
{
    public static void MapAuditApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/audit").WithTags("审计").RequireAuthorization(AuditPermissions.Read);

        g.MapGet("/", async (DateTime? fromUtc, DateTime? toUtc, string? userName, string? @event, string? entityType, string? text,
                bool? success, int? page, int? pageSize, AuditService audit, CancellationToken ct) =>
            {
                var (rows, total) = await audit.SearchAsync(new AuditQuery
                {
                    FromUtc = fromUtc, ToUtc = toUtc, UserName = userName, Event = @event, EntityType = entityType, Text = text,
                    Success = success, Page = page ?? 1, PageSize = pageSize ?? 20,
                }, ct);
                return TypedResults.Ok(new AuditPageResponse(rows, total));
            })
            .WithName("Audit_Search").WithSummary("查询审计日志（审计管理员）");

        g.MapGet("/verify", async (AuditService audit, CancellationToken ct) => TypedResults.Ok(await audit.VerifyAsync(ct)))
            .WithName("Audit_Verify").WithSummary("校验审计日志哈希链");
    }
}
