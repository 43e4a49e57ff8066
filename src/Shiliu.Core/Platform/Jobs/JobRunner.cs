using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Jobs;

/// <summary>
/// Runs the job table on this node: a few workers claim ready jobs (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so
/// nodes sharing a database never take the same job), hold a lease they renew while the handler works, retry failures
/// with doubling backoff, and reschedule recurring jobs. A job left running by a node that died is taken back when its
/// lease runs out, or at once when that node starts again.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, JobQueue queue, JobOptions options, TimeProvider clock, ILogger<JobRunner> log)
    : BackgroundService
{
    public string NodeId { get; } = options.NodeId ?? DefaultNodeId();

    TimeSpan Lease => TimeSpan.FromSeconds(options.LeaseSeconds);
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    static string DefaultNodeId() =>
        $"{Environment.MachineName}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AppContext.BaseDirectory)))[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!options.Enabled) return;
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await PrepareAsync(stop);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be briefly unreachable at start; jobs wait in their table meanwhile.
                log.LogWarning(e, "Job runner could not start yet");
                await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), clock, stop);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => WorkAsync(stop)));
    }

    /// <summary>Takes back what this node was running when it stopped, and makes sure each recurring job has its row.</summary>
    async Task PrepareAsync(CancellationToken ct)
    {
        await using var scope = SystemScope("job-runner");
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync(ct);
        var resumed = await db.BackgroundJobs.Where(j => j.Status == JobStatus.Running && j.LockedBy == NodeId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.LockedBy, (string?)null)
                .SetProperty(j => j.LockedUntilUtc, (DateTime?)null), ct);
        if (resumed > 0) log.LogInformation("Resuming {Count} job(s) interrupted on {Node}", resumed, NodeId);
        foreach (var kind in ShiliuModules.Catalog.Jobs.Where(k => k.Every is not null))
        {
            var now = Now;
            if (await db.BackgroundJobs.AnyAsync(j => j.UniqueKey == kind.Kind, ct))
            {
                // Due now (unless it is running on another node, which is as good).
                if (kind.AtStart)
                    await db.BackgroundJobs.Where(j => j.UniqueKey == kind.Kind && j.Status != JobStatus.Running && j.RunAfterUtc > now)
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.RunAfterUtc, now), ct);
                continue;
            }
            db.BackgroundJobs.Add(new BackgroundJob
            {
                Kind = kind.Kind, UniqueKey = kind.Kind, Title = kind.Name, CreatedUtc = now, CreatedBy = "system", RunAfterUtc = kind.AtStart ? now : now + kind.Every!.Value,
                MaxAttempts = int.MaxValue,
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node added it first (unique key).
                db.ChangeTracker.Clear();
            }
        }
    }

    async Task WorkAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            JobContext? job = null;
            try
            {
                job = await ClaimAsync(stop);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // SQLite busy under a long write, a dropped connection: try again at the next poll.
                log.LogDebug(e, "Claiming a job failed");
            }
            if (job is null)
            {
                try
                {
                    await queue.WaitAsync(TimeSpan.FromSeconds(options.PollSeconds), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            await RunAsync(job, stop);
        }
    }

    /// <summary>
    /// Runs, here and now, the ready jobs of one kind for one record (e.g. the import an operator verb just queued); for
    /// operator verbs, which run no background workers.
    /// </summary>
    public async Task RunPendingAsync(string kind, string payload, CancellationToken ct = default)
    {
        while (await ClaimAsync(ct, kind, payload) is { } job) await RunAsync(job, ct);
    }

    async Task<JobContext?> ClaimAsync(CancellationToken ct, string? kind = null, string? payload = null)
    {
        await using var scope = SystemScope("job-runner");
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync(ct);
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = conn.CreateCommand();
            // Ready: queued and due, or running under a lease that has run out (its node is gone).
            var pick = """
                SELECT "Id" FROM "BackgroundJobs"
                WHERE (("Status" = 0 AND "RunAfterUtc" <= @now) OR ("Status" = 1 AND "LockedUntilUtc" < @now))
                """ + (kind is null ? "" : """ AND "Kind" = @kind AND "Payload" = @payload""") + """

                ORDER BY "RunAfterUtc", "Id" LIMIT 1
                """ + (db.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "");
            cmd.CommandText = $"""
                UPDATE "BackgroundJobs" SET "Status" = 1, "LockedBy" = @node, "LockedUntilUtc" = @until, "StartedUtc" = @now,
                    "Attempts" = "Attempts" + 1
                WHERE "Id" = ({pick})
                RETURNING "Id", "Kind", "Payload", "Attempts", "MaxAttempts"
                """;
            Add(cmd, "now", Now);
            Add(cmd, "until", Now + Lease);
            Add(cmd, "node", NodeId);
            if (kind is not null)
            {
                Add(cmd, "kind", kind);
                Add(cmd, "payload", payload!);
            }
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            return new JobContext(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3), r.GetInt32(4));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    async Task RunAsync(JobContext job, CancellationToken stop)
    {
        var kind = ShiliuModules.Catalog.Job(job.Kind);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var heartbeat = HeartbeatAsync(job.Id, lost);
        string? error = null;
        var retry = false;
        try
        {
            if (job.Attempt > job.MaxAttempts) throw new RuleViolation(CommonErrors.Validation, "已超过最多重试次数");
            await using var scope = SystemScope($"后台任务：{kind?.Name ?? job.Kind}");
            var handler = scope.ServiceProvider.GetKeyedService<IJobHandler>(job.Kind)
                ?? throw new RuleViolation(CommonErrors.Validation, $"没有处理“{kind?.Name ?? job.Kind}”的程序（任务类型 {job.Kind}）");
            try
            {
                await handler.RunAsync(job, lost.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !lost.IsCancellationRequested)
            {
                retry = e is not RuleViolation && job.Attempt < job.MaxAttempts;
                error = e is RuleViolation ? e.Message : $"第 {job.Attempt} 次执行出错：{e.GetType().Name}";
                if (e is not RuleViolation) log.LogError(e, "Job {Id} ({Kind}) attempt {Attempt} failed", job.Id, job.Kind, job.Attempt);
                if (!retry && kind?.Every is null) await handler.FailedAsync(job, e is RuleViolation ? e.Message : "执行失败，已停止重试；请联系系统管理员", CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutting down: hand the job back at once instead of waiting for the lease to run out.
            await lost.CancelAsync();
            await heartbeat;
            await FinishAsync(job.Id, s => s.SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.Attempts, j => j.Attempts - 1)
                .SetProperty(j => j.LockedBy, (string?)null));
            return;
        }
        catch (OperationCanceledException)
        {
            // The lease was lost (another node took the job over after this one stalled): leave the row to that node.
            await heartbeat;
            return;
        }
        catch (RuleViolation e)
        {
            error = e.Message;
        }
        await lost.CancelAsync();
        await heartbeat;
        var now = Now;
        if (kind?.Every is { } every)
            await FinishAsync(job.Id, s => s.SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.Attempts, 0)
                .SetProperty(j => j.RunAfterUtc, now + every).SetProperty(j => j.FinishedUtc, now).SetProperty(j => j.Error, error));
        else if (error is null)
            await FinishAsync(job.Id, s => s.SetProperty(j => j.Status, JobStatus.Succeeded).SetProperty(j => j.FinishedUtc, now).SetProperty(j => j.Error, (string?)null));
        else if (retry)
            await FinishAsync(job.Id, s => s.SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.Error, error)
                .SetProperty(j => j.RunAfterUtc, now + Backoff(job.Attempt)));
        else
            await FinishAsync(job.Id, s => s.SetProperty(j => j.Status, JobStatus.Failed).SetProperty(j => j.FinishedUtc, now).SetProperty(j => j.Error, error));
    }

    TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(options.BackoffSeconds * Math.Pow(2, Math.Min(attempt - 1, 10)));

    /// <summary>Renews the lease while the handler works; if the row is no longer ours, stops the handler.</summary>
    async Task HeartbeatAsync(long id, CancellationTokenSource lost)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, options.LeaseSeconds / 3.0));
        while (!lost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, lost.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await using var scope = SystemScope("job-runner");
                await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync(lost.Token);
                var until = Now + Lease;
                if (await db.BackgroundJobs.Where(j => j.Id == id && j.Status == JobStatus.Running && j.LockedBy == NodeId)
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.LockedUntilUtc, until), lost.Token) == 0)
                {
                    log.LogWarning("Job {Id} is no longer held by {Node}; stopping it here", id, NodeId);
                    await lost.CancelAsync();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A busy database delays the renewal; the lease is long enough to try again.
                log.LogDebug(e, "Renewing the lease of job {Id} failed", id);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    async Task FinishAsync(long id, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<BackgroundJob>> set)
    {
        // Retried briefly: a finished job must not be left looking like it runs (SQLite may be busy with a long commit).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = SystemScope("job-runner");
                await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
                await db.BackgroundJobs.Where(j => j.Id == id && j.LockedBy == NodeId).ExecuteUpdateAsync(s =>
                {
                    set(s);
                    // LockedBy stays: the list shows which node ran the job.
                    s.SetProperty(j => j.LockedUntilUtc, (DateTime?)null);
                });
                return;
            }
            catch (Exception e) when (attempt < 5)
            {
                log.LogDebug(e, "Recording the end of job {Id} failed", id);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }

    AsyncServiceScope SystemScope(string reason)
    {
        var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<ICallerAccessor>() is ISystemCallerSwitch s) s.UseSystem(reason);
        return scope;
    }
}
