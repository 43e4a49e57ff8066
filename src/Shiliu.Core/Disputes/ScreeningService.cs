using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Disputes;

public sealed class SaveScreening
{
    public DateOnly Date { get; set; }

    [Required(ErrorMessage = "请填写排查范围"), StringLength(100, ErrorMessage = "排查范围不能超过100字")]
    public string Area { get; set; } = "";

    /// <summary>零报告: nothing found this time.</summary>
    public bool Nil { get; set; }

    [StringLength(2000, ErrorMessage = "排查发现的情况不能超过2000字")]
    public string? Factors { get; set; }

    [Range(0, 999, ErrorMessage = "发现的矛盾纠纷数须在0至999之间")]
    public int FactorCount { get; set; }

    [EnumDataType(typeof(ScreeningRisk), ErrorMessage = "请选择风险等级")]
    public ScreeningRisk Risk { get; set; }

    public bool EthnicFactors { get; set; }

    [Required(ErrorMessage = "请填写排查人"), StringLength(50, ErrorMessage = "排查人不能超过50字")]
    public string Screener { get; set; } = "";
}

public sealed record ScreeningQuery
{
    /// <summary>yyyyMM; the current month when not given.</summary>
    public int? Month { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

public sealed record ScreeningRow(Guid Id, string UnitName, DateOnly Date, string Area, bool Nil, string? Factors, int FactorCount, ScreeningRisk Risk,
    bool EthnicFactors, string Screener)
{
    public string RiskName => ScreeningService.RiskName(Risk);
}

public sealed record UnitReport(Guid UnitId, string UnitName, string TownshipName, bool Reported, bool Nil, bool Late, DateTime? ReportedUtc,
    int Screenings, int Factors, string? ReportedBy);

/// <summary>Who of the caller's communities has reported the month's screening (零报告 counts as reported) and who has not.</summary>
public sealed record MonthStatus(int Month, DateOnly DueDate, bool PastDue, IReadOnlyList<UnitReport> Units)
{
    public int ReportedCount => Units.Count(u => u.Reported);
    public int NilCount => Units.Count(u => u.Nil);
    public IReadOnlyList<UnitReport> NotReported => Units.Where(u => !u.Reported).ToList();
    public string MonthName => $"{Month / 100}年{Month % 100}月";
}

/// <summary>
/// 矛盾纠纷排查: a community (or township) records each screening, a nil report when nothing was found, and reports the
/// month upward by the 20th; the units above see who has reported and who has not.
/// </summary>
public sealed class ScreeningService(IDbContextFactory<ShiliuDb> dbs, DisputeOptions options)
{
    public static string RiskName(ScreeningRisk r) => r switch { ScreeningRisk.None => "无", ScreeningRisk.Low => "低", ScreeningRisk.Medium => "中", _ => "高" };

    public static int MonthOf(DateOnly d) => d.Year * 100 + d.Month;

    public async Task<Paged<ScreeningRow>> ListAsync(ScreeningQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.View, DisputeErrors.Denied, "查看矛盾纠纷排查");
        var month = CheckMonth(q.Month ?? MonthOf(Today(db)), "month");
        var first = new DateOnly(month / 100, month % 100, 1);
        var next = first.AddMonths(1);
        var items = db.DisputeScreenings.AsNoTracking().Where(s => s.Date >= first && s.Date < next);
        var (page, size) = Paged<ScreeningRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20);
        var total = await items.CountAsync(ct);
        var list = await items.OrderByDescending(s => s.Date).ThenBy(s => s.OrgPath).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var units = await db.UnitNamesAsync(list.Select(s => s.OrgUnitId), ct);
        var seesEthnic = DisputeAccess.SeesEthnic(db.Caller);
        // What was found tells of households' troubles: only the roles that handle disputes read it.
        return new Paged<ScreeningRow>(list.Select(s => new ScreeningRow(s.Id, units.GetValueOrDefault(s.OrgUnitId, ""), s.Date, s.Area, s.Nil,
            seesEthnic ? s.Factors : null, s.FactorCount, s.Risk, s.EthnicFactors, s.Screener)).ToList(), total, page, size);
    }

