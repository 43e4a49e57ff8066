using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Residents;

public sealed class SaveResident
{
    /// <summary>The community, or one of its grids.</summary>
    public Guid OrgUnitId { get; set; }

    [Required(ErrorMessage = "姓名不能为空"), StringLength(50, ErrorMessage = "姓名不能超过50字")]
    public string Name { get; set; } = "";

    /// <summary>Optional: when given it must agree with the ID number.</summary>
    public Gender Gender { get; set; }

    [Required(ErrorMessage = "请选择民族")]
    public string EthnicityCode { get; set; } = "";

    [Required(ErrorMessage = "身份证号不能为空")]
    public string IdNumber { get; set; } = "";

    /// <summary>Optional: when given it must agree with the ID number.</summary>
    public DateOnly? BirthDate { get; set; }

    public string? Phone { get; set; }

    [StringLength(30, ErrorMessage = "户号不能超过30字")]
    public string? HouseholdNo { get; set; }

    [StringLength(20, ErrorMessage = "与户主关系不能超过20字")]
    public string? RelationToHead { get; set; }

    [StringLength(200, ErrorMessage = "住址不能超过200字")]
    public string? Address { get; set; }

    [EnumDataType(typeof(ResidenceType), ErrorMessage = "请选择人员类型（常住、流动、辖区单位）")]
    public ResidenceType ResidenceType { get; set; }

    [StringLength(100, ErrorMessage = "户籍地（流出地）不能超过100字")]
    public string? OriginPlace { get; set; }

    public DateOnly? ArrivalDate { get; set; }

    [StringLength(30, ErrorMessage = "预计居住时间不能超过30字")]
    public string? ExpectedStay { get; set; }

    [StringLength(50, ErrorMessage = "流入原因不能超过50字")]
    public string? ArrivalReason { get; set; }

    [StringLength(100, ErrorMessage = "工作单位不能超过100字")]
    public string? Employer { get; set; }

    [StringLength(100, ErrorMessage = "语言不能超过100字")]
    public string? Languages { get; set; }

    [StringLength(30, ErrorMessage = "宗教信仰不能超过30字")]
    public string? Religion { get; set; }

    public bool ReligionConsent { get; set; }
    public ResidentNeeds Needs { get; set; }

    [StringLength(500, ErrorMessage = "备注不能超过500字")]
    public string? Notes { get; set; }

    public ResidentStatus Status { get; set; } = ResidentStatus.Registered;
    public DateOnly? StatusDate { get; set; }
    public int Version { get; set; }
}

