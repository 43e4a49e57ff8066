using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Notifications;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Disputes;

public sealed class SaveParty
{
    public PartyRole Role { get; set; } = PartyRole.Applicant;
    public string Name { get; set; } = "";
    public Gender Gender { get; set; }
    /// <summary>GB/T 3304 code ("07") or name ("彝族").</summary>
    public string Ethnicity { get; set; } = "";
    public int? Age { get; set; }
    public int? BirthYear { get; set; }
    public string? Occupation { get; set; }
    public string? Address { get; set; }
    public string? IdNumber { get; set; }
    public string? Phone { get; set; }
}

public sealed class SaveDispute
{
    /// <summary>The registering unit (the caller's own when not given).</summary>
    public Guid? OrgUnitId { get; set; }

    [Required(ErrorMessage = "请填写纠纷名称"), StringLength(100, ErrorMessage = "纠纷名称不能超过100字")]
    public string Title { get; set; } = "";

    [Required(ErrorMessage = "请填写纠纷简要情况"), StringLength(2000, ErrorMessage = "纠纷简要情况不能超过2000字")]
    public string Summary { get; set; } = "";

    [Required(ErrorMessage = "请选择纠纷类别")]
    public string CategoryCode { get; set; } = "";

    public bool EthnicFactors { get; set; }

    [EnumDataType(typeof(DisputeTier), ErrorMessage = "请选择纠纷等级（简单、复杂、疑难）")]
    public DisputeTier Tier { get; set; }

    [EnumDataType(typeof(RiskColour), ErrorMessage = "请选择风险等级（蓝、黄、红）")]
    public RiskColour Colour { get; set; }

    [StringLength(50, ErrorMessage = "包案领导不能超过50字")]
    public string? Leader { get; set; }

    [EnumDataType(typeof(DisputeSource), ErrorMessage = "请选择案件来源")]
    public DisputeSource Source { get; set; } = DisputeSource.Application;

    [StringLength(100, ErrorMessage = "发生地点不能超过100字")]
    public string? Place { get; set; }

    public DateOnly? OccurredOn { get; set; }

    /// <summary>Only on registration: parties are part of the 受理登记表.</summary>
    public List<SaveParty> Parties { get; set; } = [];

    public int Version { get; set; }
}

