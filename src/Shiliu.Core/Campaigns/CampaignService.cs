using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Campaigns;

public enum PhaseState
{
    NotStarted,
    Running,
    Ended,
}

public sealed record CampaignRow(Guid Id, string Title, string DocNumber, DateOnly IssueDate, string CurrentPhase, int UnitCount, bool IsClosed)
{
    /// <summary>The campaign year as people name it (2019年), from its issue date.</summary>
    public string Label => $"{IssueDate.Year}年 {DocNumber}";
}

public sealed record PhaseView(Guid Id, int No, string Name, DateOnly StartDate, DateOnly EndDate, PhaseState State, IReadOnlyList<PhaseTask> Tasks)
{
    public string StateName => State switch { PhaseState.NotStarted => "未开始", PhaseState.Running => "进行中", _ => "已结束" };
    public string Range => $"{StartDate:yyyy年M月d日}至{EndDate:yyyy年M月d日}";
}

public sealed record CampaignDetail(Guid Id, string Title, string DocNumber, string IssuingOrg, DateOnly IssueDate, string GuidingIdeas,
    string Goals, string MainTasks, bool IsDemo, IReadOnlyList<LeadingGroupMember> LeadingGroup, IReadOnlyList<PhaseView> Phases, DateOnly Today)
{
    public Guid? DocumentEvidenceId { get; init; }
    public int Version { get; init; }
    public Guid? FrameworkId { get; init; }
    public string? FrameworkName { get; init; }
    /// <summary>When a newer campaign took over; a closed campaign is read-only history.</summary>
    public DateTime? ClosedUtc { get; init; }
    public bool IsClosed => ClosedUtc is not null;

    public PhaseView? Current => Phases.FirstOrDefault(p => p.State == PhaseState.Running);

    public string CurrentName => Current is { } c ? $"{PhaseName(c)}（进行中）"
        : Phases.All(p => p.State == PhaseState.Ended) ? "各阶段已结束"
        : Phases.FirstOrDefault(p => p.State == PhaseState.NotStarted) is { } next ? $"{PhaseName(next)}将于{next.StartDate:yyyy年M月d日}开始" : "未设阶段";

    public static string PhaseName(PhaseView p) => $"第{ChineseNumber(p.No)}阶段 {p.Name}";

    public static string ChineseNumber(int n) => n is >= 1 and <= 10 ? "一二三四五六七八九十"[n - 1].ToString() : n.ToString();
}

public sealed class UpdatePlan
{
    [System.ComponentModel.DataAnnotations.StringLength(200, ErrorMessage = "标题不能超过200字")]
    public string Title { get; set; } = "";
    [System.ComponentModel.DataAnnotations.StringLength(60, ErrorMessage = "文号不能超过60字")]
    public string DocNumber { get; set; } = "";
    [System.ComponentModel.DataAnnotations.StringLength(100, ErrorMessage = "印发单位不能超过100字")]
    public string IssuingOrg { get; set; } = "";
    public DateOnly IssueDate { get; set; }
    /// <summary>Rich text (HTML); sanitised on save.</summary>
    public string GuidingIdeas { get; set; } = "";
    public string Goals { get; set; } = "";
    public string MainTasks { get; set; } = "";
    public Guid? DocumentEvidenceId { get; set; }
    public List<GroupMemberEdit> LeadingGroup { get; set; } = [];
    public List<PhaseEdit> Phases { get; set; } = [];
    public int Version { get; set; }
}

public sealed class GroupMemberEdit
{
    [System.ComponentModel.DataAnnotations.StringLength(20, ErrorMessage = "领导小组职务不能超过20字")]
    public string Duty { get; set; } = "成员";
    [System.ComponentModel.DataAnnotations.StringLength(30, ErrorMessage = "姓名不能超过30字")]
    public string Name { get; set; } = "";
    [System.ComponentModel.DataAnnotations.StringLength(60, ErrorMessage = "职务/岗位不能超过60字")]
    public string? Post { get; set; }
    [System.ComponentModel.DataAnnotations.StringLength(60, ErrorMessage = "单位不能超过60字")]
    public string? Org { get; set; }
}

public sealed class PhaseEdit
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public List<TaskEdit> Tasks { get; set; } = [];
}

public sealed class TaskEdit
{
    public Guid? Id { get; set; }
    public string Text { get; set; } = "";
}

