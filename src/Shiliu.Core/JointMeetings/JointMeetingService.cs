using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.JointMeetings;

/// <summary>
/// 联席会议: the convener's member departments and its meetings (会议记录: time, place, host, attendance, agenda linked to
/// disputes or appeals, minutes). A township or the county convenes; it records its own meetings and reads those of the
/// units below it.
/// </summary>
public sealed class JointMeetingService(IDbContextFactory<ShiliuDb> dbs, IEnumerable<ICaseKind> caseKinds, CalendarCache calendar)
{
    public static string StatusName(TaskStatus s) => s == TaskStatus.Closed ? "已销号" : "进行中";

    public static string AttendanceName(AttendanceKind k) => k switch { AttendanceKind.Absent => "缺席", AttendanceKind.Observer => "列席", _ => "出席" };

    public static string TimingName(TaskTiming t) => t switch
    {
        TaskTiming.DueSoon => "即将到期",
        TaskTiming.Overdue => "已逾期",
        TaskTiming.ClosedOnTime => "按期销号",
        TaskTiming.ClosedLate => "逾期销号",
        _ => "进行中",
    };

    // ---- member departments ----

    /// <summary>The member departments of a convener (the caller's own unit by default), retired ones last.</summary>
    public async Task<IReadOnlyList<DepartmentRow>> DepartmentsAsync(Guid? orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.View, JointMeetingErrors.Denied, "查看联席会议成员单位");
        var unitId = orgUnitId ?? await OwnUnitIdAsync(db, ct);
        if (orgUnitId is not null && !await db.OrgUnits.AnyAsync(o => o.Id == unitId, ct)) throw new NotFoundInScope("单位");
        var rows = await db.MeetingDepartments.AsNoTracking().Where(d => d.OrgUnitId == unitId)
            .OrderBy(d => d.Retired).ThenBy(d => d.SortOrder).ThenBy(d => d.Name).ToListAsync(ct);
        var names = await db.UnitNamesAsync([unitId], ct);
        return rows.Select(d => new DepartmentRow(d.Id, d.OrgUnitId, names.GetValueOrDefault(d.OrgUnitId, ""), d.Name, d.ContactName, d.ContactPost,
            d.WorkPhone, d.SortOrder, d.Retired, d.Version)).ToList();
    }

    /// <summary>Adds (id null) or edits a member department of the caller's own unit.</summary>
    public async Task<Guid> SaveDepartmentAsync(Guid? id, SaveDepartment req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.Name, "部门名称");
        var contact = Line(req.ContactName, "联系人", 50, "contactName");
        var post = Line(req.ContactPost, "联系人职务", 50, "contactPost");
        var phone = Line(req.WorkPhone, "办公电话", 30, "workPhone");
        if (phone is not null && !phone.All(c => char.IsAsciiDigit(c) || c is '-' or ' ' or '(' or ')' or '（' or '）' or '+' or '转'))
            throw RuleViolation.ForField(JointMeetingErrors.Invalid, "workPhone", "办公电话只能含数字、“-”、括号和“转”（如 0877-7012345 转 8001）");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.Manage, JointMeetingErrors.Denied, "维护联席会议成员单位");
        var unit = await ConvenerAsync(db, ct);
        MemberDepartment d;
        if (id is null)
        {
            d = new MemberDepartment { OrgUnitId = unit.Id, OrgPath = unit.Path };
            db.MeetingDepartments.Add(d);
        }
        else
        {
            d = await db.MeetingDepartments.SingleOrDefaultAsync(x => x.Id == id && x.OrgUnitId == unit.Id, ct) ?? throw new NotFoundInScope("本单位的成员单位");
            db.Entry(d).Property(x => x.Version).OriginalValue = req.Version;
        }
        if (await db.MeetingDepartments.AnyAsync(x => x.OrgUnitId == unit.Id && x.Name == name && x.Id != d.Id, ct))
            throw RuleViolation.ForField(JointMeetingErrors.Invalid, "name", $"本单位已有成员单位“{name}”");
        (d.Name, d.ContactName, d.ContactPost, d.WorkPhone, d.SortOrder, d.Retired) = (name, contact, post, phone, req.SortOrder, req.Retired);
        await db.SaveOrConflictAsync(d, ct);
        return d.Id;
    }

    // ---- meetings ----

    public async Task<Paged<MeetingRow>> ListAsync(MeetingQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.View, JointMeetingErrors.Denied, "查看联席会议");
        var items = InYear(db.JointMeetings.AsNoTracking(), q.Year);
        if (q.OrgUnitId is { } u) items = items.Where(m => m.OrgUnitId == u);
        if (Validation.Filter(q.Keyword, "关键词") is { } k) items = items.Where(m => m.Title.Contains(k) || m.Place.Contains(k));
        var (page, size) = Paged<MeetingRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20);
        var total = await items.CountAsync(ct);
        var list = await items.OrderByDescending(m => m.StartUtc).ThenByDescending(m => m.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var ids = list.Select(m => m.Id).ToList();
        var (today, soon) = await TodayAsync(db, ct);
        var timings = (await db.MeetingTasks.AsNoTracking().Where(t => ids.Contains(t.MeetingId))
                .Select(t => new { t.MeetingId, t.Status, t.DueDate, t.ClosedOn }).ToListAsync(ct))
            .ToLookup(t => t.MeetingId, t => Timing(t.Status, t.DueDate, t.ClosedOn, today, soon));
        var names = await db.UnitNamesAsync(list.Select(m => m.OrgUnitId), ct);
        return new Paged<MeetingRow>(list.Select(m => new MeetingRow(m.Id, m.OrgUnitId, names.GetValueOrDefault(m.OrgUnitId, ""), m.Title, m.StartUtc,
            m.EndUtc, m.Place, m.HostName, MeetingProgress.Of(timings[m.Id]))).ToList(), total, page, size);
    }

    public async Task<MeetingDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.View, JointMeetingErrors.Denied, "查看联席会议");
        var m = await db.JointMeetings.AsNoTracking().Include(x => x.Attendees).Include(x => x.Agenda).AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, ct)
            ?? throw new NotFoundInScope("联席会议");
        var (today, soon) = await TodayAsync(db, ct);
        var tasks = await TaskRowsAsync(db, db.MeetingTasks.Where(t => t.MeetingId == id).OrderBy(t => t.No), today, soon, ct);
        var carried = await TaskRowsAsync(db, CarriedOver(db, m), today, soon, ct);
        var agenda = new List<AgendaView>();
        foreach (var a in m.Agenda.OrderBy(a => a.No))
        {
            var kind = a.CaseKind is null ? null : caseKinds.FirstOrDefault(k => k.Kind == a.CaseKind);
            var current = kind is not null && a.CaseId is { } caseId ? await kind.FindAsync(db, caseId, ct) : null;
            agenda.Add(new AgendaView(a.No, a.Title, a.Notes, a.CaseKind, a.CaseId, kind?.Name, current?.Number ?? a.CaseNumber, current?.Title ?? a.CaseTitle,
                current is not null, current?.Link));
        }
        var minutesFile = m.MinutesEvidenceId is { } e
            ? await db.Evidence.Where(x => x.Id == e && x.DeletedUtc == null).Select(x => x.FileName).SingleOrDefaultAsync(ct)
            : null;
        var unit = (await db.UnitNamesAsync([m.OrgUnitId], ct)).GetValueOrDefault(m.OrgUnitId, "");
        return new MeetingDetail(m.Id, m.OrgUnitId, unit, m.Title, m.StartUtc, m.EndUtc, m.Place, m.HostName, m.HostPost, m.RecorderName, m.Minutes,
            m.MinutesEvidenceId, minutesFile, m.Pending,
            m.Attendees.OrderBy(a => a.Kind).ThenBy(a => a.SortOrder).Select(a => new AttendeeView(a.Kind, a.DepartmentId, a.Unit, a.Name, a.Post, a.AbsenceReason)).ToList(),
            agenda, tasks, carried, MeetingProgress.Of(tasks.Select(t => t.Timing)),
            (await db.DisplayNamesAsync([m.CreatedBy], ct)).GetValueOrDefault(m.CreatedBy, m.CreatedBy), m.Version);
    }

    /// <summary>
    /// The open tasks of the convener's earlier meetings as this meeting found them: still open, or closed on or after its
    /// day (the meeting opened with them still on the list).
    /// </summary>
    internal static IQueryable<MeetingTask> CarriedOver(ShiliuDb db, JointMeeting m)
    {
        var day = DateOnly.FromDateTime(ChinaTime.ToChina(m.StartUtc));
        var earlier = db.JointMeetings.Where(x => x.OrgUnitId == m.OrgUnitId && x.StartUtc < m.StartUtc).Select(x => x.Id);
        return db.MeetingTasks.Where(t => earlier.Contains(t.MeetingId) && (t.Status == TaskStatus.Open || t.ClosedOn >= day))
            .OrderBy(t => t.DueDate).ThenBy(t => t.No);
    }

    /// <summary>Records (id null) or corrects a meeting of the caller's own unit, with its attendance and agenda.</summary>
    public async Task<Guid> SaveAsync(Guid? id, SaveMeeting req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var title = Validation.CleanText(req.Title, "会议名称");
        var place = Validation.CleanText(req.Place, "会议地点");
        var host = Validation.CleanText(req.HostName, "主持人");
        var hostPost = Validation.CleanText(req.HostPost, "主持人职务");
        var recorder = Validation.CleanText(req.RecorderName, "记录人");
        var minutes = Multiline(req.Minutes, "会议记录正文", 20_000, "minutes");
        var pending = Multiline(req.Pending, "遗留问题", 2000, "pending");
        if (req.Start.Year is < 2000 or > 2100) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "start", "请填写会议开始时间");
        if (req.End <= req.Start) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "end", "结束时间须晚于开始时间");
        if (req.End - req.Start > TimeSpan.FromHours(12)) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "end", "一次会议不能超过12小时，请核对结束时间");
        if (req.Attendees.Count > 200) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "attendees", "参会人员不能超过200人");
        if (req.Agenda.Count > 50) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "agenda", "议题不能超过50项");
        if (req.Agenda.Count == 0) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "agenda", "请至少填写一项议题");
        if (!req.Attendees.Any(a => a.Kind == AttendanceKind.Present)) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "attendees", "请至少填写一位出席人员");

        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.Manage, JointMeetingErrors.Denied, "记录联席会议");
        var unit = await ConvenerAsync(db, ct);
        var start = ChinaTime.ToUtc(DateTime.SpecifyKind(req.Start, DateTimeKind.Unspecified));
        var end = ChinaTime.ToUtc(DateTime.SpecifyKind(req.End, DateTimeKind.Unspecified));
        if (start > db.UtcNow.AddDays(366)) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "start", "会议时间不能晚于一年以后");
        if (req.MinutesEvidenceId is { } ev && !await db.Evidence.AnyAsync(e => e.Id == ev && e.DeletedUtc == null, ct))
            throw RuleViolation.ForField(JointMeetingErrors.Invalid, "minutesEvidenceId", "会议记录文件不存在或不在您的管辖范围内");

        JointMeeting m;
        if (id is null)
        {
            m = new JointMeeting { OrgUnitId = unit.Id, OrgPath = unit.Path, CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow };
            db.JointMeetings.Add(m);
        }
        else
        {
            m = await db.JointMeetings.Include(x => x.Attendees).Include(x => x.Agenda).AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id && x.OrgUnitId == unit.Id, ct)
                ?? throw new NotFoundInScope("本单位的联席会议");
            db.Entry(m).Property(x => x.Version).OriginalValue = req.Version;
        }

        var departments = await db.MeetingDepartments.Where(d => d.OrgUnitId == unit.Id).ToDictionaryAsync(d => d.Id, ct);
        var attendees = new List<MeetingAttendee>();
        for (var i = 0; i < req.Attendees.Count; i++)
        {
            var a = req.Attendees[i];
            var f = $"attendees[{i}]";
            var who = $"第{i + 1}位参会人员的";
            if (!Enum.IsDefined(a.Kind)) throw RuleViolation.ForField(JointMeetingErrors.Invalid, $"{f}.kind", $"{who}出席情况须为出席、缺席或列席");
            string unitName;
            if (a.DepartmentId is { } dep)
            {
                if (!departments.TryGetValue(dep, out var d)) throw RuleViolation.ForField(JointMeetingErrors.Invalid, $"{f}.departmentId", $"{who}单位不是本单位的成员单位");
                unitName = d.Name;
            }
            else unitName = Line(a.Unit, $"{who}单位", 50, $"{f}.unit") ?? throw RuleViolation.ForField(JointMeetingErrors.Invalid, $"{f}.unit", $"请填写{who}单位");
            var name = Line(a.Name, $"{who}姓名", 50, $"{f}.name") ?? throw RuleViolation.ForField(JointMeetingErrors.Invalid, $"{f}.name", $"请填写{who}姓名");
            var reason = Line(a.AbsenceReason, $"{who}缺席原因", 100, $"{f}.absenceReason");
            if (a.Kind == AttendanceKind.Absent && reason is null)
                throw RuleViolation.ForField(JointMeetingErrors.Invalid, $"{f}.absenceReason", $"请填写{who}缺席原因（如 请假、出差）");
            attendees.Add(new MeetingAttendee
            {
                Kind = a.Kind, DepartmentId = a.DepartmentId, Unit = unitName, Name = name, Post = Line(a.Post, $"{who}职务", 50, $"{f}.post"),
                AbsenceReason = a.Kind == AttendanceKind.Absent ? reason : null, SortOrder = i,
            });
        }

        var agenda = new List<MeetingAgendaItem>();
        for (var i = 0; i < req.Agenda.Count; i++)
        {
            var a = req.Agenda[i];
            var f = $"agenda[{i}]";
            var item = new MeetingAgendaItem
            {
                No = i + 1,
                Title = Line(a.Title, $"第{i + 1}项议题", 200, $"{f}.title") ?? throw RuleViolation.ForField(JointMeetingErrors.Invalid, $"{f}.title", $"请填写第{i + 1}项议题"),
                Notes = Multiline(a.Notes, $"第{i + 1}项议题的说明", 2000, $"{f}.notes"),
            };
            if (a.CaseId is { } caseId)
            {
                var kindKey = Line(a.CaseKind, "案件类别", 40, $"{f}.caseKind");
                var old = m.Agenda.FirstOrDefault(x => x.CaseKind == kindKey && x.CaseId == caseId);
                if (old is not null)
                    (item.CaseKind, item.CaseId, item.CaseNumber, item.CaseTitle) = (old.CaseKind, old.CaseId, old.CaseNumber, old.CaseTitle);
                else
                {
                    // A new link: the caller must see the case now; its number and title are kept as the meeting saw them.
                    var kind = caseKinds.FirstOrDefault(k => k.Kind == kindKey)
                        ?? throw RuleViolation.ForField(JointMeetingErrors.Invalid, $"{f}.caseKind", $"第{i + 1}项议题关联的案件类别不存在");
                    var found = await kind.FindAsync(db, caseId, ct)
                        ?? throw RuleViolation.ForField(JointMeetingErrors.Invalid, $"{f}.caseId", $"第{i + 1}项议题关联的{kind.Name}不存在或不在您的管辖范围内");
                    (item.CaseKind, item.CaseId, item.CaseNumber, item.CaseTitle) = (kind.Kind, found.Id, Cut(found.Number, 60), Cut(found.Title, 200));
                }
            }
            agenda.Add(item);
        }

        (m.Title, m.StartUtc, m.EndUtc, m.Place, m.HostName, m.HostPost, m.RecorderName, m.Minutes, m.MinutesEvidenceId, m.Pending) =
            (title, start, end, place, host, hostPost, recorder, minutes, req.MinutesEvidenceId, pending);
        // Attendance and agenda are replaced whole: the record is corrected as one document, in one save.
        db.MeetingAttendees.RemoveRange(m.Attendees);
        db.MeetingAgendaItems.RemoveRange(m.Agenda);
        m.Attendees = attendees;
        m.Agenda = agenda;
        // A correction that touches only attendance or agenda still changes the record: its version guards it too.
        if (id is not null) db.Entry(m).State = EntityState.Modified;
        await db.SaveOrConflictAsync(m, ct);
        return m.Id;
    }

    /// <summary>Disputes and appeals (whatever kinds the modules register) the caller may link an agenda item to.</summary>
    public async Task<IReadOnlyList<CaseRef>> CasesAsync(string? text, CancellationToken ct = default)
    {
        var t = Validation.Filter(text, "案件关键词");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.Manage, JointMeetingErrors.Denied, "关联矛盾纠纷或诉求");
        var found = new List<CaseRef>();
        foreach (var kind in caseKinds) found.AddRange(await kind.SearchAsync(db, t, 10, ct));
        return found;
    }

    // ---- shared helpers ----

    internal async Task<(DateOnly Today, DateOnly Soon)> TodayAsync(ShiliuDb db, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var cal = await calendar.GetAsync(dbs, ct);
        return (today, cal.AddWorkingDays(today, DueSoonWorkingDays));
    }

    /// <summary>Meetings held in a calendar year, China time (all years when none is given).</summary>
    internal static IQueryable<JointMeeting> InYear(IQueryable<JointMeeting> meetings, int? year)
    {
        if (year is not { } y) return meetings;
        if (y is < 2000 or > 2100) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "year", "年份须在2000至2100之间");
        var (from, to) = (ChinaTime.DayStartUtc(new DateOnly(y, 1, 1)), ChinaTime.DayStartUtc(new DateOnly(y + 1, 1, 1)));
        return meetings.Where(m => m.StartUtc >= from && m.StartUtc < to);
    }

    /// <summary>A task due within this many working days is 即将到期.</summary>
    public const int DueSoonWorkingDays = 3;

    internal static TaskTiming Timing(TaskStatus status, DateOnly due, DateOnly? closedOn, DateOnly today, DateOnly soon) =>
        status == TaskStatus.Closed ? closedOn <= due ? TaskTiming.ClosedOnTime : TaskTiming.ClosedLate
        : today > due ? TaskTiming.Overdue
        : due <= soon ? TaskTiming.DueSoon
        : TaskTiming.Open;

    internal static async Task<List<TaskRow>> TaskRowsAsync(ShiliuDb db, IQueryable<MeetingTask> q, DateOnly today, DateOnly soon, CancellationToken ct)
    {
        var tasks = await q.AsNoTracking().ToListAsync(ct);
        var ids = tasks.Select(t => t.Id).ToList();
        var meetingIds = tasks.Select(t => t.MeetingId).Distinct().ToList();
        var meetings = await db.JointMeetings.AsNoTracking().Where(m => meetingIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => new { m.Title, m.StartUtc }, ct);
        var progress = db.MeetingTaskProgress.AsNoTracking().Where(p => ids.Contains(p.TaskId));
        var last = (await progress.Where(p => p.Id == progress.Where(o => o.TaskId == p.TaskId).Max(o => o.Id)).ToListAsync(ct)).ToDictionary(p => p.TaskId);
        var people = await db.DisplayNamesAsync(tasks.Select(t => t.ClosedBy), ct);
        return tasks.Select(t => new TaskRow(t.Id, t.MeetingId, meetings[t.MeetingId].Title, meetings[t.MeetingId].StartUtc, t.No, t.Matter, t.LeadDepartmentId,
            t.LeadDepartment, t.CoDepartments, t.DueDate, t.Status, t.ClosedOn, t.ClosedBy is { } by ? people.GetValueOrDefault(by, by) : null, t.CloseNote,
            t.CloseEvidenceId, t.Reopened,
            last.TryGetValue(t.Id, out var p) ? $"{p.Date:M月d日} {p.Department}：{p.Text}" : null,
            Timing(t.Status, t.DueDate, t.ClosedOn, today, soon), t.Version)).ToList();
    }

    /// <summary>The caller's own unit as a convener: a township or the county.</summary>
    internal static async Task<OrgUnit> ConvenerAsync(ShiliuDb db, CancellationToken ct)
    {
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
        if (unit.Level is not (OrgLevel.County or OrgLevel.Township))
            throw new RuleViolation(JointMeetingErrors.Convener, "联席会议由乡镇（街道）或县召集，本单位不能召集");
        return unit;
    }

    static async Task<Guid> OwnUnitIdAsync(ShiliuDb db, CancellationToken ct) =>
        await db.OrgUnits.Where(o => o.Path == db.Caller.OrgPath).Select(o => (Guid?)o.Id).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("本单位");

    /// <summary>An optional one-line text: trimmed, null when empty, refused naming the field when too long or with control characters.</summary>
    internal static string? Line(string? value, string label, int max, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        if (v.Length > max) throw RuleViolation.ForField(JointMeetingErrors.Invalid, field, $"{label}不能超过{max}字");
        if (v.Any(c => char.IsControl(c) || Validation.IsBidiControl(c)))
            throw RuleViolation.ForField(JointMeetingErrors.Invalid, field, $"{label}含有不可见的控制字符，请删除后重新输入");
        return v;
    }

    /// <summary>An optional text of several lines (line breaks and tabs allowed, other control characters refused).</summary>
    internal static string? Multiline(string? value, string label, int max, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Replace("\r\n", "\n").Trim();
        if (v.Length > max) throw RuleViolation.ForField(JointMeetingErrors.Invalid, field, $"{label}不能超过{max}字");
        if (v.Any(c => (char.IsControl(c) && c is not ('\n' or '\t')) || Validation.IsBidiControl(c)))
            throw RuleViolation.ForField(JointMeetingErrors.Invalid, field, $"{label}含有不可见的控制字符，请删除后重新输入");
        return v;
    }

    static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}
