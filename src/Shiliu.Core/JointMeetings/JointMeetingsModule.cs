using Shiliu.Core.Reporting;
using Shiliu.Core.Indicators;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.JointMeetings;

public static class JointMeetingPermissions
{
    /// <summary>The conveners (townships, the county) and the county's leaders read meetings and their tasks.</summary>
    public const string View = "perm.meeting.view";
    /// <summary>The convener's office records meetings, decisions, progress and closes tasks.</summary>
    public const string Manage = "perm.meeting.manage";
}

public static class JointMeetingErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("meeting.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("meeting.invalid");
    public static readonly ErrorCode Convener = ErrorCode.Invalid("meeting.convener");
    public static readonly ErrorCode Evidence = ErrorCode.Invalid("meeting.task_evidence");
}

/// <summary>
/// 联席会议: member departments, meetings with attendees and agenda (linked to disputes or appeals), decisions as tasks
/// that the convener follows up and closes with evidence, and the record and task ledger exports.
/// Conveners are townships and the county (DESIGN names no community-level joint meeting).
/// </summary>
public sealed class JointMeetingsModule : FeatureModule
{
    public override string Name => "联席会议";

    public override void Declare(ModuleBuilder m) => m
        .Permission(JointMeetingPermissions.View, "查看联席会议及议定事项", Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer)
        .Permission(JointMeetingPermissions.Manage, "记录联席会议、督办和销号议定事项", Roles.CountyOfficer, Roles.TownshipOfficer)
        .MenuItem(MenuSection.Work, "联席会议", "/joint-meetings", "solution", 60, JointMeetingPermissions.View)
        .Link("联席会议", "/joint-meetings", "记录联席会议，议定事项交办督办、按期销号", 60, JointMeetingPermissions.View)
        .Audit<MemberDepartment>("联席会议成员单位", d => $"成员单位 {d.Name}")
        .Audit<JointMeeting>("联席会议", x => $"联席会议《{x.Title}》")
        .Audit<MeetingAttendee>("会议出席人员", a => $"{a.Unit} {a.Name}")
        .Audit<MeetingAgendaItem>("会议议题", a => $"议题 {a.No}")
        .Audit<MeetingTask>("议定事项", t => $"议定事项 {t.No}（牵头：{t.LeadDepartment}）")
        .Audit<TaskProgress>("议定事项进展", p => $"{p.Department}进展")
        .Workflow(MeetingTaskFlow.Definition)
        .ErrorCodes(typeof(JointMeetingErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<JointMeetingService>();
        services.AddScoped<MeetingTaskService>();
        services.AddScoped<MeetingExportService>();
        services.AddScoped<MeetingSummaryService>();
        services.AddReportSource<MeetingReportSource>();
        services.AddTodoSource<MeetingTaskTodos>();
        services.AddCriterionRecordSource<JointMeetingCriterionRecords>();
    }
}
