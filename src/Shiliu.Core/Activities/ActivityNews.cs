using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.Activities;

/// <summary>创建动态's activity items: one per activity with photos marked 可公开 (consent on record), newest publication first.</summary>
sealed class ActivityNews : IPublicNewsSource
{
    public const string PhotoRoute = "/public/news/photos/";

    public async Task<IReadOnlyList<NewsItem>> ReadAsync(ShiliuDb db, string countyPath, int take, CancellationToken ct)
    {
        var photos = await ActivityPhotoService.Published(db, countyPath)
            .Join(db.Activities.IgnoreQueryFilters(), x => x.Consent.ActivityId, a => a.Id, (x, a) => new
            {
                x.Photo.Id, x.Photo.Title, x.Consent.Caption, PublishedUtc = x.Consent.PublishedUtc!.Value, ActivityId = a.Id, ActivityTitle = a.Title,
                a.Date, a.Place, a.ParticipantsTotal, a.OrgUnitId,
            })
            .OrderByDescending(x => x.PublishedUtc).Take(take * 6).ToListAsync(ct);
        var names = await db.UnitNamesAsync(photos.Select(p => p.OrgUnitId), ct);
        return photos.GroupBy(p => p.ActivityId).Take(take).Select(g =>
        {
            var a = g.First();
            var unit = names.GetValueOrDefault(a.OrgUnitId, "");
            return new NewsItem($"activity-{a.ActivityId:N}", "活动风采", a.ActivityTitle, g.Max(p => p.PublishedUtc), a.Date, unit,
                [$"{unit}于{a.Date.Year}年{a.Date.Month}月{a.Date.Day}日在{a.Place}举办{(a.ParticipantsTotal > 0 ? $"，{a.ParticipantsTotal} 人参加" : "")}。"], Html: null,
                // A staff file label may name a household: without a caption written for the public, the activity's title stands.
                Photos: g.OrderBy(p => p.PublishedUtc).Select(p => new NewsPhoto(p.Id, PhotoRoute + p.Id, p.Caption ?? a.ActivityTitle)).ToList());
        }).ToList();
    }
}
