using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Jobs;

public sealed record JobRow(long Id, string Kind, string KindName, string Title, JobStatus Status, int Attempts, int MaxAttempts, DateTime CreatedUtc,
    string CreatedBy, DateTime RunAfterUtc, DateTime? StartedUtc, DateTime? FinishedUtc, string? LockedBy, string? Error, bool Recurring)
{
    /// <summary>How often a recurring job runs: 每天, 每 6 小时.</summary>
    public string? Cadence { get; init; }

    public string CreatedByName => CreatedBy == "system" ? "系统" : CreatedBy;

    public string StatusName => Status switch
    {
        JobStatus.Queued => Recurring ? "等待下次运行" : Attempts > 0 ? "等待重试" : "排队中",
        JobStatus.Running => "运行中",
        JobStatus.Succeeded => "已完成",
        _ => "失败",
    };
}

/// <summary>Filters of the job list; every field optional (page 1 of 50 when left out).</summary>
public sealed record JobQuery
{
    public JobStatus? Status { get; init; }
    public string? Kind { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
}

public sealed record JobCounts(int Queued, int Running, int Succeeded, int Failed);

public static class JobErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("jobs.denied");
    public static readonly ErrorCode State = ErrorCode.Invalid("jobs.state");
}

/// <summary>后台任务: what the nodes are doing and what failed, for the county office and the system admin.</summary>
public sealed class JobService(IDbContextFactory<ShiliuDb> dbs, JobQueue queue)
{
    public async Task<Paged<JobRow>> ListAsync(JobQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(PlatformPermissions.Jobs, JobErrors.Denied, "查看后台任务");
        var rows = db.BackgroundJobs.AsNoTracking();
        if (q.Status is { } st) rows = rows.Where(j => j.Status == st);
        if (!string.IsNullOrWhiteSpace(q.Kind)) rows = rows.Where(j => j.Kind == q.Kind);
        var (page, size) = Paged<JobRow>.Bounds(q.Page ?? 1, q.PageSize ?? 50);
        var total = await rows.CountAsync(ct);
        var list = await rows.OrderByDescending(j => j.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<JobRow>(list.Select(Row).ToList(), total, page, size);
    }

    public async Task<JobCounts> CountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(PlatformPermissions.Jobs, JobErrors.Denied, "查看后台任务");
        var counts = await db.BackgroundJobs.GroupBy(j => j.Status).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        return new JobCounts(counts.GetValueOrDefault(JobStatus.Queued), counts.GetValueOrDefault(JobStatus.Running),
            counts.GetValueOrDefault(JobStatus.Succeeded), counts.GetValueOrDefault(JobStatus.Failed));
    }

    /// <summary>Runs a failed job again from its first attempt (after the cause, e.g. a full disk, has been fixed).</summary>
    public async Task RetryAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(PlatformPermissions.Jobs, JobErrors.Denied, "重新执行后台任务");
        var job = await db.BackgroundJobs.SingleOrDefaultAsync(j => j.Id == id, ct) ?? throw new NotFoundInScope("后台任务");
        if (job.Status != JobStatus.Failed) throw new RuleViolation(JobErrors.State, $"只有失败的任务才能重新执行（该任务{Row(job).StatusName}）");
        job.Status = JobStatus.Queued;
        job.Attempts = 0;
        job.Error = null;
        job.RunAfterUtc = db.UtcNow;
        db.Audit(AuditEvents.Update, $"重新执行后台任务：{job.Title}", nameof(BackgroundJob), job.Id.ToString());
        await db.SaveChangesAsync(ct);
        queue.Wake();
    }

    static JobRow Row(BackgroundJob j)
    {
        var kind = ShiliuModules.Catalog.Job(j.Kind);
        return new JobRow(j.Id, j.Kind, kind?.Name ?? j.Kind, j.Title, j.Status, j.Attempts, j.MaxAttempts == int.MaxValue ? 0 : j.MaxAttempts, j.CreatedUtc,
            j.CreatedBy, j.RunAfterUtc, j.StartedUtc, j.FinishedUtc, j.LockedBy, j.Error, kind?.Every is not null) { Cadence = kind?.Every is { } every ? Every(every) : null };
    }

    static string Every(TimeSpan every) =>
        every.TotalDays >= 1 && every.TotalDays % 1 == 0 ? (every.TotalDays == 1 ? "每天" : $"每 {every.TotalDays} 天")
        : every.TotalHours >= 1 && every.TotalHours % 1 == 0 ? $"每 {every.TotalHours} 小时"
        : $"每 {every.TotalMinutes:0} 分钟";
}