public sealed record ResidentQuery
{
    public Guid? OrgUnitId { get; set; }
    public string? Name { get; set; }
    public string? EthnicityCode { get; set; }
    public ResidenceType? ResidenceType { get; set; }
    public ResidentNeeds? Needs { get; set; }
    public int? AgeMin { get; set; }
    public int? AgeMax { get; set; }
    /// <summary>Registered (在册) when not given.</summary>
    public ResidentStatus? Status { get; set; }
    /// <summary>Exact match through the lookup hash (the stored value is encrypted); a lookup of personal data, so audited.</summary>
    public string? IdNumber { get; set; }
    /// <summary>Why the ID number is looked up: required with <see cref="IdNumber"/>, written to the audit log.</summary>
    public string? Purpose { get; set; }
    public string? HouseholdNo { get; set; }
    /// <summary>Arrivals (流入, by the arrival date) or departures (迁出, by the date of moving out) between From and To.</summary>
    public ResidentFlow? Flow { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

/// <summary>The population's movement a list may select, as the dashboard counts it.</summary>
public enum ResidentFlow
{
    /// <summary>
    /// Arrived (流入时间) in the period, whatever became of them since, unless the record was cancelled as wrong. Only
    /// floating residents keep an arrival date (the service clears it for the others), as the inflow tally counts them.
    /// </summary>
    In,
    /// <summary>Moved out (迁出) in the period.</summary>
    Out,
}

public sealed record ResidentRow(Guid Id, Guid OrgUnitId, string UnitName, string Name, Gender Gender, string EthnicityCode, string EthnicityName,
    string IdNumberMasked, int? Age, string AgeText, string? PhoneMasked, string? HouseholdNo, string? RelationToHead, ResidenceType ResidenceType,
    ResidentNeeds Needs, ResidentStatus Status, int Version)
{
    public string GenderName => ResidentNames.Gender(Gender);
    public string TypeName => ResidentNames.Type(ResidenceType);
    public string StatusName => ResidentNames.Status(Status);
}

public sealed record ResidentDetail(ResidentRow Row, string? Address, string? OriginPlace, DateOnly? ArrivalDate, string? ExpectedStay,
    string? ArrivalReason, string? Employer, string? Languages, string? Religion, bool ReligionConsent, string? Notes, DateOnly? StatusDate,
    string? UpdatedBy, DateTime UpdatedUtc);

public sealed record Revealed(string IdNumber, string? Phone);

public sealed record ChangeRow(DateTime TimeUtc, string UserName, string Action, string Details);

public sealed record TransferRow(Guid Id, Guid ResidentId, string ResidentName, string FromUnitName, string ToUnitName, string Reason,
    TransferStatus Status, string RequestedBy, DateTime RequestedUtc, string? DecidedBy, DateTime? DecidedUtc, string? RefuseReason, bool Incoming)
{
    public int Version { get; init; }

    public string StatusName => TransferFlow.StatusName(Status);
}

/// <summary>
/// The person is already kept by another unit. The caller learns neither which unit nor the record (a grid worker could
/// otherwise find out who is registered anywhere in the county); the township, which may see both, resolves it.
/// </summary>
public sealed class ExistsElsewhere() : RuleViolation(ResidentErrors.ExistsElsewhere, Text)
{
    public const string Text = "该身份证号已在其他单位登记，请联系乡镇（街道）办理转入";
}

public static class ResidentErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("resident.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("resident.invalid");
    public static readonly ErrorCode ExistsElsewhere = ErrorCode.Conflict("resident.exists_elsewhere");
    public static readonly ErrorCode Duplicate = ErrorCode.Invalid("resident.duplicate");
    /// <summary>Too many exact ID lookups in a minute (answered 429).</summary>
    public static readonly ErrorCode LookupLimit = ErrorCode.TooMany("resident.lookup_limit");
    /// <summary>The ledger selects more people than may go out without a second person's approval (四眼原则).</summary>
    public static readonly ErrorCode ExportNeedsApproval = ErrorCode.Denied("resident.export_needs_approval");
    public static readonly ErrorCode ExportExpired = ErrorCode.Invalid("resident.export_expired");
    /// <summary>The selection has grown past what was approved since the approval.</summary>
    public static readonly ErrorCode ExportOutgrown = ErrorCode.Conflict("resident.export_outgrown");
}

public static class ResidentNames
{
    public static string Gender(Gender g) => g switch { Residents.Gender.Male => "男", Residents.Gender.Female => "女", _ => "未知" };
    public static string Type(ResidenceType t) => t switch { ResidenceType.Permanent => "常住", ResidenceType.Floating => "流动", _ => "辖区单位" };
    public static string Status(ResidentStatus s) => s switch { ResidentStatus.Registered => "在册", ResidentStatus.MovedOut => "迁出", ResidentStatus.Deceased => "死亡", _ => "注销" };

    public static readonly (ResidentNeeds Need, string Name)[] Needs =
    [
        (ResidentNeeds.Employment, "就业"), (ResidentNeeds.Training, "培训"), (ResidentNeeds.Schooling, "入学"), (ResidentNeeds.Medical, "医疗"),
        (ResidentNeeds.Relief, "救助"), (ResidentNeeds.Translation, "翻译"), (ResidentNeeds.Legal, "法律"), (ResidentNeeds.Housing, "住房"), (ResidentNeeds.Other, "其他"),
    ];

    public static string NeedsText(ResidentNeeds n) => string.Join("、", Needs.Where(x => n.HasFlag(x.Need)).Select(x => x.Name));
}

/// <summary>
/// 少数民族信息档案: one record per ID number county-wide, kept by a community (or its grid). ID numbers and phones are
/// encrypted at rest, masked in every output, and unmasked one record at a time by an allowed role (audited).
/// </summary>
public sealed class ResidentService(IDbContextFactory<ShiliuDb> dbs, PersonalData pii)
{
    public async Task<Guid> CreateAsync(SaveResident req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "登记居民信息");
        var (unit, community) = await UnitAsync(db, req.OrgUnitId, ct);
        var id = await ValidateAsync(db, req, ct);
        var hash = pii.Hash(id.Value);
        await EnsureUniqueAsync(db, id.Value, null, ct);
        var r = new Resident { OrgUnitId = unit.Id, OrgPath = unit.Path, CommunityId = community.Id };
        Apply(r, req, id);
        r.IdNumberHash = hash;
        db.Residents.Add(r);
        db.ResidentChanges.Add(new ResidentChange
        {
            ResidentId = r.Id, OrgPath = r.OrgPath, TimeUtc = db.UtcNow, UserName = db.Caller.UserName, Action = "登记",
            Details = $"{r.Name}（{ResidentNames.Type(r.ResidenceType)}，{r.IdNumberMasked}）登记于{unit.Name}" + (id.Converted ? "；15位身份证号已转为18位" : ""),
        });
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await PopulationTally.RefreshAsync(db, [community.Id], ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone registered the same person at the same moment; the unique index caught it.
            if (await HashTakenAsync(hash, ct)) throw new RuleViolation(ResidentErrors.Duplicate, "该身份证号刚刚已被登记，请刷新后查看");
            throw;
        }
        return r.Id;
    }

    public async Task UpdateAsync(Guid id, SaveResident req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "修改居民信息");
        var r = await db.Residents.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("居民");
        var parsed = await ValidateAsync(db, req, ct);
        var hash = pii.Hash(parsed.Value);
        if (hash != r.IdNumberHash) await EnsureUniqueAsync(db, parsed.Value, r.Id, ct);
        var oldCommunity = r.CommunityId;
        if (req.OrgUnitId != r.OrgUnitId)
        {
            // Moving between the grids of the same community; other communities go through a transfer.
            var (unit, community) = await UnitAsync(db, req.OrgUnitId, ct);
            if (community.Id != r.CommunityId) throw new RuleViolation(ResidentErrors.Invalid, "居民只能在本社区的网格之间调整；迁往其他社区请由对方申请转入");
            (r.OrgUnitId, r.OrgPath) = (unit.Id, unit.Path);
        }
        db.Entry(r).Property(x => x.Version).OriginalValue = req.Version;
        var before = Snapshot(r);
        Apply(r, req, parsed);
        r.IdNumberHash = hash;
        var after = Snapshot(r);
        var diff = before.Where(kv => after[kv.Key] != kv.Value).Select(kv => $"{kv.Key}：{Show(kv.Value)} → {Show(after[kv.Key])}").ToList();
        if (diff.Count == 0) return;
        db.ResidentChanges.Add(new ResidentChange { ResidentId = r.Id, OrgPath = r.OrgPath, TimeUtc = db.UtcNow, UserName = db.Caller.UserName, Action = "修改", Details = string.Join("\n", diff) });
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveOrConflictAsync(r, ct);
        await PopulationTally.RefreshAsync(db, [oldCommunity, r.CommunityId], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    static string Show(string? v) => string.IsNullOrEmpty(v) ? "（空）" : v;

    public async Task<ResidentDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看居民信息");
        var r = await db.Residents.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("居民");
        var row = (await RowsAsync(db, [r], ct))[0];
        return new ResidentDetail(row, r.Address, r.OriginPlace, r.ArrivalDate, r.ExpectedStay, r.ArrivalReason, r.Employer, r.Languages,
            r.ReligionConsent ? r.Religion : null, r.ReligionConsent, r.Notes, r.StatusDate, r.UpdatedBy, r.UpdatedUtc);
    }

    /// <summary>The full ID number and phone of one person, for an allowed role, written to the audit log.</summary>
    public async Task<Revealed> RevealAsync(Guid id, string? purpose, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Reveal, ResidentErrors.Denied, "查看完整身份证号和电话");
        var r = await db.Residents.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("居民");
        var why = Purpose(purpose, "查看完整身份证号和电话");
        db.Audit(AuditEvents.PersonalDataView, $"查看居民 {r.Name}（{r.IdNumberMasked}）的完整身份证号和电话，用途：{why}", nameof(Resident), r.Id.ToString(), r.OrgPath);
        db.ResidentChanges.Add(new ResidentChange { ResidentId = r.Id, OrgPath = r.OrgPath, TimeUtc = db.UtcNow, UserName = db.Caller.UserName, Action = "查看完整信息", Details = $"用途：{why}" });
        await db.SaveChangesAsync(ct);
        return new Revealed(pii.Open(r.IdNumberCipher), r.PhoneCipher is null ? null : pii.Open(r.PhoneCipher));
    }

