using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Exports;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Residents;

namespace Shiliu.Core.ServiceCases;

public sealed class CreateServiceCase
{
    public Guid TypeId { get; set; }

    [EnumDataType(typeof(ServiceSource), ErrorMessage = "请选择事项来源")]
    public ServiceSource Source { get; set; } = ServiceSource.Window;

    /// <summary>The unit that handles it; the caller's own unit (a grid's community) when empty.</summary>
    public Guid? OrgUnitId { get; set; }

    public Guid? ResidentId { get; set; }

    [StringLength(50, ErrorMessage = "服务对象姓名不能超过50字")]
    public string? PersonName { get; set; }

    [StringLength(20, ErrorMessage = "联系电话不能超过20字")]
    public string? Phone { get; set; }

    [Required(ErrorMessage = "请填写事项概要"), StringLength(60, ErrorMessage = "事项概要不能超过60字")]
    public string Title { get; set; } = "";

    [Required(ErrorMessage = "请填写群众诉求"), StringLength(2000, ErrorMessage = "群众诉求不能超过2000字")]
    public string Request { get; set; } = "";

    /// <summary>The visit whose finding this case takes up (走访发现).</summary>
    public Guid? VisitId { get; set; }
}

/// <summary>A step on a case: the reason or result it needs, the version seen, the receiving unit of a 转办, the 回访 answer.</summary>
public sealed record ServiceStep(string? Reason, int Version, Guid? ToUnitId = null, Satisfaction? Satisfaction = null);

