using System.Text.Json;
using Shiliu.Core.Residents;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Exports;
using Shiliu.Core.Platform.Notifications;

namespace Shiliu.Core.Residents.Import;

/// <summary>Filters of the export request list; every field optional (page 1 of 20 when left out).</summary>
public sealed record LedgerExportQuery
{
    public LedgerExportStatus? Status { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
}

/// <summary>An export request as the list shows it, with what the caller may do with it now.</summary>
public sealed record LedgerExportRow(Guid Id, string UnitName, string Selection, int Count, string Purpose, string RequestedBy, DateTime RequestedUtc,
    LedgerExportStatus Status, bool Expired, string? DecidedBy, DateTime? DecidedUtc, string? RefuseReason, DateTime? ExpiresUtc, int Downloads,
    bool CanDecide, bool CanDownload, int Version, string RequestedByName, string? DecidedByName)
{
    /// <summary>已过期 once an approval's time is up, whatever the stored state.</summary>
    public string StatusName => Expired ? "已过期" : LedgerExportFlow.StatusName(Status);
}

/// <summary>
/// 少数民族信息台账 as .xlsx, in the import template's layout, through the one export path: ID numbers and phones masked,
/// a stated purpose, the exporter and time on the sheet, the printed page and the watermark; audited before it is sent.
/// More people than the county's threshold (<see cref="ExportOptions.ApprovalAbove"/>) go out only through a request that
/// someone else approves (四眼原则); its download re-runs the stored filter as the requester.
/// </summary>
public sealed class ResidentLedger(IDbContextFactory<ShiliuDb> dbs, ResidentService residents, ExportService exports, ExportOptions options)
{
    public const int MaxRows = 1_000_000;

    /// <summary>
    /// How far a selection may grow between request and download and still count as approved: people registered in the
    /// meantime are normal (10%, at least 10 people); a selection that has grown more is not what the approver saw.
    /// </summary>
    public static int Allowance(int approved) => Math.Max(10, approved / 10);

    /// <summary>The ledger of the residents the query selects (all pages), if it may go out without approval.</summary>
    public async Task<ExportFile> ExportAsync(ResidentQuery query, string? purpose, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "导出居民台账");
        // A missing purpose is said first: it is needed whether or not the selection needs approval.
        ExportService.CheckPurpose(purpose);
        var (unit, items, count) = await SelectAsync(db, query with { Purpose = query.Purpose ?? purpose }, ct);
        if (count > options.ApprovalAbove)
            throw new RuleViolation(ResidentErrors.ExportNeedsApproval,
                $"所选 {count:N0} 人，超过 {options.ApprovalAbove:N0} 人的台账须经本单位领导或上级审批后才能导出（四眼原则）。请点击“申请导出”提交申请，批准后在“导出审批”中下载")
            {
                Extensions = new Dictionary<string, object?> { ["selected"] = count, ["approvalAbove"] = options.ApprovalAbove },
            };
        var spec = new ExportSpec($"{unit.Name}少数民族信息台账.xlsx", $"{unit.Name}少数民族信息台账（身份证号、电话已脱敏）", nameof(Resident), unit.Id.ToString(), unit.Path)
        {
            PersonalData = true, Purpose = purpose,
        };
        return await WriteAsync(db, unit, items, count, spec, $"共 {count:N0} 人", ct);
    }

