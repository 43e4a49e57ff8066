using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.WorkReports;

/// <summary>创建动态's briefs: those the county published (已发布) and has not withdrawn, their text sanitised again on the way out.</summary>
sealed class WorkReportNews : IPublicNewsSource
{
    public async Task<IReadOnlyList<NewsItem>> ReadAsync(ShiliuDb db, string countyPath, int take, CancellationToken ct)
    {
        var rows = await db.WorkReports.IgnoreQueryFilters().AsNoTracking().Under(r => r.OrgPath, countyPath)
            .Where(r => r.Status == ReportStatus.Published && r.PublishedUtc != null)
            .OrderByDescending(r => r.PublishedUtc).ThenBy(r => r.Id).Take(take)
            .Select(r => new { r.Id, r.Title, r.Body, r.OrgUnitId, PublishedUtc = r.PublishedUtc!.Value }).ToListAsync(ct);
        var names = await db.UnitNamesAsync(rows.Select(r => r.OrgUnitId), ct);
        return rows.Select(r => new NewsItem($"report-{r.Id:N}", "工作信息", r.Title, r.PublishedUtc,
            DateOnly.FromDateTime(ChinaTime.ToChina(r.PublishedUtc)), names.GetValueOrDefault(r.OrgUnitId, ""), [], Html: RichText.Sanitize(r.Body))).ToList();
    }
}
