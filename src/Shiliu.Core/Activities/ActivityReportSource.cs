using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Evidence;
using Shiliu.Core.Reporting;
using SkiaSharp;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.Activities;

/// <summary>宣传教育和节庆活动: activities in the period by type with head counts, and up to three photos taken at them.</summary>
sealed class ActivityReportSource(IFileStore files) : IReportSource
{
    const int Photos = 3, PrintWidth = 1200;

    public string Permission => EvidencePermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var activities = db.Activities.AsNoTracking().Under(a => a.OrgPath, q.UnitPath).Where(a => a.Date >= q.From && a.Date <= q.To);
        var byType = await activities.GroupBy(a => a.TypeCode)
            .Select(g => new { Type = g.Key, Count = g.Count(), People = g.Sum(a => a.ParticipantsTotal), Festivals = g.Count(a => a.FestivalId != null) })
            .ToListAsync(ct);
        var names = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.ActivityType).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var total = byType.Sum(t => t.Count);
        var people = byType.Sum(t => t.People);
        var festivals = byType.Sum(t => t.Festivals);
        var list = byType.OrderByDescending(t => t.Count).Select(t => (Name: names.GetValueOrDefault(t.Type, t.Type), t.Count, t.People)).ToList();

        var text = total == 0
            ? $"{q.Period}平台中尚未登记宣传教育和节庆活动，请补充开展情况。"
            : $"{q.Period}，围绕“中华民族一家亲，同心共筑中国梦”主题，共开展各类活动{Count(total)}场次，参与群众{Count(people)}人次，"
              + $"其中{string.Join("、", list.Select(t => $"{t.Name}{Count(t.Count)}场"))}"
              + (festivals > 0 ? $"；结合民族传统节日开展活动{Count(festivals)}场，各族群众共度佳节、交往交流交融" : "") + "。";

        var photos = new List<ReportPhoto>();
        if (total > 0)
        {
            // The latest photos of different activities: one each, so three photos show three occasions.
            var shots = await db.Evidence.AsNoTracking().Under(e => e.OrgPath, q.UnitPath)
                .Where(e => e.ActivityId != null && e.DeletedUtc == null && e.Category == EvidenceCategory.Image)
                .Join(activities, e => e.ActivityId, a => a.Id, (e, a) => new { e.StorageKey, e.UploadedUtc, ActivityId = a.Id, a.Title, a.Date })
                .OrderByDescending(x => x.Date).ThenByDescending(x => x.UploadedUtc).Take(50).ToListAsync(ct);
            foreach (var shot in shots.DistinctBy(s => s.ActivityId).Take(Photos))
            {
                if (await ForPrintAsync(shot.StorageKey, ct) is { } jpeg)
                    photos.Add(new ReportPhoto(jpeg, $"图{photos.Count + 1}　{shot.Title}（{shot.Date:yyyy年M月d日}）"));
            }
        }
        return new ReportPart(ReportSection.Work, 30, "广泛开展宣传教育和交往交流交融活动", [text],
            $"活动台账，{q.Period}{(photos.Count > 0 ? "；照片取自活动的台账照片" : "")}",
            [
                new("活动", "活动（场次）", Count(total)),
                new("活动", "参与（人次）", Count(people)),
                new("活动", "结合民族节日的活动（场次）", Count(festivals)),
                .. list.Select(t => new ReportFigure("活动", $"{t.Name}（场次）", Count(t.Count))),
            ]) { Photos = photos };
    }

    /// <summary>The photo reduced to 1,200 px wide as a JPEG; a file that no longer reads is left out rather than breaking the draft.</summary>
    async Task<byte[]?> ForPrintAsync(string key, CancellationToken ct)
    {
        try
        {
            await using var stream = await files.OpenReadAsync(key, ct);
            using var ms = new MemoryStream();
            await stream.CopyToAsync(ms, ct);
            ms.Position = 0;
            using var original = SKBitmap.Decode(ms);
            if (original is null) return null;
            var width = Math.Min(PrintWidth, original.Width);
            var height = (int)Math.Round((double)original.Height * width / original.Width);
            using var scaled = width == original.Width ? original.Copy() : original.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
            using var image = SKImage.FromBitmap(scaled);
            return image.Encode(SKEncodedImageFormat.Jpeg, 80).ToArray();
        }
        catch (Exception e) when (e is IOException or FileNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
