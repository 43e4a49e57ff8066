using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Exports;
using Shiliu.Core.Platform.Notifications;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Appeals;

public sealed class AppealQuery
{
    public AppealStatus? Status { get; set; }
    public string? Topic { get; set; }
    /// <summary>Only appeals offered to the caller's unit and waiting for it to accept or return them.</summary>
    public bool? OfferedToMe { get; set; }
    /// <summary>Code or words of the text.</summary>
    public string? Keyword { get; set; }
    /// <summary>Held by the unit's subtree.</summary>
    public Guid? OrgUnitId { get; set; }
    /// <summary>Not yet answered or closed (待受理、办理中、转办中、重办).</summary>
    public bool? Open { get; set; }
    /// <summary>Open and past the time limit of its topic (working days, paused while answered).</summary>
    public bool? Overdue { get; set; }
    /// <summary>Received on or after this day (China time).</summary>
    public DateOnly? From { get; set; }
    /// <summary>Received on or before this day (China time).</summary>
    public DateOnly? To { get; set; }
    /// <summary>A reply has been given (whatever happened after it).</summary>
    public bool? Answered { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

public sealed record AppealRow(Guid Id, string Code, string TopicName, string ChannelName, string UnitName, string PlaceName, AppealStatus Status, string? HandoverToName,
    DateTime CreatedUtc, string DeadlineState, DateTime? DueUtc)
{
    public string StatusName => AppealNames.Status(Status);
}

public sealed record AppealStepView(string Verb, string From, string To, string? Reason, string UserName, DateTime TimeUtc);

public sealed record AppealHolding(string UnitName, bool Waiting, DateTime FromUtc, DateTime? ToUtc, long OfficeMinutes);

public sealed record RepeatedAppeal(Guid Id, string Code, string TopicName, DateTime CreatedUtc, string StatusName);

public sealed record IntakeTarget(string Kind, string Verb);

public sealed record AppealPhotoRow(Guid Id, string FileName, long Size);

public sealed record AppealDetail(Guid Id, string Code, string Topic, string TopicName, string ChannelName, string Text, Guid OrgUnitId, string UnitName, string PlaceName,
    string? Address, string? NameMasked, string? PhoneMasked, AppealStatus Status, string? HandoverToName, string? Answer, DateTime? AnsweredUtc, bool? AnsweredOnTime,
    bool? Resolved, string? FeedbackComment, int ReopenCount, string? ConvertedName, string? ConvertedNumber, string? ConvertedLink, DateTime CreatedUtc,
    string CreatedBy, string DeadlineState, DateTime? DueUtc, string TimeLimit, IReadOnlyList<AppealStepView> Steps, IReadOnlyList<AppealHolding> Holdings,
    IReadOnlyList<AppealPhotoRow> Photos, IReadOnlyList<string> Actions, bool CanReveal, IReadOnlyList<RepeatedAppeal> Repeats, IReadOnlyList<string> Templates,
    IReadOnlyList<IntakeTarget> Targets, int Version)
{
    public string StatusName => AppealNames.Status(Status);
}

/// <summary>A unit to send an appeal to or file it under, with its township (or county) as the group it is listed in.</summary>
public sealed record AppealUnit(Guid Id, string Name, string Group, bool Community);

public sealed record AppealContact(string? Name, string? Phone);

public sealed record AppealStatRow(string Name, int Total, int Answered, int OnTime, int Closed, int Reopened)
{
    /// <summary>Share of answered appeals answered within the topic's limit, in percent (null when none answered).</summary>
    public double? OnTimeRate => Answered == 0 ? null : Math.Round(100.0 * OnTime / Answered, 1);
}

public sealed record AppealStatistics(int Year, IReadOnlyList<AppealStatRow> ByTopic, IReadOnlyList<AppealStatRow> ByUnit, IReadOnlyList<AppealStatRow> ByMonth,
    AppealStatRow Total);

/// <summary>
/// Staff side of 诉求: list, read (masked), enter from the hotline / window / visit, accept, 转办 and its answer, answer,
/// convert into another module's case, reveal the contact (the owner unit only, audited), statistics and the ledger.
/// </summary>
public sealed class AppealService(IDbContextFactory<ShiliuDb> dbs, PersonalData pii, AppealOptions options, IFileStore store,
    CalendarCache calendars, OutboxService outbox, ExportService exports, IEnumerable<ICaseIntakeTarget> targets)
{
    public async Task<Paged<AppealRow>> ListAsync(AppealQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.View, AppealErrors.Denied, "查看群众诉求");
        var (page, size) = Paged<AppealRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20, 100);
        var rows = await FilterAsync(db, q, ct);
        var total = await rows.CountAsync(ct);
        var list = await rows.OrderByDescending(a => a.CreatedUtc).Skip((page - 1) * size).Take(size).AsNoTracking().ToListAsync(ct);
        return new Paged<AppealRow>(await RowsAsync(db, list, ct), total, page, size);
    }

