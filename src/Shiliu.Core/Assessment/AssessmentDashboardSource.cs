using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Assessment;

/// <summary>
/// 督查考评: the latest opened round's ranking (top and bottom of the units in the subtree, with their county rank) and the
/// weakest criteria among the units of the view, read through the round's own arithmetic (<see cref="AssessmentService.ComputeAsync"/>), never recomputed here.
/// </summary>
sealed class AssessmentDashboardSource : IDashboardSource
{
    const int Shown = 5;

    public string Permission => AssessmentPermissions.Results;
    public int Order => 30;

    public async Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery q, CancellationToken ct)
    {
        // Scores are read through the caller's scope and a unit's sheets belong to their scorers: only a county-wide caller
        // sees every sheet, so only it gets a ranking (a township's view of it would drop other townships' sheets).
        if (!db.Caller.IsSystem && !await db.OrgUnits.AsNoTracking().AnyAsync(o => o.ParentId == null && o.Path == db.Caller.OrgPath, ct)) return [];
        var round = await db.AssessmentRounds.AsNoTracking().Include(r => r.Bands).Where(r => r.Stage != RoundStage.Draft)
            .OrderByDescending(r => r.PeriodTo).ThenByDescending(r => r.CreatedUtc).FirstOrDefaultAsync(ct);
        if (round is null) return [];
        var results = await AssessmentService.ComputeAsync(db, round, ct);
        var mine = (await db.AssessmentUnits.AsNoTracking().Under(u => u.OrgPath, q.UnitPath).Where(u => u.RoundId == round.Id)
            .Select(u => u.OrgUnitId).ToListAsync(ct)).ToHashSet();
        var ranked = results.Ranking.Where(r => mine.Contains(r.OrgUnitId)).OrderBy(r => r.Rank ?? int.MaxValue).ThenByDescending(r => r.Weighted).ToList();
        var scored = ranked.Where(r => r.Weighted > 0 || r.Self is not null || r.Mutual is not null || r.Supervision is not null).ToList();
        var link = $"/assessment/rounds/{round.Id}/results";
        var top = scored.Take(Shown).ToList();
        var bottom = scored.Count > Shown ? scored.TakeLast(Math.Min(Shown, scored.Count - Shown)).ToList() : [];
        var shown = top.Concat(bottom).ToList();
        // Weakest over the units in the view (a township's communities, a community itself), from the same heat map.
        var weak = AssessmentService.Weakest(results.Criteria, results.Heat.Where(h => mine.Contains(h.OrgUnitId)));
        return
        [
            new DashboardPanel("assessment", $"考评排名（{round.Name}）",
            [
                new("参评单位", ranked.Count, "个", link),
                new("已有得分", scored.Count, "个", link),
                new("平均得分", scored.Count == 0 ? null : Math.Round((double)scored.Average(r => r.Weighted), 1), "分"),
                .. weak.Take(3).Select(w => new DashboardFigure($"薄弱指标：{w.ShortTitle}（{w.Points}分）得分率", Math.Round((double)w.Share * 100, 1), "%", link)),
            ], $"{round.Name}已提交的评分表，按本轮权重计算；排名为全县名次{(results.Published ? "" : "（尚未公布，仅供参考）")}；"
              + $"薄弱指标按{(q.Level == OrgLevel.County ? "全县参评单位" : q.Level == OrgLevel.Township ? $"{q.UnitName}辖区内参评单位" : q.UnitName)}的平均得分率计")
            {
                Chart = new DashboardChart(ChartKind.HorizontalBar, bottom.Count > 0 ? $"得分前{top.Count}名和后{bottom.Count}名（分）" : "各单位得分（分）",
                    shown.Select(r => r.Rank is { } n ? $"{r.UnitName}（第{n}名{(r.Tied ? "，并列" : "")}）" : $"{r.UnitName}（{r.Grade}）").ToList(),
                    [new("加权得分", shown.Select(r => (double)r.Weighted).ToList())]),
            },
        ];
    }
}