public sealed record ServiceCaseQuery
{
    public ServiceCaseStatus? Status { get; set; }
    public Guid? TypeId { get; set; }
    /// <summary>Only open cases past their deadline.</summary>
    public bool? Overdue { get; set; }
    /// <summary>Only cases still running (受理、办理中、转办中).</summary>
    public bool? Open { get; set; }
    /// <summary>Only cases offered to the caller's unit and not yet accepted.</summary>
    public bool? Incoming { get; set; }
    public Guid? OrgUnitId { get; set; }
    public Guid? VisitId { get; set; }
    /// <summary>Number or 概要 contains.</summary>
    public string? Text { get; set; }
    /// <summary>
    /// Received (受理) from this China day on; with a period, the list counts as the figures do: the cases the unit holds,
    /// by the day they were received (not those only offered to it).
    /// </summary>
    public DateOnly? From { get; set; }
    /// <summary>Received up to and including this China day.</summary>
    public DateOnly? To { get; set; }
    /// <summary>Only cases closed (办结) — of those received in the period when one is given, as the figures count them.</summary>
    public bool? Closed { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

/// <summary>
/// What the 服务台账 covers and why it is taken (names of people are in it: the purpose goes on the sheet and into the audit).
/// The list's other filters, a drill-down's among them, select the same cases here as on the list.
/// </summary>
public sealed record ServiceLedgerRequest(Guid? OrgUnitId, ServiceCaseStatus? Status, Guid? TypeId, bool? Overdue, string? Purpose)
{
    /// <summary>Only cases still running (受理、办理中、转办中).</summary>
    public bool? Open { get; init; }
    /// <summary>Only cases offered to the caller's unit and not yet accepted.</summary>
    public bool? Incoming { get; init; }
    /// <summary>Received from this China day on (the cases the unit holds, as the period's figures count them).</summary>
    public DateOnly? From { get; init; }
    /// <summary>Received up to and including this China day.</summary>
    public DateOnly? To { get; init; }
    /// <summary>Only cases closed (办结).</summary>
    public bool? Closed { get; init; }
    /// <summary>Number or 概要 contains.</summary>
    public string? Text { get; init; }
}

public sealed record ServiceCaseRow(Guid Id, string Number, string TypeName, string SourceName, string UnitName, string? WaitingUnitName, string Title,
    string? PersonName, string? PhoneMasked, ServiceCaseStatus Status, DateTime AcceptedUtc, DateTime? DueUtc, bool Overdue, int ReopenCount)
{
    public string StatusName => ServiceCaseFlow.StatusName(Status);
}

/// <summary>Who held the case how long: a unit, or a unit it waited for (待接收).</summary>
public sealed record HoldingRow(string UnitName, bool Waiting, DateTime FromUtc, DateTime? ToUtc, string Duration);

public sealed record StepChoice(string Action, string Verb, bool NeedsReason, string ReasonLabel);

public sealed record LinkedActivity(Guid Id, string Title, DateOnly Date, string Place);

public sealed record ServiceCaseDetail(Guid Id, string Number, Guid TypeId, string TypeName, bool LegalAid, ServiceSource Source, Guid OrgUnitId, string UnitName,
    Guid? HandoverToUnitId, string? WaitingUnitName, Guid? ResidentId, string? PersonName, string? PhoneMasked, string Title, string Request,
    ServiceCaseStatus Status, int TimeLimitDays, bool NeedsRevisit, DateTime AcceptedUtc, string ClockState, DateTime? DueUtc, string UsedText,
    DateTime? ClosedUtc, bool? ClosedOnTime, string? Result, Satisfaction? Satisfaction, string? RevisitComment, int ReopenCount,
    Guid? VisitId, string? VisitText, CaseRef? SourceCase, string? SentBackReason, string CreatedBy, int Version,
    IReadOnlyList<HoldingRow> Holdings, IReadOnlyList<StepRow> History, IReadOnlyList<LinkedActivity> Activities, IReadOnlyList<StepChoice> Steps)
{
    public string StatusName => ServiceCaseFlow.StatusName(Status);
    public string SourceName => ServiceCaseFlow.SourceName(Source);
    public string SatisfactionName => ServiceCaseFlow.SatisfactionName(Satisfaction);
}

/// <summary>
/// 服务事项: a unit receives what a resident asks (受理, the clock starts), handles it, may pause it while waiting for the
/// resident (挂起), hand it to another unit (转办: the receiver accepts or returns it with a reason), closes it with the
/// result (办结), asks the resident (回访: 不满意 reopens it once, 重办) and files it (归档).
/// </summary>
public sealed class ServiceCaseService(IDbContextFactory<ShiliuDb> dbs, CalendarCache calendars, PersonalData pii, ExportService exports)
{
    internal static readonly ServiceCaseStatus[] Running = [ServiceCaseStatus.Accepted, ServiceCaseStatus.InProgress, ServiceCaseStatus.Offered];
    static readonly Workflow<ServiceCase, ServiceCaseStatus> Flow = ServiceCaseFlow.Definition;

    public async Task<Paged<ServiceCaseRow>> ListAsync(ServiceCaseQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.View, ServiceCaseErrors.Denied, "查看服务事项");
        var (page, size) = Paged<ServiceCaseRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20, 100);
        var items = await FilterAsync(db, q, ct);
        // The county's newest cases are the newest of all: walk the date index and stop at the page. SQLite (no STAT4)
        // would read the whole county through the scope's path ranges and sort it (docs/benchmarks.md).
        if (q is { OrgUnitId: null, Status: null, TypeId: null, VisitId: null, Overdue: not true, Incoming: not true, Open: not true } && string.IsNullOrWhiteSpace(q.Text)
            && await CountyWideAsync(db, ct))
            items = items.PreferIndexOnSqlite("ServiceCases", "IX_ServiceCases_Recent");
        // Counted up to the cap like every long list; the figures page has the exact numbers.
        var total = await items.Take(Paged<ServiceCaseRow>.CountCap + 1).CountAsync(ct);
        // Sort the ids alone (the indexes hold them), then read the page's rows: sorting a county's whole rows cost 10×.
        var ids = await items.OrderByDescending(c => c.AcceptedUtc).ThenByDescending(c => c.Id).Skip((page - 1) * size).Take(size).Select(c => c.Id).ToListAsync(ct);
        var cases = (await db.ServiceCases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(ct)).OrderBy(c => ids.IndexOf(c.Id)).ToList();
        return Paged<ServiceCaseRow>.Capped(await RowsAsync(db, cases, ct), total, page, size);
    }

    static async Task<bool> CountyWideAsync(ShiliuDb db, CancellationToken ct) =>
        db.Caller.IsSystem || (db.Caller.OrgPath is { } own && await db.OrgUnits.AnyAsync(o => o.Path == own && o.Level == OrgLevel.County, ct));

    /// <summary>The cases a unit's subtree holds or is offered (what the list shows for the unit, and the dashboard counts).</summary>
    internal static IQueryable<ServiceCase> Under(IQueryable<ServiceCase> items, string path) => items.Under(c => c.OrgPath, path, orElse: c => c.HandoverToPath);

