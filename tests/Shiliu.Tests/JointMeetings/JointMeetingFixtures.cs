using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.JointMeetings;
using Shiliu.Tests.Infrastructure;
using TaskStatus = Shiliu.Core.JointMeetings.TaskStatus;

namespace Shiliu.Tests.JointMeetings;

/// <summary>
/// Joint-meeting rows put in place by the system for the access matrix and the hostile-input suite: a convener's
/// department, meeting and task, written straight to the database so each recipe starts from a known state.
/// </summary>
internal static class JointMeetingFixtures
{
    public const string Guishan = "530427001000";
    public const string Yangwu = "530427101000";
    public const string County = "530427000000";

    /// <summary>The convener a role acts for: outside, 扬武镇; inside, the county for the county office, else 桂山街道.</summary>
    public static string Convener(string role, bool outside) => outside ? Yangwu : role == Roles.CountyOfficer ? County : Guishan;

    public static async Task<Guid> DepartmentAsync(ShiliuApp app, string unitCode)
    {
        await using var db = await app.SystemDbAsync();
        var unit = await db.OrgUnits.SingleAsync(o => o.Code == unitCode);
        var d = new MemberDepartment { OrgUnitId = unit.Id, OrgPath = unit.Path, Name = $"公安派出所{Guid.NewGuid():N}"[..14], ContactName = "李明", ContactPost = "副所长", WorkPhone = "0877-7011001" };
        db.MeetingDepartments.Add(d);
        await db.SaveChangesAsync();
        return d.Id;
    }

    public static async Task<(Guid Meeting, Guid Department)> MeetingAsync(ShiliuApp app, string unitCode)
    {
        var dept = await DepartmentAsync(app, unitCode);
        await using var db = await app.SystemDbAsync();
        var unit = await db.OrgUnits.SingleAsync(o => o.Code == unitCode);
        var start = DateTime.UtcNow.Date.AddDays(-1).AddHours(1);
        var m = new JointMeeting
        {
            OrgUnitId = unit.Id, OrgPath = unit.Path, Title = "矩阵联席会议", StartUtc = start, EndUtc = start.AddHours(2), Place = "会议室", HostName = "杨建国", HostPost = "副书记",
            RecorderName = "刘婷", CreatedBy = "system", CreatedUtc = DateTime.UtcNow,
            Attendees = [new MeetingAttendee { Kind = AttendanceKind.Present, DepartmentId = dept, Unit = "公安派出所", Name = "李明" }],
            Agenda = [new MeetingAgendaItem { No = 1, Title = "矛盾纠纷排查" }],
        };
        db.JointMeetings.Add(m);
        await db.SaveChangesAsync();
        return (m.Id, dept);
    }

    public static async Task<MeetingTask> TaskAsync(ShiliuApp app, string unitCode, bool closed = false)
    {
        var (meeting, dept) = await MeetingAsync(app, unitCode);
        await using var db = await app.SystemDbAsync();
        var m = await db.JointMeetings.SingleAsync(x => x.Id == meeting);
        var t = new MeetingTask
        {
            MeetingId = m.Id, OrgUnitId = m.OrgUnitId, OrgPath = m.OrgPath, No = 1, Matter = "化解界址纠纷", LeadDepartmentId = dept, LeadDepartment = "公安派出所",
            DueDate = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow)).AddDays(10), CreatedBy = "system", CreatedUtc = DateTime.UtcNow,
        };
        if (closed) (t.Status, t.ClosedOn, t.ClosedBy, t.CloseNote) = (TaskStatus.Closed, DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow)), "system", "已办结");
        db.MeetingTasks.Add(t);
        await db.SaveChangesAsync();
        return t;
    }

    /// <summary>A valid meeting body for the API (attendee from an outside unit, so no department is needed).</summary>
    public static object MeetingBody(int version = 0) => new
    {
        title = "矩阵联席会议", start = "2026-11-20T09:00:00", end = "2026-11-20T11:00:00", place = "会议室", hostName = "杨建国", hostPost = "副书记", recorderName = "刘婷",
        minutes = "会议记录正文", pending = "无",
        attendees = new object[] { new { kind = "Present", unit = "公安派出所", name = "李明", post = "副所长" }, new { kind = "Absent", unit = "民政办", name = "张华", absenceReason = "出差" } },
        agenda = new object[] { new { title = "矛盾纠纷排查", notes = "说明" } },
        version,
    };
}