    async Task<IQueryable<Appeal>> FilterAsync(ShiliuDb db, AppealQuery q, CancellationToken ct)
    {
        var keyword = Validation.Filter(q.Keyword, "关键词", 50);
        var topic = Validation.Filter(q.Topic, "类别", 40);
        var rows = db.Appeals.AsQueryable();
        if (q.Status is { } s) rows = rows.Where(a => a.Status == s);
        if (topic is not null) rows = rows.Where(a => a.Topic == topic);
        if (q.OfferedToMe == true)
        {
            var own = db.Caller.OrgPath ?? "\u0001";
            rows = rows.Where(a => a.HandoverToPath == own);
        }
        if (keyword is not null) rows = rows.Where(a => a.Code.Contains(keyword.ToUpper()) || a.Text.Contains(keyword));
        if (q.OrgUnitId is { } u)
        {
            rows = rows.Under(a => a.OrgPath, await db.UnitPathAsync(u, ct));
        }
        if (q.From is { } f && q.To is { } t && f > t) throw RuleViolation.ForField(AppealErrors.Invalid, "to", "结束日期不能早于开始日期");
        if (q.From is { } from)
        {
            var start = ChinaTime.DayStartUtc(from);
            rows = rows.Where(a => a.CreatedUtc >= start);
        }
        if (q.To is { } to)
        {
            var end = ChinaTime.DayStartUtc(to.AddDays(1));
            rows = rows.Where(a => a.CreatedUtc < end);
        }
        if (q.Answered == true) rows = rows.Where(a => a.AnsweredUtc != null);
        if (q.Open == true || q.Overdue == true) rows = rows.Where(a => AppealOverdue.Open.Contains(a.Status));
        if (q.Overdue == true)
        {
            var ids = await AppealOverdue.IdsAsync(db, rows, await calendars.GetAsync(dbs, ct), ct);
            rows = rows.Where(a => ids.Contains(a.Id));
        }
        return rows;
    }

    async Task<List<AppealRow>> RowsAsync(ShiliuDb db, IReadOnlyList<Appeal> list, CancellationToken ct)
    {
        var names = await db.UnitNamesAsync(list.SelectMany(a => new[] { a.OrgUnitId, a.PlaceUnitId }.Concat(a.HandoverToUnitId is { } h ? [h] : [])).Distinct(), ct);
        var cal = await calendars.GetAsync(dbs, ct);
        var steps = await Handover.StepsAsync(db, AppealFlow.Definition.Name, list.Select(a => a.Id).ToList(), ct);
        return list.Select(a =>
        {
            var clock = Clock(cal, a, steps[a.Id].ToList(), db.UtcNow);
            return new AppealRow(a.Id, a.Code, AppealNames.TopicName(a.Topic), AppealNames.Channel(a.Channel), names[a.OrgUnitId], names[a.PlaceUnitId], a.Status,
                a.HandoverToUnitId is { } h ? names[h] : null, a.CreatedUtc, clock.StateName, clock.DueUtc);
        }).ToList();
    }

    static ClockReading Clock(WorkCalendar cal, Appeal a, IReadOnlyList<WorkflowStep> steps, DateTime now) =>
        Handover.Clock(cal, (AppealNames.Topic(a.Topic)?.Limit) ?? new TimeLimit(10, ClockUnit.WorkingDays), a.CreatedUtc, steps, AppealFlow.Pausing, now);