/// <summary>
/// A new campaign, from scratch or as a copy of an earlier one. A copy carries the plan text, leading group, phases with
/// their tasks (moved so the first phase starts on <see cref="PhasesStart"/>) and framework version unless the request
/// gives its own; everything is editable afterwards.
/// </summary>
public sealed class NewCampaign
{
    public Guid? CopyFromId { get; set; }
    [System.ComponentModel.DataAnnotations.StringLength(200, ErrorMessage = "标题不能超过200字")]
    public string Title { get; set; } = "";
    [System.ComponentModel.DataAnnotations.StringLength(60, ErrorMessage = "文号不能超过60字")]
    public string DocNumber { get; set; } = "";
    [System.ComponentModel.DataAnnotations.StringLength(100, ErrorMessage = "印发单位不能超过100字")]
    public string IssuingOrg { get; set; } = "";
    public DateOnly IssueDate { get; set; }
    /// <summary>Rich text (HTML); a copy keeps the original's when left empty.</summary>
    public string? GuidingIdeas { get; set; }
    public string? Goals { get; set; }
    public string? MainTasks { get; set; }
    /// <summary>A copy's first phase starts here; every phase moves by the same number of days.</summary>
    public DateOnly? PhasesStart { get; set; }
    /// <summary>From scratch: the phases (name, dates, tasks). Ignored for a copy.</summary>
    public List<PhaseEdit> Phases { get; set; } = [];
    /// <summary>From scratch: the leading group. A copy carries the original's when left empty.</summary>
    public List<GroupMemberEdit> LeadingGroup { get; set; } = [];
    /// <summary>The indicator-framework version; empty: the original's (copy) or the newest published one.</summary>
    public Guid? FrameworkId { get; set; }
    /// <summary>Units whose communities take part: the county (all), a township, or a list of townships and communities.</summary>
    public List<Guid> ParticipantUnitIds { get; set; } = [];
}

/// <summary>One campaign's figures for a unit's subtree: 十个一 passed, activities held in its period, communities taking part.</summary>
public sealed record YearFigures(Guid CampaignId, string Label, bool IsClosed, int DeliverablesApproved, int DeliverablesTotal, int Activities,
    int CommunitiesTakingPart, int Communities)
{
    public string Coverage => Communities == 0 ? "—" : $"{CommunitiesTakingPart * 100 / Communities}%";
}

/// <summary>A unit's current campaign beside the one before it.</summary>
public sealed record UnitYears(Guid OrgUnitId, string UnitName, YearFigures Current, YearFigures? Previous);

public sealed record PhaseProgress(int Done, int Total, int Overdue, int Returned);

public sealed record UnitProgressRow(Guid OrgUnitId, string UnitName, string ParentName, IReadOnlyList<PhaseProgress> Phases)
{
    public int Overdue => Phases.Sum(p => p.Overdue);
    public int Done => Phases.Sum(p => p.Done);
    public int Total => Phases.Sum(p => p.Total);
}

public enum TaskState
{
    Locked,
    Open,
    Overdue,
    Done,
    Returned,
}

public sealed record UnitTaskView(Guid TaskId, int PhaseNo, int No, string Text, TaskState State, string? Why, string? Evidence, string? DoneBy,
    DateTime? DoneUtc, string? ReturnReason, string? ReturnedBy)
{
    public string StateName => State switch
    {
        TaskState.Locked => "未开始",
        TaskState.Open => "待完成",
        TaskState.Overdue => "已逾期",
        TaskState.Done => "已完成",
        _ => "已退回",
    };
}

public static class CampaignErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("campaign.denied");
    public static readonly ErrorCode Locked = ErrorCode.Invalid("campaign.locked");
    public static readonly ErrorCode NotParticipating = ErrorCode.Invalid("campaign.not_participating");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("campaign.invalid");
    /// <summary>An earlier campaign is history: it can be read, not changed.</summary>
    public static readonly ErrorCode Closed = ErrorCode.Conflict("campaign.closed");
    public static readonly ErrorCode DuplicateNumber = ErrorCode.Conflict("campaign.duplicate_number");
}

