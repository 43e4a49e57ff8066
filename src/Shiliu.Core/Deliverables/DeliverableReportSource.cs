using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Reporting;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.Deliverables;

/// <summary>“十个一”完成情况: a community's own ten items by state; a township's or the county's counted over their units.</summary>
sealed class DeliverableReportSource : IReportSource
{
    public string Permission => CampaignPermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        if (q.CampaignId is not { } id) return null;
        var rows = await db.Deliverables.AsNoTracking().Under(d => d.OrgPath, q.UnitPath).Where(d => d.CampaignId == id)
            .GroupBy(d => new { d.ItemNo, d.Status }).Select(g => new { g.Key.ItemNo, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        if (rows.Count == 0) return null;
        int Of(DeliverableStatus s) => rows.Where(r => r.Status == s).Sum(r => r.Count);
        var total = rows.Sum(r => r.Count);
        var approved = Of(DeliverableStatus.Approved);
        string text;
        if (q.Level == OrgLevel.Community)
        {
            string Items(DeliverableStatus s) => string.Join("、", rows.Where(r => r.Status == s).OrderBy(r => r.ItemNo).Select(r => $"“{TenItems.Names[r.ItemNo - 1]}”"));
            text = $"对照“十个一”创建要求逐项落实：已完成并经审核通过{approved}项"
                + (approved > 0 ? $"（{Items(DeliverableStatus.Approved)}）" : "")
                + $"，已完成待审核{Of(DeliverableStatus.Completed)}项，正在推进{Of(DeliverableStatus.InProgress) + Of(DeliverableStatus.Returned)}项，"
                + $"尚未开始{Of(DeliverableStatus.NotStarted)}项"
                + (Of(DeliverableStatus.NotStarted) > 0 ? $"（{Items(DeliverableStatus.NotStarted)}）" : "") + "。";
        }
        else
        {
            var units = await db.Deliverables.AsNoTracking().Under(d => d.OrgPath, q.UnitPath).Where(d => d.CampaignId == id)
                .GroupBy(d => d.OrgUnitId).Select(g => g.Count(d => d.Status == DeliverableStatus.Approved)).ToListAsync(ct);
            var weakest = rows.GroupBy(r => r.ItemNo)
                .Select(g => (No: g.Key, Share: (double)g.Where(r => r.Status == DeliverableStatus.Approved).Sum(r => r.Count) / g.Sum(r => r.Count)))
                .OrderBy(x => x.Share).ThenBy(x => x.No).First();
            text = $"参加创建的{Count(units.Count)}个单位共{Count(total)}项“十个一”任务，已审核通过{Count(approved)}项，占{Share(approved, total)}；"
                + $"{Count(units.Count(n => n == TenItems.Names.Length))}个单位十项全部通过。完成较慢的是“{TenItems.Names[weakest.No - 1]}”（通过率{Percent(weakest.Share)}）。";
        }
        return new ReportPart(ReportSection.Work, 20, "对照“十个一”要求，扎实推进创建任务", [text],
            $"“十个一”办理和审核记录，截至{q.Today:yyyy年M月d日}",
            [
                new("十个一", "任务总数（项）", Count(total)),
                new("十个一", "已审核通过（项）", Count(approved)),
                new("十个一", "待审核（项）", Count(Of(DeliverableStatus.Completed))),
                new("十个一", "进行中（含退回）（项）", Count(Of(DeliverableStatus.InProgress) + Of(DeliverableStatus.Returned))),
                new("十个一", "未开始（项）", Count(Of(DeliverableStatus.NotStarted))),
                new("十个一", "完成率", Share(approved, total)),
            ]);
    }
}
