using Shiliu.Core.Evidence;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Exports;
using Shiliu.Core.Dictionaries;

namespace Shiliu.Core.Activities;

public sealed class ParticipantCount
{
    public string EthnicityCode { get; set; } = "";
    [Range(0, 1_000_000, ErrorMessage = "人数须为非负整数")]
    public int Count { get; set; }
}

public sealed class SaveActivity
{
    public Guid OrgUnitId { get; set; }

    [Required(ErrorMessage = "请选择活动类型")]
    public string TypeCode { get; set; } = "";

    [Required(ErrorMessage = "活动名称不能为空"), StringLength(100, ErrorMessage = "活动名称不能超过100字")]
    public string Title { get; set; } = "";

    public DateOnly Date { get; set; }

    [Required(ErrorMessage = "活动地点不能为空"), StringLength(100, ErrorMessage = "活动地点不能超过100字")]
    public string Place { get; set; } = "";

    [Required(ErrorMessage = "组织单位不能为空"), StringLength(100, ErrorMessage = "组织单位不能超过100字")]
    public string Organiser { get; set; } = "";

    [Range(0, 1_000_000, ErrorMessage = "参加人数须为非负整数")]
    public int ParticipantsTotal { get; set; }

    public List<ParticipantCount> Participants { get; set; } = [];

    [StringLength(2000, ErrorMessage = "活动内容不能超过2000字")]
    public string? Description { get; set; }

    public List<int> Criteria { get; set; } = [];
    public Guid? FestivalId { get; set; }
    public int Version { get; set; }
}