    public async Task<AppealDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.View, AppealErrors.Denied, "查看群众诉求");
        var a = await db.Appeals.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("诉求");
        var steps = (await Handover.StepsAsync(db, AppealFlow.Definition.Name, [a.Id], ct))[a.Id].ToList();
        var cal = await calendars.GetAsync(dbs, ct);
        var clock = Clock(cal, a, steps, db.UtcNow);
        var holdings = Handover.Holdings(cal, steps.FirstOrDefault()?.OrgPath ?? a.OrgPath, a.CreatedUtc, steps, a.ClosedUtc ?? db.UtcNow);
        var paths = holdings.Select(h => h.OrgPath).Distinct().ToList();
        var pathNames = await db.OrgUnits.IgnoreQueryFilters().Where(o => paths.Contains(o.Path)).ToDictionaryAsync(o => o.Path, o => o.Name, ct);
        var names = await db.UnitNamesAsync(new[] { a.OrgUnitId, a.PlaceUnitId }.Concat(a.HandoverToUnitId is { } h ? [h] : []).Distinct(), ct);
        var photos = await db.AppealPhotos.AsNoTracking().Where(p => p.AppealId == a.Id).OrderBy(p => p.CreatedUtc)
            .Select(p => new AppealPhotoRow(p.Id, p.FileName, p.Size)).ToListAsync(ct);
        var handler = IsHandler(db.Caller, a);
        var repeats = handler && a.PhoneCipher is not null ? await RepeatsAsync(db, a, ct) : [];
        var actions = AppealFlow.Definition.Available(a, db.Caller).Select(s => s.Action).Where(x => !AppealFlow.ResidentSteps.Contains(x)).ToList();
        var intake = actions.Contains("convert")
            ? targets.Where(t => db.Caller.Can(t.Permission)).Select(t => new IntakeTarget(t.Kind, t.Verb)).ToList()
            : [];
        var history = (await AppealFlow.Definition.HistoryAsync(db, a.Id, ct)).Select(s => new AppealStepView(s.Verb, s.From, s.To, s.Reason, s.Who, s.TimeUtc)).ToList();
        var topic = AppealNames.Topic(a.Topic);
        return new AppealDetail(a.Id, a.Code, a.Topic, AppealNames.TopicName(a.Topic), AppealNames.Channel(a.Channel), a.Text, a.OrgUnitId, names[a.OrgUnitId],
            names[a.PlaceUnitId], a.Address, a.NameMasked, a.PhoneMasked, a.Status, a.HandoverToUnitId is { } ho ? names[ho] : null, a.Answer, a.AnsweredUtc,
            a.AnsweredOnTime, a.Resolved, a.FeedbackComment, a.ReopenCount, a.ConvertedName, a.ConvertedNumber, a.ConvertedLink, a.CreatedUtc, a.CreatedBy,
            clock.StateName, clock.DueUtc, topic?.Limit.Text ?? "",
            history, holdings.Select(x => new AppealHolding(pathNames.GetValueOrDefault(x.OrgPath, "（已撤销的单位）"), x.Waiting, x.FromUtc, x.ToUtc, x.OfficeMinutes)).ToList(),
            photos, actions, handler && (a.NameCipher ?? a.PhoneCipher) is not null, repeats, topic?.Templates ?? [], intake, a.Version);
    }

    /// <summary>The owner unit's handlers: they see who asked (masked lists, reveal with a purpose) and the repeat flag.</summary>
    static bool IsHandler(Caller caller, Appeal a) => !caller.IsSystem && caller.OrgPath == a.OrgPath && caller.Can(AppealPermissions.Handle);

    /// <summary>Earlier or later appeals from the same phone within the configured days, in the caller's scope.</summary>
    async Task<List<RepeatedAppeal>> RepeatsAsync(ShiliuDb db, Appeal a, CancellationToken ct)
    {
        var hashes = pii.Hashes(pii.Open(a.PhoneCipher!)).ToList();
        var since = db.UtcNow.AddDays(-options.RepeatDays);
        var rows = await db.Appeals.AsNoTracking().Where(x => x.Id != a.Id && x.PhoneHash != null && hashes.Contains(x.PhoneHash) && x.CreatedUtc >= since)
            .OrderByDescending(x => x.CreatedUtc).Take(20).Select(x => new { x.Id, x.Code, x.Topic, x.CreatedUtc, x.Status }).ToListAsync(ct);
        return rows.Select(x => new RepeatedAppeal(x.Id, x.Code, AppealNames.TopicName(x.Topic), x.CreatedUtc, AppealNames.Status(x.Status))).ToList();
    }

    /// <summary>Staff enter an appeal taken by the hotline, at a window or on a visit; the resident is told the code and PIN.</summary>
    public async Task<AppealReceipt> CreateAsync(FileAppeal req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.Handle, AppealErrors.Denied, "登记群众诉求");
        var channel = req.Channel ?? AppealChannel.Hotline;
        if (channel == AppealChannel.Public || !Enum.IsDefined(channel))
            throw RuleViolation.ForField(AppealErrors.Invalid, "channel", "请选择诉求来源：热线、窗口或走访");
        var (a, pin, unit) = await AppealIntake.CreateAsync(db, pii, options, req, channel, ct);
        await db.SaveChangesAsync(ct);
        return new AppealReceipt(a.Id, a.Code, pin, unit);
    }

    /// <summary>受理, 接收转办 and 退回转办 (with a reason): steps that change nothing but the state and the holder.</summary>
    public async Task StepAsync(Guid id, string action, string? reason, int version, CancellationToken ct = default)
    {
        if (action is not ("accept" or "take" or "return"))
            throw RuleViolation.ForField(AppealErrors.Invalid, "action", "操作只能是受理（accept）、接收转办（take）或退回转办（return）");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.Handle, AppealErrors.Denied, "办理群众诉求");
        var a = await FindAsync(db, id, ct);
        await AppealFlow.Definition.ApplyAsync(db, a, action, reason, version, ct);
        await db.SaveOrConflictAsync(a, ct);
    }

    /// <summary>转办: offers the appeal to another unit with a reason; it stays with this unit until the receiver accepts.</summary>
    public async Task TransferAsync(Guid id, Guid toUnitId, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.Handle, AppealErrors.Denied, "转办群众诉求");
        var a = await FindAsync(db, id, ct);
        if (a.Version != version) throw new ConcurrencyConflict(a.UpdatedBy, a.UpdatedUtc);
        // The step is checked first (state, unit, reason), so a refused 转办 does not leave a half-made offer behind.
        if (!AppealFlow.Definition.CanTake(a, db.Caller, "transfer"))
        {
            await AppealFlow.Definition.ApplyAsync(db, a, "transfer", reason, version, ct);
        }
        await Handover.OfferAsync(db, a, toUnitId, "toUnitId", ct);
        await AppealFlow.Definition.ApplyAsync(db, a, "transfer", reason, version, ct);
        await db.SaveOrConflictAsync(a, ct);
    }

    /// <summary>答复: the answer the resident reads with code + PIN; an SMS with the code (never the PIN) when they left a phone.</summary>
    public async Task AnswerAsync(Guid id, string? answer, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.Handle, AppealErrors.Denied, "答复群众诉求");
        var a = await FindAsync(db, id, ct);
        if (string.IsNullOrWhiteSpace(answer)) throw RuleViolation.ForField(AppealErrors.Invalid, "answer", "请填写答复内容");
        var text = EvidenceService.CleanMultiline(answer, "答复内容");
        if (text.Length > 2000) throw RuleViolation.ForField(AppealErrors.Invalid, "answer", "答复内容不能超过2000字");
        if (text.Contains('{')) throw RuleViolation.ForField(AppealErrors.Invalid, "answer", "答复中还有未填写的模板占位（{…}），请改成实际内容");
        var first = a.AnsweredOnTime is null;
        var steps = (await Handover.StepsAsync(db, AppealFlow.Definition.Name, [a.Id], ct))[a.Id].ToList();
        var clock = Clock(await calendars.GetAsync(dbs, ct), a, steps, db.UtcNow);
        await AppealFlow.Definition.ApplyAsync(db, a, "answer", null, version, ct);
        a.Answer = text;
        a.AnsweredUtc = db.UtcNow;
        if (first) a.AnsweredOnTime = clock.State != DeadlineState.Overdue;
        if (a.PhoneCipher is not null)
            outbox.Queue(db, MessageChannel.Sms, pii.Open(a.PhoneCipher), $"您反映的诉求（查询码 {a.Code}）已有答复，请凭查询码和查询密码在便民服务网站“诉求查询”查看，并告诉我们是否解决。", "群众诉求");
        await db.SaveOrConflictAsync(a, ct);
    }

    /// <summary>
    /// Turns the appeal into a case of another module (服务事项, 矛盾纠纷) in one unit of work: the new case and the appeal's
    /// 已转办 state with the link are saved together or not at all.
    /// </summary>
    public async Task<CaseRef> ConvertAsync(Guid id, string? kind, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.Handle, AppealErrors.Denied, "把诉求转为其他事项办理");
        var a = await FindAsync(db, id, ct);
        if (a.Version != version) throw new ConcurrencyConflict(a.UpdatedBy, a.UpdatedUtc);
        // The step is checked before anything is opened elsewhere: the state and the owner unit's refusal come first.
        if (!AppealFlow.Definition.CanTake(a, db.Caller, "convert")) await AppealFlow.Definition.ApplyAsync(db, a, "convert", null, version, ct);
        var target = targets.FirstOrDefault(t => t.Kind == kind) ?? throw RuleViolation.ForField(AppealErrors.Invalid, "kind", "请选择要转成的事项类型");
        db.Caller.Require(target.Permission, AppealErrors.Denied, target.Verb);
        var place = (await db.UnitNamesAsync([a.PlaceUnitId], ct))[a.PlaceUnitId];
        var source = new CaseRef(AppealCaseKind.KindKey, a.Id, a.Code, AppealCaseKind.Title(a), $"/appeals?id={a.Id}");
        var made = await target.OpenFromAsync(db, new CaseIntake(source, a.OrgUnitId, AppealCaseKind.Title(a), a.Text, a.NameCipher is null ? null : pii.Open(a.NameCipher),
            a.PhoneCipher is null ? null : pii.Open(a.PhoneCipher), a.Address is null ? place : $"{place} {a.Address}"), ct);
        (a.ConvertedKind, a.ConvertedId, a.ConvertedNumber, a.ConvertedLink) = (made.Kind, made.Id, made.Number, made.Link);
        a.ConvertedName = target.Verb.StartsWith("转为", StringComparison.Ordinal) ? target.Verb[2..] : target.Verb;
        await AppealFlow.Definition.ApplyAsync(db, a, "convert", $"{a.ConvertedName} {made.Number}", version, ct);
        await db.SaveOrConflictAsync(a, ct);
        return made;
    }

    /// <summary>The contact in full, for the owner unit's handlers, with a stated purpose written to the audit log (not the values).</summary>
    public async Task<AppealContact> RevealAsync(Guid id, string? purpose, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.Handle, AppealErrors.Denied, "查看诉求人的姓名和电话");
        var a = await db.Appeals.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("诉求");
        if (!IsHandler(db.Caller, a)) throw new RuleViolation(AppealErrors.Denied, "只有承办单位的办理人员可以查看诉求人的姓名和电话");
        var why = ExportService.CheckPurpose(purpose);
        db.Audit(AuditEvents.PersonalDataView, $"查看诉求 {a.Code} 诉求人的姓名和电话，用途：{why}", nameof(Appeal), a.Id.ToString(), a.OrgPath);
        await db.SaveChangesAsync(ct);
        return new AppealContact(a.NameCipher is null ? null : pii.Open(a.NameCipher), a.PhoneCipher is null ? null : pii.Open(a.PhoneCipher));
    }

    public async Task<OpenedFile> OpenPhotoAsync(Guid id, Guid photoId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.View, AppealErrors.Denied, "查看诉求照片");
        var a = await db.Appeals.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("诉求");
        var p = await db.AppealPhotos.AsNoTracking().SingleOrDefaultAsync(x => x.Id == photoId && x.AppealId == a.Id, ct) ?? throw new NotFoundInScope("照片");
        return new OpenedFile(await store.OpenReadAsync(p.StorageKey, ct), p.ContentType, p.FileName, p.Size, true);
    }

    /// <summary>Figures of one year by topic, by the unit holding each appeal now, and by month (China time), from the rows.</summary>
    public async Task<AppealStatistics> StatisticsAsync(int? year, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.View, AppealErrors.Denied, "查看诉求统计");
        var y = year ?? ChinaTime.ToChina(db.UtcNow).Year;
        if (y is < 2000 or > 2100) throw RuleViolation.ForField(AppealErrors.Invalid, "year", "年份须在2000至2100之间");
        var from = ChinaTime.DayStartUtc(new DateOnly(y, 1, 1));
        var to = ChinaTime.DayStartUtc(new DateOnly(y + 1, 1, 1));
        var rows = await db.Appeals.AsNoTracking().Where(a => a.CreatedUtc >= from && a.CreatedUtc < to)
            .Select(a => new { a.Topic, a.OrgUnitId, a.CreatedUtc, a.AnsweredOnTime, a.Status, a.ReopenCount }).ToListAsync(ct);
        var names = await db.UnitNamesAsync(rows.Select(r => r.OrgUnitId).Distinct(), ct);
        static AppealStatRow Stat(string name, IReadOnlyList<(bool? OnTime, AppealStatus Status, int Reopens)> g) =>
            new(name, g.Count, g.Count(x => x.OnTime is not null), g.Count(x => x.OnTime == true), g.Count(x => x.Status == AppealStatus.Closed), g.Count(x => x.Reopens > 0));
        var flat = rows.Select(r => (r.Topic, r.OrgUnitId, Month: ChinaTime.ToChina(r.CreatedUtc).Month, Item: (r.AnsweredOnTime, r.Status, r.ReopenCount))).ToList();
        return new AppealStatistics(y,
            flat.GroupBy(r => r.Topic).Select(g => Stat(AppealNames.TopicName(g.Key), g.Select(x => x.Item).ToList())).OrderByDescending(r => r.Total).ToList(),
            flat.GroupBy(r => r.OrgUnitId).Select(g => Stat(names[g.Key], g.Select(x => x.Item).ToList())).OrderByDescending(r => r.Total).ToList(),
            flat.GroupBy(r => r.Month).OrderBy(g => g.Key).Select(g => Stat($"{g.Key}月", g.Select(x => x.Item).ToList())).ToList(),
            Stat("合计", flat.Select(x => x.Item).ToList()));
    }

    /// <summary>诉求台账: the filtered appeals, contacts masked, through the one export service (header, watermark, audit).</summary>
    public async Task<ExportFile> ExportAsync(AppealQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.View, AppealErrors.Denied, "导出诉求台账");
        var list = await (await FilterAsync(db, q, ct)).OrderByDescending(a => a.CreatedUtc).Take(10_000).AsNoTracking().ToListAsync(ct);
        var rows = await RowsAsync(db, list, ct);
        var byId = list.ToDictionary(a => a.Id);
        return await exports.XlsxAsync(db, new ExportSpec("诉求台账.xlsx", "诉求台账", nameof(Appeal), null, db.Caller.OrgPath), async book =>
        {
            using var sheet = book.Sheet("诉求台账", "群众诉求台账",
                ["查询码", "来源", "类别", "所在社区", "承办单位", "诉求人", "电话", "状态", "登记时间", "答复时间", "按时答复", "群众评价"],
                [16, 8, 14, 14, 14, 10, 14, 10, 18, 18, 10, 10], "姓名和电话已脱敏");
            foreach (var r in rows)
            {
                var a = byId[r.Id];
                sheet.Row([r.Code, r.ChannelName, r.TopicName, r.PlaceName, r.UnitName, a.NameMasked, a.PhoneMasked, r.StatusName, ChinaTime.Format(a.CreatedUtc),
                    a.AnsweredUtc is { } t ? ChinaTime.Format(t) : null, a.AnsweredOnTime switch { true => "是", false => "否", _ => null },
                    a.Resolved switch { true => "已解决", false => "未解决", _ => null }]);
            }
            await Task.CompletedTask;
        }, ct);
    }

    /// <summary>Townships and communities county-wide (a 转办 usually goes outside the caller's subtree; unit names are public).</summary>
    public async Task<IReadOnlyList<AppealUnit>> UnitsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AppealPermissions.View, AppealErrors.Denied, "查看群众诉求");
        var units = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => !o.IsDisabled && o.Level != Organizations.OrgLevel.Grid)
            .OrderBy(o => o.Level).ThenBy(o => o.SortOrder).ThenBy(o => o.Code).Select(o => new { o.Id, o.ParentId, o.Name, o.Level }).ToListAsync(ct);
        var byId = units.ToDictionary(u => u.Id);
        return units.Select(u => new AppealUnit(u.Id, u.Name,
                u.Level == Organizations.OrgLevel.Community && u.ParentId is { } p && byId.TryGetValue(p, out var t) ? t.Name : "县、乡镇（街道）",
                u.Level == Organizations.OrgLevel.Community)).ToList();
    }

    static async Task<Appeal> FindAsync(ShiliuDb db, Guid id, CancellationToken ct) =>
        await db.Appeals.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("诉求");
}
