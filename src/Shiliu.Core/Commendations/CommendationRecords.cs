using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.Commendations;

/// <summary>
/// What 模范评选 holds toward the criterion on 评比表彰 (found in the current framework by its text: 评比…模范, 定期表彰):
/// calls issued in the period, the unit's nominations, and its awardees.
/// </summary>
sealed class CommendationRecords : ICriterionRecordSource
{
    internal static async Task<int?> CriterionNoAsync(ShiliuDb db, CancellationToken ct)
    {
        var fw = await db.IndicatorFrameworks.AsNoTracking().Where(f => f.Status == FrameworkStatus.Published).OrderByDescending(f => f.VersionNo)
            .Select(f => f.Id).FirstOrDefaultAsync(ct);
        var texts = await db.IndicatorFrameworks.AsNoTracking().Where(f => f.Id == fw)
            .SelectMany(f => f.Groups).SelectMany(g => g.Subgroups).SelectMany(s => s.Criteria).Select(c => new { c.No, c.Text }).ToListAsync(ct);
        return texts.FirstOrDefault(c => c.Text.Contains("评比") && c.Text.Contains("模范") && c.Text.Contains("表彰"))?.No;
    }

    public async Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery query, CancellationToken ct)
    {
        if (await CriterionNoAsync(db, ct) is not { } no) return [];
        var calls = await db.CommendationCalls.CountAsync(c => c.IssuedOn >= query.From && c.IssuedOn <= query.To, ct);
        var (from, to) = (ChinaTime.DayStartUtc(query.From), ChinaTime.DayStartUtc(query.To.AddDays(1)));
        var unit = db.Nominations.Under(n => n.OrgPath, query.OrgPath);
        // Submitted in the period and not taken back by the unit.
        var nominated = await unit.CountAsync(n => n.SubmittedUtc >= from && n.SubmittedUtc < to && n.Status != NominationStatus.Withdrawn, ct);
        var awarded = await unit.Join(db.CommendationCalls, n => n.CallId, c => c.Id, (n, c) => new { n.Status, c.DecisionDate })
            .Where(x => x.Status == NominationStatus.Commended && x.DecisionDate >= query.From && x.DecisionDate <= query.To).CountAsync(ct);
        return
        [
            new(no, "模范评选", "县级评选通知", $"{calls} 次", "/commendations"),
            new(no, "模范评选", "本单位申报推荐对象", $"{nominated} 个", "/commendations"),
            new(no, "模范评选", "本单位获表彰模范", $"{awarded} 个", "/commendations/roll"),
        ];
    }
}