public sealed record DisputeQuery
{
    public string? Text { get; set; }
    public DisputeStatus? Status { get; set; }
    public RiskColour? Colour { get; set; }
    public DisputeTier? Tier { get; set; }
    public string? CategoryCode { get; set; }
    public bool? EthnicFactors { get; set; }
    /// <summary>Not yet closed.</summary>
    public bool? Open { get; set; }
    /// <summary>Held by the unit's subtree.</summary>
    public Guid? OrgUnitId { get; set; }
    /// <summary>Registered on or after this day (China time).</summary>
    public DateOnly? From { get; set; }
    /// <summary>Registered on or before this day.</summary>
    public DateOnly? To { get; set; }
    /// <summary>Concluded (化解办结, with or without agreement).</summary>
    public bool? Concluded { get; set; }
    /// <summary>Escalations waiting for the caller's unit to receive or return.</summary>
    public bool? Incoming { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

public sealed record DisputeRow(Guid Id, string Number, string Title, string UnitName, string CategoryName, bool EthnicFactors, DisputeTier Tier,
    RiskColour Colour, DisputeStatus Status, string Parties, DateTime RegisteredUtc, string? OfferedTo, string? Deadline, int Version)
{
    public string StatusName => DisputeFlow.StatusName(Status);
    public string TierName => DisputeNames.Tier(Tier);
    public string ColourName => DisputeNames.Colour(Colour);
}

public sealed record PartyRow(Guid Id, PartyRole Role, string Name, Gender Gender, string EthnicityName, int? Age, string? Occupation, string? Address,
    string? IdNumberMasked, string? PhoneMasked)
{
    public string RoleName => Role == PartyRole.Applicant ? "申请人" : "被申请人";
    public string GenderName => ResidentNames.Gender(Gender);
}

public sealed record MediationRow(long Id, DateOnly Date, string Mediator, string Content, string RecordedBy);

public sealed record FollowUpRow(long Id, DateOnly Date, string Visitor, bool AgreementKept, string Notes, string RecordedBy);

public sealed record HoldingRow(string UnitName, bool Waiting, DateTime FromUtc, DateTime? ToUtc, long OfficeMinutes)
{
    public string Duration => OfficeMinutes < 60 ? $"{OfficeMinutes}分钟" : $"{OfficeMinutes / 60.0:0.#}个工作小时";
}

public sealed record StepChoice(string Action, string Verb, bool NeedsReason, string ReasonLabel);

public sealed record DisputeDetail(Guid Id, string Number, string Title, string Summary, Guid OrgUnitId, string UnitName, string CategoryCode,
    string CategoryName, bool EthnicFactors, DisputeTier Tier, RiskColour Colour, string? Leader, DisputeSource Source, string? Place, DateOnly? OccurredOn,
    DisputeStatus Status, string? OfferedTo, string RegisteredBy, string RegisteredUnit, DateTime RegisteredUtc, string? Outcome, Guid? AgreementEvidenceId,
    string? AgreementNo, string? AgreementFile, string? ToldUnits, CaseRef? SourceCase, IReadOnlyList<PartyRow> Parties, IReadOnlyList<MediationRow> Mediations,
    IReadOnlyList<FollowUpRow> FollowUps, IReadOnlyList<StepRow> History, IReadOnlyList<HoldingRow> Holdings, string LimitText, ClockReading Clock,
    IReadOnlyList<StepChoice> Steps, bool CanEdit, bool CanReveal, string? EscalateTo, string ExpectedLevel, int Version)
{
    public string StatusName => DisputeFlow.StatusName(Status);
    public string TierName => DisputeNames.Tier(Tier);
    public string ColourName => DisputeNames.Colour(Colour);
    public string SourceName => DisputeNames.Source(Source);
}

public sealed class SaveMediation
{
    public DateOnly Date { get; set; }

    [Required(ErrorMessage = "请填写调解员"), StringLength(50, ErrorMessage = "调解员不能超过50字")]
    public string Mediator { get; set; } = "";

    [Required(ErrorMessage = "请填写调解情况"), StringLength(2000, ErrorMessage = "调解情况不能超过2000字")]
    public string Content { get; set; } = "";
}

public sealed class SaveFollowUp
{
    public DateOnly Date { get; set; }

    [Required(ErrorMessage = "请填写回访人"), StringLength(50, ErrorMessage = "回访人不能超过50字")]
    public string Visitor { get; set; } = "";

    public bool AgreementKept { get; set; }

    [Required(ErrorMessage = "请填写回访情况"), StringLength(1000, ErrorMessage = "回访情况不能超过1000字")]
    public string Notes { get; set; } = "";
}

public sealed class LinkAgreement
{
    public Guid EvidenceId { get; set; }

    [StringLength(40, ErrorMessage = "协议编号不能超过40字")]
    public string? AgreementNo { get; set; }

    [Required(ErrorMessage = "请填写调解结果"), StringLength(2000, ErrorMessage = "调解结果不能超过2000字")]
    public string Outcome { get; set; } = "";
}

public sealed record RevealedParty(string? IdNumber, string? Phone);

public static class DisputeNames
{
    public static string Tier(DisputeTier t) => t switch { DisputeTier.Simple => "简单", DisputeTier.Complex => "复杂", _ => "疑难" };
    public static string Colour(RiskColour c) => c switch { RiskColour.Blue => "蓝", RiskColour.Yellow => "黄", _ => "红" };
    public static string Level(DisputeTier t) => t switch { DisputeTier.Simple => "社区（村）", DisputeTier.Complex => "乡镇（街道）", _ => "县级" };

    public static string Source(DisputeSource s) => s switch
    {
        DisputeSource.Application => "当事人申请",
        DisputeSource.Proactive => "主动调解",
        DisputeSource.Police => "公安移交",
        DisputeSource.Court => "法院委托",
        DisputeSource.Government => "政府指定",
        _ => "诉求转入",
    };
}

/// <summary>
/// 矛盾纠纷 cases: registration with parties (ID and phone sealed), the colour's deadline and who above is told, the
/// workflow 登记 → 受理 → 调解中 → 调解成功/调解不成 → 回访 → 结案, mediation log, agreement, follow-ups, and 上报 to the unit
/// above through the hand-over primitive. Every read goes through <see cref="DisputeAccess.Visible"/>.
/// </summary>
public sealed class DisputeService(IDbContextFactory<ShiliuDb> dbs, PersonalData pii, DisputeOptions options, CalendarCache calendars, EvidenceService evidence)
{
    public const int MaxParties = 20;

    public async Task<Paged<DisputeRow>> ListAsync(DisputeQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.View, DisputeErrors.Denied, "查看矛盾纠纷");
        var items = await FilterAsync(db, q, ct);
        var (page, size) = Paged<DisputeRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20);
        var total = await items.CountAsync(ct);
        var list = await items.OrderByDescending(d => d.RegisteredUtc).ThenByDescending(d => d.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<DisputeRow>(await RowsAsync(db, list, ct), total, page, size);
    }

    /// <summary>The cases a query selects, through the need-to-know queryable (shared by the list and the ledger).</summary>
    internal static async Task<IQueryable<Dispute>> FilterAsync(ShiliuDb db, DisputeQuery q, CancellationToken ct)
    {
        var items = DisputeAccess.Visible(db).AsNoTracking();
        if (Validation.Filter(q.Text, "关键词", 50) is { } text) items = items.Where(d => d.Number.Contains(text) || d.Title.Contains(text));
        if (q.Status is { } s) items = items.Where(d => d.Status == s);
        if (q.Colour is { } c) items = items.Where(d => d.Colour == c);
        if (q.Tier is { } t) items = items.Where(d => d.Tier == t);
        if (Validation.Filter(q.CategoryCode, "纠纷类别", 40) is { } cat) items = items.Where(d => d.CategoryCode == cat);
        if (q.EthnicFactors is { } e) items = items.Where(d => d.EthnicFactors == e);
        if (q.Open == true) items = items.Where(d => d.Status != DisputeStatus.Closed);
        if (q.Concluded == true) items = items.Where(d => d.ConcludedUtc != null);
        if (q.From is { } from) { var f = ChinaTime.DayStartUtc(from); items = items.Where(d => d.RegisteredUtc >= f); }
        if (q.To is { } to) { var until = ChinaTime.DayStartUtc(to.AddDays(1)); items = items.Where(d => d.RegisteredUtc < until); }
        if (q.OrgUnitId is { } u) items = items.Under(d => d.OrgPath, await db.UnitPathAsync(u, ct));
        if (q.Incoming == true)
        {
            // Offers addressed to the caller's own unit (units above may act too, but the list is the receiver's).
            var own = db.Caller.OrgPath ?? "\u0001";
            items = items.Where(d => d.HandoverToPath == own);
        }
        return items;
    }

    internal async Task<IReadOnlyList<DisputeRow>> RowsAsync(ShiliuDb db, IReadOnlyList<Dispute> list, CancellationToken ct)
    {
        var ids = list.Select(d => d.Id).ToList();
        var parties = (await db.DisputeParties.AsNoTracking().Where(p => ids.Contains(p.DisputeId)).OrderBy(p => p.Sort)
            .Select(p => new { p.DisputeId, p.NameMasked }).ToListAsync(ct)).ToLookup(p => p.DisputeId, p => p.NameMasked);
        var units = await db.UnitNamesAsync(list.Select(d => d.OrgUnitId).Concat(list.Where(d => d.HandoverToUnitId is not null).Select(d => d.HandoverToUnitId!.Value)), ct);
        var cats = await CategoriesAsync(db, ct);
        var cal = await calendars.GetAsync(dbs, ct);
        var steps = await Handover.StepsAsync(db, DisputeFlow.Name, ids, ct);
        var now = db.UtcNow;
        return list.Select(d =>
        {
            var clock = ClockOf(cal, d, steps[d.Id].ToList(), now);
            return new DisputeRow(d.Id, d.Number, d.Title, units.GetValueOrDefault(d.OrgUnitId, ""), cats.GetValueOrDefault(d.CategoryCode, d.CategoryCode), d.EthnicFactors,
                d.Tier, d.Colour, d.Status, string.Join("、", parties[d.Id]), d.RegisteredUtc,
                d.HandoverToUnitId is { } to ? units.GetValueOrDefault(to) : null, ClockText(clock), d.Version);
        }).ToList();
    }

    public async Task<DisputeDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.View, DisputeErrors.Denied, "查看矛盾纠纷");
        var d = await DisputeAccess.Visible(db).AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("矛盾纠纷");
        var full = db.Caller.Can(DisputePermissions.Handle);
        var eth = await db.DictionaryItems.Where(x => x.Kind == DictionaryKinds.Ethnicity).ToDictionaryAsync(x => x.Code, x => x.Name, ct);
        var parties = (await db.DisputeParties.AsNoTracking().Where(p => p.DisputeId == id).OrderBy(p => p.Sort).ToListAsync(ct))
            .Select(p => new PartyRow(p.Id, p.Role, full ? p.Name : p.NameMasked, p.Gender, eth.GetValueOrDefault(p.EthnicityCode, "未填"), p.Age, p.Occupation,
                full ? p.Address : null, p.IdNumberMasked, p.PhoneMasked)).ToList();
        var mediations = await db.DisputeMediations.AsNoTracking().Where(m => m.DisputeId == id).OrderBy(m => m.Date).ThenBy(m => m.Id)
            .Select(m => new MediationRow(m.Id, m.Date, m.Mediator, m.Content, m.RecordedBy)).ToListAsync(ct);
        var visits = await db.DisputeFollowUps.AsNoTracking().Where(v => v.DisputeId == id).OrderBy(v => v.Date).ThenBy(v => v.Id)
            .Select(v => new FollowUpRow(v.Id, v.Date, v.Visitor, v.AgreementKept, v.Notes, v.RecordedBy)).ToListAsync(ct);
        var cal = await calendars.GetAsync(dbs, ct);
        var steps = (await Handover.StepsAsync(db, DisputeFlow.Name, [id], ct))[id].ToList();
        var now = db.UtcNow;
        var holdings = Handover.Holdings(cal, d.RegisteredPath, d.RegisteredUtc, steps, now);
        var paths = holdings.Select(h => h.OrgPath).Append(d.RegisteredPath).Distinct().ToList();
        var byPath = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => paths.Contains(o.Path)).ToDictionaryAsync(o => o.Path, o => o.Name, ct);
        var unitIds = new List<Guid> { d.OrgUnitId };
        if (d.HandoverToUnitId is { } h) unitIds.Add(h);
        var units = await db.UnitNamesAsync(unitIds, ct);
        var cats = await CategoriesAsync(db, ct);
        string? file = d.AgreementEvidenceId is { } ev ? await db.Evidence.Where(x => x.Id == ev).Select(x => x.FileName).FirstOrDefaultAsync(ct) : null;
        CaseRef? source = d.SourceKind is null ? null
            : new CaseRef(d.SourceKind, d.SourceId ?? Guid.Empty, d.SourceNumber ?? "", d.SourceTitle ?? "", d.SourceLink ?? "");
        var tracked = d;
        var parent = await ParentAsync(db, d.OrgPath, ct);
        // 回访 is taken by recording a visit; the county has no unit above to escalate to.
        var choices = DisputeFlow.Definition.Available(tracked, db.Caller)
            .Where(s => s.Action != "visit" && (s.Action != "escalate" || parent is not null))
            .Select(s => new StepChoice(s.Action, s.Verb, s.Reason == ReasonRule.Required, s.ReasonLabel)).ToList();
        return new DisputeDetail(d.Id, d.Number, d.Title, d.Summary, d.OrgUnitId, units.GetValueOrDefault(d.OrgUnitId, ""), d.CategoryCode,
            cats.GetValueOrDefault(d.CategoryCode, d.CategoryCode), d.EthnicFactors, d.Tier, d.Colour, d.Leader, d.Source, d.Place, d.OccurredOn, d.Status,
            d.HandoverToUnitId is { } to ? units.GetValueOrDefault(to) : null, d.RegisteredBy, byPath.GetValueOrDefault(d.RegisteredPath, ""), d.RegisteredUtc,
            d.Outcome, d.AgreementEvidenceId, d.AgreementNo, file, d.ToldUnits, source, parties, mediations, visits,
            steps.Count == 0 ? [] : await DisputeFlow.Definition.HistoryAsync(db, id, ct),
            holdings.Select(x => new HoldingRow(byPath.GetValueOrDefault(x.OrgPath, "（已撤销单位）"), x.Waiting, x.FromUtc, x.ToUtc, x.OfficeMinutes)).ToList(),
            options.LimitOf(d.Colour).Text, ClockOf(cal, d, steps, now), choices,
            full && db.Caller.OrgPath == d.OrgPath && d.Status != DisputeStatus.Closed, db.Caller.Can(DisputePermissions.Reveal),
            parent?.Name, DisputeNames.Level(d.Tier), d.Version);
    }

    /// <summary>Registers a case in the caller's unit (or a unit below it); returns its id.</summary>
    public async Task<Guid> RegisterAsync(SaveDispute req, CancellationToken ct = default)
    {
        var d = await dbs.CreateNumberedAsync(db => AddAsync(db, req, null, ct),
            (db, d) => db.Disputes.IgnoreQueryFilters().AnyAsync(x => x.Year == d.Year && x.Seq == d.Seq, ct), ct);
        return d.Id;
    }

    /// <summary>Adds a new case to <paramref name="db"/> without saving (the intake from another module saves both sides together).</summary>
    internal async Task<Dispute> AddAsync(ShiliuDb db, SaveDispute req, CaseRef? source, CancellationToken ct)
    {
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "登记矛盾纠纷");
        Validation.Check(req);
        var unit = req.OrgUnitId is { } u
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == u, ct) ?? throw new NotFoundInScope("登记单位")
            : await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
        if (unit.Level == OrgLevel.Grid) throw RuleViolation.ForField(DisputeErrors.Invalid, "orgUnitId", "矛盾纠纷由社区（村）及以上单位登记，请选择社区");
        if (req.Parties.Count == 0 && source is null) throw RuleViolation.ForField(DisputeErrors.Invalid, "parties", "请至少填写一位当事人");
        if (req.Parties.Count > MaxParties) throw RuleViolation.ForField(DisputeErrors.Invalid, "parties", $"当事人不能超过{MaxParties}人，人数多的请登记代表人");
        var now = db.UtcNow;
        var year = ChinaTime.ToChina(now).Year;
        // One number for life, county-wide and per year: the sequence counts every unit's cases, seen or not.
        var seq = (await db.Disputes.IgnoreQueryFilters().Where(x => x.Year == year).MaxAsync(x => (int?)x.Seq, ct) ?? 0) + 1;
        var d = new Dispute
        {
            OrgUnitId = unit.Id, OrgPath = unit.Path, RegisteredUnitId = unit.Id, RegisteredPath = unit.Path, Year = year, Seq = seq, Number = $"JF{year}-{seq:0000}",
            RegisteredBy = db.Caller.UserName, RegisteredUtc = now, Status = DisputeStatus.Registered,
        };
        if (source is not null)
            (d.SourceKind, d.SourceId, d.SourceNumber, d.SourceTitle, d.SourceLink) = (source.Kind, source.Id, source.Number, Trim(source.Title, 200), source.Link);
        await ApplyAsync(db, d, req, ct);
        db.Disputes.Add(d);
        var sort = 0;
        foreach (var p in req.Parties) db.DisputeParties.Add(await PartyAsync(db, d.Id, p, sort++, ct));
        await TellAboveAsync(db, d, null, ct);
        return d;
    }

    /// <summary>Edits what the handling unit may correct while the case is open: names, category, colour, tier, leader.</summary>
    public async Task UpdateAsync(Guid id, SaveDispute req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "修改矛盾纠纷");
        Validation.Check(req);
        var d = await OwnAsync(db, id, ct);
        if (d.Status == DisputeStatus.Closed) throw new RuleViolation(DisputeErrors.State, $"矛盾纠纷{d.Number}已结案，不能再修改");
        db.Entry(d).Property(x => x.Version).OriginalValue = req.Version;
        var before = d.Colour;
        await ApplyAsync(db, d, req, ct);
        if (d.Colour > before) await TellAboveAsync(db, d, before, ct);
        await db.SaveOrConflictAsync(d, ct);
    }

    /// <summary>A workflow step on the case: 受理, 开始调解, 确认调解成功, 确认调解不成, 结案, and the receiver's 接收 / 退回.</summary>
    public async Task StepAsync(Guid id, string action, string? reason, int version, CancellationToken ct = default)
    {
        if (action is "escalate" or "visit" || DisputeFlow.Definition.Steps.All(s => s.Action != action))
            throw RuleViolation.ForField(DisputeErrors.Invalid, "action", "没有这个办理步骤（上报请用“上报”，回访请登记回访记录）");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "办理矛盾纠纷");
        var d = await DisputeAccess.Visible(db).SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("矛盾纠纷");
        if (action == "succeed" && d.Outcome is null)
            throw RuleViolation.ForField(DisputeErrors.State, "outcome", "确认调解成功前，请先上传调解协议书并填写调解结果");
        if (action == "close" && d.Status == DisputeStatus.Visited && !await db.DisputeFollowUps.AnyAsync(v => v.DisputeId == id && v.AgreementKept, ct))
            throw new RuleViolation(DisputeErrors.State, $"矛盾纠纷{d.Number}的回访尚未确认协议已履行，不能结案");
        await DisputeFlow.Definition.ApplyAsync(db, d, action, reason, version, ct);
        await db.SaveOrConflictAsync(d, ct);
    }

    /// <summary>上报: offers the case to the unit directly above its holder, which receives it or returns it with a reason.</summary>
    public async Task EscalateAsync(Guid id, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "上报矛盾纠纷");
        var d = await DisputeAccess.Visible(db).SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("矛盾纠纷");
        if (version != d.Version) throw new ConcurrencyConflict(d.UpdatedBy, d.UpdatedUtc);
        var parent = await ParentAsync(db, d.OrgPath, ct) ?? throw new RuleViolation(DisputeErrors.Escalate, "县级已是最高一级，不能再上报");
        if (!DisputeFlow.Definition.CanTake(d, db.Caller, "escalate"))
        {
            // Let the workflow say why (state, unit, reason) before the offer marks the case.
            await DisputeFlow.Definition.ApplyAsync(db, d, "escalate", reason, version, ct);
        }
        if (string.IsNullOrWhiteSpace(reason)) throw RuleViolation.ForField(WorkflowErrors.Reason, "reason", "上报须写明上报理由");
        await Handover.OfferAsync(db, d, parent.Id, "reason", ct);
        await DisputeFlow.Definition.ApplyAsync(db, d, "escalate", reason, version, ct);
        await db.SaveOrConflictAsync(d, ct);
    }

    public async Task<long> AddMediationAsync(Guid id, SaveMediation req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var mediator = Validation.CleanText(req.Mediator, "调解员");
        var content = Validation.CleanText(req.Content, "调解情况");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "登记调解记录");
        var d = await OwnAsync(db, id, ct);
        if (d.Status is not (DisputeStatus.Accepted or DisputeStatus.Mediating))
            throw new RuleViolation(DisputeErrors.State, $"矛盾纠纷{d.Number}当前为“{DisputeFlow.StatusName(d.Status)}”，只有已受理或调解中的纠纷才能登记调解记录");
        CheckDate(db, req.Date, d, "date", "调解日期");
        var e = new MediationEntry { DisputeId = id, Date = req.Date, Mediator = mediator, Content = content, RecordedBy = db.Caller.UserName, RecordedUtc = db.UtcNow };
        db.DisputeMediations.Add(e);
        // The first mediation starts the mediation step when the case was only accepted.
        if (d.Status == DisputeStatus.Accepted) await DisputeFlow.Definition.ApplyAsync(db, d, "mediate", ct: ct);
        await db.SaveChangesAsync(ct);
        return e.Id;
    }

    /// <summary>Links the 调解协议书 (a file of the evidence archive in the caller's scope) and writes the outcome.</summary>
    public async Task LinkAgreementAsync(Guid id, LinkAgreement req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var outcome = Validation.CleanText(req.Outcome, "调解结果");
        var no = string.IsNullOrWhiteSpace(req.AgreementNo) ? null : Validation.CleanText(req.AgreementNo, "协议编号");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "上传调解协议书");
        var d = await OwnAsync(db, id, ct);
        if (d.Status is not (DisputeStatus.Mediating or DisputeStatus.Resolved))
            throw new RuleViolation(DisputeErrors.State, $"矛盾纠纷{d.Number}当前为“{DisputeFlow.StatusName(d.Status)}”，调解中或调解成功的纠纷才能上传协议书");
        if (!await db.Evidence.AnyAsync(x => x.Id == req.EvidenceId, ct))
            throw RuleViolation.ForField(DisputeErrors.Invalid, "evidenceId", "协议书文件不存在或不在您的管辖范围内，请先上传");
        (d.AgreementEvidenceId, d.AgreementNo, d.Outcome) = (req.EvidenceId, no ?? d.Number, outcome);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Uploads the agreement into the evidence archive of the handling unit and links it, in one call for the page.</summary>
    public async Task UploadAgreementAsync(Guid id, string? fileName, Stream content, string? agreementNo, string outcome, CancellationToken ct = default)
    {
        Guid unit;
        string number;
        int year;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "上传调解协议书");
            var d = await OwnAsync(db, id, ct);
            if (string.IsNullOrWhiteSpace(outcome)) throw RuleViolation.ForField(DisputeErrors.Invalid, "outcome", "请填写调解结果");
            (unit, number, year) = (d.OrgUnitId, d.Number, ChinaTime.ToChina(db.UtcNow).Year);
        }
        // The archive entry is titled by the case number, never by the parties' names.
        var up = await evidence.UploadAsync(new EvidenceMeta { OrgUnitId = unit, Year = year, Title = $"调解协议书 {number}", Tags = "人民调解" },
            fileName, content, ct);
        await LinkAgreementAsync(id, new LinkAgreement { EvidenceId = up.Id, AgreementNo = agreementNo, Outcome = outcome }, ct);
    }

    /// <summary>回访记录; the first one moves a resolved case to 已回访.</summary>
    public async Task<long> AddFollowUpAsync(Guid id, SaveFollowUp req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var visitor = Validation.CleanText(req.Visitor, "回访人");
        var notes = Validation.CleanText(req.Notes, "回访情况");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "登记回访记录");
        var d = await OwnAsync(db, id, ct);
        if (d.Status is not (DisputeStatus.Resolved or DisputeStatus.Visited))
            throw new RuleViolation(DisputeErrors.State, $"矛盾纠纷{d.Number}当前为“{DisputeFlow.StatusName(d.Status)}”，调解成功后才能回访");
        CheckDate(db, req.Date, d, "date", "回访日期");
        var v = new FollowUpVisit { DisputeId = id, Date = req.Date, Visitor = visitor, AgreementKept = req.AgreementKept, Notes = notes, RecordedBy = db.Caller.UserName, RecordedUtc = db.UtcNow };
        db.DisputeFollowUps.Add(v);
        if (d.Status == DisputeStatus.Resolved) await DisputeFlow.Definition.ApplyAsync(db, d, "visit", ct: ct);
        await db.SaveChangesAsync(ct);
        return v.Id;
    }

    /// <summary>A party's full ID number and phone, for a handler who states why; audited (masked) before it is answered.</summary>
    public async Task<RevealedParty> RevealAsync(Guid id, Guid partyId, string? purpose, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Reveal, DisputeErrors.Denied, "查看当事人完整身份证号和电话");
        var d = await DisputeAccess.Visible(db).AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("矛盾纠纷");
        var p = await db.DisputeParties.AsNoTracking().SingleOrDefaultAsync(x => x.Id == partyId && x.DisputeId == id, ct) ?? throw new NotFoundInScope("当事人");
        var why = (purpose ?? "").Trim();
        if (why.Length < 4 || why.Length > 100 || why.Any(char.IsControl))
            throw RuleViolation.ForField(DisputeErrors.Invalid, "purpose", "查看完整身份证号和电话须说明用途（4至100字），用途会写入审计日志");
        db.Audit(AuditEvents.PersonalDataView, $"查看矛盾纠纷{d.Number}当事人 {p.NameMasked}（{p.IdNumberMasked ?? "无身份证号"}）的完整身份证号和电话，用途：{why}",
            nameof(DisputeParty), p.Id.ToString(), d.OrgPath);
        await db.SaveChangesAsync(ct);
        return new RevealedParty(p.IdNumberCipher is null ? null : pii.Open(p.IdNumberCipher), p.PhoneCipher is null ? null : pii.Open(p.PhoneCipher));
    }

    public async Task<IReadOnlyList<(string Code, string Name)>> CategoryListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.DictionaryItems.AsNoTracking().Where(x => x.Kind == DisputeDictionaries.Category && x.Enabled).OrderBy(x => x.SortOrder)
            .Select(x => new { x.Code, x.Name }).ToListAsync(ct)).Select(x => (x.Code, x.Name)).ToList();
    }

    internal ClockReading ClockOf(WorkCalendar cal, Dispute d, IReadOnlyList<WorkflowStep> steps, DateTime now) =>
        Handover.Clock(cal, options.LimitOf(d.Colour), d.RegisteredUtc, steps, DisputeFlow.Concluded, now);

    internal static string ClockText(ClockReading c) => c.State switch
    {
        DeadlineState.Paused => "已调结",
        DeadlineState.Overdue => "已逾期",
        _ => c.DueUtc is { } due ? $"{c.StateName}（{ChinaTime.Format(due)}前答复）" : c.StateName,
    };

    internal static async Task<Dictionary<string, string>> CategoriesAsync(ShiliuDb db, CancellationToken ct) =>
        await db.DictionaryItems.AsNoTracking().Where(x => x.Kind == DisputeDictionaries.Category).ToDictionaryAsync(x => x.Code, x => x.Name, ct);

    static async Task<OrgUnit?> ParentAsync(ShiliuDb db, string path, CancellationToken ct)
    {
        var parent = OrgPaths.Parent(path);
        if (parent == path) return null;
        return await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(o => o.Path == parent, ct);
    }

    static async Task<Dispute> OwnAsync(ShiliuDb db, Guid id, CancellationToken ct)
    {
        var d = await DisputeAccess.Visible(db).SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("矛盾纠纷");
        if (d.OrgPath != db.Caller.OrgPath && !db.Caller.IsSystem)
            throw new RuleViolation(DisputeErrors.Denied, $"矛盾纠纷{d.Number}由承办单位办理，其他单位不能代为登记或修改");
        return d;
    }

    static void CheckDate(ShiliuDb db, DateOnly date, Dispute d, string field, string label)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        if (date == default) throw RuleViolation.ForField(DisputeErrors.Invalid, field, $"请填写{label}");
        if (date > today) throw RuleViolation.ForField(DisputeErrors.Invalid, field, $"{label}不能晚于今天");
        if (date < DateOnly.FromDateTime(ChinaTime.ToChina(d.RegisteredUtc)).AddDays(-1)) throw RuleViolation.ForField(DisputeErrors.Invalid, field, $"{label}不能早于纠纷登记日期");
    }

    async Task ApplyAsync(ShiliuDb db, Dispute d, SaveDispute req, CancellationToken ct)
    {
        d.Title = Validation.CleanText(req.Title, "纠纷名称");
        d.Summary = Validation.CleanText(req.Summary, "纠纷简要情况");
        // A code with control characters is in no dictionary (and PostgreSQL cannot even compare a NUL).
        if (req.CategoryCode.Length > 40 || req.CategoryCode.Any(char.IsControl)
            || !await db.DictionaryItems.AnyAsync(x => x.Kind == DisputeDictionaries.Category && x.Code == req.CategoryCode && x.Enabled, ct))
            throw RuleViolation.ForField(DisputeErrors.Invalid, "categoryCode", "纠纷类别不在矛盾纠纷类别字典中，请重新选择");
        d.CategoryCode = req.CategoryCode;
        var leader = string.IsNullOrWhiteSpace(req.Leader) ? null : Validation.CleanText(req.Leader, "包案领导");
        if (req.Tier == DisputeTier.Difficult && leader is null)
            throw RuleViolation.ForField(DisputeErrors.Leader, "leader", "疑难纠纷须指定包案领导（姓名和职务）");
        (d.EthnicFactors, d.Tier, d.Colour, d.Leader, d.Source) = (req.EthnicFactors, req.Tier, req.Colour, leader, req.Source);
        d.Place = string.IsNullOrWhiteSpace(req.Place) ? null : Validation.CleanText(req.Place, "发生地点");
        if (req.OccurredOn is { } on && on > DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow)))
            throw RuleViolation.ForField(DisputeErrors.Invalid, "occurredOn", "发生日期不能晚于今天");
        d.OccurredOn = req.OccurredOn;
    }

    async Task<DisputeParty> PartyAsync(ShiliuDb db, Guid disputeId, SaveParty p, int i, CancellationToken ct)
    {
        var no = $"第{i + 1}位当事人";
        RuleViolation Bad(string field, string message) => RuleViolation.ForField(DisputeErrors.Invalid, $"parties[{i}].{field}", $"{no}：{message}");
        var name = (p.Name ?? "").Trim();
        if (name.Length == 0) throw Bad("name", "请填写姓名");
        if (name.Length > 50 || name.Any(c => char.IsControl(c) || Validation.IsBidiControl(c))) throw Bad("name", "姓名不能超过50字，且不能含控制字符");
        // Optional (an appeal turned into a case may not say), but when given a GB/T 3304 name or code.
        var eth = (p.Ethnicity ?? "").Trim();
        if (eth.Length > 40 || eth.Any(char.IsControl)) throw Bad("ethnicity", "民族须按 GB/T 3304 填写（如“彝族”）");
        var code = eth.Length == 0 ? "" : await db.DictionaryItems.Where(x => x.Kind == DictionaryKinds.Ethnicity && (x.Code == eth || x.Name == eth))
            .Select(x => x.Code).FirstOrDefaultAsync(ct);
        if (code is null) throw Bad("ethnicity", "民族须按 GB/T 3304 填写（如“彝族”）");
        var year = ChinaTime.ToChina(db.UtcNow).Year;
        if (p.Age is < 0 or > 120) throw Bad("age", "年龄须在0至120之间");
        if (p.BirthYear is { } by && (by < year - 120 || by > year)) throw Bad("birthYear", "出生年份不正确");
        if (!Enum.IsDefined(p.Role)) throw Bad("role", "请选择申请人或被申请人");
        if (!Enum.IsDefined(p.Gender)) throw Bad("gender", "性别须为男、女或未填");
        string? Text(string? v, int max, string field, string label)
        {
            if (string.IsNullOrWhiteSpace(v)) return null;
            var t = v.Trim();
            if (t.Length > max || t.Any(c => char.IsControl(c) || Validation.IsBidiControl(c))) throw Bad(field, $"{label}不能超过{max}字，且不能含控制字符");
            return t;
        }
        var party = new DisputeParty
        {
            DisputeId = disputeId, Role = p.Role, Name = name, NameMasked = PersonalData.MaskName(name), Gender = p.Gender, EthnicityCode = code,
            BirthYear = p.BirthYear, Age = p.Age ?? (p.BirthYear is { } b ? year - b : null), Occupation = Text(p.Occupation, 50, "occupation", "职业"),
            Address = Text(p.Address, 200, "address", "住址"), Sort = i,
        };
        if (!string.IsNullOrWhiteSpace(p.IdNumber))
        {
            // The refusal never repeats the number typed.
            if (!IdNumber.TryParse(p.IdNumber, out var id, out var err)) throw Bad("idNumber", err!);
            party.IdNumberCipher = pii.Seal(id!.Value);
            party.IdNumberMasked = IdNumber.Mask(id.Value);
            if (party.Gender == Gender.Unknown) party.Gender = id.Gender;
            party.BirthYear ??= id.BirthDate.Year;
            party.Age ??= year - id.BirthDate.Year;
        }
        if (!string.IsNullOrWhiteSpace(p.Phone))
        {
            if (!Phone.TryNormalize(p.Phone, out var phone, out var err)) throw Bad("phone", err!);
            party.PhoneCipher = pii.Seal(phone);
            party.PhoneMasked = Phone.Mask(phone);
        }
        return party;
    }

    /// <summary>
    /// 红: the township and the county are told at once; 黄: the township. A unit is not told of its own case. Called on
    /// registration and when the colour rises (then only the units not told before).
    /// </summary>
    static async Task TellAboveAsync(ShiliuDb db, Dispute d, RiskColour? before, CancellationToken ct)
    {
        var levels = Levels(d.Colour);
        var already = before is { } b ? Levels(b) : [];
        var wanted = levels.Except(already).ToList();
        if (wanted.Count == 0) return;
        var ancestors = new List<string>();
        for (var p = OrgPaths.Parent(d.OrgPath); ; p = OrgPaths.Parent(p))
        {
            ancestors.Add(p);
            if (OrgPaths.Parent(p) == p) break;
        }
        ancestors.Remove(d.OrgPath);
        var units = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => ancestors.Contains(o.Path) && wanted.Contains(o.Level))
            .OrderByDescending(o => o.Level).ToListAsync(ct);
        foreach (var u in units)
            await NotificationService.ToUnitAsync(db, u.Path, DisputePermissions.Handle,
                $"{DisputeNames.Colour(d.Colour)}色预警：矛盾纠纷{d.Number}《{d.Title}》{(d.EthnicFactors ? "（涉民族因素）" : "")}", $"/disputes/{d.Id}", DisputeFlow.Name, ct);
        var told = string.Join("、", new[] { d.ToldUnits }.Where(x => !string.IsNullOrEmpty(x)).Concat(units.Select(u => u.Name)));
        d.ToldUnits = told.Length == 0 ? null : Trim(told, 200);
    }

    static OrgLevel[] Levels(RiskColour c) => c switch
    {
        RiskColour.Red => [OrgLevel.Township, OrgLevel.County],
        RiskColour.Yellow => [OrgLevel.Township],
        _ => [],
    };

    static string Trim(string s, int max) => s.Length <= max ? s : s[..max];
}
