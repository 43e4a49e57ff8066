using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.JointMeetings;

/// <summary>
/// A member department of a convening unit's joint meeting (公安、城管、市场监管 …) with its work contact. Each convener keeps
/// its own list: the 派出所 a township works with is not the county's 公安局.
/// </summary>
public sealed class MemberDepartment : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string Name { get; set; } = "";
    public string? ContactName { get; set; }
    public string? ContactPost { get; set; }
    /// <summary>Office phone of the contact (a work number, not a resident's); shown to staff only.</summary>
    public string? WorkPhone { get; set; }
    public int SortOrder { get; set; }
    /// <summary>No longer a member: kept for old meetings and tasks, not offered for new ones.</summary>
    public bool Retired { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A joint meeting (联席会议) a township or the county convened: the 会议记录 and its agenda.</summary>
public sealed class JointMeeting : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The convening unit.</summary>
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string Title { get; set; } = "";
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    public string Place { get; set; } = "";
    public string HostName { get; set; } = "";
    public string HostPost { get; set; } = "";
    public string RecorderName { get; set; } = "";
    /// <summary>The minutes as typed (发言、讨论); the signed scan goes to the evidence archive. They tell parties' troubles: not copied into audit rows.</summary>
    [AuditRedacted] public string? Minutes { get; set; }
    public Guid? MinutesEvidenceId { get; set; }
    /// <summary>遗留问题 not turned into tasks.</summary>
    [AuditRedacted] public string? Pending { get; set; }
    public List<MeetingAttendee> Attendees { get; set; } = [];
    public List<MeetingAgendaItem> Agenda { get; set; } = [];
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public enum AttendanceKind
{
    /// <summary>出席</summary>
    Present = 0,
    /// <summary>缺席 (with the reason: 请假、出差 …)</summary>
    Absent = 1,
    /// <summary>列席</summary>
    Observer = 2,
}

/// <summary>One person at (or missing from) a meeting, for a member department or in their own right.</summary>
public sealed class MeetingAttendee
{
    public long Id { get; set; }
    public Guid MeetingId { get; set; }
    public AttendanceKind Kind { get; set; }
    public Guid? DepartmentId { get; set; }
    /// <summary>The department's name when the meeting was recorded (names change; the record does not).</summary>
    public string Unit { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Post { get; set; }
    public string? AbsenceReason { get; set; }
    public int SortOrder { get; set; }
}

/// <summary>An agenda item (议题), optionally naming a dispute or appeal through the case-link hook.</summary>
public sealed class MeetingAgendaItem
{
    public long Id { get; set; }
    public Guid MeetingId { get; set; }
    public int No { get; set; }
    public string Title { get; set; } = "";
    [AuditRedacted] public string? Notes { get; set; }
    public string? CaseKind { get; set; }
    public Guid? CaseId { get; set; }
    /// <summary>Number and title when linked: what the meeting discussed, kept even if the case is later renamed or removed.</summary>
    public string? CaseNumber { get; set; }
    public string? CaseTitle { get; set; }
}

public enum TaskStatus
{
    /// <summary>进行中</summary>
    Open = 0,
    /// <summary>已销号</summary>
    Closed = 1,
}

/// <summary>
/// A decision of a meeting (议定事项) as a task for a lead department with co-departments and a due date; the convener
/// files its progress and closes it (销号) with evidence. Owned by the convener, so its scope is the meeting's.
/// </summary>
public sealed class MeetingTask : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MeetingId { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public int No { get; set; }
    public string Matter { get; set; } = "";
    public Guid LeadDepartmentId { get; set; }
    public string LeadDepartment { get; set; } = "";
    /// <summary>Names of the co-departments, "、"-joined, as at the decision.</summary>
    public string CoDepartments { get; set; } = "";
    public DateOnly DueDate { get; set; }
    [WorkflowState] public TaskStatus Status { get; set; }
    [WorkflowState] public DateOnly? ClosedOn { get; set; }
    [WorkflowState] public string? ClosedBy { get; set; }
    [WorkflowState] public string? CloseNote { get; set; }
    [WorkflowState] public Guid? CloseEvidenceId { get; set; }
    [WorkflowState] public int Reopened { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A progress report on a task: what a department did, when, as the convener's staff recorded it.</summary>
public sealed class TaskProgress
{
    public long Id { get; set; }
    public Guid TaskId { get; set; }
    public DateOnly Date { get; set; }
    public string Department { get; set; } = "";
    [AuditRedacted] public string Text { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public DateTime RecordedUtc { get; set; }
}

sealed class MemberDepartmentConfiguration : IEntityTypeConfiguration<MemberDepartment>
{
    public void Configure(EntityTypeBuilder<MemberDepartment> b)
    {
        b.ToTable("MeetingDepartments");
        b.Property(d => d.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(d => d.Name).HasMaxLength(50).IsRequired();
        b.Property(d => d.ContactName).HasMaxLength(50);
        b.Property(d => d.ContactPost).HasMaxLength(50);
        b.Property(d => d.WorkPhone).HasMaxLength(30);
        b.Property(d => d.UpdatedBy).HasMaxLength(100);
        b.HasIndex(d => new { d.OrgUnitId, d.Name }).IsUnique();
        b.HasIndex(d => d.OrgPath);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(d => d.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class JointMeetingConfiguration : IEntityTypeConfiguration<JointMeeting>
{
    public void Configure(EntityTypeBuilder<JointMeeting> b)
    {
        b.ToTable("JointMeetings");
        b.Property(m => m.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(m => m.Title).HasMaxLength(100).IsRequired();
        b.Property(m => m.Place).HasMaxLength(100).IsRequired();
        b.Property(m => m.HostName).HasMaxLength(50).IsRequired();
        b.Property(m => m.HostPost).HasMaxLength(50).IsRequired();
        b.Property(m => m.RecorderName).HasMaxLength(50).IsRequired();
        b.Property(m => m.Minutes).HasMaxLength(20_000);
        b.Property(m => m.Pending).HasMaxLength(2000);
        b.Property(m => m.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(m => m.UpdatedBy).HasMaxLength(100);
        b.HasIndex(m => new { m.OrgPath, m.StartUtc });
        b.HasIndex(m => new { m.OrgUnitId, m.StartUtc });
        b.HasMany(m => m.Attendees).WithOne().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.Agenda).WithOne().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(m => m.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class MeetingAttendeeConfiguration : IEntityTypeConfiguration<MeetingAttendee>
{
    public void Configure(EntityTypeBuilder<MeetingAttendee> b)
    {
        b.ToTable("MeetingAttendees");
        b.Property(a => a.Unit).HasMaxLength(50).IsRequired();
        b.Property(a => a.Name).HasMaxLength(50).IsRequired();
        b.Property(a => a.Post).HasMaxLength(50);
        b.Property(a => a.AbsenceReason).HasMaxLength(100);
    }
}

sealed class MeetingAgendaItemConfiguration : IEntityTypeConfiguration<MeetingAgendaItem>
{
    public void Configure(EntityTypeBuilder<MeetingAgendaItem> b)
    {
        b.ToTable("MeetingAgendaItems");
        b.Property(a => a.Title).HasMaxLength(200).IsRequired();
        b.Property(a => a.Notes).HasMaxLength(2000);
        b.Property(a => a.CaseKind).HasMaxLength(40);
        b.Property(a => a.CaseNumber).HasMaxLength(60);
        b.Property(a => a.CaseTitle).HasMaxLength(200);
    }
}

sealed class MeetingTaskConfiguration : IEntityTypeConfiguration<MeetingTask>
{
    public void Configure(EntityTypeBuilder<MeetingTask> b)
    {
        b.ToTable("MeetingTasks");
        b.Property(t => t.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(t => t.Matter).HasMaxLength(500).IsRequired();
        b.Property(t => t.LeadDepartment).HasMaxLength(50).IsRequired();
        b.Property(t => t.CoDepartments).HasMaxLength(500).IsRequired();
        b.Property(t => t.ClosedBy).HasMaxLength(100);
        b.Property(t => t.CloseNote).HasMaxLength(500);
        b.Property(t => t.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(t => t.UpdatedBy).HasMaxLength(100);
        b.HasIndex(t => new { t.MeetingId, t.No }).IsUnique();
        b.HasIndex(t => new { t.OrgPath, t.Status, t.DueDate });
        b.HasOne<JointMeeting>().WithMany().HasForeignKey(t => t.MeetingId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<MemberDepartment>().WithMany().HasForeignKey(t => t.LeadDepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(t => t.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class TaskProgressConfiguration : IEntityTypeConfiguration<TaskProgress>
{
    public void Configure(EntityTypeBuilder<TaskProgress> b)
    {
        b.ToTable("MeetingTaskProgress");
        b.Property(p => p.Department).HasMaxLength(50).IsRequired();
        b.Property(p => p.Text).HasMaxLength(1000).IsRequired();
        b.Property(p => p.RecordedBy).HasMaxLength(100).IsRequired();
        b.HasIndex(p => p.TaskId);
        b.HasOne<MeetingTask>().WithMany().HasForeignKey(p => p.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class MeetingTaskFlow
{
    /// <summary>
    /// 进行中 → 已销号 → (重新打开) 进行中. No 待销号审核 state: departments have no accounts, so the convener's staff file
    /// progress and close alike, and a review by the same office would only repeat the closing. The convener closes its
    /// own tasks, with evidence and a note; it or a unit above (the county supervising) may reopen one, with a reason.
    /// </summary>
    public static readonly Workflow<MeetingTask, TaskStatus> Definition =
        new Workflow<MeetingTask, TaskStatus>("meeting-task", "议定事项", t => t.Status, JointMeetingService.StatusName, t => $"议定事项“{Short(t.Matter)}”", t => t.Id)
            .Step("close", "销号", [TaskStatus.Open], TaskStatus.Closed, JointMeetingPermissions.Manage, Actor.OwnUnit, ReasonRule.Required, "销号说明",
                effect: (t, s) => (t.ClosedOn, t.ClosedBy, t.CloseNote) = (DateOnly.FromDateTime(Common.ChinaTime.ToChina(s.NowUtc)), s.Caller.UserName, s.Reason))
            .Step("reopen", "重新打开", [TaskStatus.Closed], TaskStatus.Open, JointMeetingPermissions.Manage, Actor.InScope, ReasonRule.Required, "重新打开原因",
                effect: (t, _) => { (t.ClosedOn, t.ClosedBy, t.CloseNote, t.CloseEvidenceId) = (null, null, null, null); t.Reopened++; })
            .Link(t => $"/joint-meetings/{t.MeetingId}")
            .NotifyOn("reopen", t => t.OrgPath, JointMeetingPermissions.Manage);

    static string Short(string s) => s.Length <= 30 ? s : s[..30] + "…";
}
