using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Deliverables;

/// <summary>
/// The demo communities' 十个一 in mixed states, moved through the one workflow (so each has its history): the first items
/// approved, the next submitted and waiting, a few in progress, the rest not started — further along in some communities
/// than in others, as a county looks half-way through a campaign.
/// </summary>
static class DeliverableDemo
{
    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var rows = await db.Deliverables.Join(db.OrgUnits.Where(o => o.IsDemo && o.Level == OrgLevel.Community), d => d.OrgUnitId, o => o.Id, (d, o) => new { d, o.Code })
            .ToListAsync(ct);
        if (rows.Count == 0 || rows.Any(r => r.d.Status != DeliverableStatus.NotStarted)) return;
        var moved = 0;
        foreach (var unit in rows.GroupBy(r => r.Code))
        {
            var rng = DemoRandom.For("ten-" + unit.Key);
            var approved = rng.Next(1, 7);
            var waiting = approved + rng.Next(0, 3);
            var working = waiting + rng.Next(0, 3);
            foreach (var r in unit.OrderBy(x => x.d.ItemNo))
            {
                var d = r.d;
                string[] steps = d.ItemNo <= approved ? ["start", "submit", "approve"] : d.ItemNo <= waiting ? ["start", "submit"] : d.ItemNo <= working ? ["start"] : [];
                if (steps.Length == 0) continue;
                d.Evidence = "演示数据：成果为虚构。";
                foreach (var step in steps) await DeliverableFlow.Definition.ApplyAsync(db, d, step, ct: ct);
                moved++;
            }
        }
        await db.SaveChangesAsync(ct);
        seed.Report.Add($"已将演示社区的 {moved} 项“十个一”推进到进行中、待审核或已审核（演示）");
    }
}
