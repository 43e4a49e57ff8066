using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;
using SkiaSharp;

namespace Shiliu.Core.Activities;

/// <summary>
/// A year of the demo communities' activities: the ethnic festivals of the calendar that fell in the last twelve months
/// (火把节、花街节、泼水节 …) and policy talks, with head counts by people and one generated photo each (a drawn card
/// that says 演示照片, never a picture of a person), filed in the evidence archive under the activity's criteria.
/// </summary>
static class ActivityDemo
{
    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var communities = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Community).OrderBy(o => o.Code).ToListAsync(ct);
        if (communities.Count == 0 || await db.Activities.AnyAsync(a => communities.Select(c => c.Id).Contains(a.OrgUnitId), ct)) return;
        var activities = seed.Services.GetRequiredService<ActivityService>();
        var evidence = seed.Services.GetRequiredService<EvidenceService>();
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var festivals = await seed.Services.GetRequiredService<FestivalService>().DatesAsync(today.AddDays(-365), today.AddDays(-1), ct);
        var publication = seed.Services.GetRequiredService<ActivityPhotoService>();
        int count = 0, photos = 0, published = 0;
        foreach (var community in communities)
        {
            var rng = DemoRandom.For("activity-" + community.Code);
            var plan = festivals.OrderBy(_ => rng.Next()).Take(2)
                .Select(f => (Type: "A03", Title: $"{community.Name}{f.Name}联欢活动", Date: f.Start, Festival: (Guid?)f.FestivalId, Place: $"{community.Name}文化广场"))
                .Concat(Enumerable.Range(0, 1).Select(i => (Type: i == 0 ? "A01" : "A07", Title: i == 0 ? "民族团结进步政策宣讲" : "法律知识进社区",
                    Date: today.AddDays(-rng.Next(10, 340)), Festival: (Guid?)null, Place: $"{community.Name}居民活动室")))
                .ToList();
            foreach (var (type, title, date, festival, place) in plan)
            {
                var total = rng.Next(40, 260);
                var yi = total * rng.Next(35, 60) / 100;
                var dai = total * rng.Next(10, 25) / 100;
                var id = await activities.SaveAsync(null, new SaveActivity
                {
                    OrgUnitId = community.Id, TypeCode = type, Title = title, Date = date, Place = place, Organiser = $"{community.Name}居委会",
                    ParticipantsTotal = total, FestivalId = festival, Criteria = type == "A03" ? [5] : [4],
                    Participants = [new() { EthnicityCode = "07", Count = yi }, new() { EthnicityCode = "18", Count = dai }, new() { EthnicityCode = "01", Count = total - yi - dai }],
                    Description = "演示数据：活动情况为虚构。",
                }, ct);
                count++;
                var photo = await evidence.UploadAsync(new EvidenceMeta
                {
                    OrgUnitId = community.Id, Year = date.Year, ActivityId = id, Title = $"{title}（演示照片）", Criteria = type == "A03" ? [5] : [4],
                    Description = "演示照片：由平台绘制，不是实拍。",
                }, $"{title}.jpg", new MemoryStream(Card(title, date, community.Name, rng)), ct);
                photos++;
                // Festival cards go on the public 创建动态 page, as a community would after recording consent (a drawn card shows nobody).
                if (type == "A03")
                {
                    await publication.RecordConsentAsync(photo.Id, new RecordPhotoConsent { Note = "演示数据：照片由平台绘制，不含人物" }, ct);
                    await publication.SetPublishableAsync(photo.Id, new SetPhotoPublishable { Publishable = true, Caption = $"{title}（演示）", Version = 0 }, ct);
                    published++;
                }
            }
        }
        seed.Report.Add($"已为演示社区登记 {count} 场演示活动（含民族节日活动）和 {photos} 张演示照片，其中 {published} 张节庆照片已登记同意并公开");
    }

    /// <summary>A 960 × 640 card: a coloured field, the title, the unit and date, and "演示照片" across it.</summary>
    static byte[] Card(string title, DateOnly date, string unit, Random rng)
    {
        SKColor[] palette = [new(0xC0, 0x39, 0x2B), new(0x27, 0x6F, 0xBF), new(0x1E, 0x8C, 0x5A), new(0xB8, 0x86, 0x0B), new(0x8E, 0x44, 0xAD)];
        using var bitmap = new SKBitmap(960, 640);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(palette[rng.Next(palette.Length)]);
            var face = Watermark.CjkTypeface ?? SKTypeface.Default;
            using var big = new SKFont(face, 52);
            using var small = new SKFont(face, 30);
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
            using var faint = new SKPaint { Color = SKColors.White.WithAlpha(70), IsAntialias = true };
            using var huge = new SKFont(face, 150);
            canvas.DrawText("演示照片", 480, 380, SKTextAlign.Center, huge, faint);
            canvas.DrawText(title, 480, 250, SKTextAlign.Center, big, paint);
            canvas.DrawText($"{unit}　{date:yyyy年M月d日}", 480, 520, SKTextAlign.Center, small, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Jpeg, 82).ToArray();
    }
}
