using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Appeals;
using Shiliu.Tests.Authorization;
using Shiliu.Tests.Evidence;

namespace Shiliu.Tests.Appeals;

/// <summary>Appeals made for the access matrix's recipes, through the real public service and staff steps.</summary>
static class AppealRecipes
{
    /// <summary>A fresh appeal about 城中社区 (inside) or 扬武镇's first community (outside), accepted by the system when asked, with a photo when asked.</summary>
    public static async Task<(Guid Id, int Version, Guid PhotoId)> AppealAsync(AuthorizationMatrixTests.Context c, bool outside, bool accepted = false, bool photo = false)
    {
        var place = await c.Community(outside);
        var receipt = await c.App.Services.GetRequiredService<PublicAppealService>().FileAsync(
            new FileAppeal { Topic = "facilities", Text = "路灯坏了", PlaceUnitId = place.Id, Phone = "13800138000" },
            photo ? [new IncomingPhoto("路灯.jpg", new MemoryStream(TestFiles.Jpeg(40, 30)))] : [], _ => Task.CompletedTask);
        if (accepted) await c.App.AsAsync(null, sp => sp.GetRequiredService<AppealService>().StepAsync(receipt.Id, "accept", null, 0));
        var detail = await c.App.AsAsync(null, sp => sp.GetRequiredService<AppealService>().GetAsync(receipt.Id));
        return (receipt.Id, detail.Version, detail.Photos.FirstOrDefault()?.Id ?? Guid.Empty);
    }
}
