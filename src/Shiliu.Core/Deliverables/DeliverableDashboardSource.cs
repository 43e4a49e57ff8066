using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Deliverables;

/// <summary>The “十个一” matrix: each unit of the subtree × the ten items, by state, with the counts by state.</summary>
sealed class DeliverableDashboardSource : IDashboardSource
{
    /// <summary>Column heads short enough for a phone: the noun of each item.</summary>
    static readonly string[] Short = ["领导小组", "工作方案", "宣传手册", "痕迹台账", "专题片", "汇报材料", "宣传展板", "文化墙", "宣传走廊", "工作业绩"];

    public string Permission => CampaignPermissions.View;
    public int Order => 20;

    public async Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery q, CancellationToken ct)
    {
        if (q.CampaignId is not { } id) return [];
        var cells = await db.Deliverables.AsNoTracking().Under(d => d.OrgPath, q.UnitPath).Where(d => d.CampaignId == id)
            .Select(d => new { d.OrgUnitId, d.ItemNo, d.Status }).ToListAsync(ct);
        if (cells.Count == 0) return [];
        var names = await db.UnitNamesAsync(cells.Select(c => c.OrgUnitId).Distinct(), ct);
        var order = await db.OrgUnits.AsNoTracking().Under(o => o.Path, q.UnitPath).Where(o => names.Keys.Contains(o.Id))
            .OrderBy(o => o.Path).Select(o => o.Id).ToListAsync(ct);
        var byUnit = cells.ToLookup(c => c.OrgUnitId);
        var link = $"/deliverables?campaign={id}";
        var rows = order.Select(u =>
        {
            var mine = byUnit[u].ToDictionary(c => c.ItemNo, c => c.Status);
            return new DashboardMatrixRow(names[u], $"{link}&unit={u}", Enumerable.Range(1, TenItems.Names.Length)
                .Select(n => mine.TryGetValue(n, out var s) ? new DashboardCell(TenItems.StatusName(s), Tone(s)) : new DashboardCell("—", "none")).ToList());
        }).ToList();
        int Of(DeliverableStatus s) => cells.Count(c => c.Status == s);
        var unitLink = $"{link}&{q.UnitArg}";
        return
        [
            new DashboardPanel("ten-items", "“十个一”完成情况",
            [
                new("已审核通过", Of(DeliverableStatus.Approved), "项", unitLink),
                new("待审核", Of(DeliverableStatus.Completed), "项", unitLink),
                new("进行中（含退回）", Of(DeliverableStatus.InProgress) + Of(DeliverableStatus.Returned), "项", unitLink),
                new("未开始", Of(DeliverableStatus.NotStarted), "项", unitLink),
                DashboardFigure.Share("完成率", Of(DeliverableStatus.Approved), cells.Count),
            ], $"“十个一”办理和审核记录，截至{q.Today:yyyy年M月d日}")
            {
                Matrix = new DashboardMatrix(Short, rows),
            },
        ];
    }

    static string Tone(DeliverableStatus s) => s switch
    {
        DeliverableStatus.Approved => "done",
        DeliverableStatus.Completed => "waiting",
        DeliverableStatus.Returned => "returned",
        DeliverableStatus.InProgress => "doing",
        _ => "none",
    };
}
