using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Disputes;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Context = Shiliu.Tests.Authorization.AuthorizationMatrixTests.Context;

namespace Shiliu.Tests.Disputes;

/// <summary>The dispute cases and screenings the access-matrix recipes act on, made by the system through the real service.</summary>
static class DisputeMatrix
{
    /// <summary>
    /// A case with ethnic factors for reading (the need-to-know proof): inside, 城中社区 of 桂山街道; outside, 中心村 of 扬武镇.
    /// </summary>
    public static async Task<Guid> EthnicCase(this Context c, bool outside) =>
        await RegisterAsync(c, await c.Community(outside), ethnic: true);

    /// <summary>
    /// A case the caller's own unit holds, where its role handles disputes (county, 桂山街道 or 城中社区), in the given state;
    /// outside, one of 中心村. The roles without the permission are refused before the case matters.
    /// </summary>
    public static async Task<Guid> OwnCase(this Context c, bool outside, DisputeStatus status = DisputeStatus.Registered)
    {
        var unit = outside ? await c.Community(true) : c.Role switch
        {
            Roles.CountyOfficer => await c.UnitByCode("530427000000"),
            Roles.TownshipOfficer => await c.UnitByCode("530427001000"),
            _ => await c.Community(false),
        };
        var id = await RegisterAsync(c, unit, ethnic: false);
        if (status == DisputeStatus.Registered) return id;
        await using var db = await c.App.SystemDbAsync();
        var d = await db.Disputes.SingleAsync(x => x.Id == id);
        d.Status = status;
        await db.SaveChangesAsync();
        return id;
    }

    public static async Task<Guid> PartyOf(this Context c, Guid dispute)
    {
        await using var db = await c.App.SystemDbAsync();
        return await db.DisputeParties.Where(p => p.DisputeId == dispute).OrderBy(p => p.Sort).Select(p => p.Id).FirstAsync();
    }

    /// <summary>A fresh file in the archive of the unit holding the case.</summary>
    public static async Task<Guid> AgreementFile(this Context c, Guid dispute)
    {
        Guid unit;
        await using (var db = await c.App.SystemDbAsync()) unit = await db.Disputes.Where(d => d.Id == dispute).Select(d => d.OrgUnitId).SingleAsync();
        var r = await c.App.AsAsync(null, sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
            new EvidenceMeta { OrgUnitId = unit, Year = 2026, Title = "调解协议书" }, "协议书.pdf", new MemoryStream(Evidence.TestFiles.Pdf($"agreement {Guid.NewGuid()}"))));
        return r.Id;
    }

    /// <summary>A screening of this month in the caller's own unit, so that it has something to report.</summary>
    public static async Task ScreenedThisMonth(this Context c)
    {
        var unit = await c.UnitByCode(c.Role == Roles.TownshipOfficer ? "530427001000" : "530427001001");
        await using var db = await c.App.SystemDbAsync();
        db.DisputeScreenings.Add(new Screening
        {
            OrgUnitId = unit.Id, OrgPath = unit.Path, Date = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow)), Area = "矩阵网格", Nil = true, Screener = "矩阵",
            RecordedBy = "system",
        });
        await db.SaveChangesAsync();
    }

    public static string Today => DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow)).ToString("yyyy-MM-dd");

    static Task<Guid> RegisterAsync(Context c, OrgUnit unit, bool ethnic) => c.App.AsAsync(null, sp => sp.GetRequiredService<DisputeService>().RegisterAsync(new SaveDispute
    {
        OrgUnitId = unit.Id, Title = "矩阵纠纷", Summary = "两户因灌溉用水争执", CategoryCode = "D04", EthnicFactors = ethnic, Tier = DisputeTier.Simple, Colour = RiskColour.Blue,
        Parties = [new SaveParty { Name = "矩阵当事人", Ethnicity = "彝族", Phone = "13800005678" }],
    }));
}