/// <summary>
/// The campaign plan and each unit's way through its phases. A phase's state comes from its dates and today's date
/// in China time, so phases advance by themselves; a task of a phase not yet begun is locked, and says until when.
/// </summary>
public sealed class CampaignService(IDbContextFactory<ShiliuDb> dbs)
{
    public async Task<IReadOnlyList<CampaignRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // The current (open) campaign first, then history, newest first: pages open the first.
        var ids = await db.Campaigns.OrderBy(c => c.ClosedUtc != null).ThenByDescending(c => c.IssueDate).Select(c => c.Id).ToListAsync(ct);
        var rows = new List<CampaignRow>();
        foreach (var id in ids)
        {
            var d = await DetailAsync(db, id, ct);
            rows.Add(new CampaignRow(d.Id, d.Title, d.DocNumber, d.IssueDate, d.CurrentName, await db.CampaignUnits.CountAsync(u => u.CampaignId == id, ct), d.IsClosed));
        }
        return rows;
    }

    public async Task<CampaignDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await DetailAsync(db, id, ct);
    }

    /// <summary>Progress of every participating unit in the caller's subtree: per phase, tasks done, overdue and returned.</summary>
    public async Task<IReadOnlyList<UnitProgressRow>> ProgressAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var detail = await DetailAsync(db, id, ct);
        var units = await db.CampaignUnits.Where(u => u.CampaignId == id)
            .Join(db.OrgUnits, u => u.OrgUnitId, o => o.Id, (u, o) => new { u.Id, o.Name, OrgId = o.Id, o.ParentId, o.Code })
            .OrderBy(u => u.Code).ToListAsync(ct);
        var parentIds = units.Select(u => u.ParentId).Distinct().ToList();
        var parents = await db.OrgUnits.IgnoreQueryFilters().Where(o => parentIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var unitIds = units.Select(u => u.Id).ToList();
        var done = await db.UnitTasksDone.Where(d => unitIds.Contains(d.CampaignUnitId))
            .Select(d => new { d.CampaignUnitId, d.PhaseTaskId, Returned = d.State == TaskDoneState.Returned }).ToListAsync(ct);
        var byUnit = done.ToLookup(d => d.CampaignUnitId);
        return units.Select(u =>
        {
            var mine = byUnit[u.Id].ToDictionary(d => d.PhaseTaskId, d => d.Returned);
            var phases = detail.Phases.Select(p =>
            {
                var doneCount = p.Tasks.Count(t => mine.TryGetValue(t.Id, out var r) && !r);
                var returned = p.Tasks.Count(t => mine.TryGetValue(t.Id, out var r) && r);
                var overdue = p.State == PhaseState.Ended ? p.Tasks.Count - doneCount : 0;
                return new PhaseProgress(doneCount, p.Tasks.Count, overdue, returned);
            }).ToList();
            return new UnitProgressRow(u.OrgId, u.Name, u.ParentId is { } pid ? parents.GetValueOrDefault(pid, "") : "", phases);
        }).ToList();
    }

    /// <summary>One unit's tasks, each with its state and, when it cannot be acted on, why.</summary>
    public async Task<IReadOnlyList<UnitTaskView>> UnitTasksAsync(Guid id, Guid orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var detail = await DetailAsync(db, id, ct);
        var unit = await ParticipantAsync(db, id, orgUnitId, ct);
        var done = await db.UnitTasksDone.Where(d => d.CampaignUnitId == unit.Id && d.State != TaskDoneState.Pending).ToDictionaryAsync(d => d.PhaseTaskId, ct);
        var returns = await PhaseTaskFlow.Definition.LastStepsAsync(db, done.Values.Where(d => d.State == TaskDoneState.Returned).Select(d => d.Id).ToList(), ct);
        return detail.Phases.SelectMany(p => p.Tasks.OrderBy(t => t.No).Select(t =>
        {
            done.TryGetValue(t.Id, out var d);
            var back = d is null ? null : returns.GetValueOrDefault(d.Id);
            var (state, why) = d switch
            {
                { State: TaskDoneState.Returned } => (TaskState.Returned, $"{back?.UserName} 于{(back is null ? "" : ChinaTime.Format(back.TimeUtc))}退回：{back?.Reason}"),
                not null => (TaskState.Done, (string?)null),
                _ when p.State == PhaseState.NotStarted => (TaskState.Locked, $"{CampaignDetail.PhaseName(p)}自{p.StartDate:yyyy年M月d日}开始，届时才能办理"),
                _ when p.State == PhaseState.Ended => (TaskState.Overdue, $"{CampaignDetail.PhaseName(p)}已于{p.EndDate:yyyy年M月d日}结束，此项仍未完成"),
                _ => (TaskState.Open, null),
            };
            return new UnitTaskView(t.Id, p.No, t.No, t.Text, state, why, d?.Evidence, d?.DoneBy, d?.DoneUtc, back?.Reason, back?.UserName);
        })).ToList();
    }

    /// <summary>Marks a task done for a unit, with a note of what shows it (a document, a meeting, a photo in the archive).</summary>
    public async Task MarkDoneAsync(Guid id, Guid orgUnitId, Guid taskId, string evidence, CancellationToken ct = default)
    {
        evidence = Validation.CleanText(evidence ?? "", "完成情况说明");
        if (evidence.Length > 1000) throw RuleViolation.ForField(CampaignErrors.Invalid, "evidence", "完成情况说明不能超过1000字");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, CampaignErrors.Denied, "办理阶段任务");
        var detail = await DetailAsync(db, id, ct);
        await EnsureOpenAsync(db, id, ct);
        var phase = detail.Phases.SingleOrDefault(p => p.Tasks.Any(t => t.Id == taskId)) ?? throw new NotFoundInScope("阶段任务");
        if (phase.State == PhaseState.NotStarted)
            throw new RuleViolation(CampaignErrors.Locked, $"{CampaignDetail.PhaseName(phase)}自{phase.StartDate:yyyy年M月d日}开始，届时才能办理此项任务");
        var unit = await ParticipantAsync(db, id, orgUnitId, ct);
        var row = await db.UnitTasksDone.SingleOrDefaultAsync(d => d.CampaignUnitId == unit.Id && d.PhaseTaskId == taskId, ct);
        if (row is { State: TaskDoneState.Done })
            throw new RuleViolation(WorkflowErrors.State, $"此项已由{row.DoneBy}于{ChinaTime.Format(row.DoneUtc)}标记完成；如需修改，请上级先退回");
        if (row is null)
        {
            row = new UnitTaskDone { CampaignUnitId = unit.Id, PhaseTaskId = taskId, OrgPath = unit.OrgPath };
            db.UnitTasksDone.Add(row);
        }
        row.Evidence = evidence;
        await PhaseTaskFlow.Definition.ApplyAsync(db, row, "complete", ct: ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The level above sends a done task back with a reason, which the unit then sees.</summary>
    public async Task ReturnAsync(Guid id, Guid orgUnitId, Guid taskId, string reason, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, CampaignErrors.Denied, "退回阶段任务");
        var unit = await ParticipantAsync(db, id, orgUnitId, ct);
        await EnsureOpenAsync(db, id, ct);
        var row = await db.UnitTasksDone.SingleOrDefaultAsync(d => d.CampaignUnitId == unit.Id && d.PhaseTaskId == taskId, ct)
            ?? throw new RuleViolation(WorkflowErrors.State, "该任务尚未标记完成，无需退回");
        await PhaseTaskFlow.Definition.ApplyAsync(db, row, "return", reason, ct: ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds the communities under a unit (or the unit itself, if it is a community) as participants.</summary>
    public async Task<int> AddParticipantsAsync(Guid id, Guid orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Manage, CampaignErrors.Denied, "维护创建活动方案");
        if (!await db.Campaigns.AnyAsync(c => c.Id == id, ct)) throw new NotFoundInScope("创建活动");
        await EnsureOpenAsync(db, id, ct);
        var added = await JoinAsync(db, id, [orgUnitId], ct);
        await db.SaveChangesAsync(ct);
        return added;
    }

    /// <summary>Adds the communities under each unit (or the unit itself, if a community) that are not yet taking part, with their ten items.</summary>
    static async Task<int> JoinAsync(ShiliuDb db, Guid id, IReadOnlyCollection<Guid> roots, CancellationToken ct)
    {
        var added = new List<(Guid Id, string Path)>();
        foreach (var rootId in roots.Distinct())
        {
            var root = await db.OrgUnits.SingleOrDefaultAsync(o => o.Id == rootId, ct) ?? throw new NotFoundInScope("单位");
            var joined = db.CampaignUnits;
            var communities = await db.OrgUnits.Under(o => o.Path, root.Path).Where(o => o.Level == OrgLevel.Community && !o.IsDisabled)
                .Where(o => !joined.Any(u => u.CampaignId == id && u.OrgUnitId == o.Id))
                .Select(o => new { o.Id, o.Path }).ToListAsync(ct);
            foreach (var c in communities.Where(c => added.All(a => a.Id != c.Id)))
            {
                db.CampaignUnits.Add(new CampaignUnit { CampaignId = id, OrgUnitId = c.Id, OrgPath = c.Path, AddedUtc = db.UtcNow });
                added.Add((c.Id, c.Path));
            }
        }
        await Deliverables.DeliverableService.EnsureForUnitsAsync(db, id, added, ct);
        return added.Count;
    }

    /// <summary>
    /// The county office starts a campaign, from scratch or by copying an earlier one (a deep copy: new rows throughout,
    /// so editing the new campaign never touches the old). Every earlier campaign becomes read-only history; the new one
    /// starts with its participating units and their ten items not yet begun.
    /// </summary>
    public async Task<Guid> CreateAsync(NewCampaign req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Manage, CampaignErrors.Denied, "新建创建活动");
        var source = req.CopyFromId is { } from
            ? await db.Campaigns.AsNoTracking().Include(x => x.LeadingGroup).Include(x => x.Phases).ThenInclude(p => p.Tasks).AsSplitQuery()
                .SingleOrDefaultAsync(x => x.Id == from, ct) ?? throw new NotFoundInScope("要复制的创建活动")
            : null;
        var c = new Campaign
        {
            Title = Validation.CleanText(req.Title, "标题"), DocNumber = Validation.CleanText(req.DocNumber, "文号"),
            IssuingOrg = Validation.CleanText(req.IssuingOrg, "印发单位"), IssueDate = req.IssueDate, CreatedUtc = db.UtcNow,
        };
        if (req.IssueDate == default) throw RuleViolation.ForField(CampaignErrors.Invalid, "issueDate", "请填写印发日期");
        if (await db.Campaigns.Where(x => x.DocNumber == c.DocNumber).Select(x => x.Title).FirstOrDefaultAsync(ct) is { } taken)
            throw RuleViolation.ForField(CampaignErrors.DuplicateNumber, "docNumber", $"文号“{c.DocNumber}”已由《{taken}》使用");
        c.GuidingIdeas = string.IsNullOrWhiteSpace(req.GuidingIdeas) && source is not null ? source.GuidingIdeas : Rich(req.GuidingIdeas ?? "", "指导思想");
        c.Goals = string.IsNullOrWhiteSpace(req.Goals) && source is not null ? source.Goals : Rich(req.Goals ?? "", "目标任务");
        c.MainTasks = string.IsNullOrWhiteSpace(req.MainTasks) && source is not null ? source.MainTasks : Rich(req.MainTasks ?? "", "主要任务");

        c.LeadingGroup = req.LeadingGroup.Count == 0 && source is not null
            ? source.LeadingGroup.OrderBy(m => m.SortOrder).Select(m => new LeadingGroupMember
                { CampaignId = c.Id, SortOrder = m.SortOrder, Duty = m.Duty, Name = m.Name, Post = m.Post, Org = m.Org }).ToList()
            : Group(c.Id, req.LeadingGroup);

        if (source is not null)
        {
            if (req.PhasesStart is not { } start) throw RuleViolation.ForField(CampaignErrors.Invalid, "phasesStart", "请填写新方案第一阶段的开始日期（各阶段按原间隔顺延，之后可逐一修改）");
            var first = source.Phases.OrderBy(p => p.No).FirstOrDefault();
            var shift = first is null ? 0 : start.DayNumber - first.StartDate.DayNumber;
            c.Phases = source.Phases.OrderBy(p => p.No).Select(p =>
            {
                var phase = new CampaignPhase { CampaignId = c.Id, No = p.No, Name = p.Name, StartDate = p.StartDate.AddDays(shift), EndDate = p.EndDate.AddDays(shift) };
                phase.Tasks = p.Tasks.OrderBy(t => t.No).Select(t => new PhaseTask { PhaseId = phase.Id, No = t.No, Text = t.Text }).ToList();
                return phase;
            }).ToList();
        }
        else
        {
            if (req.Phases.Count == 0) throw RuleViolation.ForField(CampaignErrors.Invalid, "phases", "至少要有一个实施阶段");
            CheckPhaseDates(req.Phases);
            c.Phases = req.Phases.Select((p, i) =>
            {
                var phase = new CampaignPhase { CampaignId = c.Id, No = i + 1, Name = PhaseName(p.Name), StartDate = p.StartDate, EndDate = p.EndDate };
                phase.Tasks = p.Tasks.Select((t, j) => new PhaseTask { PhaseId = phase.Id, No = j + 1, Text = TaskText(t.Text) }).ToList();
                return phase;
            }).ToList();
        }

        c.FrameworkId = req.FrameworkId ?? source?.FrameworkId
            ?? await db.IndicatorFrameworks.Where(f => f.Status == Indicators.FrameworkStatus.Published).OrderByDescending(f => f.VersionNo).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        if (req.FrameworkId is { } fw && !await db.IndicatorFrameworks.AnyAsync(f => f.Id == fw && f.Status == Indicators.FrameworkStatus.Published, ct))
            throw RuleViolation.ForField(CampaignErrors.Invalid, "frameworkId", "测评指标须选已发布的版本");
        if (req.ParticipantUnitIds.Count == 0) throw RuleViolation.ForField(CampaignErrors.Invalid, "participantUnitIds", "请选择参加单位（全县、某个乡镇或若干单位）");

        foreach (var earlier in await db.Campaigns.Where(x => x.ClosedUtc == null).ToListAsync(ct)) earlier.ClosedUtc = db.UtcNow;
        db.Campaigns.Add(c);
        var joined = await JoinAsync(db, c.Id, req.ParticipantUnitIds, ct);
        db.Audit(Auditing.AuditEvents.Create, source is null
            ? $"新建创建活动《{c.Title}》（{c.DocNumber}），{c.Phases.Count} 个阶段，参加单位 {joined} 个"
            : $"复制《{source.Title}》新建创建活动《{c.Title}》（{c.DocNumber}），阶段顺延 {c.Phases.Count} 个，参加单位 {joined} 个", nameof(Campaign), c.Id.ToString());
        await db.SaveChangesAsync(ct);
        return c.Id;
    }

    /// <summary>A unit's figures in the current campaign and the one before it, side by side (十个一 passed, activities, coverage).</summary>
    public async Task<UnitYears> CompareYearsAsync(Guid orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgUnitId, ct) ?? throw new NotFoundInScope("单位");
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.ClosedUtc != null).ThenByDescending(c => c.IssueDate)
            .Select(c => new { c.Id, c.DocNumber, c.IssueDate, c.ClosedUtc }).Take(2).ToListAsync(ct);
        if (campaigns.Count == 0) throw new NotFoundInScope("创建活动");
        var communities = await db.OrgUnits.Under(o => o.Path, unit.Path).CountAsync(o => o.Level == OrgLevel.Community && !o.IsDisabled, ct);
        async Task<YearFigures> FiguresAsync(Guid id, string label, bool closed)
        {
            var items = db.Deliverables.Where(d => d.CampaignId == id).Under(d => d.OrgPath, unit.Path);
            var (from, to) = await PeriodAsync(db, id, ct);
            return new YearFigures(id, label, closed,
                await items.CountAsync(d => d.Status == Deliverables.DeliverableStatus.Approved, ct), await items.CountAsync(ct),
                await db.Activities.Under(a => a.OrgPath, unit.Path).CountAsync(a => a.Date >= from && a.Date <= to, ct),
                await db.CampaignUnits.Where(u => u.CampaignId == id).Under(u => u.OrgPath, unit.Path).CountAsync(ct), communities);
        }
        var figures = new List<YearFigures>();
        foreach (var c in campaigns) figures.Add(await FiguresAsync(c.Id, $"{c.IssueDate.Year}年 {c.DocNumber}", c.ClosedUtc is not null));
        return new UnitYears(unit.Id, unit.Name, figures[0], figures.ElementAtOrDefault(1));
    }

    /// <summary>The campaign's period, from its first phase's start to its last phase's end: what "of this campaign" means for dated records.</summary>
    public static async Task<(DateOnly From, DateOnly To)> PeriodAsync(ShiliuDb db, Guid campaignId, CancellationToken ct)
    {
        var phases = await db.Campaigns.Where(c => c.Id == campaignId).SelectMany(c => c.Phases).Select(p => new { p.StartDate, p.EndDate }).ToListAsync(ct);
        if (phases.Count == 0) throw new NotFoundInScope("创建活动");
        return (phases.Min(p => p.StartDate), phases.Max(p => p.EndDate));
    }

    /// <summary>Refuses a change to a campaign that a newer one has taken over, saying which one is current.</summary>
    public static async Task EnsureOpenAsync(ShiliuDb db, Guid campaignId, CancellationToken ct)
    {
        var c = await db.Campaigns.Where(x => x.Id == campaignId).Select(x => new { x.Title, x.ClosedUtc }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundInScope("创建活动");
        if (c.ClosedUtc is not { } closed) return;
        var current = await db.Campaigns.Where(x => x.ClosedUtc == null).Select(x => x.Title).FirstOrDefaultAsync(ct);
        throw new RuleViolation(CampaignErrors.Closed,
            $"《{c.Title}》已于{ChinaTime.FormatDate(closed)}转为历史存档，只能查看，不能修改{(current is null ? "" : $"；请在当前创建活动《{current}》中办理")}");
    }

    static string PhaseName(string name)
    {
        var clean = Validation.CleanText(name, "阶段名称");
        return clean.Length <= 60 ? clean : throw RuleViolation.ForField(CampaignErrors.Invalid, "phases", $"阶段名称“{clean[..20]}…”超过60字");
    }

    static string TaskText(string text)
    {
        var clean = Validation.CleanText(text, "任务内容");
        return clean.Length <= 500 ? clean : throw RuleViolation.ForField(CampaignErrors.Invalid, "text", "每项任务不能超过500字");
    }

    /// <summary>Phases follow one another: each ends after it starts and starts after the one before has ended.</summary>
    static void CheckPhaseDates(IEnumerable<PhaseEdit> phases)
    {
        DateOnly? previousEnd = null;
        foreach (var p in phases)
        {
            var name = PhaseName(p.Name);
            if (p.StartDate == default || p.EndDate == default) throw RuleViolation.ForField(CampaignErrors.Invalid, "phases", $"请填写“{name}”的起止日期");
            if (p.EndDate < p.StartDate) throw new RuleViolation(CampaignErrors.Invalid, $"“{name}”的结束日期早于开始日期");
            if (previousEnd is { } pe && p.StartDate <= pe) throw new RuleViolation(CampaignErrors.Invalid, $"“{name}”须在上一阶段结束（{pe:yyyy年M月d日}）之后开始");
            previousEnd = p.EndDate;
        }
    }

    static List<LeadingGroupMember> Group(Guid campaignId, List<GroupMemberEdit> members)
    {
        if (members.Count == 0) throw RuleViolation.ForField(CampaignErrors.Invalid, "leadingGroup", "领导小组至少要有一名组长");
        foreach (var m in members) Validation.Check(m);
        var group = members.Select((m, i) => new LeadingGroupMember
        {
            CampaignId = campaignId, SortOrder = i, Duty = Validation.CleanText(m.Duty, "领导小组职务"), Name = Validation.CleanText(m.Name, "领导小组成员姓名"),
            Post = string.IsNullOrWhiteSpace(m.Post) ? "" : Validation.CleanText(m.Post, "职务/岗位"), Org = string.IsNullOrWhiteSpace(m.Org) ? "" : Validation.CleanText(m.Org, "单位"),
        }).ToList();
        if (!group.Any(m => m.Duty == "组长")) throw RuleViolation.ForField(CampaignErrors.Invalid, "leadingGroup", "领导小组至少要有一名组长");
        return group;
    }

    /// <summary>
    /// The county office edits the plan: its text (rich text, sanitised), the leading group, and the phases' names, dates
    /// and tasks. A task some unit has already recorded as done cannot be removed, and phases must follow one another.
    /// </summary>
    public async Task UpdatePlanAsync(Guid id, UpdatePlan req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Manage, CampaignErrors.Denied, "维护创建活动方案");
        var c = await db.Campaigns.Include(x => x.LeadingGroup).Include(x => x.Phases).ThenInclude(p => p.Tasks).AsSplitQuery()
            .SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("创建活动");
        await EnsureOpenAsync(db, id, ct);
        db.Entry(c).Property(x => x.Version).OriginalValue = req.Version;
        var changes = new List<string>();
        void Set<T>(string name, T current, T value, Action<T> apply)
        {
            if (EqualityComparer<T>.Default.Equals(current, value)) return;
            apply(value);
            changes.Add(name);
        }
        Set("标题", c.Title, Validation.CleanText(req.Title, "标题"), v => c.Title = v);
        Set("文号", c.DocNumber, Validation.CleanText(req.DocNumber, "文号"), v => c.DocNumber = v);
        Set("印发单位", c.IssuingOrg, Validation.CleanText(req.IssuingOrg, "印发单位"), v => c.IssuingOrg = v);
        Set("印发日期", c.IssueDate, req.IssueDate, v => c.IssueDate = v);
        Set("指导思想", c.GuidingIdeas, Rich(req.GuidingIdeas, "指导思想"), v => c.GuidingIdeas = v);
        Set("目标任务", c.Goals, Rich(req.Goals, "目标任务"), v => c.Goals = v);
        Set("主要任务", c.MainTasks, Rich(req.MainTasks, "主要任务"), v => c.MainTasks = v);
        if (req.DocumentEvidenceId is { } doc && doc != c.DocumentEvidenceId)
        {
            if (!await db.Evidence.AnyAsync(e => e.Id == doc && e.DeletedUtc == null, ct)) throw new NotFoundInScope("方案原件");
            c.DocumentEvidenceId = doc;
            changes.Add("原件");
        }

        var group = Group(c.Id, req.LeadingGroup);
        if (group.Select(m => (m.Duty, m.Name, m.Post, m.Org)).SequenceEqual(c.LeadingGroup.OrderBy(m => m.SortOrder).Select(m => (m.Duty, m.Name, m.Post, m.Org))) is false)
        {
            db.RemoveRange(c.LeadingGroup);
            c.LeadingGroup = group;
            db.AddRange(group);
            changes.Add("领导小组");
        }

        var phases = c.Phases.ToDictionary(p => p.Id);
        if (req.Phases.Count != phases.Count || req.Phases.Any(p => !phases.ContainsKey(p.Id)))
            throw new RuleViolation(CampaignErrors.Invalid, "阶段只能修改，不能增删（方案印发后阶段数不变）");
        CheckPhaseDates(req.Phases);
        foreach (var (p, i) in req.Phases.Select((p, i) => (p, i)))
        {
            var name = PhaseName(p.Name);
            var phase = phases[p.Id];
            Set($"第{i + 1}阶段", (phase.Name, phase.StartDate, phase.EndDate), (name, p.StartDate, p.EndDate), v => (phase.Name, phase.StartDate, phase.EndDate) = v);
            phase.No = i + 1;
            var keep = p.Tasks.Where(t => t.Id is not null).Select(t => t.Id!.Value).ToHashSet();
            var removed = phase.Tasks.Where(t => !keep.Contains(t.Id)).ToList();
            if (removed.Count > 0)
            {
                var removedIds = removed.Select(t => t.Id).ToList();
                var used = await db.UnitTasksDone.IgnoreQueryFilters().Where(d => removedIds.Contains(d.PhaseTaskId)).GroupBy(d => d.PhaseTaskId)
                    .Select(g => new { g.Key, Count = g.Count() }).FirstOrDefaultAsync(ct);
                if (used is not null)
                    throw new RuleViolation(CampaignErrors.Invalid, $"任务“{removed.First(t => t.Id == used.Key).Text}”已有 {used.Count} 个单位登记完成，不能删除，可修改其文字");
                db.RemoveRange(removed);
                changes.Add($"删除第{i + 1}阶段任务 {removed.Count} 项");
            }
            var no = 0;
            foreach (var t in p.Tasks)
            {
                var text = TaskText(t.Text);
                if (t.Id is { } tid)
                {
                    var task = phase.Tasks.SingleOrDefault(x => x.Id == tid) ?? throw new NotFoundInScope("阶段任务");
                    if (task.Text != text) changes.Add($"第{i + 1}阶段任务{no + 1}");
                    task.Text = text;
                    task.No = ++no;
                }
                else
                {
                    db.Add(new PhaseTask { PhaseId = phase.Id, No = ++no, Text = text });
                    changes.Add($"新增第{i + 1}阶段任务");
                }
            }
        }
        if (changes.Count == 0) return;
        // The campaign row itself changes (version bump) even when only its children did, so concurrent edits conflict.
        db.Entry(c).Property(x => x.UpdatedUtc).IsModified = true;
        db.Audit(Auditing.AuditEvents.Update, $"修改创建活动方案《{c.Title}》：{string.Join("、", changes.Distinct())}", nameof(Campaign), c.Id.ToString());
        await db.SaveOrConflictAsync(c, ct);
    }

    static string Rich(string html, string field, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(html))] string? source = null)
    {
        var clean = RichText.Sanitize(html);
        if (RichText.ToPlainText(clean).Length == 0) throw Validation.Refuse(source, $"{field}不能为空", CampaignErrors.Invalid);
        if (clean.Length > 10_000) throw Validation.Refuse(source, $"{field}过长（不能超过1万字符）", CampaignErrors.Invalid);
        return clean;
    }

    async Task<CampaignUnit> ParticipantAsync(ShiliuDb db, Guid id, Guid orgUnitId, CancellationToken ct) =>
        await db.CampaignUnits.SingleOrDefaultAsync(u => u.CampaignId == id && u.OrgUnitId == orgUnitId, ct)
        ?? throw new NotFoundInScope("参加创建的单位");

    static async Task<CampaignDetail> DetailAsync(ShiliuDb db, Guid id, CancellationToken ct)
    {
        var c = await db.Campaigns.AsNoTracking().Include(x => x.LeadingGroup).Include(x => x.Phases).ThenInclude(p => p.Tasks)
            .AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("创建活动");
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var framework = c.FrameworkId is { } fid
            ? await db.IndicatorFrameworks.Where(f => f.Id == fid).Select(f => $"{f.Name}（第 {f.VersionNo} 版）").FirstOrDefaultAsync(ct)
            : null;
        var phases = c.Phases.OrderBy(p => p.No).Select(p => new PhaseView(p.Id, p.No, p.Name, p.StartDate, p.EndDate,
            today < p.StartDate ? PhaseState.NotStarted : today > p.EndDate ? PhaseState.Ended : PhaseState.Running,
            p.Tasks.OrderBy(t => t.No).ToList())).ToList();
        return new CampaignDetail(c.Id, c.Title, c.DocNumber, c.IssuingOrg, c.IssueDate, c.GuidingIdeas, c.Goals, c.MainTasks, c.IsDemo,
            c.LeadingGroup.OrderBy(m => m.SortOrder).ToList(), phases, today) {
            DocumentEvidenceId = c.DocumentEvidenceId, Version = c.Version, FrameworkId = c.FrameworkId, FrameworkName = framework, ClosedUtc = c.ClosedUtc,
        };
    }

}

