using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.Evidence;

/// <summary>证明材料: the unit's evidence filed under each criterion for the years of the period, counted with its titles.</summary>
sealed class EvidenceCriterionRecords : ICriterionRecordSource
{
    public async Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery q, CancellationToken ct)
    {
        var (from, to) = (q.From.Year, q.To.Year);
        var items = await db.EvidenceRefs.Where(r => r.Kind == EvidenceRefKind.Criterion)
            .Join(db.Evidence.Under(e => e.OrgPath, q.OrgPath).Where(e => e.DeletedUtc == null && e.Year >= from && e.Year <= to),
                r => r.EvidenceId, e => e.Id, (r, e) => new { r.No, e.Title, e.UploadedUtc })
            .ToListAsync(ct);
        return items.GroupBy(i => i.No).OrderBy(g => g.Key).Select(g => new CriterionRecord(g.Key, "痕迹台账", "按本条归档的证明材料",
            $"{g.Count()} 份：{string.Join("、", g.OrderByDescending(i => i.UploadedUtc).Take(5).Select(i => $"《{i.Title}》"))}{(g.Count() > 5 ? " 等" : "")}",
            "/evidence")).ToList();
    }
}
