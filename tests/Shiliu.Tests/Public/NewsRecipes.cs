using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Activities;
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

    public static readonly Dictionary<string, AuthorizationMatrixTests.Recipe> All = new()
    {
        ["PAGE /public/news"] = (c, _) => c.Page("/public/news"),
        ["GET /public/news/atom"] = (c, _) => c.Browser.GetAsync("/public/news/atom"),
        ["GET /public/news/photos/{id:guid}"] = async (c, _) => await c.Browser.GetAsync($"/public/news/photos/{await PublishedPhotoAsync(c)}"),
    };
}
