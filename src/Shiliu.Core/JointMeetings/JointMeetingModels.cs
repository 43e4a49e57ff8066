using System.ComponentModel.DataAnnotations;

namespace Shiliu.Core.JointMeetings;

public sealed class SaveDepartment
{
    [Required(ErrorMessage = "请填写部门名称"), StringLength(50, ErrorMessage = "部门名称不能超过50字")]
    public string Name { get; set; } = "";
    [StringLength(50, ErrorMessage = "联系人不能超过50字")]
    public string? ContactName { get; set; }
    [StringLength(50, ErrorMessage = "联系人职务不能超过50字")]
    public string? ContactPost { get; set; }
    [StringLength(30, ErrorMessage = "办公电话不能超过30字")]
    public string? WorkPhone { get; set; }
    [Range(0, 999, ErrorMessage = "排序须在0至999之间")]
    public int SortOrder { get; set; }
    public bool Retired { get; set; }
    public int Version { get; set; }
}

public sealed record DepartmentRow(Guid Id, Guid OrgUnitId, string UnitName, string Name, string? ContactName, string? ContactPost, string? WorkPhone,
    int SortOrder, bool Retired, int Version);

public sealed class SaveAttendee
{
    public AttendanceKind Kind { get; set; }
    /// <summary>A member department of the convener; or null with <see cref="Unit"/> for anyone else (领导、列席的社区).</summary>
    public Guid? DepartmentId { get; set; }
    public string? Unit { get; set; }
    public string Name { get; set; } = "";
    public string? Post { get; set; }
    public string? AbsenceReason { get; set; }
}

public sealed class SaveAgendaItem
{
    public string Title { get; set; } = "";
    public string? Notes { get; set; }
    /// <summary>The linked case's kind ("dispute", "appeal") and id, from <c>GET /joint-meetings/cases</c>.</summary>
    public string? CaseKind { get; set; }
    public Guid? CaseId { get; set; }
}

/// <summary>A meeting's record. Times are China time (2026-11-30T09:00).</summary>
public sealed class SaveMeeting
{
    [Required(ErrorMessage = "请填写会议名称"), StringLength(100, ErrorMessage = "会议名称不能超过100字")]
    public string Title { get; set; } = "";
    public DateTime Start { get; set; }
    public DateTime End { get; set; }
    [Required(ErrorMessage = "请填写会议地点"), StringLength(100, ErrorMessage = "会议地点不能超过100字")]
    public string Place { get; set; } = "";
    [Required(ErrorMessage = "请填写主持人"), StringLength(50, ErrorMessage = "主持人不能超过50字")]
    public string HostName { get; set; } = "";
    [Required(ErrorMessage = "请填写主持人职务"), StringLength(50, ErrorMessage = "主持人职务不能超过50字")]
    public string HostPost { get; set; } = "";
    [Required(ErrorMessage = "请填写记录人"), StringLength(50, ErrorMessage = "记录人不能超过50字")]
    public string RecorderName { get; set; } = "";
    [StringLength(20_000, ErrorMessage = "会议记录正文不能超过2万字，请上传文件")]
    public string? Minutes { get; set; }
    /// <summary>The minutes as a file already in the evidence archive (signed scan, .docx).</summary>
    public Guid? MinutesEvidenceId { get; set; }
    [StringLength(2000, ErrorMessage = "遗留问题不能超过2000字")]
    public string? Pending { get; set; }
    public List<SaveAttendee> Attendees { get; set; } = [];
    public List<SaveAgendaItem> Agenda { get; set; } = [];
    public int Version { get; set; }
}

