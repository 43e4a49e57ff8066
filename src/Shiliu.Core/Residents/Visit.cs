using Microsoft.EntityFrameworkCore.Metadata.Builders;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Residents;

/// <summary>走访 (a routine visit), 慰问 (a visit with relief), or one of the 四个必访 (illness, hardship, dispute, special).</summary>
public enum VisitKind
{
    Routine = 1,
    Condolence = 2,
    MustVisit = 3,
}

/// <summary>One visit to a resident's household (民情日记): what was found, what they need, what happens next.</summary>
public sealed class Visit : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ResidentId { get; set; }
    /// <summary>The unit the visit is filed under: the resident's at the time, or the receiving unit after a transfer.</summary>
    public string OrgPath { get; set; } = "";
    public string? HouseholdNo { get; set; }
    public DateOnly VisitDate { get; set; }
    public VisitKind Kind { get; set; }
    public string Visitor { get; set; } = "";
    // What a visit finds is a household's health and hardship, told in free text: never in the audit log's values.
    [AuditRedacted] public string Findings { get; set; } = "";
    [AuditRedacted] public ResidentNeeds NeedsFound { get; set; }
    [AuditRedacted] public string? FollowUp { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public sealed class SaveVisit
{
    public Guid ResidentId { get; set; }
    public DateOnly VisitDate { get; set; }

    [EnumDataType(typeof(VisitKind), ErrorMessage = "请选择走访类型")]
    public VisitKind Kind { get; set; } = VisitKind.Routine;

    [Required(ErrorMessage = "走访人不能为空"), StringLength(50, ErrorMessage = "走访人不能超过50字")]
    public string Visitor { get; set; } = "";

    [Required(ErrorMessage = "走访情况不能为空"), StringLength(2000, ErrorMessage = "走访情况不能超过2000字")]
    public string Findings { get; set; } = "";

    public ResidentNeeds NeedsFound { get; set; }

    [StringLength(500, ErrorMessage = "后续工作不能超过500字")]
    public string? FollowUp { get; set; }
}

public sealed record VisitRow(Guid Id, Guid ResidentId, string ResidentName, string? HouseholdNo, DateOnly VisitDate, VisitKind Kind, string Visitor,
    string Findings, ResidentNeeds NeedsFound, string? FollowUp, string? RecordedBy)
{
    public string KindName => Kind switch { VisitKind.Routine => "走访", VisitKind.Condolence => "慰问", _ => "必访" };
}

/// <summary>Which visits a unit's list shows: its whole subtree (the caller's unit when left out), optionally a period (inclusive dates).</summary>
public sealed record VisitPageQuery
{
    public Guid? OrgUnitId { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

public sealed record VisitsOfUnit(Guid UnitId, string UnitName, Paged<VisitRow> Visits);

/// <summary>
/// A household visited in a period (its unit and 户号, or one person without one): who was visited, how often, first and last.
/// </summary>
public sealed record VisitedHouseholdRow(string UnitName, string? HouseholdNo, IReadOnlyList<VisitedPerson> People, int Visits, DateOnly FirstVisit, DateOnly LastVisit);

public sealed record VisitedPerson(Guid ResidentId, string Name);

/// <summary>
/// The households a unit's visits reached in a period (the period as applied); <paramref name="OnRegister"/> when they are
/// the households on the register now (a period running to today), otherwise as the visits record them.
/// </summary>
public sealed record VisitedHouseholds(Guid UnitId, string UnitName, DateOnly From, DateOnly To, bool OnRegister, Paged<VisitedHouseholdRow> Households);

/// <summary>Share of households (by 户号; a resident without one counts as a household) visited in the last N days.</summary>
public sealed record VisitCoverage(int Days, int Households, int Visited)
{
    public double Share => Households == 0 ? 0 : (double)Visited / Households;
}

/// <summary>
/// A unit's visits in a period as the dashboard and the report draft count them: households reached, each once (unit, 户号,
/// or the person when there is none), and visits by kind. Whatever a tally
/// answers comes from the tallies (a few rows per unit); only what falls outside them reads the visits' index.
/// </summary>
static class VisitFigures
{
    /// <summary>Households reached in one unit (by its path).</summary>
    internal sealed record HouseholdsIn(string OrgPath, int Households);

    public static async Task<int> HouseholdsAsync(ShiliuDb db, string unitPath, DateOnly from, DateOnly to, DateOnly today, CancellationToken ct) =>
        (await HouseholdsByPathAsync(db, unitPath, from, to, today, ct)).Sum(p => p.Households);

    /// <summary>
    /// The same count for each unit it falls in (the unit and each of its grids: a few hundred rows for a county), so the
    /// list behind it can find a page's households in the units that hold them instead of grouping the whole period.
    /// </summary>
    public static async Task<List<HouseholdsIn>> HouseholdsByPathAsync(ShiliuDb db, string unitPath, DateOnly from, DateOnly to, DateOnly today, CancellationToken ct)
    {
        var tallies = db.ResidentTallies.AsNoTracking().Under(t => t.OrgPath, unitPath);
        // A period that runs to today: no visit is dated after today, so a household's last visit on or after the start is
        // exactly "visited in the period", and the per-unit tally answers it (a few thousand rows for a county). These are
        // households on the register now, so the share of the register they make stays within 100%.
        if (RunsToToday(to, today))
        {
            var since = from.ToString("yyyy-MM-dd");
            return await tallies.Where(t => t.Kind == TallyKind.HouseholdLastVisit && t.Key != "" && string.Compare(t.Key, since) >= 0)
                .GroupBy(t => t.OrgPath).Select(g => new HouseholdsIn(g.Key, g.Sum(t => t.Count))).ToListAsync(ct);
        }
        // A past calendar year (the usual 年度 period) has its own count of households.
        if (from is { Month: 1, Day: 1 } && to is { Month: 12, Day: 31 } && from.Year == to.Year)
        {
            var year = from.Year.ToString("0000");
            return await tallies.Where(t => t.Kind == TallyKind.HouseholdVisitYear && t.Key == year)
                .GroupBy(t => t.OrgPath).Select(g => new HouseholdsIn(g.Key, g.Sum(t => t.Count))).ToListAsync(ct);
        }
        // Any other past period: the last visit says nothing about it, so the period's visits are counted by the household
        // each was made to, as the visit records it (its unit and 户号), from the visits' index alone; joining every visit
        // to today's register costs a county a second on PostgreSQL and would drop households visited then but gone since.
        return await InPeriod(db, unitPath, from, to).Select(v => new { v.OrgPath, v.HouseholdNo, Solo = v.HouseholdNo == null ? v.ResidentId : Guid.Empty })
            .Distinct().GroupBy(h => h.OrgPath).Select(g => new HouseholdsIn(g.Key, g.Count())).ToListAsync(ct);
    }

    /// <summary>
    /// Whether households reached in a period are those on the register now (a period running to today) or those the
    /// visits record (a past period): the count above and the list behind it (VisitService.HouseholdsAsync) key alike.
    /// </summary>
    internal static bool RunsToToday(DateOnly to, DateOnly today) => to >= today;

    /// <summary>The visits filed under a unit's subtree and dated inside a period (inclusive dates; a bound left out is open).</summary>
    internal static IQueryable<Visit> InPeriod(ShiliuDb db, string unitPath, DateOnly? from, DateOnly? to)
    {
        var visits = db.Visits.AsNoTracking().Under(v => v.OrgPath, unitPath);
        if (from is { } f) visits = visits.Where(v => v.VisitDate >= f);
        if (to is { } t) visits = visits.Where(v => v.VisitDate <= t);
        return visits;
    }

    /// <summary>Visits made in the period by kind: whole months from the monthly tally, the days around them from the index.</summary>
    public static async Task<IReadOnlyDictionary<VisitKind, int>> ByKindAsync(ShiliuDb db, string unitPath, DateOnly from, DateOnly to, DateOnly today, CancellationToken ct)
    {
        // No visit is dated after today (the service refuses it), so a period to today reads its last month whole.
        var split = MonthSplit.Of(from, to, today);
        var counts = new List<(VisitKind Kind, int Count)>();
        var visits = db.Visits.AsNoTracking().Under(v => v.OrgPath, unitPath);
        foreach (var (start, until) in split.Days)
            counts.AddRange((await visits.Where(v => v.VisitDate >= start && v.VisitDate < until).GroupBy(v => v.Kind)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).Select(g => (g.Key, g.Count)));
        if (split.HasMonths)
        {
            var (first, end) = (split.FirstKey!, split.EndKey!);
            counts.AddRange((await db.ResidentTallies.AsNoTracking().Under(t => t.OrgPath, unitPath)
                .Where(t => t.Kind == TallyKind.VisitMonth && string.Compare(t.Key, first) >= 0 && string.Compare(t.Key, end) < 0)
                .GroupBy(t => t.Sub).Select(g => new { g.Key, Count = g.Sum(t => t.Count) }).ToListAsync(ct)).Select(g => ((VisitKind)g.Key, g.Count)));
        }
        return Enum.GetValues<VisitKind>().ToDictionary(k => k, k => counts.Where(c => c.Kind == k).Sum(c => c.Count));
    }
}

/// <summary>Visits to residents' households, kept with the resident's unit; needs found are added to the resident's needs.</summary>
public sealed class VisitService(IDbContextFactory<ShiliuDb> dbs)
{
    public async Task<Guid> CreateAsync(SaveVisit req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "登记走访");
        var r = await db.Residents.SingleOrDefaultAsync(x => x.Id == req.ResidentId, ct) ?? throw new NotFoundInScope("居民");
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        if (req.VisitDate > today) throw new RuleViolation(ResidentErrors.Invalid, "走访日期不能晚于今天");
        if (req.VisitDate < today.AddYears(-5)) throw new RuleViolation(ResidentErrors.Invalid, "走访日期过早（5年以前），请核对");
        var v = new Visit
        {
            ResidentId = r.Id, OrgPath = r.OrgPath, HouseholdNo = r.HouseholdNo, VisitDate = req.VisitDate, Kind = req.Kind,
            Visitor = Validation.CleanText(req.Visitor, "走访人"), Findings = Evidence.EvidenceService.CleanMultiline(req.Findings, "走访情况"),
            NeedsFound = req.NeedsFound, FollowUp = string.IsNullOrWhiteSpace(req.FollowUp) ? null : Evidence.EvidenceService.CleanMultiline(req.FollowUp, "后续工作"),
        };
        db.Visits.Add(v);
        if ((r.Needs | req.NeedsFound) != r.Needs)
        {
            var added = ResidentNames.NeedsText(req.NeedsFound & ~r.Needs);
            r.Needs |= req.NeedsFound;
            db.ResidentChanges.Add(new ResidentChange { ResidentId = r.Id, OrgPath = r.OrgPath, TimeUtc = db.UtcNow, UserName = db.Caller.UserName, Action = "走访发现需求", Details = $"新增需求：{added}" });
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await PopulationTally.RefreshAsync(db, [r.CommunityId], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return v.Id;
    }

    public async Task<IReadOnlyList<VisitRow>> ListAsync(Guid? residentId, Guid? orgUnitId, int take = 100, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看走访记录");
        var q = db.Visits.AsNoTracking();
        if (residentId is { } rid) q = q.Where(v => v.ResidentId == rid);
        if (orgUnitId is { } u)
        {
            var path = await db.OrgUnits.Where(o => o.Id == u).Select(o => o.Path).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("单位");
            q = q.Under(v => v.OrgPath, path);
        }
        var visits = await q.OrderByDescending(v => v.VisitDate).ThenByDescending(v => v.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        return await RowsAsync(db, visits, ct);
    }

    /// <summary>
    /// A unit's visits in a period, newest first, a page at a time: the list behind the dashboard's 期间走访 (the same
    /// visits it counts: filed under the unit's subtree, dated inside the period).
    /// </summary>
    public async Task<VisitsOfUnit> PageAsync(VisitPageQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (unit, from, to, _) = await OpenAsync(db, q, ct);
        var visits = VisitFigures.InPeriod(db, unit.Path, from, to);
        var (page, size) = Paged<VisitRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20, maxSize: 100);
        var total = await visits.CountAsync(ct);
        var rows = await visits.OrderByDescending(v => v.VisitDate).ThenByDescending(v => v.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new VisitsOfUnit(unit.Id, unit.Name, new Paged<VisitRow>(await RowsAsync(db, rows, ct), total, page, size));
    }

    /// <summary>
    /// The households a unit's visits reached in a period, a page at a time, in the order of their units and 户号: the list
    /// behind the dashboard's 期间走访覆盖户数, keyed as it counts them. For a period running to today, the households on
    /// the register now with a member visited in it; for a past period, the households as the visits record them (so one
    /// visited then and gone since is listed). The period is the dashboard's: 1 January to today when left out.
    /// </summary>
    public async Task<VisitedHouseholds> HouseholdsAsync(VisitPageQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (unit, from, to, today) = await OpenAsync(db, q, ct);
        var (from0, to0) = Periods.Check(from, to, today, ResidentErrors.Invalid);
        var (page, size) = Paged<VisitedHouseholdRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20, maxSize: 100);
        // One row per visit reached, with the household it counts for: who, when.
        var reached = VisitFigures.RunsToToday(to0, today)
            ? from r in db.Residents.AsNoTracking().Under(r => r.OrgPath, unit.Path).Where(r => r.Status == ResidentStatus.Registered)
              join v in db.Visits.AsNoTracking().Where(v => v.VisitDate >= from0 && v.VisitDate <= to0) on r.Id equals v.ResidentId
              select new Reached { OrgPath = r.OrgPath, HouseholdNo = r.HouseholdNo, Solo = r.HouseholdNo == null ? r.Id : Guid.Empty, ResidentId = r.Id, VisitDate = v.VisitDate }
            : from v in VisitFigures.InPeriod(db, unit.Path, from0, to0)
              select new Reached { OrgPath = v.OrgPath, HouseholdNo = v.HouseholdNo, Solo = v.HouseholdNo == null ? v.ResidentId : Guid.Empty, ResidentId = v.ResidentId, VisitDate = v.VisitDate };
        // The figure's households per unit, in the order of the units' codes (a grid's begins with its community's), as the
        // grids page lists them: the page's households are read from the one or two units that hold them. Grouping the
        // county's whole period to show twenty cost 1.2 s on PostgreSQL at 10^6 residents, one request at a time (docs/benchmarks.md).
        var perUnit = await VisitFigures.HouseholdsByPathAsync(db, unit.Path, from0, to0, today, ct);
        var unitPaths = perUnit.Select(u => u.OrgPath).ToList();
        var units = await db.OrgUnits.AsNoTracking().Where(o => unitPaths.Contains(o.Path)).Select(o => new { o.Path, o.Code, o.Name }).ToDictionaryAsync(o => o.Path, ct);
        var ordered = perUnit.Where(u => u.Households > 0)
            .OrderBy(u => units.GetValueOrDefault(u.OrgPath)?.Code ?? "", StringComparer.Ordinal).ThenBy(u => u.OrgPath, StringComparer.Ordinal).ToList();
        var total = ordered.Sum(u => u.Households);
        var found = new List<(string OrgPath, string? HouseholdNo, Guid Solo, int Visits, DateOnly First, DateOnly Last, string Unit)>();
        var skip = (page - 1) * size;
        foreach (var (path, count) in ordered)
        {
            if (found.Count == size) break;
            if (skip >= count)
            {
                skip -= count;
                continue;
            }
            var inUnit = await reached.Where(x => x.OrgPath == path).GroupBy(x => new { x.HouseholdNo, x.Solo })
                .Select(g => new { g.Key.HouseholdNo, g.Key.Solo, Visits = g.Count(), First = g.Min(x => x.VisitDate), Last = g.Max(x => x.VisitDate) })
                .OrderBy(h => h.HouseholdNo == null).ThenBy(h => h.HouseholdNo).ThenBy(h => h.Solo).Skip(skip).Take(size - found.Count).ToListAsync(ct);
            found.AddRange(inUnit.Select(h => (path, h.HouseholdNo, h.Solo, h.Visits, h.First, h.Last, units.GetValueOrDefault(path)?.Name ?? "")));
            skip = 0;
        }
        // Who was visited in each household of the page, in one query over the same rows.
        var paths = found.Select(h => h.OrgPath).Distinct().ToList();
        var nos = found.Where(h => h.HouseholdNo != null).Select(h => h.HouseholdNo!).Distinct().ToList();
        var solos = found.Where(h => h.HouseholdNo == null).Select(h => h.Solo).ToList();
        var met = await reached.Where(x => paths.Contains(x.OrgPath) && ((x.HouseholdNo == null && solos.Contains(x.Solo)) || (x.HouseholdNo != null && nos.Contains(x.HouseholdNo))))
            .Select(x => new { x.OrgPath, x.HouseholdNo, x.Solo, x.ResidentId }).Distinct().ToListAsync(ct);
        var names = await NamesAsync(db, met.Select(m => m.ResidentId).Distinct().ToList(), ct);
        var rows = found.Select(h => new VisitedHouseholdRow(h.Unit, h.HouseholdNo,
            met.Where(m => m.OrgPath == h.OrgPath && m.HouseholdNo == h.HouseholdNo && m.Solo == h.Solo)
                .Select(m => new VisitedPerson(m.ResidentId, names.GetValueOrDefault(m.ResidentId, ""))).OrderBy(p => p.Name, StringComparer.Ordinal).ToList(),
            h.Visits, h.First, h.Last)).ToList();
        return new VisitedHouseholds(unit.Id, unit.Name, from0, to0, VisitFigures.RunsToToday(to0, today), new Paged<VisitedHouseholdRow>(rows, total, page, size));
    }

    sealed class Reached
    {
        public required string OrgPath { get; init; }
        public string? HouseholdNo { get; init; }
        public Guid Solo { get; init; }
        public Guid ResidentId { get; init; }
        public DateOnly VisitDate { get; init; }
    }

    /// <summary>The checks every list of a unit's visits makes: who may read them, a period the right way round, the unit in scope.</summary>
    static async Task<(Organizations.OrgUnit Unit, DateOnly? From, DateOnly? To, DateOnly Today)> OpenAsync(ShiliuDb db, VisitPageQuery q, CancellationToken ct)
    {
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看走访记录");
        if (q.From is { } f && q.To is { } t && f > t) throw RuleViolation.ForField(ResidentErrors.Invalid, "to", "结束日期不能早于开始日期");
        var unit = await GridService.UnitAsync(db, q.OrgUnitId, ct);
        return (unit, q.From, q.To, DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow)));
    }

    public async Task<VisitRow> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看走访记录");
        var visit = await db.Visits.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct) ?? throw new NotFoundInScope("走访记录");
        return (await RowsAsync(db, [visit], ct))[0];
    }

    static async Task<IReadOnlyList<VisitRow>> RowsAsync(ShiliuDb db, List<Visit> visits, CancellationToken ct)
    {
        var names = await NamesAsync(db, visits.Select(v => v.ResidentId).Distinct().ToList(), ct);
        return visits.Select(v => new VisitRow(v.Id, v.ResidentId, names.GetValueOrDefault(v.ResidentId, ""), v.HouseholdNo, v.VisitDate, v.Kind, v.Visitor,
            v.Findings, v.NeedsFound, v.FollowUp, v.UpdatedBy)).ToList();
    }

    // Names in a query of their own: IgnoreQueryFilters inside a join would lift the scope filter from the whole query.
    static Task<Dictionary<Guid, string>> NamesAsync(ShiliuDb db, List<Guid> ids, CancellationToken ct) =>
        db.Residents.IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct);

    /// <summary>Households in scope (registered residents grouped by 户号) and how many had a visit in the last N days.</summary>
    public async Task<VisitCoverage> CoverageAsync(Guid? orgUnitId, int days = 90, CancellationToken ct = default)
    {
        if (days is < 1 or > 3650) throw new RuleViolation(ResidentErrors.Invalid, "天数须在1至3650之间");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "查看走访统计");
        var residents = db.Residents.AsNoTracking().Where(r => r.Status == ResidentStatus.Registered);
        var visits = db.Visits.AsNoTracking();
        if (orgUnitId is { } u)
        {
            var path = await db.OrgUnits.Where(o => o.Id == u).Select(o => o.Path).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("单位");
            residents = residents.Under(r => r.OrgPath, path);
            visits = visits.Under(v => v.OrgPath, path);
        }
        var since = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow)).AddDays(-days);
        // A household is its 户号 within its unit; a resident without one is a household of one.
        var households = await residents.Select(r => r.HouseholdNo != null ? r.OrgPath + "|" + r.HouseholdNo : r.Id.ToString()).Distinct().CountAsync(ct);
        var visited = await residents.Where(r => visits.Any(v => v.ResidentId == r.Id && v.VisitDate >= since))
            .Select(r => r.HouseholdNo != null ? r.OrgPath + "|" + r.HouseholdNo : r.Id.ToString()).Distinct().CountAsync(ct);
        return new VisitCoverage(days, households, visited);
    }
}

sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> b)
    {
        b.ToTable("Visits");
        b.Property(v => v.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(v => v.HouseholdNo).HasMaxLength(30);
        b.Property(v => v.Visitor).HasMaxLength(50).IsRequired();
        b.Property(v => v.Findings).HasMaxLength(2000).IsRequired();
        b.Property(v => v.FollowUp).HasMaxLength(500);
        b.Property(v => v.UpdatedBy).HasMaxLength(100);
        b.HasIndex(v => new { v.ResidentId, v.VisitDate });
        // Kind and the household ride along so a period's visits are counted by kind and by household from the index alone.
        b.HasIndex(v => new { v.OrgPath, v.VisitDate, v.Kind, v.HouseholdNo, v.ResidentId });
        b.HasOne<Resident>().WithMany().HasForeignKey(v => v.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}
