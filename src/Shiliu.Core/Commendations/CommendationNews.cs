using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.Commendations;

/// <summary>
/// 创建动态's honour-roll items: one per 表彰 decision of the county, naming the titles that stand (a revoked title is
/// left out here; the 光荣榜 page keeps the full record). Links to the public 光荣榜 rather than repeating it.
/// </summary>
sealed class CommendationNews : IPublicNewsSource
{
    public async Task<IReadOnlyList<NewsItem>> ReadAsync(ShiliuDb db, string countyPath, int take, CancellationToken ct)
    {
        var rows = await db.Nominations.IgnoreQueryFilters().AsNoTracking().Under(n => n.OrgPath, countyPath)
            .Where(n => n.Status == NominationStatus.Commended)
            .Join(db.CommendationCalls.Where(c => c.DecisionDate != null && c.DecisionNo != null), n => n.CallId, c => c.Id,
                (n, c) => new { c.Id, c.Title, c.DecisionNo, c.DecisionDate, n.Category, n.NomineeName, n.OrgUnitId, n.CertificateNo })
            .OrderByDescending(x => x.DecisionDate).ThenBy(x => x.Category).ThenBy(x => x.CertificateNo).Take(take * 20).ToListAsync(ct);
        var names = await db.UnitNamesAsync(rows.Select(r => r.OrgUnitId), ct);
        return rows.GroupBy(r => r.Id).Take(take).Select(g =>
        {
            var first = g.First();
            var lines = new List<string> { $"{Dates.Format(first.DecisionDate!.Value)}，{first.DecisionNo}，表彰 {g.Count()} 个民族团结进步模范：" };
            lines.AddRange(g.GroupBy(r => r.Category).Select(c =>
                $"{CommendationNames.Category(c.Key)}：{string.Join("、", c.Select(r => $"{r.NomineeName}（{names.GetValueOrDefault(r.OrgUnitId, "")}）"))}"));
            return new NewsItem($"commendation-{first.Id:N}", "光荣榜", $"表彰决定：{first.Title}",
                ChinaTime.DayStartUtc(first.DecisionDate!.Value), first.DecisionDate!.Value, "", lines,
                Href: "/public/commendations/roll");
        }).ToList();
    }
}
