using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.Disputes;

/// <summary>
/// 排查不稳定因素 (第 10 条): screenings in the period, nil reports among them; 化解矛盾纠纷 (第 11 条): disputes registered in
/// the period and how many were resolved, the resolution rate being the suggestion.
/// </summary>
sealed class DisputeCriterionRecords : ICriterionRecordSource
{
    const int Screening = 10, Resolving = 11;

    public async Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery q, CancellationToken ct)
    {
        var screened = await db.DisputeScreenings.Under(s => s.OrgPath, q.OrgPath).Where(s => s.Date >= q.From && s.Date <= q.To)
            .GroupBy(_ => 1).Select(g => new { Count = g.Count(), Nil = g.Count(s => s.Nil), Factors = g.Sum(s => s.FactorCount) }).FirstOrDefaultAsync(ct);
        var (from, to) = (ChinaTime.DayStartUtc(q.From), ChinaTime.DayStartUtc(q.To.AddDays(1)));
        DisputeStatus[] resolved = [DisputeStatus.Resolved, DisputeStatus.Visited, DisputeStatus.Closed];
        var cases = await db.Disputes.Under(d => d.OrgPath, q.OrgPath).Where(d => d.RegisteredUtc >= from && d.RegisteredUtc < to)
            .GroupBy(_ => 1).Select(g => new { Count = g.Count(), Resolved = g.Count(d => resolved.Contains(d.Status)), Ethnic = g.Count(d => d.EthnicFactors) })
            .FirstOrDefaultAsync(ct);
        var lines = new List<CriterionRecord>();
        if (screened is not null)
            lines.Add(new CriterionRecord(Screening, "矛盾纠纷", "不稳定因素排查", $"排查 {screened.Count} 次（零报告 {screened.Nil} 次），发现不稳定因素 {screened.Factors} 个",
                "/disputes/screening"));
        if (cases is not null)
            lines.Add(new CriterionRecord(Resolving, "矛盾纠纷", "登记的矛盾纠纷", $"登记 {cases.Count} 件（涉及民族因素 {cases.Ethnic} 件），已化解 {cases.Resolved} 件",
                "/disputes", new SuggestedShare((decimal)cases.Resolved / cases.Count, $"已化解 {cases.Resolved} / 登记 {cases.Count}")));
        return lines;
    }
}
