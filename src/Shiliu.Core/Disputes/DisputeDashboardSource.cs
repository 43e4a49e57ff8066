using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Disputes;

/// <summary>
/// 矛盾纠纷: cases open today by colour, registered and concluded in the period, and the mean days to conclude. Counted
/// through the same need-to-know queryable as the list, so every count opens exactly the cases the caller may read; a
/// caller who may not see the cases with ethnic factors is told they are left out.
/// </summary>
sealed class DisputeDashboardSource : IDashboardSource
{
    public string Permission => DisputePermissions.View;
    public int Order => 70;

    public async Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery q, CancellationToken ct)
    {
        var cases = (await DisputeService.FilterAsync(db, new DisputeQuery(), ct)).Under(d => d.OrgPath, q.UnitPath);
        var open = await cases.Where(d => d.Status != DisputeStatus.Closed).GroupBy(d => d.Colour)
            .Select(g => new { Colour = g.Key, Count = g.Count() }).ToListAsync(ct);
        var period = await cases.Where(d => d.RegisteredUtc >= q.FromUtc && d.RegisteredUtc < q.ToUtcExclusive)
            .Select(d => new { d.RegisteredUtc, d.ConcludedUtc }).ToListAsync(ct);
        var concluded = period.Where(d => d.ConcludedUtc is not null).ToList();
        double? days = concluded.Count == 0 ? null : Math.Round(concluded.Average(d => (d.ConcludedUtc!.Value - d.RegisteredUtc).TotalDays), 1);
        var link = $"/disputes?{q.UnitArg}";
        RiskColour[] colours = [RiskColour.Red, RiskColour.Yellow, RiskColour.Blue];
        int Open(RiskColour c) => open.Where(o => o.Colour == c).Sum(o => o.Count);
        return
        [
            new DashboardPanel("disputes", "矛盾纠纷",
            [
                new("在办", open.Sum(o => o.Count), "件", $"{link}&open=true"),
                .. colours.Select(c => new DashboardFigure($"在办{DisputeNames.Colour(c)}色", Open(c), "件", $"{link}&open=true&colour={c}")),
                new("期间登记", period.Count, "件", $"{link}&{q.PeriodArg}"),
                new("期间化解办结", concluded.Count, "件", $"{link}&{q.PeriodArg}&concluded=true"),
                new("平均化解用时", days, "天"),
            ], $"矛盾纠纷调处台账（只计件数），期间{q.From:yyyy年M月d日}至{q.To:yyyy年M月d日}；在办截至今天"
              // Said only to those for whom it is true: the figures and the lists they open leave the same cases out.
              + (DisputeAccess.SeesEthnic(db.Caller) ? "" : "；不含涉民族因素的纠纷（按知悉范围，由办理人员掌握）"))
            {
                Chart = new DashboardChart(ChartKind.Pie, "在办纠纷按风险等级（件）", colours.Select(c => $"{DisputeNames.Colour(c)}色").ToList(),
                    [new("在办", colours.Select(c => (double)Open(c)).ToList(), colours.Select(c => (string?)$"{link}&open=true&colour={c}").ToList())]),
            },
        ];
    }
}