    async Task<IQueryable<ServiceCase>> FilterAsync(ShiliuDb db, ServiceCaseQuery q, CancellationToken ct)
    {
        var items = db.ServiceCases.AsNoTracking();
        var path = q.OrgUnitId is { } u ? await db.UnitPathAsync(u, ct) : null;
        if (path is not null) items = Under(items, path);
        if (q.From is { } since && q.To is { } until && since > until) throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "to", "结束日期不能早于开始日期");
        if (q.From is not null || q.To is not null)
        {
            // The period's figures (期间受理, 期间办结) count the cases a unit holds, by the China day they were received.
            if (path is not null) items = items.Under(c => c.OrgPath, path);
            items = ServiceTally.Received(items, q.From, q.To?.AddDays(1));
        }
        if (q.Closed == true) items = items.Where(c => c.ClosedUtc != null);
        if (q.Open == true) items = items.Where(c => Running.Contains(c.Status));
        if (q.Status is { } s) items = items.Where(c => c.Status == s);
        if (q.TypeId is { } t) items = items.Where(c => c.TypeId == t);
        if (q.VisitId is { } v) items = items.Where(c => c.VisitId == v);
        if (q.Overdue == true)
        {
            var now = db.UtcNow;
            // The overdue index holds a county's few overdue cases; SQLite would otherwise read every case through the scope's
            // path ranges (512 ms against 2 ms at 10^5 cases, docs/benchmarks.md).
            items = items.Where(c => Running.Contains(c.Status) && c.DueUtc < now).PreferIndexOnSqlite("ServiceCases", "IX_ServiceCases_Overdue");
        }
        if (q.Incoming == true)
        {
            items = items.Where(c => c.HandoverToPath != null).Under(c => c.HandoverToPath!, db.Caller.ScopePrefix);
        }
        if (Validation.Filter(q.Text, "查找内容", 60) is { } text) items = items.Where(c => c.Number.Contains(text) || c.Title.Contains(text));
        return items;
    }

    async Task<IReadOnlyList<ServiceCaseRow>> RowsAsync(ShiliuDb db, List<ServiceCase> cases, CancellationToken ct)
    {
        var units = await db.UnitNamesAsync(cases.Select(c => c.OrgUnitId).Concat(cases.Where(c => c.HandoverToUnitId != null).Select(c => c.HandoverToUnitId!.Value)), ct);
        var types = await TypeNamesAsync(db, ct);
        var now = db.UtcNow;
        return cases.Select(c => new ServiceCaseRow(c.Id, c.Number, types.GetValueOrDefault(c.TypeId, ""), ServiceCaseFlow.SourceName(c.Source), units[c.OrgUnitId],
            c.HandoverToUnitId is { } to ? units[to] : null, c.Title, c.PersonName, c.PhoneMasked, c.Status, c.AcceptedUtc, c.DueUtc,
            Running.Contains(c.Status) && c.DueUtc < now, c.ReopenCount)).ToList();
    }

    static Task<Dictionary<Guid, string>> TypeNamesAsync(ShiliuDb db, CancellationToken ct) => db.ServiceTypes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);

    public async Task<ServiceCaseDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.View, ServiceCaseErrors.Denied, "查看服务事项");
        var c = await db.ServiceCases.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("服务事项");
        var cal = await calendars.GetAsync(dbs, ct);
        var type = await db.ServiceTypes.AsNoTracking().SingleAsync(t => t.Id == c.TypeId, ct);
        var steps = (await Handover.StepsAsync(db, ServiceCaseFlow.Name, [c.Id], ct))[c.Id].ToList();
        var now = db.UtcNow;
        var clock = Handover.Clock(cal, Limit(c), c.AcceptedUtc, steps, ServiceCaseFlow.Pausing, now);
        var first = steps.FirstOrDefault()?.OrgPath ?? c.OrgPath;
        var spans = Handover.Holdings(cal, first, c.AcceptedUtc, steps, c.Status is ServiceCaseStatus.Archived && steps.Count > 0 ? steps[^1].TimeUtc : now);
        // Unit names of every path the case passed through, read past the scope: a case's past holders are part of its story.
        var paths = spans.Select(s => s.OrgPath).Distinct().ToList();
        var names = await db.OrgUnits.IgnoreQueryFilters().Where(o => paths.Contains(o.Path)).ToDictionaryAsync(o => o.Path, o => o.Name, ct);
        var holdings = spans.Select(s => new HoldingRow(names.GetValueOrDefault(s.OrgPath, "（已撤销的单位）"), s.Waiting, s.FromUtc, s.ToUtc,
            Duration(s.OfficeMinutes, cal.Hours.MinutesPerDay))).ToList();
        var units = await db.UnitNamesAsync([c.OrgUnitId, .. c.HandoverToUnitId is { } h ? new[] { h } : []], ct);
        var history = await Flow.HistoryAsync(db, c.Id, ct);
        var sentBack = history.LastOrDefault(s => s.Action == "send-back" && c.Status == ServiceCaseStatus.InProgress)?.Reason;
        if (history.Count > 0 && history[^1].Action != "send-back") sentBack = null;
        var activities = await (from l in db.ServiceCaseActivities.AsNoTracking()
                                join a in db.Activities.IgnoreQueryFilters().AsNoTracking() on l.ActivityId equals a.Id
                                where l.CaseId == c.Id
                                orderby a.Date descending
                                select new LinkedActivity(a.Id, a.Title, a.Date, a.Place)).ToListAsync(ct);
        string? visitText = null;
        if (c.VisitId is { } vid)
        {
            // The visit stays with the resident's unit; after a 转办 the holder still reads when and by whom it was found.
            var v = await db.Visits.IgnoreQueryFilters().AsNoTracking().Where(x => x.Id == vid).Select(x => new { x.VisitDate, x.Visitor }).FirstOrDefaultAsync(ct);
            visitText = v is null ? null : $"{v.VisitDate:yyyy年M月d日} {v.Visitor}走访";
        }
        CaseRef? source = c.SourceKind is { } kind && c.SourceId is { } sid
            ? new CaseRef(kind, sid, c.SourceNumber ?? "", c.SourceTitle ?? "", c.SourceLink ?? "")
            : null;
        var tracked = c;
        var choices = Flow.Available(tracked, db.Caller).Where(s => Offered(s.Action, c))
            .Select(s => new StepChoice(s.Action, s.Verb, s.Reason == ReasonRule.Required, s.ReasonLabel)).ToList();
        return new ServiceCaseDetail(c.Id, c.Number, c.TypeId, type.Name, type.LegalAid, c.Source, c.OrgUnitId, units[c.OrgUnitId], c.HandoverToUnitId,
            c.HandoverToUnitId is { } w ? units[w] : null, c.ResidentId, c.PersonName, c.PhoneMasked, c.Title, c.Request, c.Status, c.TimeLimitDays,
            c.NeedsRevisit, c.AcceptedUtc, clock.StateName, clock.DueUtc, Duration(clock.UsedMinutes, cal.Hours.MinutesPerDay), c.ClosedUtc, c.ClosedOnTime,
            c.Result, c.Satisfaction, c.RevisitComment, c.ReopenCount, c.VisitId, visitText, source, sentBack, c.CreatedBy, c.Version, holdings, history,
            activities, choices);
    }

    /// <summary>The steps a page offers: 受理 happens on entry, 重办 is what a 不满意 回访 does, 回访 only where the type has one.</summary>
    static bool Offered(string action, ServiceCase c) => action switch
    {
        "accept" or "reopen" => false,
        "revisit" => c.NeedsRevisit,
        "archive" => !(c.NeedsRevisit && c.Status == ServiceCaseStatus.Closed),
        _ => true,
    };

    static string Duration(long minutes, int perDay)
    {
        var days = minutes / perDay;
        var hours = (minutes % perDay) / 60.0;
        return days > 0 ? $"{days}个工作日{(hours >= 0.1 ? $"{hours:0.#}小时" : "")}" : $"{hours:0.#}小时";
    }

    static TimeLimit Limit(ServiceCase c) => new(c.TimeLimitDays, ClockUnit.WorkingDays);

    public async Task<Guid> CreateAsync(CreateServiceCase req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var made = await dbs.CreateNumberedAsync(async db =>
        {
            db.Caller.Require(ServiceCasePermissions.Manage, ServiceCaseErrors.Denied, "受理服务事项");
            var unitId = req.OrgUnitId ?? await OwnServiceUnitAsync(db, ct);
            return await OpenAsync(db, req, unitId, ct);
        }, (db, c) => db.ServiceCases.IgnoreQueryFilters().AnyAsync(x => x.Number == c.Number, ct), ct);
        return made.Id;
    }

    /// <summary>A grid is not a service unit: its worker's cases go to the community above it.</summary>
    static async Task<Guid> OwnServiceUnitAsync(ShiliuDb db, CancellationToken ct)
    {
        var own = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
        if (own.Level != Organizations.OrgLevel.Grid || own.ParentId is not { } parent) return own.Id;
        return parent;
    }

    /// <summary>
    /// Adds a new case to <paramref name="db"/> (checks, number, the 受理 step, the clock) without saving: the one way a case
    /// is opened, from a form, a visit or another module's record.
    /// </summary>
    internal async Task<ServiceCase> OpenAsync(ShiliuDb db, CreateServiceCase req, Guid unitId, CancellationToken ct, CaseRef? from = null)
    {
        // A grid is inside its community's subtree; its community is above it and not in the grid worker's scope: read unfiltered, check the relation.
        var unit = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(o => o.Id == unitId && !o.IsDisabled, ct);
        var ownPath = db.Caller.OrgPath ?? "\u0001";
        if (unit is null || !(db.Caller.InScope(unit.Path) || (db.Caller.IsInRole(Roles.GridWorker) && ownPath.StartsWith(unit.Path) && unit.Level == Organizations.OrgLevel.Community)))
            throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "orgUnitId", "办理单位不存在或不在您的管辖范围内");
        var type = await db.ServiceTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Id == req.TypeId, ct);
        if (type is null || !type.IsActive) throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "typeId", "请选择有效的事项类型");
        var c = new ServiceCase
        {
            TypeId = type.Id, Source = req.Source, OrgUnitId = unit.Id, OrgPath = unit.Path, Title = Validation.CleanText(req.Title, "事项概要"),
            Request = EvidenceService.CleanMultiline(req.Request, "群众诉求"), TimeLimitDays = type.TimeLimitDays, NeedsRevisit = type.NeedsRevisit,
            CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow, AcceptedUtc = db.UtcNow,
            SourceKind = from?.Kind, SourceId = from?.Id, SourceNumber = from?.Number, SourceTitle = from?.Title is { } st ? st[..Math.Min(st.Length, 200)] : null,
            SourceLink = from?.Link,
        };
        if (req.VisitId is { } visitId)
        {
            var visit = await db.Visits.AsNoTracking().SingleOrDefaultAsync(v => v.Id == visitId, ct)
                        ?? throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "visitId", "走访记录不存在或不在您的管辖范围内");
            if (await db.ServiceCases.AnyAsync(x => x.VisitId == visitId, ct))
                throw RuleViolation.ForField(ServiceCaseErrors.Duplicate, "visitId", "这次走访发现的问题已转为服务事项，请在走访记录中打开它");
            c.VisitId = visit.Id;
            c.Source = ServiceSource.Visit;
            req.ResidentId ??= visit.ResidentId;
        }
        if (req.ResidentId is { } rid)
        {
            var r = await db.Residents.AsNoTracking().Where(x => x.Id == rid).Select(x => new { x.Id, x.Name, x.PhoneMasked }).SingleOrDefaultAsync(ct)
                    ?? throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "residentId", "居民不存在或不在您的管辖范围内");
            (c.ResidentId, c.PersonName, c.PhoneMasked) = (r.Id, r.Name, r.PhoneMasked);
        }
        else
        {
            c.PersonName = string.IsNullOrWhiteSpace(req.PersonName) ? null : Validation.CleanText(req.PersonName, "服务对象姓名");
            if (!string.IsNullOrWhiteSpace(req.Phone))
            {
                if (!Phone.TryNormalize(req.Phone, out var phone, out var error)) throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "phone", error!);
                (c.PhoneCipher, c.PhoneHash, c.PhoneMasked) = (pii.Seal(phone), pii.Hash(phone), Phone.Mask(phone));
            }
        }
        c.Number = await NextNumberAsync(db, ct);
        db.ServiceCases.Add(c);
        await Flow.ApplyAsync(db, c, "accept", ct: ct);
        var cal = await calendars.GetAsync(dbs, ct);
        c.DueUtc = DeadlineClock.Read(cal, Limit(c), c.AcceptedUtc, [], c.AcceptedUtc).DueUtc;
        return c;
    }

    /// <summary>FW{year}-{n:000000}: one more than the highest number of the year, county-wide, counting cases added in this unit of work.</summary>
    static async Task<string> NextNumberAsync(ShiliuDb db, CancellationToken ct)
    {
        var prefix = $"FW{ChinaTime.ToChina(db.UtcNow).Year}-";
        // Numbers are county-wide: the highest one is read across the scope (the number only, nothing of the case).
        var last = await db.ServiceCases.IgnoreQueryFilters().Where(c => c.Number.StartsWith(prefix)).MaxAsync(c => (string?)c.Number, ct);
        var pending = db.ChangeTracker.Entries<ServiceCase>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Number)
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal));
        var n = new[] { last }.Concat(pending).Select(x => x is null ? 0 : int.Parse(x[prefix.Length..])).Max();
        return $"{prefix}{n + 1:D6}";
    }

    /// <summary>
    /// Takes a step: handle, suspend, resume, transfer (with <see cref="ServiceStep.ToUnitId"/>), receive, send-back, close,
    /// revisit (with <see cref="ServiceStep.Satisfaction"/>; a first 不满意 reopens the case), archive.
    /// </summary>
    public async Task StepAsync(Guid id, string action, ServiceStep req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.Manage, ServiceCaseErrors.Denied, "办理服务事项");
        var c = await db.ServiceCases.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("服务事项");
        var cal = await calendars.GetAsync(dbs, ct);
        switch (action)
        {
            case "handle" or "suspend" or "resume" or "receive" or "send-back":
                await Flow.ApplyAsync(db, c, action, req.Reason, req.Version, ct);
                break;
            case "transfer":
                // The state, role and unit are checked first, so a wrong step is refused for what it is, not for its target.
                if (Flow.CanTake(c, db.Caller, action)) await Handover.OfferAsync(db, c, req.ToUnitId ?? Guid.Empty, "toUnitId", ct);
                await Flow.ApplyAsync(db, c, action, req.Reason, req.Version, ct);
                break;
            case "close":
            {
                var reading = Handover.Clock(cal, Limit(c), c.AcceptedUtc, await StepsAsync(db, c, ct), ServiceCaseFlow.Pausing, db.UtcNow);
                await Flow.ApplyAsync(db, c, action, req.Reason, req.Version, ct);
                c.ClosedOnTime = reading.State != DeadlineState.Overdue;
                c.DaysToClose = Math.Round((double)reading.UsedMinutes / cal.Hours.MinutesPerDay, 2);
                break;
            }
            case "revisit":
            {
                if (!c.NeedsRevisit && c.Status == ServiceCaseStatus.Closed)
                    throw new RuleViolation(ServiceCaseErrors.State, $"服务事项 {c.Number} 的类型不需要回访，办结后可直接归档");
                if (req.Satisfaction is not { } answer || !Enum.IsDefined(answer))
                    throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "satisfaction", "请选择回访结果：满意、基本满意或不满意");
                // 不满意 the first time: the case is handled again (重办). The second time it stays closed as 不满意.
                var reopen = answer == Satisfaction.Unsatisfied && c.ReopenCount == 0 && c.Status == ServiceCaseStatus.Closed;
                await Flow.ApplyAsync(db, c, reopen ? "reopen" : "revisit", req.Reason, req.Version, ct);
                (c.Satisfaction, c.RevisitComment, c.RevisitedUtc) = (answer, string.IsNullOrWhiteSpace(req.Reason) ? null : req.Reason.Trim(), db.UtcNow);
                if (reopen) (c.ClosedUtc, c.ClosedOnTime, c.DaysToClose) = (null, null, null);
                break;
            }
            case "archive":
                if (c.NeedsRevisit && c.Status == ServiceCaseStatus.Closed)
                    throw new RuleViolation(ServiceCaseErrors.State, $"服务事项 {c.Number} 须先回访再归档");
                await Flow.ApplyAsync(db, c, action, req.Reason, req.Version, ct);
                break;
            default:
                throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "action", "没有这个办理步骤（可用：handle、suspend、resume、transfer、receive、send-back、close、revisit、archive）");
        }
        // The deadline after the step, read from the steps as the clock counts them (a pause freezes it, a resume pushes it).
        c.DueUtc = Handover.Clock(cal, Limit(c), c.AcceptedUtc, await StepsAsync(db, c, ct), ServiceCaseFlow.Pausing, db.UtcNow).DueUtc;
        await db.SaveOrConflictAsync(c, ct);
    }

    /// <summary>The case's recorded steps and the one just taken (not yet saved).</summary>
    static async Task<List<WorkflowStep>> StepsAsync(ShiliuDb db, ServiceCase c, CancellationToken ct)
    {
        var saved = (await Handover.StepsAsync(db, ServiceCaseFlow.Name, [c.Id], ct))[c.Id];
        var pending = db.ChangeTracker.Entries<WorkflowStep>().Where(e => e.State == EntityState.Added && e.Entity.ItemId == c.Id).Select(e => e.Entity);
        return [.. saved, .. pending];
    }

    /// <summary>The unit's 法律宣传 activities a 法律援助 case may name (the case's own unit).</summary>
    public async Task<IReadOnlyList<LinkedActivity>> LegalActivitiesAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.View, ServiceCaseErrors.Denied, "查看服务事项");
        var c = await db.ServiceCases.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("服务事项");
        return await LegalActivities(db, c).OrderByDescending(a => a.Date).Take(100).Select(a => new LinkedActivity(a.Id, a.Title, a.Date, a.Place)).ToListAsync(ct);
    }

    static IQueryable<Activities.Activity> LegalActivities(ShiliuDb db, ServiceCase c)
    {
        var codes = db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.ActivityType && d.Name == "法律宣传").Select(d => d.Code);
        return db.Activities.AsNoTracking().Where(a => a.OrgUnitId == c.OrgUnitId && codes.Contains(a.TypeCode));
    }

    /// <summary>Names the 法律宣传 activities of the case's unit this 法律援助 case goes with (replacing the earlier choice).</summary>
    public async Task LinkActivitiesAsync(Guid id, IReadOnlyCollection<Guid> activityIds, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.Manage, ServiceCaseErrors.Denied, "关联法律宣传活动");
        var c = await db.ServiceCases.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("服务事项");
        if (!await db.ServiceTypes.AnyAsync(t => t.Id == c.TypeId && t.LegalAid, ct))
            throw new RuleViolation(ServiceCaseErrors.State, "只有法律援助类服务事项可以关联法律宣传活动");
        if (activityIds.Count > 50) throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "activityIds", "一次最多关联50次活动");
        var wanted = activityIds.Distinct().ToList();
        var found = await LegalActivities(db, c).Where(a => wanted.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        if (found.Count != wanted.Count)
            throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "activityIds", "只能关联本单位的法律宣传活动，所选活动中有不符合的");
        var current = await db.ServiceCaseActivities.Where(l => l.CaseId == c.Id).ToListAsync(ct);
        db.ServiceCaseActivities.RemoveRange(current.Where(l => !wanted.Contains(l.ActivityId)));
        db.ServiceCaseActivities.AddRange(wanted.Where(a => current.All(l => l.ActivityId != a)).Select(a => new ServiceCaseActivity { CaseId = c.Id, ActivityId = a }));
        // The case's version moves too: two people linking at once are told, not merged silently.
        db.Entry(c).Property(x => x.Version).OriginalValue = version;
        db.Entry(c).Property(x => x.UpdatedUtc).IsModified = true;
        await db.SaveOrConflictAsync(c, ct);
    }

    /// <summary>The 法律援助 cases that name an activity (the activity's side of the link).</summary>
    public async Task<IReadOnlyList<CaseRef>> ForActivityAsync(Guid activityId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.View, ServiceCaseErrors.Denied, "查看服务事项");
        var ids = db.ServiceCaseActivities.Where(l => l.ActivityId == activityId).Select(l => l.CaseId);
        var cases = await db.ServiceCases.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderByDescending(c => c.AcceptedUtc).Take(50).ToListAsync(ct);
        return cases.Select(ServiceCaseKind.Ref).ToList();
    }

    /// <summary>The case a visit's finding became, if any, for the visit's side of the link.</summary>
    public async Task<CaseRef?> ForVisitAsync(Guid visitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!db.Caller.Can(ServiceCasePermissions.View)) return null;
        var c = await db.ServiceCases.AsNoTracking().FirstOrDefaultAsync(x => x.VisitId == visitId, ct);
        return c is null ? null : ServiceCaseKind.Ref(c);
    }

    /// <summary>The person's whole phone, for a stated purpose (audited, like a resident's).</summary>
    public async Task<string?> RevealPhoneAsync(Guid id, string? purpose, CancellationToken ct = default)
    {
        var why = ExportService.CheckPurpose(purpose);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.Reveal, ServiceCaseErrors.Denied, "查看服务对象的完整电话");
        var c = await db.ServiceCases.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("服务事项");
        var cipher = c.ResidentId is { } rid
            // The archive keeps a resident's phone; the case's holder may be another unit now, so it is read past the scope.
            ? await db.Residents.IgnoreQueryFilters().Where(r => r.Id == rid).Select(r => r.PhoneCipher).SingleOrDefaultAsync(ct)
            : c.PhoneCipher;
        db.Audit(AuditEvents.PersonalDataView, $"查看服务事项 {c.Number} 服务对象的完整电话，用途：{why}", nameof(ServiceCase), c.Id.ToString(), c.OrgPath);
        await db.SaveChangesAsync(ct);
        return cipher is null ? null : pii.Open(cipher);
    }

    /// <summary>服务台账: the cases the filters select (up to 5,000, the sheet says when cut), phones masked, audited by the export service.</summary>
    public async Task<ExportFile> ExportLedgerAsync(ServiceLedgerRequest req, CancellationToken ct = default)
    {
        var q = new ServiceCaseQuery
        {
            OrgUnitId = req.OrgUnitId, Status = req.Status, TypeId = req.TypeId, Overdue = req.Overdue, Open = req.Open, Incoming = req.Incoming,
            From = req.From, To = req.To, Closed = req.Closed, Text = req.Text,
        };
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.View, ServiceCaseErrors.Denied, "导出服务台账");
        var unit = q.OrgUnitId is { } u
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == u, ct) ?? throw new NotFoundInScope("单位")
            : await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
        var cases = await (await FilterAsync(db, q with { OrgUnitId = unit.Id }, ct)).OrderBy(c => c.AcceptedUtc).ThenBy(c => c.Id).Take(LedgerCap + 1).ToListAsync(ct);
        // A ledger cut short must say so: the clerk would otherwise file it as the whole selection.
        var cut = cases.Count > LedgerCap;
        if (cut) cases.RemoveAt(LedgerCap);
        var rows = await RowsAsync(db, cases, ct);
        var selection = await SelectionAsync(db, q, ct);
        string[] headers = ["序号", "编号", "受理日期", "事项类型", "来源", "服务对象", "联系电话", "事项概要", "办理单位", "状态", "办结日期", "按时办结", "回访结果", "重办"];
        var spec = new ExportSpec($"{unit.Name}服务台账.xlsx", $"{unit.Name}服务台账", nameof(ServiceCase), unit.Id.ToString(), unit.Path)
            { PersonalData = true, Purpose = req.Purpose };
        return await exports.XlsxAsync(db, spec, book =>
        {
            using var sheet = book.Sheet("服务台账", $"{unit.Name}服务群众台账", headers, [6, 14, 12, 12, 10, 10, 14, 30, 16, 10, 12, 9, 10, 6],
                note: $"单位：{unit.Name}{(selection is null ? "" : $"；范围：{selection}")}{(cut ? $"；仅列受理最早的 {LedgerCap:N0} 件，请缩小范围分次导出" : "")}；电话已脱敏");
            var seq = 0;
            foreach (var (c, r) in cases.Zip(rows))
                sheet.Mixed([++seq, c.Number, ChinaTime.ToChina(c.AcceptedUtc).ToString("yyyy-MM-dd"), r.TypeName, r.SourceName, c.PersonName ?? "", c.PhoneMasked ?? "",
                    c.Title, r.UnitName, r.StatusName, c.ClosedUtc is { } d ? ChinaTime.ToChina(d).ToString("yyyy-MM-dd") : "",
                    c.ClosedOnTime switch { true => "是", false => "否", _ => "" }, c.Satisfaction is null ? "" : ServiceCaseFlow.SatisfactionName(c.Satisfaction),
                    c.ReopenCount]);
            sheet.Total(["合计", $"{cases.Count} 件", "", "", "", "", "", "", "", "", "", $"{cases.Count(c => c.ClosedOnTime == true)} 件", "", cases.Sum(c => c.ReopenCount)]);
            return Task.CompletedTask;
        }, ct);
    }

    const int LedgerCap = 5000;

    /// <summary>The ledger's selection in words, as the list's filter line names it; null when it is the unit's every case.</summary>
    static async Task<string?> SelectionAsync(ShiliuDb db, ServiceCaseQuery q, CancellationToken ct)
    {
        var parts = new List<string?>
        {
            q.Status is { } s ? ServiceCaseFlow.StatusName(s) : null,
            q.TypeId is { } t ? await db.ServiceTypes.Where(x => x.Id == t).Select(x => x.Name).FirstOrDefaultAsync(ct) : null,
            q.Open == true ? "在办" : null,
            q.Overdue == true ? "逾期" : null,
            q.Incoming == true ? "待本单位接收" : null,
            (q.From ?? q.To) is null ? null : $"{Periods.Text(q.From, q.To)}受理",
            q.Closed == true ? "已办结" : null,
            string.IsNullOrWhiteSpace(q.Text) ? null : $"编号或概要含“{q.Text.Trim()}”",
        };
        var named = parts.OfType<string>().ToList();
        return named.Count == 0 ? null : string.Join("，", named);
    }

    /// <summary>Units a case may be handed to: every enabled township and community, grouped as the unit picker shows them.</summary>
    public async Task<IReadOnlyList<Organizations.OrgUnitRow>> TransferTargetsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.Manage, ServiceCaseErrors.Denied, "转办服务事项");
        // 转办 goes across the tree (a sister community, the township, a county office): the picker lists units, not their records.
        var units = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => !o.IsDisabled && o.Level <= Organizations.OrgLevel.Community)
            .OrderBy(o => o.Path).ToListAsync(ct);
        return units.Select(o => new Organizations.OrgUnitRow(o.Id, o.ParentId, o.Name, o.Code, o.Level, o.IsDisabled, o.IsDemo, false, o.Version)).ToList();
    }
}
