using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Auditing;

public sealed class AuditQuery
{
    public DateTime? FromUtc { get; set; }
    public DateTime? ToUtc { get; set; }
    public string? UserName { get; set; }
    public string? Event { get; set; }
    public string? EntityType { get; set; }
    public string? Text { get; set; }
    public bool? Success { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

public sealed record AuditRow(long Id, DateTime TimeUtc, string Event, bool Success, string UserName, string? Ip,
    string? EntityType, string? EntityId, string? Summary, string? Before, string? After)
{
    public string EventName => AuditEvents.ChineseName(Event);

    public string EntityName => ShiliuModules.Catalog.EntityLabel(EntityType);
}

/// <summary>Reading the audit log: 审计管理员 only, within its subtree (plus entries tied to no unit, e.g. unknown sign-ins).</summary>
public sealed class AuditService(IDbContextFactory<ShiliuDb> dbs, AuditChain chain, AuditAnchors anchors)
{
    public async Task<Paged<AuditRow>> SearchAsync(AuditQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AuditPermissions.Read, AuditErrors.Denied, "查看审计日志（只有审计管理员可以）");
        var prefix = db.Caller.ScopePrefix;
        var rows = db.AuditEntries.AsNoTracking().Where(a => a.OrgPath == null || a.OrgPath.StartsWith(prefix));
        if (q.FromUtc is { } from) rows = rows.Where(a => a.TimeUtc >= from);
        if (q.ToUtc is { } to) rows = rows.Where(a => a.TimeUtc < to);
        if (Validation.Filter(q.UserName, "用户名") is { } user) rows = rows.Where(a => a.UserName == user);
        if (Validation.Filter(q.Event, "事件") is { } ev) rows = rows.Where(a => a.Event == ev);
        if (Validation.Filter(q.EntityType, "对象类型") is { } type) rows = rows.Where(a => a.EntityType == type);
        if (Validation.Filter(q.Text, "内容") is { } text) rows = rows.Where(a => a.Summary!.Contains(text));
        if (q.Success is { } ok) rows = rows.Where(a => a.Success == ok);
        var total = await rows.CountAsync(ct);
        var (current, size) = Paged<AuditRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20);
        var page = await rows.OrderByDescending(a => a.Id).Skip((current - 1) * size).Take(size)
            .Select(a => new AuditRow(a.Id, a.TimeUtc, a.Event, a.Success, a.UserName, a.Ip, a.EntityType, a.EntityId, a.Summary, a.Before, a.After))
            .ToListAsync(ct);
        return new Paged<AuditRow>(page, total, current, size);
    }

    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AuditPermissions.Read, AuditErrors.Denied, "校验审计日志（只有审计管理员可以）");
        return await chain.VerifyAsync(db, anchors.Read(), ct);
    }
}