    /// <summary>A page of residents, counted up to <see cref="Paged{T}.CountCap"/> (the statistics page has exact figures).</summary>
    public async Task<Paged<ResidentRow>> ListAsync(ResidentQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看居民信息");
        var items = await FilterAsync(db, q, ct);
        var (page, size) = Paged<ResidentRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20);
        var total = await items.Take(Paged<ResidentRow>.CountCap + 1).CountAsync(ct);
        var list = await items.OrderBy(r => r.OrgPath).ThenBy(r => r.HouseholdNo).ThenBy(r => r.Name).ThenBy(r => r.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return Paged<ResidentRow>.Capped(await RowsAsync(db, list, ct), total, page, size);
    }

    /// <summary>The residents a query selects within the caller's scope (shared by the list and the ledger export).</summary>
    internal async Task<IQueryable<Resident>> FilterAsync(ShiliuDb db, ResidentQuery q, CancellationToken ct)
    {
        var items = db.Residents.AsNoTracking();
        if (q.OrgUnitId is { } u)
        {
            var path = await db.OrgUnits.Where(o => o.Id == u).Select(o => o.Path).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("单位");
            items = items.Under(r => r.OrgPath, path);
        }
        items = Flowed(items, q);
        if (Validation.Filter(q.Name, "姓名", 50) is { } name) items = items.Where(r => r.Name.StartsWith(name));
        if (Validation.Filter(q.EthnicityCode, "民族") is { } ethnicity) items = items.Where(r => r.EthnicityCode == ethnicity);
        if (q.ResidenceType is { } t) items = items.Where(r => r.ResidenceType == t);
        if (q.Needs is { } n && n != ResidentNeeds.None) items = items.Where(r => (r.Needs & n) == n);
        if (Validation.Filter(q.HouseholdNo, "户号") is { } household) items = items.Where(r => r.HouseholdNo == household);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        if (q.AgeMin is < 0 or > 150 || q.AgeMax is < 0 or > 150) throw new RuleViolation(ResidentErrors.Invalid, "年龄须在0至150之间");
        if (q.AgeMin is { } min) { var latest = today.AddYears(-min); items = items.Where(r => r.BirthDate <= latest); }
        if (q.AgeMax is { } max) { var earliest = today.AddYears(-max - 1).AddDays(1); items = items.Where(r => r.BirthDate >= earliest); }
        if (!db.Caller.Can(ResidentPermissions.Reveal) && (q.AgeMin % 10 is > 0 || (q.AgeMax + 1) % 10 is > 0))
            throw new RuleViolation(ResidentErrors.Invalid, "您的角色只能按10岁一档筛选年龄（如 30 至 39 岁）");
        if (!string.IsNullOrWhiteSpace(q.IdNumber))
        {
            if (!IdNumber.TryParse(q.IdNumber, out var p, out var err)) throw RuleViolation.ForField(ResidentErrors.Invalid, "idNumber", err!);
            await AuditLookupAsync(db, p!, q.Purpose, ct);
            // Under every lookup key version: a record hashed under an older key is found until rotate-keys re-hashes it.
            var hashes = pii.Hashes(p!.Value);
            items = items.Where(r => hashes.Contains(r.IdNumberHash));
        }
        return items;
    }