public sealed class ActivityQuery
{
    public Guid? OrgUnitId { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    /// <summary>Activities held within the campaign's period (its first phase's start to its last phase's end).</summary>
    public Guid? CampaignId { get; set; }
    public string? TypeCode { get; set; }
    /// <summary>Only those held for an ethnic festival (结合民族节日).</summary>
    public bool? Festival { get; set; }
    public string? Keyword { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

public sealed record ActivityRow(Guid Id, Guid OrgUnitId, string UnitName, string TypeCode, string TypeName, string Title, DateOnly Date, string Place,
    string Organiser, int ParticipantsTotal, int MinorityCount, IReadOnlyList<int> Criteria, int Photos, int Version);

public sealed record ActivityDetail(ActivityRow Row, string? Description, IReadOnlyList<(string Code, string Name, int Count)> Participants, Guid? FestivalId,
    string? UpdatedBy, DateTime UpdatedUtc);

public sealed record MonthView(int Year, int Month, IReadOnlyList<ActivityRow> Activities, IReadOnlyList<FestivalDate> Festivals);

/// <summary>Activities of each unit (宣讲、节庆、联谊 …), with head counts by ethnicity, a month calendar and the 台账 sheet.</summary>
public sealed class ActivityService(IDbContextFactory<ShiliuDb> dbs, FestivalService festivals, ExportService exports)
{
    public const string HanCode = "01";

    public async Task<Paged<ActivityRow>> ListAsync(ActivityQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, ActivityErrors.Denied, "查看活动");
        var items = await FilterAsync(db, q, ct);
        var (page, size) = Paged<ActivityRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20, maxSize: 500);
        var total = await items.CountAsync(ct);
        var list = await items.OrderByDescending(a => a.Date).ThenByDescending(a => a.Id).Skip((page - 1) * size).Take(size).Include(a => a.Participants).ToListAsync(ct);
        return new Paged<ActivityRow>(await RowsAsync(db, list, ct), total, page, size);
    }

    public async Task<MonthView> MonthAsync(int year, int month, Guid? orgUnitId, string? typeCode = null, CancellationToken ct = default)
    {
        if (year is < 2000 or > 2099 || month is < 1 or > 12) throw new RuleViolation(CommonErrors.Validation, "月份无效");
        var from = new DateOnly(year, month, 1);
        var to = from.AddMonths(1).AddDays(-1);
        var page = await ListAsync(new ActivityQuery { OrgUnitId = orgUnitId, From = from, To = to, TypeCode = typeCode, PageSize = 500 }, ct);
        return new MonthView(year, month, page.Items, await festivals.DatesAsync(from.AddDays(-14), to, ct));
    }

    public async Task<ActivityDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, ActivityErrors.Denied, "查看活动");
        var a = await db.Activities.AsNoTracking().Include(x => x.Participants).SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("活动");
        var row = (await RowsAsync(db, [a], ct))[0];
        var names = await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.Ethnicity).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        return new ActivityDetail(row, a.Description, a.Participants.OrderBy(p => p.EthnicityCode).Select(p => (p.EthnicityCode, names.GetValueOrDefault(p.EthnicityCode, p.EthnicityCode), p.Count)).ToList(),
            a.FestivalId, a.UpdatedBy, a.UpdatedUtc);
    }

    public async Task<Guid> SaveAsync(Guid? id, SaveActivity req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Manage, ActivityErrors.Denied, "登记活动");
        if (req.Date.Year is < 2000 or > 2099) throw new RuleViolation(CommonErrors.Validation, "请填写活动日期");
        if (req.Date > DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow)).AddYears(1)) throw new RuleViolation(CommonErrors.Validation, "活动日期不能晚于一年以后");
        // A code with control characters is in no dictionary (and PostgreSQL cannot even compare a NUL).
        if (req.TypeCode.Any(char.IsControl) || !await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKinds.ActivityType && d.Code == req.TypeCode && d.Enabled, ct))
            throw RuleViolation.ForField(CommonErrors.Validation, "typeCode", "活动类型不在字典中，请从列表选择");
        var counts = req.Participants.Where(p => p.Count > 0).ToList();
        var dupEth = counts.GroupBy(p => p.EthnicityCode).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupEth.Count > 0) throw RuleViolation.ForField(CommonErrors.Validation, "participants", "同一民族只能填写一行人数");
        var codes = counts.Select(p => p.EthnicityCode).ToList();
        var clean = codes.Where(c => !c.Any(char.IsControl)).ToList();
        var known = await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.Ethnicity && clean.Contains(d.Code)).Select(d => d.Code).ToListAsync(ct);
        if (codes.Except(known).FirstOrDefault() is { } badCode) throw RuleViolation.ForField(CommonErrors.Validation, "participants", $"民族代码“{badCode}”不在民族字典中");
        if (counts.Sum(p => (long)p.Count) > req.ParticipantsTotal)
            throw new RuleViolation(CommonErrors.Validation, $"各民族人数之和（{counts.Sum(p => p.Count)}）超过了参加总人数（{req.ParticipantsTotal}）");
        var criteria = req.Criteria.Distinct().Order().ToList();
        var criterionNos = (await Evidence.EvidenceService.CurrentCriteriaAsync(db, ct)).Select(c => c.No).ToHashSet();
        if (criteria.FirstOrDefault(c => !criterionNos.Contains(c)) is var badNo and > 0) throw new RuleViolation(CommonErrors.Validation, $"测评标准第 {badNo} 条不存在");
        if (req.FestivalId is { } fid && !await db.Festivals.AnyAsync(f => f.Id == fid, ct)) throw new NotFoundInScope("节日");

        Activity a;
        if (id is { } existing)
        {
            a = await db.Activities.Include(x => x.Participants).SingleOrDefaultAsync(x => x.Id == existing, ct) ?? throw new NotFoundInScope("活动");
            db.Entry(a).Property(x => x.Version).OriginalValue = req.Version;
            db.RemoveRange(a.Participants);
            a.Participants = [];
        }
        else
        {
            var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == req.OrgUnitId, ct) ?? throw new NotFoundInScope("单位");
            a = new Activity { OrgUnitId = unit.Id, OrgPath = unit.Path };
            db.Activities.Add(a);
        }
        a.TypeCode = req.TypeCode;
        a.Title = Validation.CleanText(req.Title, "活动名称");
        a.Date = req.Date;
        a.Place = Validation.CleanText(req.Place, "活动地点");
        a.Organiser = Validation.CleanText(req.Organiser, "组织单位");
        a.ParticipantsTotal = req.ParticipantsTotal;
        a.Description = string.IsNullOrWhiteSpace(req.Description) ? null : Evidence.EvidenceService.CleanMultiline(req.Description, "活动内容");
        a.Criteria = string.Join(",", criteria);
        a.FestivalId = req.FestivalId;
        foreach (var p in counts) a.Participants.Add(new ActivityParticipant { ActivityId = a.Id, EthnicityCode = p.EthnicityCode, Count = p.Count });
        db.Audit(id is null ? AuditEvents.Create : AuditEvents.Update,
            $"{(id is null ? "登记" : "修改")}活动《{a.Title}》（{a.Date:yyyy-MM-dd}，{a.ParticipantsTotal} 人{(counts.Count > 0 ? "，" + string.Join("、", counts.Select(p => $"{p.EthnicityCode}:{p.Count}")) : "")}）",
            nameof(Activity), a.Id.ToString(), a.OrgPath);
        await db.SaveOrConflictAsync(a, ct);
        return a.Id;
    }

    public async Task DeleteAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Manage, ActivityErrors.Denied, "删除活动");
        var a = await db.Activities.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("活动");
        var photos = await db.Evidence.CountAsync(e => e.ActivityId == id && e.DeletedUtc == null, ct);
        if (photos > 0) throw new RuleViolation(ActivityErrors.HasEvidence, $"活动《{a.Title}》还有 {photos} 件台账材料，请先删除或改挂到其他活动");
        db.Entry(a).Property(x => x.Version).OriginalValue = version;
        db.Activities.Remove(a);
        await db.SaveOrConflictAsync(a, ct);
    }

    /// <summary>
    /// The activity ledger (活动台账) as a community hands it in: a title row, the unit and year, one row per activity with
    /// head counts, minorities and the criteria served, and a total row. Text cells that look like formulas are neutralised.
    /// </summary>
    public async Task<ExportFile> ExportLedgerAsync(Guid orgUnitId, int year, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, ActivityErrors.Denied, "导出活动台账");
        if (year is < 2000 or > 2099) throw RuleViolation.ForField(CommonErrors.Validation, "year", "年份须在2000至2099之间");
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgUnitId, ct) ?? throw new NotFoundInScope("单位");
        var list = await db.Activities.AsNoTracking().Include(a => a.Participants)
            .Under(a => a.OrgPath, unit.Path).Where(a => a.Date >= new DateOnly(year, 1, 1) && a.Date <= new DateOnly(year, 12, 31))
            .OrderBy(a => a.Date).ThenBy(a => a.Title).ToListAsync(ct);
        var rows = await RowsAsync(db, list, ct);
        var eth = await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.Ethnicity).ToDictionaryAsync(d => d.Code, d => d.Name, ct);

        string[] headers = ["序号", "活动日期", "活动名称", "活动类型", "活动地点", "组织单位", "参加人数", "其中少数民族", "民族构成", "活动内容", "对应测评标准", "台账材料（件）"];
        var spec = new ExportSpec($"{unit.Name}{year}年活动台账.xlsx", $"{unit.Name}{year}年活动台账", nameof(Activity), unit.Id.ToString(), unit.Path);
        return await exports.XlsxAsync(db, spec, book =>
        {
            using var sheet = book.Sheet("活动台账", $"{unit.Name}民族团结进步创建活动台账（{year}年）", headers, [6, 12, 28, 10, 18, 18, 9, 10, 26, 40, 12, 10],
                note: $"填报单位：{unit.Name}");
            var seq = 0;
            foreach (var (a, row) in list.Zip(rows))
            {
                var mix = string.Join("、", a.Participants.OrderByDescending(p => p.Count).Select(p => $"{eth.GetValueOrDefault(p.EthnicityCode, p.EthnicityCode)}{p.Count}人"));
                sheet.Mixed([++seq, a.Date.ToString("yyyy-MM-dd"), a.Title, row.TypeName, a.Place, a.Organiser, a.ParticipantsTotal, row.MinorityCount,
                    mix, a.Description ?? "", string.Join("、", row.Criteria), row.Photos]);
            }
            sheet.Total(["合计", $"{list.Count} 次", "", "", "", "", list.Sum(a => a.ParticipantsTotal), rows.Sum(x => x.MinorityCount), "", "", "", rows.Sum(x => x.Photos)]);
            return Task.CompletedTask;
        }, ct);
    }

    static async Task<IQueryable<Activity>> FilterAsync(ShiliuDb db, ActivityQuery q, CancellationToken ct)
    {
        var items = db.Activities.AsNoTracking();
        if (q.OrgUnitId is { } u)
        {
            var path = await db.OrgUnits.Where(o => o.Id == u).Select(o => o.Path).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("单位");
            items = items.Under(a => a.OrgPath, path);
        }
        if (q.From is { } f) items = items.Where(a => a.Date >= f);
        if (q.To is { } t) items = items.Where(a => a.Date <= t);
        if (q.CampaignId is { } cid)
        {
            var (from, to) = await Campaigns.CampaignService.PeriodAsync(db, cid, ct);
            items = items.Where(a => a.Date >= from && a.Date <= to);
        }
        if (Validation.Filter(q.TypeCode, "活动类型") is { } type) items = items.Where(a => a.TypeCode == type);
        if (q.Festival == true) items = items.Where(a => a.FestivalId != null);
        if (Validation.Filter(q.Keyword, "关键词") is { } k) items = items.Where(a => a.Title.Contains(k) || a.Place.Contains(k));
        return items;
    }

    static async Task<List<ActivityRow>> RowsAsync(ShiliuDb db, List<Activity> list, CancellationToken ct)
    {
        var ids = list.Select(a => a.Id).ToList();
        var photos = await db.Evidence.Where(e => e.ActivityId != null && ids.Contains(e.ActivityId.Value) && e.DeletedUtc == null)
            .GroupBy(e => e.ActivityId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key!.Value, x => x.Count, ct);
        var unitIds = list.Select(a => a.OrgUnitId).Distinct().ToList();
        var units = await db.UnitNamesAsync(unitIds, ct);
        var types = await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.ActivityType).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        return list.Select(a => new ActivityRow(a.Id, a.OrgUnitId, units.GetValueOrDefault(a.OrgUnitId, ""), a.TypeCode, types.GetValueOrDefault(a.TypeCode, a.TypeCode),
            a.Title, a.Date, a.Place, a.Organiser, a.ParticipantsTotal, a.Participants.Where(p => p.EthnicityCode != HanCode).Sum(p => p.Count),
            a.Criteria.Length == 0 ? [] : a.Criteria.Split(',').Select(int.Parse).ToList(), photos.GetValueOrDefault(a.Id), a.Version)).ToList();
    }
}
