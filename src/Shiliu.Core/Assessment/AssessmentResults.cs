using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Assessment;

public sealed record HeatRow(Guid OrgUnitId, string UnitName, IReadOnlyList<decimal?> Shares);

public sealed record WeakCriterion(int No, string ShortTitle, int Points, decimal Share);

/// <summary>The county's view: the ranking, the heat map (unit × criterion, share of the points) and the weakest criteria.</summary>
public sealed record RoundResults(Guid RoundId, string Name, RoundStage Stage, int WeightSelf, int WeightMutual, int WeightSupervision, string TieRuleText,
    IReadOnlyList<BandView> Bands, IReadOnlyList<RankingRow> Ranking, IReadOnlyList<CriterionView> Criteria, IReadOnlyList<HeatRow> Heat,
    IReadOnlyList<WeakCriterion> Weakest)
{
    public bool Published => Stage == RoundStage.Published;
    public string TopBand => Bands.Count == 0 ? "" : Bands[0].Name;
}

/// <summary>A unit's own result once published: its row of the ranking and every submitted sheet about it, with feedback.</summary>
public sealed record UnitResult(Guid RoundId, string RoundName, RankingRow Row, string? VetoReference, IReadOnlyList<SheetView> Sheets);

public sealed partial class AssessmentService
{
    public async Task<RoundResults> ResultsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.Results, AssessmentErrors.Denied, "查看考评排名");
        var round = await RoundAsync(db, id, tracking: false, ct);
        return await ComputeAsync(db, round, ct);
    }

    internal static async Task<RoundResults> ComputeAsync(ShiliuDb db, AssessmentRound round, CancellationToken ct)
    {
        var ranking = await RankingAsync(db, round, ct);
        var criteria = await CriteriaAsync(db, round.Id, ct);
        // Per unit, mode and criterion: the sum and count of submitted scores, in one aggregate query.
        var cells = await db.AssessmentScoreLines.Join(db.AssessmentSheets.Where(s => s.RoundId == round.Id && s.Status == SheetStatus.Submitted),
                l => l.SheetId, s => s.Id, (l, s) => new { s.ScoredUnitId, s.Mode, l.CriterionNo, l.Tenths })
            .Where(x => x.Tenths != null)
            .GroupBy(x => new { x.ScoredUnitId, x.Mode, x.CriterionNo })
            .Select(g => new { g.Key.ScoredUnitId, g.Key.Mode, g.Key.CriterionNo, Sum = g.Sum(x => (long)x.Tenths!.Value), N = g.Count() })
            .ToListAsync(ct);
        var byUnit = cells.ToLookup(c => c.ScoredUnitId);
        var heat = ranking.Select(r =>
        {
            var mine = byUnit[r.OrgUnitId].ToLookup(c => c.CriterionNo);
            return new HeatRow(r.OrgUnitId, r.UnitName, criteria.Select(c =>
            {
                // The modes' means weighted as the round weighs them, over the modes that scored the criterion.
                var modes = mine[c.No].Select(x => (Weight: round.WeightOf(x.Mode), Mean: x.Sum / (x.N * 10m))).Where(x => x.Weight > 0).ToList();
                var weight = modes.Sum(x => x.Weight);
                return weight == 0 || c.Points == 0 ? (decimal?)null
                    : Math.Round(modes.Sum(x => x.Mean * x.Weight) / weight / c.Points, 3, MidpointRounding.AwayFromZero);
            }).ToList());
        }).ToList();
        var weakest = Weakest(criteria, heat);
        return new RoundResults(round.Id, round.Name, round.Stage, round.WeightSelf, round.WeightMutual, round.WeightSupervision, TieRuleText(round.TieBreaks),
            round.Bands.OrderByDescending(b => b.MinScore).Select(b => new BandView(b.Name, b.MinScore)).ToList(), ranking, criteria, heat, weakest);
    }

    /// <summary>
    /// The criteria with the lowest mean share of their points over the given rows of the heat map (the round's units, or
    /// the units of one township's or community's view), lowest first.
    /// </summary>
    internal static IReadOnlyList<WeakCriterion> Weakest(IReadOnlyList<CriterionView> criteria, IEnumerable<HeatRow> heat, int take = 5)
    {
        var rows = heat.ToList();
        return criteria.Select((c, i) => (c, Shares: rows.Select(h => h.Shares[i]).OfType<decimal>().ToList()))
            .Where(x => x.Shares.Count > 0)
            .Select(x => new WeakCriterion(x.c.No, x.c.ShortTitle, x.c.Points, Math.Round(x.Shares.Average(), 3, MidpointRounding.AwayFromZero)))
            .OrderBy(w => w.Share).ThenBy(w => w.No).Take(take).ToList();
    }

    /// <summary>The ranking from two aggregate queries: the submitted sheets summed per unit and mode, and the units with their vetoes.</summary>
    internal static async Task<IReadOnlyList<RankingRow>> RankingAsync(ShiliuDb db, AssessmentRound round, CancellationToken ct, bool wholeRound = false)
    {
        var sheets = db.AssessmentSheets.AsQueryable();
        var units = db.AssessmentUnits.AsQueryable();
        // A unit reading its published rank is ranked among all units, whose rows lie outside its scope.
        if (wholeRound) (sheets, units) = (sheets.IgnoreQueryFilters(), units.IgnoreQueryFilters());
        var sums = await sheets.Where(s => s.RoundId == round.Id && s.Status == SheetStatus.Submitted)
            .GroupBy(s => new { s.ScoredUnitId, s.Mode })
            .Select(g => new { g.Key.ScoredUnitId, g.Key.Mode, Sum = g.Sum(s => (long)s.TotalTenths), N = g.Count(), D = g.Sum(s => s.Deductions) })
            .ToListAsync(ct);
        var list = await units.AsNoTracking().Where(u => u.RoundId == round.Id)
            .Select(u => new { u.OrgUnitId, u.UnitName, u.TownshipName, u.VetoReason }).ToListAsync(ct);
        var byUnit = sums.ToLookup(s => s.ScoredUnitId);
        var tallies = list.Select(u =>
        {
            var m = byUnit[u.OrgUnitId].ToDictionary(x => x.Mode);
            (long, int) Of(AssessMode mode) => m.TryGetValue(mode, out var x) ? (x.Sum, x.N) : (0, 0);
            var (s, sn) = Of(AssessMode.Self);
            var (mu, mn) = Of(AssessMode.Mutual);
            var (v, vn) = Of(AssessMode.Supervision);
            return new UnitTally(u.OrgUnitId, u.UnitName, u.TownshipName, s, sn, mu, mn, v, vn, m.Values.Sum(x => x.D), u.VetoReason);
        });
        return RoundScoring.Rank(tallies, round.WeightSelf, round.WeightMutual, round.WeightSupervision,
            round.Bands.Select(b => (b.Name, b.MinScore)).ToList(), round.TieBreaks, round.GapThreshold);
    }

    /// <summary>
    /// A unit's own result, readable by the unit (and the units above it) once the round is published: every submitted
    /// sheet about it, whoever wrote it, with the deduction reasons and feedback.
    /// </summary>
    public async Task<UnitResult> UnitResultAsync(Guid id, Guid unitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.View, AssessmentErrors.Denied, "查看考评结果");
        var round = await RoundAsync(db, id, tracking: false, ct);
        var unit = await db.AssessmentUnits.AsNoTracking().SingleOrDefaultAsync(u => u.RoundId == id && u.OrgUnitId == unitId, ct)
            ?? throw new NotFoundInScope("参评单位");
        var county = db.Caller.Can(AssessmentPermissions.Results);
        // An assessor's unit is the county, yet it reads only the units assigned to it.
        if (!county && db.Caller.IsInRole(Roles.Assessor)
            && !await db.AssessmentAssessors.AnyAsync(a => a.RoundId == id && a.UserId == db.Caller.UserId && a.OrgUnitId == unitId, ct))
            throw new NotFoundInScope("参评单位");
        if (round.Stage != RoundStage.Published && !county)
            throw new RuleViolation(AssessmentErrors.NotPublished, $"考评《{round.Name}》的结果尚未发布，发布后可查看本单位的评分表和反馈");
        var ranking = await RankingAsync(db, round, ct, wholeRound: true);
        // The sheets about the unit were written by other units and assessors: read past the scope filter, for this unit only.
        var sheets = await db.AssessmentSheets.IgnoreQueryFilters().AsNoTracking().Include(s => s.Lines)
            .Where(s => s.RoundId == id && s.ScoredUnitId == unitId && s.Status == SheetStatus.Submitted)
            .OrderBy(s => s.Mode).ThenBy(s => s.ScorerName).ToListAsync(ct);
        var views = new List<SheetView>();
        foreach (var s in sheets)
        {
            // Assessors are named to the county, as 调研督查组 to the unit.
            if (!county && s.Mode == AssessMode.Supervision) s.ScorerName = "调研督查组";
            views.Add(await ViewAsync(db, round, s, canEdit: false, ct));
        }
        return new UnitResult(round.Id, round.Name, ranking.Single(r => r.OrgUnitId == unitId), unit.VetoReference, views);
    }
}