    /// <summary>The status filter, or the arrivals or departures of a period (the records behind the dashboard's 流入 and 迁出).</summary>
    static IQueryable<Resident> Flowed(IQueryable<Resident> items, ResidentQuery q)
    {
        if (q.Flow is { } asked && !Enum.IsDefined(asked)) throw RuleViolation.ForField(ResidentErrors.Invalid, "flow", "流向只能是 In（流入）或 Out（迁出）");
        if (q.From is { } f && q.To is { } t && f > t) throw RuleViolation.ForField(ResidentErrors.Invalid, "to", "结束日期不能早于开始日期");
        if (q.Flow is null && (q.From ?? q.To) is not null)
            throw RuleViolation.ForField(ResidentErrors.Invalid, "flow", "按日期筛选时须选择流入（In，按流入时间）或迁出（Out，按迁出日期）");
        switch (q.Flow)
        {
            case ResidentFlow.In:
                // Arrival is a fact of the past: someone who arrived then and has left since still arrived (the tally counts so).
                items = items.Where(r => r.ArrivalDate != null);
                if (q.From is { } from) items = items.Where(r => r.ArrivalDate >= from);
                if (q.To is { } to) items = items.Where(r => r.ArrivalDate <= to);
                return q.Status is { } s ? items.Where(r => r.Status == s) : items.Where(r => r.Status != ResidentStatus.Cancelled);
            case ResidentFlow.Out:
                if (q.Status is { } other && other != ResidentStatus.MovedOut)
                    throw RuleViolation.ForField(ResidentErrors.Invalid, "status", "选择“迁出”时只列出状态为迁出的居民，状态不能另选");
                items = items.Where(r => r.Status == ResidentStatus.MovedOut && r.StatusDate != null);
                if (q.From is { } since) items = items.Where(r => r.StatusDate >= since);
                if (q.To is { } until) items = items.Where(r => r.StatusDate <= until);
                return items;
            default:
                var status = q.Status ?? ResidentStatus.Registered;
                return items.Where(r => r.Status == status);
        }
    }

    /// <summary>Exact ID-number lookups a user may make in a minute (each audited; refused ones too).</summary>
    public const int LookupsPerMinute = 10;

    /// <summary>
    /// An exact search by ID number confirms whether a guessed number exists (the mask leaves only the birth date to
    /// guess): it needs a purpose, is written to the audit log before it is answered, and is limited per user and minute.
    /// The limit counts the audit log itself, so it holds across app nodes.
    /// </summary>
    async Task AuditLookupAsync(ShiliuDb db, IdNumber.Parsed id, string? purpose, CancellationToken ct)
    {
        var why = Purpose(purpose, "按身份证号查找");
        var since = db.UtcNow.AddMinutes(-1);
        var me = db.Caller.UserName;
        var recent = await db.AuditEntries.CountAsync(a => a.TimeUtc > since && a.Event == AuditEvents.PersonalDataLookup && a.UserName == me && a.Success, ct);
        var allowed = recent < LookupsPerMinute;
        db.Audit(AuditEvents.PersonalDataLookup, $"按身份证号 {IdNumber.Mask(id.Value)} 查找居民，用途：{why}" + (allowed ? "" : $"（1分钟内超过 {LookupsPerMinute} 次，已拒绝）"),
            nameof(Resident), success: allowed);
        await db.SaveChangesAsync(ct);
        if (!allowed) throw new RuleViolation(ResidentErrors.LookupLimit, $"按身份证号查找每分钟最多 {LookupsPerMinute} 次，请稍后再试");
    }

    /// <summary>The stated purpose of a look at personal data: required, one line, at most 100 characters.</summary>
    static string Purpose(string? purpose, string what)
    {
        if (string.IsNullOrWhiteSpace(purpose) || purpose.Trim().Length < 2) throw RuleViolation.ForField(ResidentErrors.Invalid, "purpose", $"{what}须说明用途（如：办理救助），用途记入审计日志");
        var why = Validation.CleanText(purpose, "用途");
        if (why.Length > 100) throw RuleViolation.ForField(ResidentErrors.Invalid, "purpose", "用途不能超过100字");
        return why;
    }