/// <summary>Seeds the plan document of the seed (新民发〔2019〕2号) with its four phases, leading group and office.</summary>
public static class CampaignSeed
{
    public static async Task<Campaign?> SeedAsync(ShiliuDb db, Stream json, CancellationToken ct)
    {
        using var doc = await System.Text.Json.JsonDocument.ParseAsync(json, cancellationToken: ct);
        var r = doc.RootElement;
        var number = r.GetProperty("docNumber").GetString()!;
        if (await db.Campaigns.AnyAsync(c => c.DocNumber == number, ct)) return null;
        var c = new Campaign
        {
            Title = r.GetProperty("title").GetString()!, DocNumber = number, IssuingOrg = r.GetProperty("issuingOrg").GetString()!,
            IssueDate = DateOnly.Parse(r.GetProperty("issueDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            GuidingIdeas = RichText.FromPlainText(r.GetProperty("guidingIdeas").GetString()!), Goals = RichText.FromPlainText(r.GetProperty("goals").GetString()!),
            MainTasks = RichText.FromPlainText(r.GetProperty("mainTasks").GetString()!), CreatedUtc = db.UtcNow,
            // The seed's annex is the framework's first version (seeded just before).
            FrameworkId = await db.IndicatorFrameworks.OrderBy(f => f.VersionNo).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct),
        };
        c.LeadingGroup = r.GetProperty("leadingGroup").EnumerateArray().Select((m, i) => new LeadingGroupMember
        {
            CampaignId = c.Id, Duty = m.GetProperty("duty").GetString()!, Name = m.GetProperty("name").GetString()!,
            Post = m.GetProperty("post").GetString()!, Org = m.GetProperty("org").GetString()!, SortOrder = i,
        }).ToList();
        c.Phases = r.GetProperty("phases").EnumerateArray().Select((p, i) =>
        {
            var phase = new CampaignPhase
            {
                CampaignId = c.Id, No = i + 1, Name = p.GetProperty("name").GetString()!,
                StartDate = DateOnly.Parse(p.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                EndDate = DateOnly.Parse(p.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            };
            phase.Tasks = p.GetProperty("tasks").EnumerateArray().Select((t, j) => new PhaseTask { PhaseId = phase.Id, No = j + 1, Text = t.GetString()! }).ToList();
            return phase;
        }).ToList();
        db.Campaigns.Add(c);
        await db.SaveChangesAsync(ct);
        return c;
    }
}
