using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.JointMeetings;

/// <summary>
/// 议定事项督办: each decision of a meeting becomes a task for a lead department with co-departments and a due date (a
/// date, or working days from the meeting by the working calendar); the convener's staff file the departments' progress
/// and close the task (销号) with evidence and a note; a closed task is reopened only with a reason.
/// </summary>
public sealed class MeetingTaskService(IDbContextFactory<ShiliuDb> dbs, JointMeetingService meetings, CalendarCache calendar)
{
    /// <summary>Adds a decision of a meeting of the caller's own unit as a task.</summary>
    public async Task<Guid> AddAsync(Guid meetingId, SaveTask req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var matter = JointMeetingService.Multiline(req.Matter, "议定事项", 500, "matter")
            ?? throw RuleViolation.ForField(JointMeetingErrors.Invalid, "matter", "请填写议定事项");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.Manage, JointMeetingErrors.Denied, "交办议定事项");
        var m = await db.JointMeetings.AsNoTracking().SingleOrDefaultAsync(x => x.Id == meetingId && x.OrgPath == db.Caller.OrgPath, ct)
            ?? throw new NotFoundInScope("本单位的联席会议");
        var departments = await db.MeetingDepartments.AsNoTracking().Where(d => d.OrgUnitId == m.OrgUnitId).ToDictionaryAsync(d => d.Id, ct);
        if (!departments.TryGetValue(req.LeadDepartmentId, out var lead) || lead.Retired)
            throw RuleViolation.ForField(JointMeetingErrors.Invalid, "leadDepartmentId", "请从本单位的成员单位中选择牵头单位");
        var co = new List<string>();
        foreach (var id in req.CoDepartmentIds.Distinct().Where(id => id != lead.Id))
        {
            if (!departments.TryGetValue(id, out var d) || d.Retired)
                throw RuleViolation.ForField(JointMeetingErrors.Invalid, "coDepartmentIds", "配合单位须是本单位的成员单位");
            co.Add(d.Name);
        }
        var meetingDay = DateOnly.FromDateTime(ChinaTime.ToChina(m.StartUtc));
        DateOnly due;
        if (req.DueWorkingDays is { } n)
        {
            if (n is < 1 or > 250) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "dueWorkingDays", "完成时限须在1至250个工作日之间");
            due = (await calendar.GetAsync(dbs, ct)).AddWorkingDays(meetingDay, n);
        }
        else if (req.DueDate is { } d) due = d;
        else throw RuleViolation.ForField(JointMeetingErrors.Invalid, "dueDate", "请填写完成时限（日期或工作日数）");
        if (due < meetingDay) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "dueDate", "完成时限不能早于会议日期");
        if (due > meetingDay.AddYears(3)) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "dueDate", "完成时限不能晚于会议后三年");

        var no = (await db.MeetingTasks.Where(t => t.MeetingId == m.Id).MaxAsync(t => (int?)t.No, ct) ?? 0) + 1;
        var task = new MeetingTask
        {
            MeetingId = m.Id, OrgUnitId = m.OrgUnitId, OrgPath = m.OrgPath, No = no, Matter = matter, LeadDepartmentId = lead.Id, LeadDepartment = lead.Name,
            CoDepartments = string.Join("、", co), DueDate = due, CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow,
        };
        db.MeetingTasks.Add(task);
        await db.SaveChangesAsync(ct);
        return task.Id;
    }

    public async Task<TaskDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.View, JointMeetingErrors.Denied, "查看议定事项");
        var (today, soon) = await meetings.TodayAsync(db, ct);
        var row = (await JointMeetingService.TaskRowsAsync(db, db.MeetingTasks.Where(t => t.Id == id), today, soon, ct)).SingleOrDefault()
            ?? throw new NotFoundInScope("议定事项");
        var progress = await db.MeetingTaskProgress.AsNoTracking().Where(p => p.TaskId == id).OrderBy(p => p.Date).ThenBy(p => p.Id)
            .Select(p => new ProgressView(p.Id, p.Date, p.Department, p.Text, p.RecordedBy, p.RecordedUtc)).ToListAsync(ct);
        var evidence = row.CloseEvidenceId is { } e ? await db.Evidence.Where(x => x.Id == e).Select(x => x.Title).SingleOrDefaultAsync(ct) : null;
        var steps = await MeetingTaskFlow.Definition.HistoryAsync(db, id, ct);
        var people = await db.DisplayNamesAsync(progress.Select(p => p.RecordedBy), ct);
        return new TaskDetail(row, progress.Select(p => p with { RecordedBy = people.GetValueOrDefault(p.RecordedBy, p.RecordedBy) }).ToList(),
            steps, evidence);
    }

    /// <summary>The tasks in the caller's scope (or one convener's), by timing: the 督办 list behind the to-dos.</summary>
    public async Task<Paged<TaskRow>> ListAsync(TaskQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.View, JointMeetingErrors.Denied, "查看议定事项");
        var (today, soon) = await meetings.TodayAsync(db, ct);
        var items = db.MeetingTasks.AsNoTracking();
        if (q.OrgUnitId is { } u) items = items.Where(t => t.OrgUnitId == u);
        if (q.DepartmentId is { } d) items = items.Where(t => t.LeadDepartmentId == d);
        items = q.Timing switch
        {
            TaskTiming.Overdue => items.Where(t => t.Status == TaskStatus.Open && t.DueDate < today),
            TaskTiming.DueSoon => items.Where(t => t.Status == TaskStatus.Open && t.DueDate >= today && t.DueDate <= soon),
            TaskTiming.Open => items.Where(t => t.Status == TaskStatus.Open),
            TaskTiming.ClosedOnTime => items.Where(t => t.Status == TaskStatus.Closed && t.ClosedOn <= t.DueDate),
            TaskTiming.ClosedLate => items.Where(t => t.Status == TaskStatus.Closed && t.ClosedOn > t.DueDate),
            null => items,
            _ => throw RuleViolation.ForField(JointMeetingErrors.Invalid, "timing", "督办状态不正确"),
        };
        var (page, size) = Paged<TaskRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20);
        var total = await items.CountAsync(ct);
        var rows = await JointMeetingService.TaskRowsAsync(db, items.OrderBy(t => t.Status).ThenBy(t => t.DueDate).ThenBy(t => t.Id).Skip((page - 1) * size).Take(size),
            today, soon, ct);
        return new Paged<TaskRow>(rows, total, page, size);
    }

    /// <summary>
    /// Files what a lead or co-department did on an open task. The convener's staff record it (from the department's call,
    /// letter or the next meeting), not the department itself: departments hold no accounts here, and a no-account link per
    /// department would be a bearer credential passed around chat groups that the convener could neither see used nor
    /// take back per person; the record says who entered it.
    /// </summary>
    public async Task<long> AddProgressAsync(Guid taskId, SaveProgress req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var text = JointMeetingService.Multiline(req.Text, "进展情况", 1000, "text") ?? throw RuleViolation.ForField(JointMeetingErrors.Invalid, "text", "请填写进展情况");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.Manage, JointMeetingErrors.Denied, "填报议定事项进展");
        var t = await OwnAsync(db, taskId, ct);
        if (t.Status != TaskStatus.Open)
            throw new RuleViolation(JointMeetingErrors.Invalid, "该事项已销号，不能再填报进展；如需继续办理请先重新打开");
        var dept = await db.MeetingDepartments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == req.DepartmentId && d.OrgUnitId == t.OrgUnitId, ct);
        if (dept is null || (dept.Id != t.LeadDepartmentId && !t.CoDepartments.Split('、').Contains(dept.Name)))
            throw RuleViolation.ForField(JointMeetingErrors.Invalid, "departmentId", $"只能填报牵头单位（{t.LeadDepartment}）或配合单位的进展");
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var meetingDay = await db.JointMeetings.Where(m => m.Id == t.MeetingId).Select(m => m.StartUtc).SingleAsync(ct);
        if (req.Date > today) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "date", "进展日期不能晚于今天");
        if (req.Date < DateOnly.FromDateTime(ChinaTime.ToChina(meetingDay))) throw RuleViolation.ForField(JointMeetingErrors.Invalid, "date", "进展日期不能早于会议日期");
        var p = new TaskProgress { TaskId = t.Id, Date = req.Date, Department = dept.Name, Text = text, RecordedBy = db.Caller.UserName, RecordedUtc = db.UtcNow };
        db.MeetingTaskProgress.Add(p);
        await db.SaveChangesAsync(ct);
        return p.Id;
    }

    /// <summary>销号: closes an open task of the caller's unit, with an evidence item and a note.</summary>
    public async Task CloseAsync(Guid taskId, CloseTask req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.Manage, JointMeetingErrors.Denied, "销号议定事项");
        var t = await db.MeetingTasks.SingleOrDefaultAsync(x => x.Id == taskId, ct) ?? throw new NotFoundInScope("议定事项");
        if (req.EvidenceId is not { } evidence)
            throw RuleViolation.ForField(JointMeetingErrors.Evidence, "evidenceId", "销号须附佐证材料：请上传办结材料或选择痕迹台账中的材料");
        if (!await db.Evidence.AnyAsync(e => e.Id == evidence && e.DeletedUtc == null, ct))
            throw RuleViolation.ForField(JointMeetingErrors.Evidence, "evidenceId", "佐证材料不存在、已删除或不在您的管辖范围内");
        var note = JointMeetingService.Multiline(req.Note, "销号说明", 500, "note")
            ?? throw RuleViolation.ForField(JointMeetingErrors.Invalid, "note", "销号须填写销号说明（办结情况）");
        await MeetingTaskFlow.Definition.ApplyAsync(db, t, "close", note, req.Version, ct);
        t.CloseEvidenceId = evidence;
        await db.SaveOrConflictAsync(t, ct);
    }

    /// <summary>Reopens a closed task (the convener, or the county supervising it), with a reason.</summary>
    public async Task ReopenAsync(Guid taskId, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.Manage, JointMeetingErrors.Denied, "重新打开议定事项");
        var t = await db.MeetingTasks.SingleOrDefaultAsync(x => x.Id == taskId, ct) ?? throw new NotFoundInScope("议定事项");
        await MeetingTaskFlow.Definition.ApplyAsync(db, t, "reopen", reason, version, ct);
        await db.SaveOrConflictAsync(t, ct);
    }

    /// <summary>Each convener in the caller's scope: meetings held and how their tasks stand.</summary>
    public async Task<IReadOnlyList<ConvenerOverview>> OverviewAsync(int? year, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(JointMeetingPermissions.View, JointMeetingErrors.Denied, "查看联席会议概况");
        var ms = JointMeetingService.InYear(db.JointMeetings.AsNoTracking(), year);
        var byUnit = await ms.GroupBy(m => m.OrgUnitId).Select(g => new { Unit = g.Key, Count = g.Count(), Last = g.Max(m => m.StartUtc) }).ToListAsync(ct);
        var (today, soon) = await meetings.TodayAsync(db, ct);
        var tasks = (await db.MeetingTasks.AsNoTracking().Where(t => ms.Select(m => m.Id).Contains(t.MeetingId))
                .Select(t => new { t.OrgUnitId, t.Status, t.DueDate, t.ClosedOn }).ToListAsync(ct))
            .ToLookup(t => t.OrgUnitId, t => JointMeetingService.Timing(t.Status, t.DueDate, t.ClosedOn, today, soon));
        var names = await db.UnitNamesAsync(byUnit.Select(u => u.Unit), ct);
        return byUnit.Select(u => new ConvenerOverview(u.Unit, names.GetValueOrDefault(u.Unit, ""), u.Count, u.Last, MeetingProgress.Of(tasks[u.Unit])))
            .OrderByDescending(o => o.Progress.Overdue).ThenBy(o => o.UnitName, StringComparer.Ordinal).ToList();
    }

    static async Task<MeetingTask> OwnAsync(ShiliuDb db, Guid id, CancellationToken ct) =>
        await db.MeetingTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.OrgPath == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位的议定事项");
}
