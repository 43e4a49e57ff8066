namespace Shiliu.Core.Assessment;

/// <summary>One unit's submitted sheets, summed per mode by the database (tenths of a point, and how many sheets).</summary>
public sealed record UnitTally(Guid OrgUnitId, string UnitName, string TownshipName, long SelfTenths, int SelfSheets, long MutualTenths, int MutualSheets,
    long SupervisionTenths, int SupervisionSheets, int Deductions, string? VetoReason);

public sealed record RankingRow(Guid OrgUnitId, string UnitName, string TownshipName, decimal? Self, decimal? Mutual, decimal? Supervision, decimal Weighted,
    int Deductions, int? Rank, bool Tied, string Grade, bool Vetoed, string? VetoReason, IReadOnlyList<string> Gaps)
{
    public string RankText => Rank is { } r ? Tied ? $"{r}（并列）" : r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "—";
}

/// <summary>
/// The round's arithmetic, apart from the database so the hand-computed table tests it exactly: each mode's total is
/// the mean of its submitted sheets, the weighted total is Σ mode total × weight / 100 (a mode without a submitted sheet
/// counts 0), both rounded to two decimals half away from zero; units are ranked by the weighted total, then by the
/// declared tie breaks, and units equal on all of them share a rank (并列, the next rank skipped). A vetoed unit is not
/// ranked and its grade is 一票否决 whatever its score.
/// </summary>
public static class RoundScoring
{
    public const string VetoGrade = "一票否决";

    public static decimal? Mean(long tenths, int sheets) =>
        sheets == 0 ? null : Math.Round(tenths / (sheets * 10m), 2, MidpointRounding.AwayFromZero);

    public static IReadOnlyList<RankingRow> Rank(IEnumerable<UnitTally> units, int weightSelf, int weightMutual, int weightSupervision,
        IReadOnlyList<(string Name, decimal MinScore)> bands, IReadOnlyList<TieBreak> tieBreaks, decimal gapThreshold)
    {
        var rows = units.Select(u =>
        {
            var (s, m, v) = (Mean(u.SelfTenths, u.SelfSheets), Mean(u.MutualTenths, u.MutualSheets), Mean(u.SupervisionTenths, u.SupervisionSheets));
            var weighted = Math.Round(((s ?? 0) * weightSelf + (m ?? 0) * weightMutual + (v ?? 0) * weightSupervision) / 100m, 2, MidpointRounding.AwayFromZero);
            return (Unit: u, Self: s, Mutual: m, Supervision: v, Weighted: weighted);
        }).ToList();

        // The sort key: weighted total first, then each declared tie break, all "bigger is better".
        decimal[] Key((UnitTally Unit, decimal? Self, decimal? Mutual, decimal? Supervision, decimal Weighted) r) =>
            [r.Weighted, .. tieBreaks.Select(t => t switch
            {
                TieBreak.SupervisionTotal => r.Supervision ?? 0,
                TieBreak.MutualTotal => r.Mutual ?? 0,
                TieBreak.SelfTotal => r.Self ?? 0,
                TieBreak.FewerDeductions => -r.Unit.Deductions,
                _ => 0,
            })];

        var ranked = rows.Where(r => r.Unit.VetoReason is null).Select(r => (Row: r, Key: Key(r))).ToList();
        ranked.Sort((a, b) => Compare(b.Key, a.Key) is var c and not 0 ? c : string.CompareOrdinal(a.Row.Unit.UnitName, b.Row.Unit.UnitName));
        var result = new List<RankingRow>(rows.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var first = i;
            while (first > 0 && Compare(ranked[first - 1].Key, ranked[i].Key) == 0) first--;
            var tied = (i > 0 && Compare(ranked[i - 1].Key, ranked[i].Key) == 0) || (i + 1 < ranked.Count && Compare(ranked[i + 1].Key, ranked[i].Key) == 0);
            var r = ranked[i].Row;
            result.Add(new RankingRow(r.Unit.OrgUnitId, r.Unit.UnitName, r.Unit.TownshipName, r.Self, r.Mutual, r.Supervision, r.Weighted, r.Unit.Deductions,
                first + 1, tied, Grade(r.Weighted, bands), false, null, Gaps(r.Self, r.Mutual, r.Supervision, gapThreshold, (weightSelf, weightMutual, weightSupervision))));
        }
        foreach (var r in rows.Where(r => r.Unit.VetoReason is not null).OrderByDescending(r => r.Weighted).ThenBy(r => r.Unit.UnitName, StringComparer.Ordinal))
            result.Add(new RankingRow(r.Unit.OrgUnitId, r.Unit.UnitName, r.Unit.TownshipName, r.Self, r.Mutual, r.Supervision, r.Weighted, r.Unit.Deductions,
                null, false, VetoGrade, true, r.Unit.VetoReason, Gaps(r.Self, r.Mutual, r.Supervision, gapThreshold, (weightSelf, weightMutual, weightSupervision))));
        return result;
    }

    static int Compare(decimal[] a, decimal[] b)
    {
        for (var i = 0; i < a.Length; i++)
            if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return 0;
    }

    /// <summary>The band whose floor the total reaches (bands sorted from the highest floor down).</summary>
    public static string Grade(decimal total, IReadOnlyList<(string Name, decimal MinScore)> bands) =>
        bands.OrderByDescending(b => b.MinScore).FirstOrDefault(b => total >= b.MinScore).Name ?? "";

    /// <summary>"自检自查比调研督查高 12.5 分" for each pair of modes further apart than the threshold; "缺少互检互评" for a weighted mode without a submitted sheet.</summary>
    public static IReadOnlyList<string> Gaps(decimal? self, decimal? mutual, decimal? supervision, decimal threshold, (int Self, int Mutual, int Supervision) weights = default)
    {
        var gaps = new List<string>();
        if (self is null && weights.Self > 0) gaps.Add("缺少自检自查");
        if (mutual is null && weights.Mutual > 0) gaps.Add("缺少互检互评");
        if (supervision is null && weights.Supervision > 0) gaps.Add("缺少调研督查");
        void Check(string a, decimal? x, string b, decimal? y)
        {
            if (x is not { } p || y is not { } q || Math.Abs(p - q) <= threshold) return;
            gaps.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{a}比{b}{(p > q ? "高" : "低")} {Math.Abs(p - q):0.##} 分"));
        }
        Check("自检自查", self, "互检互评", mutual);
        Check("自检自查", self, "调研督查", supervision);
        Check("互检互评", mutual, "调研督查", supervision);
        return gaps;
    }
}
