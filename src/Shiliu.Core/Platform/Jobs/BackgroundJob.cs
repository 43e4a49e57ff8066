using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Shiliu.Core.Platform.Jobs;

public enum JobStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
}

/// <summary>
/// One piece of background work, durable in the database: claimed by one worker at a time under a lease, retried with
/// backoff, picked up again after a restart. The domain record it works on (an import, a dossier) keeps its own state.
/// </summary>
public sealed class BackgroundJob
{
    public long Id { get; set; }
    /// <summary>Declared by a module (e.g. "evidence.dossier"); selects the handler.</summary>
    public string Kind { get; set; } = "";
    /// <summary>What the handler needs, usually the id of the record it works on.</summary>
    public string? Payload { get; set; }
    /// <summary>Set for recurring jobs (their kind): one row per kind, rescheduled after each run.</summary>
    public string? UniqueKey { get; set; }
    /// <summary>What it is, in Chinese, for the county office's list (no personal data).</summary>
    public string Title { get; set; } = "";
    public JobStatus Status { get; set; }
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 5;
    public DateTime CreatedUtc { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime RunAfterUtc { get; set; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
    /// <summary>The node holding the job (or that last ran it) and until when; an expired lease lets another node take it over.</summary>
    public string? LockedBy { get; set; }
    public DateTime? LockedUntilUtc { get; set; }
    public string? Error { get; set; }
}

sealed class BackgroundJobConfiguration : IEntityTypeConfiguration<BackgroundJob>
{
    public void Configure(EntityTypeBuilder<BackgroundJob> b)
    {
        b.ToTable("BackgroundJobs");
        b.Property(j => j.Kind).HasMaxLength(60).IsRequired();
        b.Property(j => j.Payload).HasMaxLength(400);
        b.Property(j => j.UniqueKey).HasMaxLength(60);
        b.Property(j => j.Title).HasMaxLength(200).IsRequired();
        b.Property(j => j.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(j => j.LockedBy).HasMaxLength(120);
        b.Property(j => j.Error).HasMaxLength(1000);
        // The claim looks for the oldest ready job; the list pages newest first.
        b.HasIndex(j => new { j.Status, j.RunAfterUtc });
        b.HasIndex(j => j.CreatedUtc);
        b.HasIndex(j => j.UniqueKey).IsUnique();
    }
}
