using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Commendations;

/// <summary>
/// 模范评选: the county issues a call with quotas and a deadline; communities and townships nominate (申报) with deeds and
/// photos in the evidence archive; the township reviews, the county decides with the vote recorded, opens 公示 for a number
/// of working days, answers every objection, records the 表彰 decision and prints certificates; a title may be revoked.
/// </summary>
public sealed partial class CommendationService(IDbContextFactory<ShiliuDb> dbs, CalendarCache calendars, EvidenceService evidence, TimeProvider clock)
{
    /// <summary>Nominations that hold a place against a quota.</summary>
    static readonly NominationStatus[] Active =
        [NominationStatus.Submitted, NominationStatus.TownshipApproved, NominationStatus.Approved, NominationStatus.Publicity, NominationStatus.Commended];

    static readonly NominationStatus[] Awarded = [NominationStatus.Approved, NominationStatus.Publicity, NominationStatus.Commended];

    [GeneratedRegex(@"^\S{1,20}〔\d{4}〕\d{1,4}号$")]
    private static partial Regex DocumentNo();

    static DateOnly Today(ShiliuDb db) => DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));

    // ---- calls ----

    public async Task<IReadOnlyList<CallRow>> ListCallsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.View, CommendationErrors.Denied, "查看模范评选");
        var calls = await db.CommendationCalls.AsNoTracking().OrderByDescending(c => c.IssuedOn).ThenByDescending(c => c.CreatedUtc).Take(200).ToListAsync(ct);
        var ids = calls.Select(c => c.Id).ToList();
        // Counted inside the caller's scope: a community sees how many it nominated, the county all of them.
        var counts = await db.Nominations.Where(n => ids.Contains(n.CallId)).GroupBy(n => n.CallId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return calls.Select(c => new CallRow(c.Id, c.Title, c.IssuedOn, c.Deadline, c.PublicityDays, c.Status, c.PublicityFrom, c.PublicityTo, c.DecisionNo,
            counts.GetValueOrDefault(c.Id))).ToList();
    }

    public async Task<CallDetail> GetCallAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.View, CommendationErrors.Denied, "查看模范评选");
        var c = await db.CommendationCalls.AsNoTracking().Include(x => x.Quotas).SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("评选通知");
        var names = await db.UnitNamesAsync(c.Quotas.Where(q => q.TownshipId != null).Select(q => q.TownshipId!.Value).Append(c.IssuedByUnitId), ct);
        var open = db.Caller.Can(CommendationPermissions.Manage)
            ? await db.CommendationObjections.CountAsync(o => o.CallId == id && o.Status == ObjectionStatus.Open, ct) : 0;
        var quotas = c.Quotas.OrderBy(q => q.Category).ThenBy(q => q.TownshipId is null ? 0 : 1).ThenBy(q => q.TownshipId is { } t ? names[t] : "")
            .Select(q => new QuotaRow(q.Category, CommendationNames.Category(q.Category), q.TownshipId, q.TownshipId is { } t ? names[t] : null, q.Count)).ToList();
        return new CallDetail(c.Id, c.Title, RichText.ForDisplay(c.Body), c.CampaignId, names[c.IssuedByUnitId], c.IssuedOn, c.Deadline, c.PublicityDays, c.Status,
            c.PublicityFrom, c.PublicityTo, c.DecisionNo, c.DecisionDate, quotas, open, c.Version);
    }

    /// <summary>Issues (id null) or edits a call; edits only while it is 征集中. The deadline must be a working day, today or later.</summary>
    public async Task<Guid> SaveCallAsync(Guid? id, SaveCall req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var title = Validation.CleanText(req.Title, "标题");
        var body = string.IsNullOrWhiteSpace(req.Body) ? "" : RichText.Sanitize(req.Body);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Manage, CommendationErrors.Denied, "发布评选通知（由县领导小组办公室发布）");
        var calendar = await calendars.GetAsync(dbs, ct);
        var deadline = req.Deadline!.Value;
        var today = Today(db);
        if (deadline < today) throw RuleViolation.ForField(CommendationErrors.Deadline, "deadline", $"申报截止日期 {Dates.Format(deadline)} 已经过去");
        if (!calendar.IsWorkday(deadline))
            throw RuleViolation.ForField(CommendationErrors.Deadline, "deadline",
                $"申报截止日期 {Dates.Format(deadline)} 不是工作日，请改为 {Dates.Format(NextWorkday(calendar, deadline))}");
        var quotas = await QuotasAsync(db, req.Quotas, ct);
        if (req.CampaignId is { } cid && !await db.Campaigns.AnyAsync(x => x.Id == cid, ct))
            throw RuleViolation.ForField(CommendationErrors.Invalid, "campaignId", "所选创建活动不存在");

        CommendationCall c;
        if (id is null)
        {
            var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
            c = new CommendationCall { IssuedByUnitId = unit.Id, IssuedOn = today, CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow };
            db.CommendationCalls.Add(c);
        }
        else
        {
            c = await db.CommendationCalls.Include(x => x.Quotas).SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("评选通知");
            if (c.Status != CallStatus.Open) throw new RuleViolation(CommendationErrors.State, $"评选通知《{c.Title}》{CommendationNames.Call(c.Status)}，不能再修改");
            db.Entry(c).Property(x => x.Version).OriginalValue = req.Version;
            db.CommendationQuotas.RemoveRange(c.Quotas);
            c.Quotas.Clear();
        }
        (c.Title, c.Body, c.CampaignId, c.Deadline, c.PublicityDays) = (title, body, req.CampaignId, deadline, req.PublicityDays);
        c.Quotas.AddRange(quotas);
        await db.SaveOrConflictAsync(c, ct);
        return c.Id;
    }

    static DateOnly NextWorkday(WorkCalendar calendar, DateOnly d)
    {
        do d = d.AddDays(1); while (!calendar.IsWorkday(d));
        return d;
    }

    static async Task<List<CallQuota>> QuotasAsync(ShiliuDb db, List<QuotaLine> lines, CancellationToken ct)
    {
        if (lines.Count == 0) throw RuleViolation.ForField(CommendationErrors.Invalid, "quotas", "请至少设置一类模范的名额");
        var townships = lines.Where(l => l.TownshipId != null).Select(l => l.TownshipId!.Value).Distinct().ToList();
        var known = await db.OrgUnits.Where(o => townships.Contains(o.Id) && o.Level == OrgLevel.Township).Select(o => o.Id).ToListAsync(ct);
        var result = new List<CallQuota>();
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            if (!Enum.IsDefined(l.Category)) throw RuleViolation.ForField(CommendationErrors.Invalid, $"quotas[{i}].category", $"第{i + 1}行的模范类别不正确");
            if (l.Count is < 1 or > 500) throw RuleViolation.ForField(CommendationErrors.Invalid, $"quotas[{i}].count", $"第{i + 1}行的名额须在1至500之间");
            if (l.TownshipId is { } t && !known.Contains(t))
                throw RuleViolation.ForField(CommendationErrors.Invalid, $"quotas[{i}].townshipId", $"第{i + 1}行所选乡镇（街道）不存在");
            if (result.Any(r => r.Category == l.Category && r.TownshipId == l.TownshipId))
                throw RuleViolation.ForField(CommendationErrors.Invalid, $"quotas[{i}]", $"第{i + 1}行与前面的名额重复（{CommendationNames.Category(l.Category)}）");
            result.Add(new CallQuota { Category = l.Category, TownshipId = l.TownshipId, Count = l.Count });
        }
        foreach (var c in result.Where(r => r.TownshipId != null).Select(r => r.Category).Distinct())
            if (!result.Any(r => r.Category == c && r.TownshipId == null))
                throw RuleViolation.ForField(CommendationErrors.Invalid, "quotas", $"{CommendationNames.Category(c)}只有乡镇名额，请同时设置全县评选名额");
        return result;
    }

    // ---- nominations ----

    public async Task<IReadOnlyList<NominationRow>> ListNominationsAsync(Guid callId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.View, CommendationErrors.Denied, "查看推荐对象");
        var own = db.Caller.OrgPath ?? "\u0001";
        // Drafts stay inside their unit.
        var rows = await db.Nominations.AsNoTracking().Where(n => n.CallId == callId && (n.Status != NominationStatus.Draft || n.OrgPath == own))
            .OrderBy(n => n.Category).ThenBy(n => n.CreatedUtc).ThenBy(n => n.Id)
            .Select(n => new { n.Id, n.OrgUnitId, n.Category, n.NomineeName, n.Status, n.SubmittedUtc, n.VotesFor, n.VotesAgainst, n.VotesAbstain }).ToListAsync(ct);
        var names = await db.UnitNamesAsync(rows.Select(r => r.OrgUnitId), ct);
        var ids = rows.Select(r => r.Id).ToList();
        var objections = db.Caller.Can(CommendationPermissions.Manage)
            ? await db.CommendationObjections.Where(o => ids.Contains(o.NominationId)).GroupBy(o => o.NominationId).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Key, x => x.Count, ct)
            : [];
        return rows.Select(r => new NominationRow(r.Id, callId, names[r.OrgUnitId], r.Category, r.NomineeName, r.Status, r.SubmittedUtc, r.VotesFor, r.VotesAgainst,
            r.VotesAbstain, objections.GetValueOrDefault(r.Id))).ToList();
    }

    public async Task<NominationDetail> GetNominationAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.View, CommendationErrors.Denied, "查看推荐对象");
        var n = await VisibleAsync(db, id, ct);
        var call = await db.CommendationCalls.AsNoTracking().SingleAsync(c => c.Id == n.CallId, ct);
        var unit = (await db.UnitNamesAsync([n.OrgUnitId], ct))[n.OrgUnitId];
        var fileIds = n.Files.Select(f => f.EvidenceId).ToList();
        var ev = await db.Evidence.AsNoTracking().IgnoreQueryFilters().Where(e => fileIds.Contains(e.Id) && e.DeletedUtc == null)
            .ToDictionaryAsync(e => e.Id, e => (e.FileName, e.Title), ct);
        var files = n.Files.Where(f => ev.ContainsKey(f.EvidenceId)).OrderBy(f => f.Kind).ThenBy(f => f.Id)
            .Select(f => new NominationFileRow(f.EvidenceId, f.Kind, ev[f.EvidenceId].FileName, ev[f.EvidenceId].Title)).ToList();
        var history = await NominationFlow.Definition.HistoryAsync(db, n.Id, ct);
        var ethnicity = n.Ethnicity is { } code
            ? await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.Ethnicity && d.Code == code).Select(d => d.Name).FirstOrDefaultAsync(ct) : null;
        var objections = db.Caller.Can(CommendationPermissions.Manage) ? await ObjectionRowsAsync(db, n.CallId, n.Id, ct) : [];
        var returned = n.Status == NominationStatus.Returned ? history.LastOrDefault(s => s.Action == "return")?.Reason : null;
        var actions = NominationFlow.Definition.Available(n, db.Caller).Select(s => s.Action).ToList();
        return new NominationDetail(n.Id, n.CallId, call.Title, n.OrgUnitId, unit, n.Category, n.NomineeName, n.Ethnicity, ethnicity, n.WorkUnit, n.Summary,
            RichText.ForDisplay(n.Deeds), n.Status, n.VotesFor, n.VotesAgainst, n.VotesAbstain, n.MeetingDate, returned, n.RevokeReason, n.RevokedOn,
            n.CertificateNo, files, history, objections, actions, n.Version);
    }

    /// <summary>Creates (id null) or edits a nomination of the caller's own unit while it is a draft or returned.</summary>
    public async Task<Guid> SaveNominationAsync(Guid? id, SaveNomination req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.NomineeName, "推荐对象名称");
        var summary = EvidenceService.CleanMultiline(req.Summary, "事迹简介");
        if (summary.Length == 0) throw RuleViolation.ForField(CommendationErrors.Invalid, "summary", "请填写事迹简介");
        var deeds = RichText.Sanitize(req.Deeds);
        if (RichText.ToPlainText(deeds).Length == 0) throw RuleViolation.ForField(CommendationErrors.Invalid, "deeds", "主要事迹不能为空（不允许的标记已被清除）");
        if (!Enum.IsDefined(req.Category)) throw RuleViolation.ForField(CommendationErrors.Invalid, "category", "请选择模范类别");
        var workUnit = string.IsNullOrWhiteSpace(req.WorkUnit) ? null : Validation.CleanText(req.WorkUnit, "工作单位");
        if (req.Category == ModelCategory.Person && workUnit is null)
            throw RuleViolation.ForField(CommendationErrors.Invalid, "workUnit", "推荐个人须填写工作单位及职务");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Nominate, CommendationErrors.Denied, "推荐模范");
        string? ethnicity = null;
        if (!string.IsNullOrWhiteSpace(req.Ethnicity))
        {
            ethnicity = req.Ethnicity.Trim();
            if (!await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKinds.Ethnicity && d.Code == ethnicity, ct))
                throw RuleViolation.ForField(CommendationErrors.Invalid, "ethnicity", "所选民族不在民族代码表中");
        }
        Nomination n;
        if (id is null)
        {
            var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
            if (unit.Level is not (OrgLevel.Community or OrgLevel.Township))
                throw new RuleViolation(CommendationErrors.Denied, "模范由社区（村）或乡镇（街道）推荐");
            var call = await OpenCallAsync(db, req.CallId, ct);
            if (!call.Quotas.Any(q => q.Category == req.Category && q.TownshipId == null))
                throw RuleViolation.ForField(CommendationErrors.Invalid, "category", $"《{call.Title}》不评选{CommendationNames.Category(req.Category)}");
            n = new Nomination { CallId = call.Id, OrgUnitId = unit.Id, OrgPath = unit.Path, CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow };
            db.Nominations.Add(n);
        }
        else
        {
            n = await OwnAsync(db, id.Value, ct);
            if (n.Status is not (NominationStatus.Draft or NominationStatus.Returned))
                throw new RuleViolation(CommendationErrors.State, $"推荐对象“{n.NomineeName}”{CommendationNames.Status(n.Status)}，不能再修改");
            var call = await OpenCallAsync(db, n.CallId, ct);
            if (!call.Quotas.Any(q => q.Category == req.Category && q.TownshipId == null))
                throw RuleViolation.ForField(CommendationErrors.Invalid, "category", $"《{call.Title}》不评选{CommendationNames.Category(req.Category)}");
            db.Entry(n).Property(x => x.Version).OriginalValue = req.Version;
        }
        (n.Category, n.NomineeName, n.Ethnicity, n.WorkUnit, n.Summary, n.Deeds) = (req.Category, name, ethnicity, workUnit, summary, deeds);
        await db.SaveOrConflictAsync(n, ct);
        return n.Id;
    }

    /// <summary>Files the deeds document or a photo into the nominating unit's evidence archive and links it to the nomination.</summary>
    public async Task<Guid> AttachAsync(Guid id, NominationFileKind kind, string? fileName, Stream content, CancellationToken ct = default)
    {
        Guid unitId;
        string title;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.Caller.Require(CommendationPermissions.Nominate, CommendationErrors.Denied, "上传事迹材料");
            var n = await OwnAsync(db, id, ct);
            if (n.Status is not (NominationStatus.Draft or NominationStatus.Returned))
                throw new RuleViolation(CommendationErrors.State, $"推荐对象“{n.NomineeName}”{CommendationNames.Status(n.Status)}，不能再补充材料");
            (unitId, title) = (n.OrgUnitId, $"{(kind == NominationFileKind.Photo ? "模范评选照片" : "模范事迹材料")} {n.NomineeName}");
        }
        // The one upload path: type by content, size limits, metadata stripped, hashed, thumbnailed, audited.
        var up = await evidence.UploadAsync(new EvidenceMeta
        {
            OrgUnitId = unitId, Year = ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime).Year, Title = title.Length > 100 ? title[..100] : title, Tags = "模范评选",
            Criteria = await CriterionAsync(ct) is { } no ? [no] : [],
        }, fileName, content, ct);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (kind == NominationFileKind.Photo && up.Category != EvidenceCategory.Image)
                throw RuleViolation.ForField(CommendationErrors.Invalid, "file", $"“{up.FileName}”不是照片，请在“事迹材料”处上传");
            var n = await OwnAsync(db, id, ct);
            n.Files.Add(new NominationFile { NominationId = n.Id, EvidenceId = up.Id, Kind = kind });
            await db.SaveChangesAsync(ct);
        }
        return up.Id;
    }

    async Task<int?> CriterionAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await CommendationRecords.CriterionNoAsync(db, ct);
    }

    /// <summary>申报: before the deadline, within the quota of the category (the township's, else the county's per township).</summary>
    public async Task SubmitAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Nominate, CommendationErrors.Denied, "申报模范");
        var n = await OwnAsync(db, id, ct);
        var call = await OpenCallAsync(db, n.CallId, ct);
        var calendar = await calendars.GetAsync(dbs, ct);
        if (db.UtcNow > calendar.EndOfDayUtc(call.Deadline))
            throw new RuleViolation(CommendationErrors.Deadline, $"《{call.Title}》的申报已于{Dates.Format(call.Deadline)}截止，不能再申报");
        await CheckNominationQuotaAsync(db, call, n, ct);
        await NominationFlow.Definition.ApplyAsync(db, n, "submit", version: version, ct: ct);
        await db.SaveOrConflictAsync(n, ct);
    }

    async Task CheckNominationQuotaAsync(ShiliuDb db, CommendationCall call, Nomination n, CancellationToken ct)
    {
        // The nominating unit's township: the one township among the path's prefixes (a township nominating is its own).
        var segments = n.OrgPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var prefixes = Enumerable.Range(1, segments.Length).Select(k => "/" + string.Join('/', segments[..k]) + "/").ToList();
        var t = await db.OrgUnits.IgnoreQueryFilters().Where(o => prefixes.Contains(o.Path) && o.Level == OrgLevel.Township)
            .Select(o => new { o.Id, o.Path }).SingleAsync(ct);
        var (township, townshipId) = (t.Path, t.Id);
        var line = call.Quotas.SingleOrDefault(q => q.Category == n.Category && q.TownshipId == townshipId)
                   ?? call.Quotas.Single(q => q.Category == n.Category && q.TownshipId == null);
        var taken = await db.Nominations.IgnoreQueryFilters().Where(x => x.CallId == call.Id && x.Category == n.Category && x.Id != n.Id && Active.Contains(x.Status))
            .Under(x => x.OrgPath, township).CountAsync(ct);
        if (taken >= line.Count)
        {
            var tname = (await db.UnitNamesAsync([townshipId], ct))[townshipId];
            throw new RuleViolation(CommendationErrors.Quota,
                $"{tname}推荐{CommendationNames.Category(n.Category)}的名额为{line.Count}个，已申报{taken}个，名额已满");
        }
    }

    public async Task ReviewAsync(Guid id, ReviewNomination req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Review, CommendationErrors.Denied, "审核推荐对象");
        var n = await VisibleAsync(db, id, ct);
        await OpenCallAsync(db, n.CallId, ct);
        await NominationFlow.Definition.ApplyAsync(db, n, req.Approve ? "approve" : "return", req.Reason, req.Version, ct);
        await db.SaveOrConflictAsync(n, ct);
    }

    /// <summary>县级审定 with the meeting's vote: 通过 needs more than half of the votes cast for it, and a free place in the category.</summary>
    public async Task DecideAsync(Guid id, DecideNomination req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Manage, CommendationErrors.Denied, "审定推荐对象");
        var n = await VisibleAsync(db, id, ct);
        var call = await OpenCallAsync(db, n.CallId, ct);
        var cast = req.VotesFor + req.VotesAgainst + req.VotesAbstain;
        if (cast == 0) throw RuleViolation.ForField(CommendationErrors.Invalid, "votesFor", "请填写审定会议的表决票数");
        if (req.MeetingDate > Today(db)) throw RuleViolation.ForField(CommendationErrors.Invalid, "meetingDate", "审定会议日期不能晚于今天");
        if (req.Pass && req.VotesFor * 2 <= cast)
            throw RuleViolation.ForField(CommendationErrors.Invalid, "votesFor", $"赞成{req.VotesFor}票，未超过表决票数{cast}票的半数，不能审定通过");
        if (req.Pass)
        {
            var quota = call.Quotas.Single(q => q.Category == n.Category && q.TownshipId == null).Count;
            var approved = await db.Nominations.IgnoreQueryFilters().CountAsync(x => x.CallId == call.Id && x.Category == n.Category && Awarded.Contains(x.Status), ct);
            if (approved >= quota)
                throw new RuleViolation(CommendationErrors.Quota, $"{CommendationNames.Category(n.Category)}评选名额为{quota}个，已审定通过{approved}个，名额已满");
        }
        await NominationFlow.Definition.ApplyAsync(db, n, req.Pass ? "pass" : "fail", req.Reason, req.Version, ct);
        (n.VotesFor, n.VotesAgainst, n.VotesAbstain, n.MeetingDate) = (req.VotesFor, req.VotesAgainst, req.VotesAbstain, req.MeetingDate);
        await db.SaveOrConflictAsync(n, ct);
    }

    public async Task WithdrawAsync(Guid id, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Nominate, CommendationErrors.Denied, "撤回推荐");
        var n = await OwnAsync(db, id, ct);
        await NominationFlow.Definition.ApplyAsync(db, n, "withdraw", reason, version, ct);
        await db.SaveOrConflictAsync(n, ct);
    }

    // ---- 公示, objections, 表彰 ----

    /// <summary>
    /// Opens 公示: freezes the list (every 审定通过 nominee goes into 公示, nothing may be added) and sets the window of the
    /// call's working days from the calendar, starting on the given working day, or today when it is one (else the next).
    /// </summary>
    public async Task<(DateOnly From, DateOnly To)> OpenPublicityAsync(Guid callId, OpenPublicity req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Manage, CommendationErrors.Denied, "发布公示");
        var call = await OpenCallAsync(db, callId, ct);
        db.Entry(call).Property(x => x.Version).OriginalValue = req.Version;
        var calendar = await calendars.GetAsync(dbs, ct);
        var today = Today(db);
        var from = req.From ?? (calendar.IsWorkday(today) ? today : NextWorkday(calendar, today));
        if (from < today) throw RuleViolation.ForField(CommendationErrors.Window, "from", "公示开始日期不能早于今天");
        if (!calendar.IsWorkday(from)) throw RuleViolation.ForField(CommendationErrors.Window, "from", $"公示开始日期 {Dates.Format(from)} 不是工作日");
        var pending = await db.Nominations.CountAsync(n => n.CallId == callId && (n.Status == NominationStatus.Submitted || n.Status == NominationStatus.TownshipApproved), ct);
        if (pending > 0) throw new RuleViolation(CommendationErrors.State, $"还有{pending}个推荐对象未审核或未审定，请先办结后再公示");
        var approved = await db.Nominations.Where(n => n.CallId == callId && n.Status == NominationStatus.Approved).ToListAsync(ct);
        if (approved.Count == 0) throw new RuleViolation(CommendationErrors.State, "还没有审定通过的推荐对象，无法公示");
        foreach (var n in approved) await NominationFlow.Definition.ApplyAsync(db, n, "publicize", ct: ct);
        var to = calendar.AddWorkingDays(from, call.PublicityDays - 1);
        (call.Status, call.PublicityFrom, call.PublicityTo) = (CallStatus.Publicity, from, to);
        await db.SaveOrConflictAsync(call, ct);
        return (from, to);
    }

    public async Task<IReadOnlyList<ObjectionRow>> ObjectionsAsync(Guid callId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Manage, CommendationErrors.Denied, "查看公示异议");
        return await ObjectionRowsAsync(db, callId, null, ct);
    }

    static async Task<IReadOnlyList<ObjectionRow>> ObjectionRowsAsync(ShiliuDb db, Guid callId, Guid? nominationId, CancellationToken ct)
    {
        var q = db.CommendationObjections.AsNoTracking().Where(o => o.CallId == callId);
        if (nominationId is { } nid) q = q.Where(o => o.NominationId == nid);
        var rows = await q.OrderBy(o => o.ReceivedUtc)
            .Join(db.Nominations.IgnoreQueryFilters(), o => o.NominationId, n => n.Id, (o, n) => new { o, n.NomineeName }).ToListAsync(ct);
        var names = await db.DisplayNamesAsync(rows.Select(r => r.o.AnsweredBy), ct);
        // The contact only as its mask: staff answer in the system, the resident reads the answer on the 公示 page.
        return rows.Select(r => new ObjectionRow(r.o.Id, r.o.NominationId, r.NomineeName, r.o.Text, r.o.ContactMasked, r.o.ReceivedUtc, r.o.Status, r.o.Answer,
            r.o.Outcome, r.o.AnsweredBy is { } u ? names.GetValueOrDefault(u, u) : null, r.o.AnsweredUtc, r.o.Version)).ToList();
    }

    /// <summary>The county answers an objection; an upheld one drops the nominee from the list (未通过, with the answer as the reason).</summary>
    public async Task AnswerObjectionAsync(Guid objectionId, AnswerObjection req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var answer = EvidenceService.CleanMultiline(req.Answer, "答复内容");
        if (answer.Length == 0) throw RuleViolation.ForField(CommendationErrors.Invalid, "answer", "请填写答复内容");
        if (req.Outcome is not { } outcome || !Enum.IsDefined(outcome)) throw RuleViolation.ForField(CommendationErrors.Invalid, "outcome", "请选择核查结论");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Manage, CommendationErrors.Denied, "答复公示异议");
        var o = await db.CommendationObjections.SingleOrDefaultAsync(x => x.Id == objectionId, ct) ?? throw new NotFoundInScope("异议");
        if (o.Status == ObjectionStatus.Answered) throw new RuleViolation(CommendationErrors.State, "该异议已答复");
        var call = await db.CommendationCalls.SingleAsync(c => c.Id == o.CallId, ct);
        if (call.Status != CallStatus.Publicity) throw new RuleViolation(CommendationErrors.State, $"《{call.Title}》{CommendationNames.Call(call.Status)}，异议已不能再答复");
        db.Entry(o).Property(x => x.Version).OriginalValue = req.Version;
        (o.Status, o.Answer, o.Outcome, o.AnsweredBy, o.AnsweredUtc) = (ObjectionStatus.Answered, answer, outcome, db.Caller.UserName, db.UtcNow);
        if (outcome == ObjectionOutcome.Upheld)
        {
            var n = await db.Nominations.SingleAsync(x => x.Id == o.NominationId, ct);
            if (n.Status == NominationStatus.Publicity)
                await NominationFlow.Definition.ApplyAsync(db, n, "drop", $"公示异议经核查成立：{(answer.Length > 480 ? answer[..480] : answer)}", ct: ct);
        }
        await db.SaveOrConflictAsync(o, ct);
    }

    /// <summary>
    /// 表彰: after the 公示 window has closed and every objection is answered, records the decision (文号, date), commends
    /// every nominee still in 公示 and numbers their certificates.
    /// </summary>
    public async Task RecordDecisionAsync(Guid callId, RecordDecision req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var no = Validation.CleanText(req.DecisionNo, "文号").Replace('[', '〔').Replace(']', '〕').Replace('［', '〔').Replace('］', '〕');
        if (!DocumentNo().IsMatch(no)) throw RuleViolation.ForField(CommendationErrors.Invalid, "decisionNo", "文号格式应如“新民发〔2019〕5号”（机关代字、〔年份〕、序号）");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Manage, CommendationErrors.Denied, "表彰模范");
        var call = await db.CommendationCalls.SingleOrDefaultAsync(c => c.Id == callId, ct) ?? throw new NotFoundInScope("评选通知");
        if (call.Status != CallStatus.Publicity) throw new RuleViolation(CommendationErrors.State, $"《{call.Title}》{CommendationNames.Call(call.Status)}，只有公示结束后才能表彰");
        db.Entry(call).Property(x => x.Version).OriginalValue = req.Version;
        var today = Today(db);
        if (today <= call.PublicityTo) throw new RuleViolation(CommendationErrors.Window, $"公示期到{Dates.Format(call.PublicityTo!.Value)}结束，公示期满后才能表彰");
        if (req.DecisionDate < call.PublicityTo || req.DecisionDate > today)
            throw RuleViolation.ForField(CommendationErrors.Invalid, "decisionDate", "表彰决定日期须在公示结束之后，且不晚于今天");
        var open = await db.CommendationObjections.CountAsync(o => o.CallId == callId && o.Status == ObjectionStatus.Open, ct);
        if (open > 0) throw new RuleViolation(CommendationErrors.Objections, $"还有{open}条公示异议未答复，全部答复后才能表彰");
        var nominees = await db.Nominations.Where(n => n.CallId == callId && n.Status == NominationStatus.Publicity).OrderBy(n => n.Category).ThenBy(n => n.CreatedUtc).ToListAsync(ct);
        if (nominees.Count == 0) throw new RuleViolation(CommendationErrors.State, "公示名单中没有可以表彰的对象");
        var year = req.DecisionDate!.Value.Year;
        var seq = 0;
        foreach (var n in nominees)
        {
            await NominationFlow.Definition.ApplyAsync(db, n, "commend", ct: ct);
            n.CertificateNo = $"{year}-{call.Id.ToString("N")[^4..].ToUpperInvariant()}-{++seq:000}";
        }
        (call.Status, call.DecisionNo, call.DecisionDate) = (CallStatus.Decided, no, req.DecisionDate);
        await db.SaveOrConflictAsync(call, ct);
    }

    public async Task RevokeAsync(Guid id, RevokeTitle req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.Manage, CommendationErrors.Denied, "撤销模范称号");
        var n = await VisibleAsync(db, id, ct);
        await NominationFlow.Definition.ApplyAsync(db, n, "revoke", req.Reason, req.Version, ct);
        await db.SaveOrConflictAsync(n, ct);
    }

    /// <summary>光荣榜 for staff: awardees of every year in the caller's scope, revoked titles marked.</summary>
    public async Task<IReadOnlyList<RollRow>> RollAsync(int? year = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.View, CommendationErrors.Denied, "查看光荣榜");
        return await Roll(db, year, ct);
    }

    internal static async Task<IReadOnlyList<RollRow>> Roll(ShiliuDb db, int? year, CancellationToken ct)
    {
        var q = db.Nominations.AsNoTracking().Where(n => n.Status == NominationStatus.Commended || n.Status == NominationStatus.Revoked)
            .Join(db.CommendationCalls, n => n.CallId, c => c.Id, (n, c) => new { n, c });
        if (year is { } y)
        {
            var (from, to) = (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
            q = q.Where(x => x.c.DecisionDate >= from && x.c.DecisionDate <= to);
        }
        var rows = await q.OrderByDescending(x => x.c.DecisionDate).ThenBy(x => x.n.Category).ThenBy(x => x.n.CertificateNo).Take(1000).ToListAsync(ct);
        var names = await db.UnitNamesAsync(rows.Select(r => r.n.OrgUnitId), ct);
        return rows.Select(r => new RollRow(r.n.Id, r.c.DecisionDate?.Year ?? r.c.IssuedOn.Year, r.c.Title, r.c.DecisionNo, r.c.DecisionDate, r.n.Category,
            r.n.NomineeName, names[r.n.OrgUnitId], r.n.Status == NominationStatus.Revoked, r.n.RevokeReason, r.n.CertificateNo)).ToList();
    }

    /// <summary>The awardee's certificate as PDF (荣誉证书), for a title that stands.</summary>
    public async Task<(byte[] Pdf, string FileName)> CertificateAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CommendationPermissions.View, CommendationErrors.Denied, "下载荣誉证书");
        var n = await VisibleAsync(db, id, ct);
        if (n.Status != NominationStatus.Commended)
            throw new RuleViolation(CommendationErrors.State, $"推荐对象“{n.NomineeName}”{CommendationNames.Status(n.Status)}，没有可以打印的荣誉证书");
        var call = await db.CommendationCalls.AsNoTracking().SingleAsync(c => c.Id == n.CallId, ct);
        var issuer = await db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == call.IssuedByUnitId).Select(o => o.Name).SingleAsync(ct);
        var unit = (await db.UnitNamesAsync([n.OrgUnitId], ct))[n.OrgUnitId];
        var pdf = Certificate.Pdf(new CertificateText(n.NomineeName, unit, n.Category, call.Title, issuer, call.DecisionNo!, call.DecisionDate!.Value, n.CertificateNo!));
        db.Audit(Auditing.AuditEvents.Export, $"打印荣誉证书（{n.CertificateNo}，{CommendationNames.Category(n.Category)}）", nameof(Nomination), n.Id.ToString(), n.OrgPath);
        await db.SaveChangesAsync(ct);
        return (pdf, $"荣誉证书-{n.CertificateNo}.pdf");
    }

    static async Task<CommendationCall> OpenCallAsync(ShiliuDb db, Guid callId, CancellationToken ct)
    {
        var call = await db.CommendationCalls.Include(c => c.Quotas).SingleOrDefaultAsync(c => c.Id == callId, ct)
            ?? throw RuleViolation.ForField(CommendationErrors.Invalid, "callId", "评选通知不存在");
        if (call.Status != CallStatus.Open)
            throw new RuleViolation(CommendationErrors.State, $"《{call.Title}》{CommendationNames.Call(call.Status)}，名单已锁定，不能再申报或审核");
        return call;
    }

    static async Task<Nomination> VisibleAsync(ShiliuDb db, Guid id, CancellationToken ct)
    {
        var own = db.Caller.OrgPath;
        return await db.Nominations.Include(n => n.Files)
                   .SingleOrDefaultAsync(n => n.Id == id && (db.Caller.ScopeAll || n.OrgPath == own || n.Status != NominationStatus.Draft), ct)
               ?? throw new NotFoundInScope("推荐对象");
    }

    static async Task<Nomination> OwnAsync(ShiliuDb db, Guid id, CancellationToken ct) =>
        await db.Nominations.Include(n => n.Files).SingleOrDefaultAsync(n => n.Id == id && n.OrgPath == db.Caller.OrgPath, ct)
        ?? throw new NotFoundInScope("本单位的推荐对象");
}

/// <summary>Dates as 2026年12月7日.</summary>
public static class Dates
{
    public static string Format(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";
}