    /// <summary>Records a screening of the caller's own unit; returns its id.</summary>
    public async Task<Guid> SaveAsync(SaveScreening req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var area = Validation.CleanText(req.Area, "排查范围");
        var screener = Validation.CleanText(req.Screener, "排查人");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Screen, DisputeErrors.Denied, "登记矛盾纠纷排查");
        var unit = await OwnUnitAsync(db, ct);
        var today = Today(db);
        if (req.Date == default) throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, "date", "请填写排查日期");
        if (req.Date > today) throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, "date", "排查日期不能晚于今天");
        if (req.Date < today.AddYears(-1)) throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, "date", "只能补录一年以内的排查");
        var s = new Screening { OrgUnitId = unit.Id, OrgPath = unit.Path, Date = req.Date, Area = area, Screener = screener, RecordedBy = db.Caller.UserName, Nil = req.Nil };
        if (req.Nil)
        {
            if (!string.IsNullOrWhiteSpace(req.Factors) || req.FactorCount > 0 || req.EthnicFactors)
                throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid,
                    !string.IsNullOrWhiteSpace(req.Factors) ? "factors" : req.FactorCount > 0 ? "factorCount" : "ethnicFactors",
                    "零报告表示本次排查未发现矛盾纠纷，不能同时填写发现的情况");
            s.Risk = ScreeningRisk.None;
        }
        else
        {
            if (string.IsNullOrWhiteSpace(req.Factors))
                throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, "factors", "请填写排查发现的矛盾纠纷和不稳定因素；未发现的请选择“零报告”");
            if (req.FactorCount < 1) throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, "factorCount", "发现的矛盾纠纷数至少为1；未发现的请选择“零报告”");
            if (req.Risk == ScreeningRisk.None) throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, "risk", "发现矛盾纠纷时请选择风险等级（低、中、高）");
            (s.Factors, s.FactorCount, s.Risk, s.EthnicFactors) = (Validation.CleanText(req.Factors, "排查发现的情况"), req.FactorCount, req.Risk, req.EthnicFactors);
        }
        var month = MonthOf(req.Date);
        if (await db.DisputeScreeningReports.AnyAsync(r => r.OrgUnitId == unit.Id && r.Month == month, ct))
            throw RuleViolation.ForField(DisputeErrors.ScreeningReported, "date", $"{month / 100}年{month % 100}月的排查已上报，不能再补录该月的排查");
        db.DisputeScreenings.Add(s);
        await db.SaveChangesAsync(ct);
        return s.Id;
    }

    /// <summary>Reports the month's screening of the caller's unit upward: a 零报告 when every screening of the month found nothing.</summary>
    public async Task ReportAsync(int? month, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Screen, DisputeErrors.Denied, "上报矛盾纠纷排查");
        var unit = await OwnUnitAsync(db, ct);
        var today = Today(db);
        var m = CheckMonth(month ?? MonthOf(today), "month");
        if (m > MonthOf(today)) throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, "month", "不能上报以后月份的排查");
        if (await db.DisputeScreeningReports.AnyAsync(r => r.OrgUnitId == unit.Id && r.Month == m, ct))
            throw new RuleViolation(DisputeErrors.ScreeningReported, $"{unit.Name}{m / 100}年{m % 100}月的排查已经上报");
        var first = new DateOnly(m / 100, m % 100, 1);
        var next = first.AddMonths(1);
        var list = await db.DisputeScreenings.AsNoTracking().Where(s => s.OrgUnitId == unit.Id && s.Date >= first && s.Date < next).ToListAsync(ct);
        if (list.Count == 0)
            throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, "month", "本月还没有排查记录：请先登记排查，未发现矛盾纠纷的登记“零报告”后再上报");
        db.DisputeScreeningReports.Add(new ScreeningReport
        {
            OrgUnitId = unit.Id, OrgPath = unit.Path, Month = m, Nil = list.All(s => s.Nil), Screenings = list.Count, Factors = list.Sum(s => s.FactorCount),
            HighestRisk = list.Max(s => s.Risk), Late = today > DueDate(m), ReportedBy = db.Caller.UserName, ReportedUtc = db.UtcNow,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The communities in the caller's scope and whether each has reported the month (nil reports count as reported).</summary>
    public async Task<MonthStatus> StatusAsync(int? month, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.View, DisputeErrors.Denied, "查看排查上报情况");
        var today = Today(db);
        var m = CheckMonth(month ?? MonthOf(today), "month");
        return await StatusAsync(db, m, today, ct);
    }

    internal async Task<MonthStatus> StatusAsync(ShiliuDb db, int m, DateOnly today, CancellationToken ct)
    {
        var units = await db.OrgUnits.AsNoTracking().Where(o => o.Level == OrgLevel.Community && !o.IsDisabled).OrderBy(o => o.Path).ThenBy(o => o.SortOrder)
            .Select(o => new { o.Id, o.Name, o.Path, o.ParentId, o.SortOrder }).ToListAsync(ct);
        var reports = await db.DisputeScreeningReports.AsNoTracking().Where(r => r.Month == m).ToDictionaryAsync(r => r.OrgUnitId, ct);
        var towns = await db.UnitNamesAsync(units.Where(u => u.ParentId is not null).Select(u => u.ParentId!.Value), ct);
        var rows = units.OrderBy(u => towns.GetValueOrDefault(u.ParentId ?? Guid.Empty, "")).ThenBy(u => u.SortOrder).Select(u =>
        {
            var r = reports.GetValueOrDefault(u.Id);
            return new UnitReport(u.Id, u.Name, towns.GetValueOrDefault(u.ParentId ?? Guid.Empty, ""), r is not null, r?.Nil ?? false, r?.Late ?? false,
                r?.ReportedUtc, r?.Screenings ?? 0, r?.Factors ?? 0, r?.ReportedBy);
        }).ToList();
        return new MonthStatus(m, DueDate(m), today > DueDate(m), rows);
    }

    public DateOnly DueDate(int month) => new(month / 100, month % 100, Math.Min(options.ReportDueDay, DateTime.DaysInMonth(month / 100, month % 100)));

    internal static DateOnly Today(ShiliuDb db) => DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));

    static int CheckMonth(int m, string field)
    {
        if (m / 100 is < 2000 or > 2100 || m % 100 is < 1 or > 12) throw RuleViolation.ForField(DisputeErrors.ScreeningInvalid, field, "月份格式应为年月，如 202611");
        return m;
    }

    static async Task<OrgUnit> OwnUnitAsync(ShiliuDb db, CancellationToken ct)
    {
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
        if (unit.Level is not (OrgLevel.Community or OrgLevel.Township))
            throw new RuleViolation(DisputeErrors.Denied, "矛盾纠纷排查由社区（村）和乡镇（街道）登记上报");
        return unit;
    }
}
