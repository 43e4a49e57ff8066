using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.Deliverables;

/// <summary>
/// 十个一: how many of the deliverables that bear on a criterion the level above has approved, with that share as the
/// suggestion. Which criterion each deliverable serves is this module's knowledge of the seed's table (领导小组 and 工作方案
/// → 组织机构与工作机制; the publicity items → 民族政策宣传; 台账, 汇报材料 and 工作业绩 → 贯彻落实).
/// </summary>
sealed class DeliverableCriterionRecords : ICriterionRecordSource
{
    static readonly Dictionary<int, int> CriterionOf = new()
    {
        [1] = 2, [2] = 2, [3] = 4, [4] = 1, [5] = 4, [6] = 1, [7] = 4, [8] = 4, [9] = 4, [10] = 1,
    };

    public async Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery q, CancellationToken ct)
    {
        var items = db.Deliverables.Under(d => d.OrgPath, q.OrgPath);
        if (q.CampaignId is { } campaign) items = items.Where(d => d.CampaignId == campaign);
        var rows = await items.GroupBy(d => d.ItemNo)
            .Select(g => new { ItemNo = g.Key, Total = g.Count(), Approved = g.Count(d => d.Status == DeliverableStatus.Approved) })
            .ToListAsync(ct);
        return rows.Where(r => CriterionOf.ContainsKey(r.ItemNo)).GroupBy(r => CriterionOf[r.ItemNo]).OrderBy(g => g.Key).Select(g =>
        {
            var (total, approved) = (g.Sum(r => r.Total), g.Sum(r => r.Approved));
            var names = string.Join("、", g.OrderBy(r => r.ItemNo).Select(r => TenItems.Names[r.ItemNo - 1]));
            return new CriterionRecord(g.Key, "十个一", names, $"审核通过 {approved}/{total} 项", "/deliverables",
                total == 0 ? null : new SuggestedShare((decimal)approved / total, $"“十个一”审核通过 {approved} / 相关事项 {total}"));
        }).ToList();
    }
}
