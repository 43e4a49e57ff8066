using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Reporting;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.Commendations;

/// <summary>培养典型、评比表彰: the unit's nominations in the period and the models commended (names are on the public honour roll).</summary>
sealed class CommendationReportSource : IReportSource
{
    public string Permission => CommendationPermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var unit = db.Nominations.AsNoTracking().Under(n => n.OrgPath, q.UnitPath);
        var nominated = await unit.CountAsync(n => n.SubmittedUtc >= q.FromUtc && n.SubmittedUtc < q.ToUtcExclusive && n.Status != NominationStatus.Withdrawn, ct);
        var awarded = await unit.Join(db.CommendationCalls, n => n.CallId, c => c.Id, (n, c) => new { n.NomineeName, n.Category, n.Status, c.DecisionDate, c.DecisionNo })
            .Where(x => x.Status == NominationStatus.Commended && x.DecisionDate >= q.From && x.DecisionDate <= q.To)
            .OrderBy(x => x.Category).ThenBy(x => x.NomineeName).ToListAsync(ct);
        if (nominated == 0 && awarded.Count == 0) return null;
        var text = $"注重培养和宣传民族团结进步典型，{q.Period}推荐申报模范{Count(nominated)}个"
            + (awarded.Count == 0 ? "，评选结果待县里审定。"
                : $"，{string.Join("、", awarded.Select(a => $"{a.NomineeName}（{CommendationNames.Category(a.Category)}）"))}"
                  + $"受到县级表彰（{string.Join("、", awarded.Select(a => a.DecisionNo).OfType<string>().Distinct())}）。");
        return new ReportPart(ReportSection.Work, 85, "培养先进典型，评比表彰模范", [text], $"模范评选台账和表彰决定，{q.Period}",
            [
                new("模范评选", "推荐申报（个）", Count(nominated)),
                new("模范评选", "受到表彰（个）", Count(awarded.Count)),
            ]);
    }
}