    public async Task<IReadOnlyList<ChangeRow>> HistoryAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看居民信息");
        var r = await db.Residents.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.ImportId, x.ImportRow, x.Name, x.IdNumberMasked, x.ResidenceType })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("居民");
        // History rows stay with the path they were written under; after a transfer the new keeper sees the whole story.
        var rows = await db.ResidentChanges.IgnoreQueryFilters().Where(c => c.ResidentId == id).OrderByDescending(c => c.TimeUtc).ThenByDescending(c => c.Id)
            .Select(c => new ChangeRow(c.TimeUtc, c.UserName, c.Action, c.Details)).ToListAsync(ct);
        if (r.ImportId is { } importId
            && await db.ResidentImports.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(j => j.Id == importId, ct) is { CommittedUtc: { } at } job)
            rows.Add(new ChangeRow(at, job.CommittedBy ?? job.RequestedBy, "导入",
                $"{r.Name}（{ResidentNames.Type(r.ResidenceType)}，{r.IdNumberMasked}）由文件“{job.FileName}”第{r.ImportRow}行导入{job.UnitName}"));
        return rows;
    }

    /// <summary>
    /// The township hands a person kept elsewhere to one of its communities, found by ID number (the community that met
    /// the person is told only "registered elsewhere"). The lookup counts as one (purpose, audit, limit); the keeping unit
    /// — or the township itself, when both units are its own — decides.
    /// </summary>
    public async Task<Guid> RequestTransferByIdNumberAsync(string idNumber, Guid toOrgUnitId, string reason, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireTransferRequester(db);
        if (!IdNumber.TryParse(idNumber, out var id, out var err)) throw RuleViolation.ForField(ResidentErrors.Invalid, "idNumber", err!);
        var text = TransferReason(reason);
        await AuditLookupAsync(db, id!, "办理转入：" + text, ct);
        var hashes = pii.Hashes(id!.Value);
        var residentId = await db.Residents.IgnoreQueryFilters().Where(r => hashes.Contains(r.IdNumberHash)).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(ct)
            ?? throw new RuleViolation(ResidentErrors.Invalid, "该身份证号尚未登记，可直接在本社区登记");
        return await RequestTransferAsync(db, residentId, toOrgUnitId, text, ct);
    }

    public async Task<Guid> RequestTransferAsync(Guid residentId, Guid toOrgUnitId, string reason, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireTransferRequester(db);
        return await RequestTransferAsync(db, residentId, toOrgUnitId, TransferReason(reason), ct);
    }

    /// <summary>Transfers are asked for by the township (or the system): a community never learns where else a person is kept.</summary>
    static void RequireTransferRequester(ShiliuDb db)
    {
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "申请转入居民");
        if (!db.Caller.IsSystem && !db.Caller.IsInRole(Roles.TownshipOfficer))
            throw new RuleViolation(ResidentErrors.Denied, "转入由乡镇（街道）民政办办理：" + ExistsElsewhere.Text);
    }

    static string TransferReason(string? reason)
    {
        var text = Validation.CleanText(reason ?? "", "转入原因");
        if (text.Length > 200) throw RuleViolation.ForField(ResidentErrors.Invalid, "reason", "转入原因不能超过200字");
        return text;
    }

    async Task<Guid> RequestTransferAsync(ShiliuDb db, Guid residentId, Guid toOrgUnitId, string text, CancellationToken ct)
    {
        var (to, community) = await UnitAsync(db, toOrgUnitId, ct);
        var r = await db.Residents.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(x => x.Id == residentId, ct) ?? throw new NotFoundInScope("居民");
        if (r.CommunityId == community.Id) throw new RuleViolation(ResidentErrors.Invalid, "此人已在本社区登记，无需转入");
        if (await db.ResidentTransfers.IgnoreQueryFilters().AnyAsync(t => t.ResidentId == residentId && t.Status == TransferStatus.Pending, ct))
            throw new RuleViolation(ResidentErrors.Duplicate, "此人已有一条待处理的转入申请");
        var from = await db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == r.CommunityId).Select(o => o.Name).SingleAsync(ct);
        var t = new ResidentTransfer
        {
            ResidentId = r.Id, OrgPath = r.OrgPath, ToOrgUnitId = to.Id, ToOrgPath = to.Path, ToUnitName = to.Name, FromUnitName = from, ResidentName = PersonalData.MaskName(r.Name),
            Reason = text, RequestedBy = db.Caller.UserName, RequestedUtc = db.UtcNow,
        };
        db.ResidentTransfers.Add(t);
        db.Audit(AuditEvents.Create, $"{to.Name}申请转入居民 {PersonalData.MaskName(r.Name)}（{r.IdNumberMasked}，现由{from}登记）", nameof(ResidentTransfer), t.Id.ToString(), to.Path);
        // The request belongs to the owner's subtree; the requester files it across the boundary, which this one rule allows.
        db.AllowCrossScopeWrite(t);
        await db.SaveChangesAsync(ct);
        return t.Id;
    }

    public Task<IReadOnlyList<TransferRow>> TransfersAsync(CancellationToken ct = default) => TransferRowsAsync(null, ct);

    public async Task<TransferRow> TransferAsync(Guid id, CancellationToken ct = default) =>
        (await TransferRowsAsync(id, ct)).SingleOrDefault() ?? throw new NotFoundInScope("转入申请");

    /// <summary>Transfers either side of which is in scope: those the caller's units asked for and those asked of them.</summary>
    async Task<IReadOnlyList<TransferRow>> TransferRowsAsync(Guid? id, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看转入申请");
        var transfers = db.ResidentTransfers.IgnoreQueryFilters().Under(t => t.OrgPath, db.ScopePrefix, orElse: t => t.ToOrgPath);
        if (id is { } one) transfers = transfers.Where(t => t.Id == one);
        var rows = await transfers.OrderByDescending(t => t.RequestedUtc).Take(200).ToListAsync(ct);
        // Both sides see who decided, when and why: read from the decision step. The receiving community learns the keeper
        // only once the record is its own (the history then says where from).
        var decisions = await TransferFlow.Definition.LastStepsAsync(db, rows.Where(t => t.Status != TransferStatus.Pending).Select(t => t.Id).ToList(), ct);
        bool SeesKeeper(ResidentTransfer t) => db.Caller.InScope(t.OrgPath) || db.Caller.IsInRole(Roles.TownshipOfficer) || t.Status == TransferStatus.Accepted;
        return rows.Select(t =>
        {
            var d = decisions.GetValueOrDefault(t.Id);
            return new TransferRow(t.Id, t.ResidentId, t.ResidentName, SeesKeeper(t) ? t.FromUnitName : "其他单位", t.ToUnitName, t.Reason, t.Status, t.RequestedBy,
                t.RequestedUtc, d?.UserName, d?.TimeUtc, d?.Reason, db.Caller.InScope(t.OrgPath)) { Version = t.Version };
        }).ToList();
    }

    /// <summary>The keeping community accepts (the record moves to the requester, with its history) or refuses with a reason.</summary>
    public async Task DecideTransferAsync(Guid transferId, bool accept, string? refuseReason, int? version = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "处理转入申请");
        var t = await db.ResidentTransfers.SingleOrDefaultAsync(x => x.Id == transferId, ct) ?? throw new NotFoundInScope("转入申请");
        var r = await db.Residents.SingleOrDefaultAsync(x => x.Id == t.ResidentId, ct) ?? throw new NotFoundInScope("居民");
        await TransferFlow.Definition.ApplyAsync(db, t, accept ? "accept" : "refuse", refuseReason, version, ct: ct);
        if (!accept)
        {
            await db.SaveOrConflictAsync(t, ct);
            return;
        }
        var fromCommunity = r.CommunityId;
        var to = await db.OrgUnits.IgnoreQueryFilters().SingleAsync(o => o.Id == t.ToOrgUnitId, ct);
        var community = to.Level == OrgLevel.Grid ? await db.OrgUnits.IgnoreQueryFilters().SingleAsync(o => o.Id == to.ParentId, ct) : to;
        db.ResidentChanges.Add(new ResidentChange
        {
            ResidentId = r.Id, OrgPath = to.Path, TimeUtc = db.UtcNow, UserName = db.Caller.UserName, Action = "转出",
            Details = $"由{t.FromUnitName}转入{to.Name}（{t.RequestedBy}申请，原因：{t.Reason}）",
        });
        (r.OrgUnitId, r.OrgPath, r.CommunityId) = (to.Id, to.Path, community.Id);
        // The record leaves the decider's subtree by design: that is what accepting a transfer means.
        db.AllowCrossScopeWrite(r);
        db.AllowCrossScopeWrite(db.ResidentChanges.Local.Last());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        // The household's visit notes go with the person: the old community no longer reads them.
        await db.Visits.IgnoreQueryFilters().Where(v => v.ResidentId == r.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.OrgPath, to.Path), ct);
        // The receiving community is outside the decider's scope; its figures change with the hand-over all the same.
        await PopulationTally.RefreshAsync(db, [fromCommunity, community.Id], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    async Task<IdNumber.Parsed> ValidateAsync(ShiliuDb db, SaveResident req, CancellationToken ct)
    {
        Validation.Check(req);
        if (!IdNumber.TryParse(req.IdNumber, out var id, out var err)) throw RuleViolation.ForField(ResidentErrors.Invalid, "idNumber", err!);
        if (Rules(req, id!, DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow))).FirstOrDefault() is { Message: { } first } rule)
            throw RuleViolation.ForField(ResidentErrors.Invalid, Validation.JsonName(rule.Field), first);
        // A code with control characters is in no dictionary (and PostgreSQL cannot even compare a NUL).
        if (req.EthnicityCode.Any(char.IsControl) || !await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKinds.Ethnicity && d.Code == req.EthnicityCode, ct))
            throw RuleViolation.ForField(ResidentErrors.Invalid, "ethnicityCode", $"民族代码“{req.EthnicityCode}”不在民族字典中");
        return id!;
    }

    /// <summary>
    /// The record's rules beyond field lengths, as (property of <see cref="SaveResident"/>, Chinese message): the form
    /// shows the first, the import lists them all under the column of that property.
    /// </summary>
    public static IEnumerable<(string Field, string Message)> Rules(SaveResident req, IdNumber.Parsed id, DateOnly today)
    {
        if (req.BirthDate is { } b && b != id.BirthDate)
            yield return (nameof(req.BirthDate), $"出生日期（{b:yyyy-MM-dd}）与身份证号中的出生日期（{id.BirthDate:yyyy-MM-dd}）不一致");
        if (req.Gender != Gender.Unknown && req.Gender != id.Gender)
            yield return (nameof(req.Gender), $"性别（{ResidentNames.Gender(req.Gender)}）与身份证号（第17位表示{ResidentNames.Gender(id.Gender)}）不一致");
        if (id.BirthDate > today) yield return (nameof(req.IdNumber), "身份证号中的出生日期晚于今天");
        if (!string.IsNullOrWhiteSpace(req.Phone) && !Phone.TryNormalize(req.Phone, out _, out var phoneErr)) yield return (nameof(req.Phone), phoneErr!);
        if (req.ResidenceType == ResidenceType.Floating && string.IsNullOrWhiteSpace(req.OriginPlace))
            yield return (nameof(req.OriginPlace), "流动人口须填写户籍地（流出地）");
        if (req.ResidenceType == ResidenceType.Floating && req.ArrivalDate is null)
            yield return (nameof(req.ArrivalDate), "流动人口须填写流入时间");
        if (req.ArrivalDate is { } a && (a > today || a < id.BirthDate))
            yield return (nameof(req.ArrivalDate), a > today ? "流入时间晚于今天" : "流入时间早于出生日期");
        if (req.ResidenceType == ResidenceType.UnitEmployee && string.IsNullOrWhiteSpace(req.Employer))
            yield return (nameof(req.Employer), "辖区单位人员须填写工作单位");
        if (!string.IsNullOrWhiteSpace(req.Religion) && !req.ReligionConsent)
            yield return (nameof(req.Religion), "宗教信仰属于敏感个人信息，只有本人同意后才能登记（请勾选“本人同意登记”）");
        if (req.Status != ResidentStatus.Registered && req.StatusDate is null)
            yield return (nameof(req.StatusDate), $"状态为“{ResidentNames.Status(req.Status)}”时须填写变动日期");
        if (req.StatusDate is { } sd && sd > today) yield return (nameof(req.StatusDate), "变动日期晚于今天");
    }

    internal void Apply(Resident r, SaveResident req, IdNumber.Parsed id)
    {
        static string? Opt(string? v, string field, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(v))] string? source = null) =>
            string.IsNullOrWhiteSpace(v) ? null : Validation.CleanText(v, field, source);
        r.Name = Validation.CleanText(req.Name, "姓名");
        r.Gender = id.Gender;
        r.EthnicityCode = req.EthnicityCode;
        r.BirthDate = id.BirthDate;
        if (r.IdNumberCipher.Length == 0 || pii.Open(r.IdNumberCipher) != id.Value) r.IdNumberCipher = pii.Seal(id.Value);
        r.IdNumberMasked = IdNumber.Mask(id.Value);
        if (!string.IsNullOrWhiteSpace(req.Phone) && Phone.TryNormalize(req.Phone, out var phone, out _))
        {
            if (r.PhoneCipher is null || pii.Open(r.PhoneCipher) != phone) r.PhoneCipher = pii.Seal(phone);
            r.PhoneHash = pii.Hash(phone);
            r.PhoneMasked = Phone.Mask(phone);
        }
        else (r.PhoneCipher, r.PhoneHash, r.PhoneMasked) = (null, null, null);
        r.HouseholdNo = Opt(req.HouseholdNo, "户号");
        r.RelationToHead = Opt(req.RelationToHead, "与户主关系");
        r.Address = Opt(req.Address, "住址");
        r.ResidenceType = req.ResidenceType;
        var floating = req.ResidenceType == ResidenceType.Floating;
        r.OriginPlace = floating ? Opt(req.OriginPlace, "户籍地") : null;
        r.ArrivalDate = floating ? req.ArrivalDate : null;
        r.ExpectedStay = floating ? Opt(req.ExpectedStay, "预计居住时间") : null;
        r.ArrivalReason = floating ? Opt(req.ArrivalReason, "流入原因") : null;
        r.Employer = req.ResidenceType == ResidenceType.UnitEmployee ? Opt(req.Employer, "工作单位") : null;
        r.Languages = Opt(req.Languages, "语言");
        r.ReligionConsent = req.ReligionConsent && !string.IsNullOrWhiteSpace(req.Religion);
        r.Religion = r.ReligionConsent ? Opt(req.Religion, "宗教信仰") : null;
        r.Needs = req.Needs;
        r.Notes = Opt(req.Notes, "备注");
        r.Status = req.Status;
        r.StatusDate = req.Status == ResidentStatus.Registered ? null : req.StatusDate;
    }

    static Dictionary<string, string?> Snapshot(Resident r) => new()
    {
        ["姓名"] = r.Name, ["性别"] = ResidentNames.Gender(r.Gender), ["民族"] = r.EthnicityCode, ["身份证号"] = r.IdNumberMasked, ["电话"] = r.PhoneMasked,
        ["户号"] = r.HouseholdNo, ["与户主关系"] = r.RelationToHead, ["住址"] = r.Address, ["人员类型"] = ResidentNames.Type(r.ResidenceType),
        ["户籍地"] = r.OriginPlace, ["流入时间"] = r.ArrivalDate?.ToString("yyyy-MM-dd"), ["预计居住"] = r.ExpectedStay, ["流入原因"] = r.ArrivalReason,
        ["工作单位"] = r.Employer, ["语言"] = r.Languages, ["宗教信仰"] = r.Religion is null ? null : "（已登记）", ["需求"] = ResidentNames.NeedsText(r.Needs),
        ["备注"] = r.Notes, ["状态"] = ResidentNames.Status(r.Status), ["变动日期"] = r.StatusDate?.ToString("yyyy-MM-dd"), ["所在网格"] = r.OrgUnitId.ToString(),
    };

    /// <summary>A unit in the caller's scope that keeps residents (a community or one of its grids), and its community.</summary>
    internal static async Task<(OrgUnit Unit, OrgUnit Community)> UnitAsync(ShiliuDb db, Guid id, CancellationToken ct,
        string wrongLevel = "居民档案登记在社区（村）或其网格下")
    {
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundInScope("单位");
        return unit.Level switch
        {
            OrgLevel.Community => (unit, unit),
            OrgLevel.Grid => (unit, await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == unit.ParentId, ct)),
            _ => throw new RuleViolation(ResidentErrors.Invalid, wrongLevel),
        };
    }

    async Task EnsureUniqueAsync(ShiliuDb db, string idNumber, Guid? self, CancellationToken ct)
    {
        var masked = IdNumber.Mask(idNumber);
        var hashes = pii.Hashes(idNumber);
        var other = await db.Residents.IgnoreQueryFilters().AsNoTracking().Where(r => hashes.Contains(r.IdNumberHash) && r.Id != self)
            .Select(r => new { r.Id, r.Name, r.OrgPath, r.CommunityId }).FirstOrDefaultAsync(ct);
        if (other is null) return;
        if (db.Caller.InScope(other.OrgPath)) throw new RuleViolation(ResidentErrors.Duplicate, $"该身份证号已登记（{other.Name}），请在列表中查找后修改");
        // The attempt is kept for the auditor (who may see both units); the caller is told neither.
        var unit = await db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == other.CommunityId).Select(o => o.Name).SingleAsync(ct);
        db.Audit(AuditEvents.RegisteredElsewhere, $"登记身份证号 {masked} 的居民被拒绝：此人已在{unit}登记", nameof(Resident), other.Id.ToString(), success: false);
        await db.SaveChangesAsync(ct);
        throw new ExistsElsewhere();
    }

    async Task<bool> HashTakenAsync(string hash, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Residents.IgnoreQueryFilters().AnyAsync(r => r.IdNumberHash == hash, ct);
    }

    static async Task<List<ResidentRow>> RowsAsync(ShiliuDb db, List<Resident> list, CancellationToken ct)
    {
        var unitIds = list.Select(r => r.OrgUnitId).Distinct().ToList();
        var units = await db.UnitNamesAsync(unitIds, ct);
        var codes = list.Select(r => r.EthnicityCode).Distinct().ToList();
        var eth = await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.Ethnicity && codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var exact = db.Caller.Can(ResidentPermissions.Reveal);
        return list.Select(r =>
        {
            var (age, text) = AgeFor(r.BirthDate, today, exact);
            return new ResidentRow(r.Id, r.OrgUnitId, units.GetValueOrDefault(r.OrgUnitId, ""), r.Name, r.Gender, r.EthnicityCode,
                eth.GetValueOrDefault(r.EthnicityCode, r.EthnicityCode), r.IdNumberMasked, age, text, r.PhoneMasked, r.HouseholdNo,
                r.RelationToHead, r.ResidenceType, r.Needs, r.Status, r.Version);
        }).ToList();
    }

    public static int Age(DateOnly birth, DateOnly today) => today.Year - birth.Year - (today < birth.AddYears(today.Year - birth.Year) ? 1 : 0);

    /// <summary>
    /// The age a list shows: exact for a role that may reveal the whole number anyway, else a ten-year band — an exact
    /// age beside the masked number narrows its hidden birth date to a year (about 33 guesses of an exact search).
    /// </summary>
    public static (int? Age, string Text) AgeFor(DateOnly birth, DateOnly today, bool exact)
    {
        var age = Age(birth, today);
        return exact ? (age, $"{age}岁") : (null, $"{age / 10 * 10}–{age / 10 * 10 + 9}岁");
    }

    /// <summary>张*明 — enough for the other community to recognise a request, not more.</summary>
}