    /// <summary>
    /// Asks for a ledger above the threshold: the filter, its count now and the purpose are kept, and the approvers of the
    /// requester's township (the county office for the county's own staff) are told, or the county's when the township has
    /// no approver but the requester.
    /// </summary>
    public async Task<Guid> RequestAsync(ResidentQuery query, string? purpose, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "申请导出居民台账");
        if (db.Caller.UserId is not { } requesterId || db.Caller.OrgPath is not { } unitPath)
            throw new RuleViolation(ResidentErrors.Denied, "导出申请须由登录的工作人员本人提出");
        if (!string.IsNullOrWhiteSpace(query.IdNumber)) throw RuleViolation.ForField(ResidentErrors.Invalid, "idNumber", "按身份证号查找只有一人，可直接导出，无需申请");
        var why = ExportService.CheckPurpose(purpose);
        var filter = query with { Purpose = null, Page = null, PageSize = null };
        var (unit, _, count) = await SelectAsync(db, filter, ct);
        if (count <= options.ApprovalAbove)
            throw new RuleViolation(ResidentErrors.Invalid, $"所选 {count:N0} 人，未超过 {options.ApprovalAbove:N0} 人，可直接导出，无需申请");
        var json = JsonSerializer.Serialize(filter with { OrgUnitId = unit.Id });
        if (await db.LedgerExportRequests.AnyAsync(r => r.RequestedById == requesterId && r.Status == LedgerExportStatus.Pending && r.Filter == json, ct))
            throw new RuleViolation(ResidentErrors.Duplicate, "您已提交过同样范围的导出申请，正在等待审批");
        var request = new LedgerExportRequest
        {
            OrgPath = unitPath, OrgUnitId = unit.Id, UnitName = unit.Name, Filter = json, Selection = Clip(await DescribeAsync(db, unit, filter, ct), 400), Purpose = why,
            Count = count, RequestedBy = db.Caller.UserName, RequestedById = requesterId, RequestedUtc = db.UtcNow,
        };
        db.LedgerExportRequests.Add(request);
        var news = $"{request.RequestedBy}申请导出{unit.Name}少数民族信息台账（{count:N0}人，用途：{why}），待审批";
        foreach (var approvers in await ApproversAsync(db, unitPath, ct))
            if (await NotificationService.ToUnitAsync(db, approvers, ResidentPermissions.ApproveExport, news, "/residents/exports", LedgerExportFlow.Definition.Name, ct) > 0)
                break;
        await db.SaveChangesAsync(ct);
        return request.Id;
    }

    /// <summary>Export requests in the caller's scope, newest first.</summary>
    public async Task<Paged<LedgerExportRow>> RequestsAsync(LedgerExportQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.ExportRequests, ResidentErrors.Denied, "查看台账导出申请");
        var rows = db.LedgerExportRequests.AsNoTracking();
        if (q.Status is { } status) rows = rows.Where(r => r.Status == status);
        var (page, size) = Paged<LedgerExportRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20, maxSize: 100);
        var total = await rows.CountAsync(ct);
        var list = await rows.OrderByDescending(r => r.RequestedUtc).ThenByDescending(r => r.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var names = await db.DisplayNamesAsync(list.SelectMany(r => new[] { r.RequestedBy, r.DecidedBy }), ct);
        return new Paged<LedgerExportRow>(list.Select(r => Row(db, r, names)).ToList(), total, page, size);
    }

    public async Task<LedgerExportRow> GetRequestAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.ExportRequests, ResidentErrors.Denied, "查看台账导出申请");
        var r = await db.LedgerExportRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundInScope("导出申请");
        return Row(db, r, await db.DisplayNamesAsync([r.RequestedBy, r.DecidedBy], ct));
    }

    /// <summary>Approves a request of the approver's unit or below (not their own); the approval is good for <see cref="ExportOptions.ApprovalValidDays"/>.</summary>
    public Task ApproveAsync(Guid id, int? version = null, CancellationToken ct = default) => DecideAsync(id, "approve", null, version, ct);

    /// <summary>Refuses a request, saying why (the requester is told).</summary>
    public Task RefuseAsync(Guid id, string? reason, int? version = null, CancellationToken ct = default) => DecideAsync(id, "refuse", reason, version, ct);

    async Task DecideAsync(Guid id, string action, string? reason, int? version, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.ApproveExport, ResidentErrors.Denied, "审批台账导出申请");
        var r = await db.LedgerExportRequests.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("导出申请");
        await LedgerExportFlow.Definition.ApplyAsync(db, r, action, reason, version, ct);
        if (r.Status == LedgerExportStatus.Approved) r.ExpiresUtc = r.DecidedUtc!.Value.AddDays(options.ApprovalValidDays);
        await db.SaveOrConflictAsync(r, ct);
    }

    /// <summary>
    /// The approved ledger, for the requester only, made from the stored filter as it selects now. Downloads may be
    /// repeated until the approval expires: a download that breaks off must not need a new approval, every download is
    /// audited against the request, and a week covers an approval given on a Friday and collected on the Monday.
    /// </summary>
    public async Task<ExportFile> DownloadAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "下载居民台账");
        var r = await db.LedgerExportRequests.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("导出申请");
        // The approval covers this person and the purpose they gave; a colleague who needs the ledger asks for it themselves.
        if (r.RequestedById != db.Caller.UserId) throw new RuleViolation(ResidentErrors.Denied, $"经批准的台账只能由申请人 {r.RequestedBy} 本人下载");
        if (r.ExpiresUtc is { } until && db.UtcNow >= until)
            throw new RuleViolation(ResidentErrors.ExportExpired, $"该导出申请的批准已于 {ChinaTime.Format(until)} 过期，不能再下载；如仍需要，请重新申请导出");
        await LedgerExportFlow.Definition.ApplyAsync(db, r, "download", ct: ct);
        var (unit, items, count) = await SelectAsync(db, JsonSerializer.Deserialize<ResidentQuery>(r.Filter)!, ct);
        if (count > r.Count + Allowance(r.Count))
            throw new RuleViolation(ResidentErrors.ExportOutgrown, $"所选人员已由批准时的 {r.Count:N0} 人增加到 {count:N0} 人，超出了批准的范围，请重新申请导出");
        var spec = new ExportSpec($"{unit.Name}少数民族信息台账.xlsx", $"{unit.Name}少数民族信息台账（身份证号、电话已脱敏；导出申请经 {r.DecidedBy} 批准）",
            nameof(LedgerExportRequest), r.Id.ToString(), unit.Path) { PersonalData = true, Purpose = r.Purpose };
        try
        {
            // The download step and the export's audit row are saved together by the export service: no file without both.
            return await WriteAsync(db, unit, items, count, spec, $"共 {count:N0} 人　{r.DecidedBy} 于 {ChinaTime.Format(r.DecidedUtc!.Value)} 批准导出", ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RuleViolation(CommonErrors.Concurrency, "这份台账正在下载，请等下载完成后再试");
        }
    }

    LedgerExportRow Row(ShiliuDb db, LedgerExportRequest r, Dictionary<string, string> names)
    {
        var expired = r.ExpiresUtc is { } until && db.UtcNow >= until;
        var flow = LedgerExportFlow.Definition;
        return new LedgerExportRow(r.Id, r.UnitName, r.Selection, r.Count, r.Purpose, r.RequestedBy, r.RequestedUtc, r.Status, expired, r.DecidedBy, r.DecidedUtc,
            r.RefuseReason, r.ExpiresUtc, r.Downloads, flow.CanTake(r, db.Caller, "approve"),
            !expired && r.RequestedById == db.Caller.UserId && flow.CanTake(r, db.Caller, "download"), r.Version,
            names.GetValueOrDefault(r.RequestedBy, r.RequestedBy), r.DecidedBy is null ? null : names.GetValueOrDefault(r.DecidedBy, r.DecidedBy));
    }

    /// <summary>The unit the query names (or the top of the caller's scope), the residents it selects there, and how many.</summary>
    async Task<(OrgUnit Unit, IQueryable<Resident> Items, int Count)> SelectAsync(ShiliuDb db, ResidentQuery query, CancellationToken ct)
    {
        var unit = query.OrgUnitId is { } u
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == u, ct) ?? throw new NotFoundInScope("单位")
            : await db.OrgUnits.AsNoTracking().OrderBy(o => o.Path.Length).FirstAsync(ct);
        var items = await residents.FilterAsync(db, query with { OrgUnitId = unit.Id }, ct);
        var count = await items.CountAsync(ct);
        if (count > MaxRows) throw new RuleViolation(ResidentErrors.Invalid, $"一次最多导出 {MaxRows:N0} 人（现为 {count:N0} 人），请按单位分批导出");
        return (unit, items, count);
    }

    /// <summary>The filter in words, as the approver reads it.</summary>
    static async Task<string> DescribeAsync(ShiliuDb db, OrgUnit unit, ResidentQuery q, CancellationToken ct)
    {
        var parts = new List<string> { unit.Name };
        // A period's departures are all 迁出; its arrivals are of any status but 注销 unless one is chosen.
        if (q.Flow != ResidentFlow.Out) parts.Add(q.Flow == ResidentFlow.In && q.Status is null ? "不限状态（不含注销）" : ResidentNames.Status(q.Status ?? ResidentStatus.Registered));
        if (q.Flow is { } flow) parts.Add(Periods.Text(q.From, q.To) + (flow == ResidentFlow.In ? "流入" : "迁出"));
        if (!string.IsNullOrWhiteSpace(q.EthnicityCode))
            parts.Add(await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.Ethnicity && d.Code == q.EthnicityCode).Select(d => d.Name).FirstOrDefaultAsync(ct)
                      ?? q.EthnicityCode);
        if (q.ResidenceType is { } type) parts.Add(ResidentNames.Type(type));
        if (q.Needs is { } needs && needs != ResidentNeeds.None) parts.Add("需求：" + ResidentNames.NeedsText(needs));
        if (q.AgeMin is { } min && q.AgeMax is { } max) parts.Add($"{min}–{max}岁");
        else if (q.AgeMin is { } from) parts.Add($"{from}岁及以上");
        else if (q.AgeMax is { } to) parts.Add($"{to}岁及以下");
        if (!string.IsNullOrWhiteSpace(q.Name)) parts.Add($"姓名以“{q.Name.Trim()}”开头");
        if (!string.IsNullOrWhiteSpace(q.HouseholdNo)) parts.Add($"户号 {q.HouseholdNo.Trim()}");
        return string.Join(" · ", parts);
    }

    /// <summary>
    /// The units whose approvers may hear of a new request, nearest first: the requester's township (or the requester's
    /// own unit when that is a township or the county), then the county. Read past the scope filter: units above the
    /// requester are outside the requester's scope.
    /// </summary>
    static async Task<List<string>> ApproversAsync(ShiliuDb db, string requesterPath, CancellationToken ct)
    {
        var segments = requesterPath.Trim('/').Split('/');
        var ancestors = Enumerable.Range(1, segments.Length).Select(n => $"/{string.Join('/', segments[..n])}/").ToList();
        var paths = await db.OrgUnits.IgnoreQueryFilters().Where(o => ancestors.Contains(o.Path) && o.Level <= OrgLevel.Township).Select(o => o.Path).ToListAsync(ct);
        return paths.OrderByDescending(p => p.Length).ToList();
    }

    static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    async Task<ExportFile> WriteAsync(ShiliuDb db, OrgUnit unit, IQueryable<Resident> items, int count, ExportSpec spec, string note, CancellationToken ct)
    {
        var units = await db.OrgUnits.AsNoTracking().Under(o => o.Path, unit.Path)
            .Select(o => new { o.Id, o.Name, o.Level, o.ParentId }).ToDictionaryAsync(o => o.Id, ct);
        var eth = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.Ethnicity).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var exactAge = db.Caller.Can(ResidentPermissions.Reveal);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var cols = ResidentSheet.Columns;
        return await exports.XlsxAsync(db, spec, async book =>
        {
            using var sheet = book.Sheet(ResidentSheet.SheetName, $"{unit.Name}少数民族信息台账", cols.Select(c => c.Header).Append("所属社区").ToArray(),
                cols.Select(c => c.Width).Append(16).ToArray(), note: note);
            var seq = 0;
            var values = new string?[cols.Length + 1];
            await foreach (var r in items.OrderBy(r => r.OrgPath).ThenBy(r => r.HouseholdNo).ThenBy(r => r.Name).ThenBy(r => r.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                var grid = units.GetValueOrDefault(r.OrgUnitId);
                var community = units.GetValueOrDefault(r.CommunityId)?.Name ?? (grid?.Level == OrgLevel.Community ? grid.Name : "");
                values[0] = (++seq).ToString();
                values[1] = r.Name;
                values[2] = ResidentNames.Gender(r.Gender);
                values[3] = eth.GetValueOrDefault(r.EthnicityCode, r.EthnicityCode);
                values[4] = r.IdNumberMasked;
                // The year only, and only for a role that may reveal the number anyway: a full birth date beside the masked
                // number gives the number back, and the year alone leaves about 33 guesses; others get a ten-year band.
                values[5] = exactAge ? $"{r.BirthDate.Year}年" : ResidentService.AgeFor(r.BirthDate, today, exact: false).Text;
                values[6] = r.PhoneMasked;
                values[7] = r.HouseholdNo;
                values[8] = r.RelationToHead;
                values[9] = r.Address;
                values[10] = grid?.Level == OrgLevel.Grid ? grid.Name : null;
                values[11] = ResidentNames.Type(r.ResidenceType);
                values[12] = r.OriginPlace;
                values[13] = r.ArrivalDate?.ToString("yyyy-MM-dd");
                values[14] = r.ExpectedStay;
                values[15] = r.ArrivalReason;
                values[16] = r.Employer;
                values[17] = r.Languages;
                values[18] = ResidentNames.NeedsText(r.Needs);
                values[19] = ResidentNames.Status(r.Status);
                values[20] = r.StatusDate?.ToString("yyyy-MM-dd");
                values[21] = r.Notes;
                values[22] = community;
                sheet.Row(values);
            }
        }, ct);
    }
}
