using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Web.Hosting;

/// <summary>
/// Verifies the audit hash chain once a day (SECURITY.md #20) and records the result in the log it checks, so the
/// auditor sees each run — and a break — on the audit page.
/// </summary>
public sealed class AuditVerifier(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AuditVerifier> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "审计日志定期校验失败");
            }
        }
    }

    public async Task<AuditVerification> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerAccessor>().Override = Caller.System("审计日志定期校验");
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync(ct);
        var result = await scope.ServiceProvider.GetRequiredService<AuditChain>().VerifyAsync(db, ct);
        if (!result.Intact)
            log.LogCritical("审计日志被篡改：{Count} 条记录校验失败，编号 {Ids}", result.BrokenIds.Count, string.Join(",", result.BrokenIds.Take(20)));
        db.Audit(AuditEvents.Verified, result.Intact ? $"定期校验：{result.Checked} 条记录完整" : $"定期校验：发现 {result.BrokenIds.Count} 条记录被篡改（编号 {string.Join(",", result.BrokenIds.Take(20))}）",
            success: result.Intact);
        await db.SaveChangesAsync(ct);
        return result;
    }
}
