using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using Shiliu.Core.Activities;
using Shiliu.Core.Evidence;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Authorization;

namespace Shiliu.Tests.Public;

/// <summary>创建动态's public routes for the access matrix: the same answer for everyone, signed in or not.</summary>
static class NewsRecipes
{
    /// <summary>A photo of 城中社区 with the consent recorded and marked 可公开.</summary>
    static async Task<Guid> PublishedPhotoAsync(AuthorizationMatrixTests.Context c)
    {
        var (activity, photo) = await NewsTests.PhotoAsync(c.App, "矩阵照片");
        await c.App.AsAsync("community", sp => sp.GetRequiredService<ActivityPhotoService>().RecordConsentAsync(photo, new RecordPhotoConsent { Note = "参加者现场签字同意" }));
        var version = (await c.App.AsAsync("community", sp => sp.GetRequiredService<ActivityPhotoService>().ListAsync(activity))).Single(p => p.EvidenceId == photo).Version;
        await c.App.AsAsync("community", sp => sp.GetRequiredService<ActivityPhotoService>().SetPublishableAsync(photo, new SetPhotoPublishable { Publishable = true, Version = version }));
        return photo;
    }

    /// <summary>A fresh photo filed to a new activity of 城中社区 (inside) or of 扬武镇's first community (outside), consent recorded when asked.</summary>
    static async Task<(Guid Activity, Guid Photo)> PhotoAsync(AuthorizationMatrixTests.Context c, bool outside, bool consent)
    {
        var unit = await c.Community(outside);
        var activity = await c.ActivityId(outside);
        var photo = await c.App.AsAsync(null, sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
            new EvidenceMeta { OrgUnitId = unit.Id, Year = 2019, ActivityId = activity, Title = "矩阵活动照片" }, "矩阵.jpg",
            new MemoryStream(TestFiles.Jpeg(320, 200, new SkiaSharp.SKColor((byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256))))));
        if (consent) await c.App.AsAsync(null, sp => sp.GetRequiredService<ActivityPhotoService>().RecordConsentAsync(photo.Id, new RecordPhotoConsent { Note = "参加者现场签字同意" }));
        return (activity, photo.Id);
    }

    public static readonly Dictionary<string, AuthorizationMatrixTests.Recipe> All = new()
    {
        ["GET /api/v1/activities/{id:guid}/photos"] = async (c, o) => await c.Api.GetAsync($"/api/v1/activities/{(await PhotoAsync(c, o, false)).Activity}/photos"),
        ["PUT /api/v1/activities/photos/{id:guid}/consent"] = async (c, o) =>
            await c.Api.PutAsJsonAsync($"/api/v1/activities/photos/{(await PhotoAsync(c, o, false)).Photo}/consent", new { note = "参加者现场签字同意", version = 0 }),
        ["DELETE /api/v1/activities/photos/{id:guid}/consent"] = async (c, o) =>
            await c.Api.DeleteAsync($"/api/v1/activities/photos/{(await PhotoAsync(c, o, true)).Photo}/consent?version=0"),
        ["PUT /api/v1/activities/photos/{id:guid}/publication"] = async (c, o) =>
            await c.Api.PutAsJsonAsync($"/api/v1/activities/photos/{(await PhotoAsync(c, o, true)).Photo}/publication", new { publishable = true, caption = "矩阵", version = 0 }),
        ["PAGE /public/news"] = (c, _) => c.Page("/public/news"),
        ["GET /public/news/atom"] = (c, _) => c.Browser.GetAsync("/public/news/atom"),
        ["GET /public/news/photos/{id:guid}"] = async (c, _) => await c.Browser.GetAsync($"/public/news/photos/{await PublishedPhotoAsync(c)}"),
    };
}
