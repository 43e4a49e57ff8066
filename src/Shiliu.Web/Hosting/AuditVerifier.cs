using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Web.Hosting;

/// <summary>
/// Verifies the audit hash chain at start and then every <c>Audit:VerifyEveryHours</c> (default 24; SECURITY.md #20),
/// against the anchors kept outside the database, records the result in the log it checks (so the auditor sees each
/// run, and a break, on the audit page), and anchors an intact chain's new head.
/// </summary>
public sealed class AuditVerifier(IServiceScopeFactory scopes, TimeProvider clock, AuditAnchorOptions options, ILogger<AuditVerifier> log) : BackgroundService
{
    readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the verification at start has run (tests wait for it).</summary>
    public Task FirstRun => _first.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await TryRunAsync(stoppingToken);
        _first.TrySetResult();
        using var timer = new PeriodicTimer(TimeSpan.FromHours(options.VerifyEveryHours), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await TryRunAsync(stoppingToken);
    }

    async Task TryRunAsync(CancellationToken ct)
    {
        try
        {
            await RunOnceAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may not be migrated yet on a first start; the next run tries again.
            log.LogError(e, "审计日志定期校验失败");
        }
    }

    public async Task<AuditVerification> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerAccessor>().Override = Caller.System("审计日志定期校验");
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync(ct);
        var anchors = scope.ServiceProvider.GetRequiredService<AuditAnchors>();
        var result = await scope.ServiceProvider.GetRequiredService<AuditChain>().VerifyAsync(db, anchors.Read(), ct);
        if (!result.Intact) log.LogCritical("审计日志被篡改：{Text}", result.Text);
        db.Audit(AuditEvents.Verified, "定期校验：" + result.Text, success: result.Intact);
        await db.SaveChangesAsync(ct);
        // Only an intact chain is anchored: a broken one must stay broken against the last good anchor.
        if (result.Intact) await anchors.WriteAsync(db, ct);
        return result;
    }
}
