using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Activities;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.ServiceCases;

/// <summary>受理 → 办理中 → 办结 → 回访 → 归档, with 挂起 (clock paused) and 转办 (待接收) on the way.</summary>
public enum ServiceCaseStatus
{
    /// <summary>Being entered; the first step (受理) moves it on and starts the clock.</summary>
    New = 0,
    Accepted = 1,
    InProgress = 2,
    /// <summary>挂起: waiting for the resident; the clock stands still.</summary>
    Suspended = 3,
    /// <summary>转办: offered to another unit, which has not yet accepted or returned it.</summary>
    Offered = 4,
    Closed = 5,
    Revisited = 6,
    Archived = 7,
}

public enum ServiceSource
{
    Window = 1,
    Hotline = 2,
    Visit = 3,
    Online = 4,
    OtherUnit = 5,
    Appeal = 6,
}

public enum Satisfaction
{
    Satisfied = 1,
    Basic = 2,
    Unsatisfied = 3,
}

/// <summary>
/// 服务事项: what a resident asked a unit to do for them, held by one unit at a time (转办 hands it to another, which
/// accepts or returns it), with one number for life and a working-day clock set by its type.
/// </summary>
public sealed class ServiceCase : IHandedOver, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>FW2026-000123: county-wide, never reused, kept through every 转办.</summary>
    public string Number { get; set; } = "";
    public Guid TypeId { get; set; }
    public ServiceSource Source { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public Guid? HandoverToUnitId { get; set; }
    public string? HandoverToPath { get; set; }
    /// <summary>A resident of the archive, when the person is one; otherwise a name and a sealed phone.</summary>
    public Guid? ResidentId { get; set; }
    [AuditRedacted] public string? PersonName { get; set; }
    [NotAudited] public string? PhoneCipher { get; set; }
    [NotAudited] public string? PhoneHash { get; set; }
    public string? PhoneMasked { get; set; }
    // What a resident asks for tells of their troubles: never in the audit log's values.
    [AuditRedacted] public string Title { get; set; } = "";
    [AuditRedacted] public string Request { get; set; } = "";
    [WorkflowState] public ServiceCaseStatus Status { get; set; }
    /// <summary>Working days the type allowed when the case was opened (a later change of the type does not move it).</summary>
    public int TimeLimitDays { get; set; }
    public bool NeedsRevisit { get; set; }
    /// <summary>When the clock started (受理).</summary>
    public DateTime AcceptedUtc { get; set; }
    /// <summary>The deadline as the clock reads it after the last step; null while paused (挂起, 办结).</summary>
    [WorkflowState] public DateTime? DueUtc { get; set; }
    [WorkflowState] public DateTime? ClosedUtc { get; set; }
    [WorkflowState] public bool? ClosedOnTime { get; set; }
    /// <summary>Working days the clock ran until 办结 (pauses left out).</summary>
    [WorkflowState] public double? DaysToClose { get; set; }
    [AuditRedacted] public string? Result { get; set; }
    [WorkflowState] public Satisfaction? Satisfaction { get; set; }
    [AuditRedacted] public string? RevisitComment { get; set; }
    [WorkflowState] public DateTime? RevisitedUtc { get; set; }
    /// <summary>重办: reopened after a 不满意 回访 (once at most).</summary>
    [WorkflowState] public int ReopenCount { get; set; }
    /// <summary>The visit (走访) whose finding became this case.</summary>
    public Guid? VisitId { get; set; }
    /// <summary>The record of another module this case was opened from (an appeal), as <see cref="CaseRef"/> read it.</summary>
    public string? SourceKind { get; set; }
    public Guid? SourceId { get; set; }
    public string? SourceNumber { get; set; }
    [AuditRedacted] public string? SourceTitle { get; set; }
    public string? SourceLink { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }

    public bool IsOpen => Status is ServiceCaseStatus.Accepted or ServiceCaseStatus.InProgress or ServiceCaseStatus.Suspended or ServiceCaseStatus.Offered;
}

/// <summary>A 法律援助 case's link to a 法律宣传 activity of the same unit.</summary>
public sealed class ServiceCaseActivity
{
    public Guid CaseId { get; set; }
    public Guid ActivityId { get; set; }
}

sealed class ServiceCaseConfiguration : IEntityTypeConfiguration<ServiceCase>
{
    public void Configure(EntityTypeBuilder<ServiceCase> b)
    {
        b.ToTable("ServiceCases");
        b.Property(c => c.Number).HasMaxLength(20).IsRequired();
        b.HasIndex(c => c.Number).IsUnique();
        b.Property(c => c.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(c => c.HandoverToPath).HasMaxLength(400);
        b.Property(c => c.PersonName).HasMaxLength(50);
        b.Property(c => c.PhoneCipher).HasMaxLength(200);
        b.Property(c => c.PhoneHash).HasMaxLength(100);
        b.Property(c => c.PhoneMasked).HasMaxLength(20);
        b.Property(c => c.Title).HasMaxLength(60).IsRequired();
        b.Property(c => c.Request).HasMaxLength(2000).IsRequired();
        b.Property(c => c.Result).HasMaxLength(500);
        b.Property(c => c.RevisitComment).HasMaxLength(500);
        b.Property(c => c.SourceKind).HasMaxLength(40);
        b.Property(c => c.SourceNumber).HasMaxLength(40);
        b.Property(c => c.SourceTitle).HasMaxLength(200);
        b.Property(c => c.SourceLink).HasMaxLength(200);
        b.Property(c => c.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(c => c.UpdatedBy).HasMaxLength(100);
        b.HasIndex(c => new { c.OrgPath, c.Status, c.DueUtc });
        // The list picks a page's ids from these alone (covering: path, order, id), then reads just those rows.
        b.HasIndex(c => new { c.OrgPath, c.AcceptedUtc, c.Id });
        b.HasIndex(c => new { c.HandoverToPath, c.AcceptedUtc, c.Id });
        // Overdue lists and counts: running states past their deadline, covering the scope paths and the list order.
        b.HasIndex(c => new { c.Status, c.DueUtc, c.OrgPath, c.HandoverToPath, c.AcceptedUtc, c.Id }).HasDatabaseName("IX_ServiceCases_Overdue");
        // A county-wide list's newest cases: walked from the newest down, the scope checked in the index, done at a page.
        b.HasIndex(c => new { c.AcceptedUtc, c.Id, c.OrgPath, c.HandoverToPath }).HasDatabaseName("IX_ServiceCases_Recent");
        b.HasIndex(c => c.VisitId);
        b.HasIndex(c => new { c.SourceKind, c.SourceId });
        b.HasOne<ServiceType>().WithMany().HasForeignKey(c => c.TypeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(c => c.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ServiceCaseActivityConfiguration : IEntityTypeConfiguration<ServiceCaseActivity>
{
    public void Configure(EntityTypeBuilder<ServiceCaseActivity> b)
    {
        b.ToTable("ServiceCaseActivities");
        b.HasKey(x => new { x.CaseId, x.ActivityId });
        b.HasIndex(x => x.ActivityId);
        b.HasOne<ServiceCase>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Activity>().WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Cascade);
    }
}
