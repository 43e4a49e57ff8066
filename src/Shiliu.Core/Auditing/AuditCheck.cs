using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Auditing;

/// <summary>
/// The audit log's own check (SECURITY.md #20), a recurring job due at every start and then daily: verifies the hash
/// chain against the anchors kept outside the database, records the result in the log it checks (so the auditor sees
/// each run, and a break, on the audit page), and anchors an intact chain's new head.
/// </summary>
public sealed class AuditCheck(IDbContextFactory<ShiliuDb> dbs, AuditChain chain, AuditAnchors anchors, ILogger<AuditCheck> log) : IJobHandler
{
    public const string Kind = "audit.verify";

    public async Task RunAsync(JobContext job, CancellationToken ct) => await RunOnceAsync(ct);

    public async Task<AuditVerification> RunOnceAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var result = await chain.VerifyAsync(db, anchors.Read(), ct);
        if (!result.Intact) log.LogCritical("审计日志被篡改：{Text}", result.Text);
        db.Audit(AuditEvents.Verified, "定期校验：" + result.Text, success: result.Intact);
        await db.SaveChangesAsync(ct);
        // Only an intact chain is anchored: a broken one must stay broken against the last good anchor.
        if (result.Intact) await anchors.WriteAsync(db, ct);
        return result;
    }
}