public sealed class MeetingQuery
{
    /// <summary>The convener (a township or the county); its own meetings only.</summary>
    public Guid? OrgUnitId { get; set; }
    public int? Year { get; set; }
    public string? Keyword { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

public enum TaskTiming
{
    Open,
    DueSoon,
    Overdue,
    ClosedOnTime,
    ClosedLate,
}

/// <summary>A meeting's (or a convener's) tasks: the share closed on time, the rest shown apart.</summary>
public sealed record MeetingProgress(int Total, int ClosedOnTime, int ClosedLate, int Open, int Overdue)
{
    public static MeetingProgress Of(IEnumerable<TaskTiming> timings)
    {
        var t = timings.ToList();
        return new(t.Count, t.Count(x => x == TaskTiming.ClosedOnTime), t.Count(x => x == TaskTiming.ClosedLate),
            t.Count(x => x is TaskTiming.Open or TaskTiming.DueSoon), t.Count(x => x == TaskTiming.Overdue));
    }

    /// <summary>Closed on time ÷ all tasks; null without tasks (no decisions is not 0 %).</summary>
    public double? OnTimeShare => Total == 0 ? null : (double)ClosedOnTime / Total;
    public string OnTimeText => OnTimeShare is { } s ? $"{Math.Round(s * 100, 1):0.#}%" : "—";
}

public sealed record MeetingRow(Guid Id, Guid OrgUnitId, string UnitName, string Title, DateTime StartUtc, DateTime EndUtc, string Place, string HostName,
    MeetingProgress Progress);

public sealed record AttendeeView(AttendanceKind Kind, Guid? DepartmentId, string Unit, string Name, string? Post, string? AbsenceReason)
{
    public string KindName => JointMeetingService.AttendanceName(Kind);
}

/// <summary>
/// An agenda item; a linked case shows its current title when the caller can see it (<see cref="CaseVisible"/>), otherwise
/// only the number and title recorded at the meeting, marked 无权查看或已删除.
/// </summary>
public sealed record AgendaView(int No, string Title, string? Notes, string? CaseKind, Guid? CaseId, string? CaseKindName, string? CaseNumber,
    string? CaseTitle, bool CaseVisible, string? CaseLink)
{
    public string? CaseText => CaseKind is null ? null
        : CaseVisible ? $"{CaseKindName} {CaseNumber} {CaseTitle}" : $"{CaseKindName ?? "案件"} {CaseNumber}（无权查看或已删除）";
}

public sealed record TaskRow(Guid Id, Guid MeetingId, string MeetingTitle, DateTime MeetingStartUtc, int No, string Matter, Guid LeadDepartmentId,
    string LeadDepartment, string CoDepartments, DateOnly DueDate, TaskStatus Status, DateOnly? ClosedOn, string? ClosedBy, string? CloseNote,
    Guid? CloseEvidenceId, int Reopened, string? LastProgress, TaskTiming Timing, int Version)
{
    public string StatusName => JointMeetingService.StatusName(Status);
    public string TimingName => JointMeetingService.TimingName(Timing);
}

public sealed record ProgressView(long Id, DateOnly Date, string Department, string Text, string RecordedBy, DateTime RecordedUtc);

public sealed record TaskDetail(TaskRow Task, IReadOnlyList<ProgressView> Progress, IReadOnlyList<Platform.Workflow.StepRow> Steps, string? EvidenceTitle);

public sealed record MeetingDetail(Guid Id, Guid OrgUnitId, string UnitName, string Title, DateTime StartUtc, DateTime EndUtc, string Place,
    string HostName, string HostPost, string RecorderName, string? Minutes, Guid? MinutesEvidenceId, string? MinutesFileName, string? Pending,
    IReadOnlyList<AttendeeView> Attendees, IReadOnlyList<AgendaView> Agenda, IReadOnlyList<TaskRow> Tasks, IReadOnlyList<TaskRow> CarriedOver,
    MeetingProgress Progress, string CreatedBy, int Version);

public sealed class SaveTask
{
    [Required(ErrorMessage = "请填写议定事项"), StringLength(500, ErrorMessage = "议定事项不能超过500字")]
    public string Matter { get; set; } = "";
    public Guid LeadDepartmentId { get; set; }
    public List<Guid> CoDepartmentIds { get; set; } = [];
    /// <summary>完成时限 as a date, or …</summary>
    public DateOnly? DueDate { get; set; }
    /// <summary>… as working days from the meeting's date (holidays and 调休 counted by the working calendar).</summary>
    public int? DueWorkingDays { get; set; }
}

public sealed class SaveProgress
{
    public DateOnly Date { get; set; }
    public Guid DepartmentId { get; set; }
    [Required(ErrorMessage = "请填写进展情况"), StringLength(1000, ErrorMessage = "进展情况不能超过1000字")]
    public string Text { get; set; } = "";
}

public sealed class CloseTask
{
    /// <summary>An item of the evidence archive (a file uploaded there, or an existing one) proving the work done.</summary>
    public Guid? EvidenceId { get; set; }
    public string? Note { get; set; }
    public int Version { get; set; }
}

public sealed record ReopenTask(string? Reason, int Version);

public sealed class TaskQuery
{
    public Guid? OrgUnitId { get; set; }
    public TaskTiming? Timing { get; set; }
    public Guid? DepartmentId { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

/// <summary>One convener's figures: its meetings and their tasks, closed on time and otherwise.</summary>
public sealed record ConvenerOverview(Guid OrgUnitId, string UnitName, int Meetings, DateTime? LastMeetingUtc, MeetingProgress Progress);
