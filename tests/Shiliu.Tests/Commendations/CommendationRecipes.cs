using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Commendations;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Authorization;

namespace Shiliu.Tests.Commendations;

/// <summary>
/// Calls and nominations made for the access matrix's recipes: through the real services as the units that would act,
/// and, for the states behind the 公示 window (which runs on the real clock here), written as the decision leaves them.
/// </summary>
static class CommendationRecipes
{
    static CommendationService S(IServiceProvider sp) => sp.GetRequiredService<CommendationService>();

    /// <summary>Today, China time, on the app's clock (some suites move it months ahead).</summary>
    public static DateOnly Today(AuthorizationMatrixTests.Context c) =>
        DateOnly.FromDateTime(ChinaTime.ToChina(c.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));

    public static Task<Guid> CallAsync(AuthorizationMatrixTests.Context c) => CommendationTests.CallAsync(c.App, new DateOnly(2030, 12, 31));

    /// <summary>A nomination of 城中社区 (inside; the township's own for a township caller when <paramref name="own"/>) or of 扬武镇's first community (outside).</summary>
    public static async Task<(Guid Id, Guid Call, int Version)> NominationAsync(AuthorizationMatrixTests.Context c, bool outside, NominationStatus status, bool own = false)
    {
        var app = c.App;
        var call = await CallAsync(c);
        var user = outside ? "community2" : own && c.Role == Roles.TownshipOfficer ? "township" : "community";
        var id = await CommendationTests.NominateAsync(app, user, call, "矩阵推荐家庭", submit: status != NominationStatus.Draft);
        if (status is NominationStatus.TownshipApproved or NominationStatus.Approved)
            await app.AsAsync("county", async sp => await S(sp).ReviewAsync(id, new ReviewNomination { Approve = true, Version = (await S(sp).GetNominationAsync(id)).Version }));
        if (status == NominationStatus.Approved)
            await app.AsAsync("county", async sp => await S(sp).DecideAsync(id, new DecideNomination
                { Pass = true, VotesFor = 5, MeetingDate = new DateOnly(2026, 1, 5), Version = (await S(sp).GetNominationAsync(id)).Version }));
        if (status is NominationStatus.Publicity or NominationStatus.Commended)
        {
            await using var db = await app.SystemDbAsync();
            var today = Today(c);
            var k = await db.CommendationCalls.SingleAsync(x => x.Id == call);
            var n = await db.Nominations.SingleAsync(x => x.Id == id);
            (k.Status, k.PublicityFrom, k.PublicityTo) = (CallStatus.Publicity, today.AddDays(-10), today.AddDays(-3));
            n.Status = NominationStatus.Publicity;
            if (status == NominationStatus.Commended)
            {
                (k.Status, k.DecisionNo, k.DecisionDate) = (CallStatus.Decided, "新民发〔2026〕9号", today.AddDays(-1));
                (n.Status, n.CertificateNo) = (NominationStatus.Commended, $"2026-MTRX-{Random.Shared.Next(1000):000}");
            }
            await db.SaveChangesAsync();
        }
        var version = await app.AsAsync(null, async sp => (await S(sp).GetNominationAsync(id)).Version);
        return (id, call, version);
    }

    /// <summary>An unanswered objection to a nominee in 公示 (the window is open around today).</summary>
    public static async Task<(Guid Id, int Version)> ObjectionAsync(AuthorizationMatrixTests.Context c)
    {
        var (nomination, call, _) = await NominationAsync(c, false, NominationStatus.Publicity);
        await using var db = await c.App.SystemDbAsync();
        var k = await db.CommendationCalls.SingleAsync(x => x.Id == call);
        var today = Today(c);
        (k.PublicityFrom, k.PublicityTo) = (today.AddDays(-1), today.AddDays(10));
        await db.SaveChangesAsync();
        var receipt = await c.App.Services.GetRequiredService<PublicCommendationService>().ObjectAsync(
            new FileObjection { NominationId = nomination, Text = "矩阵异议：请核实事迹。", Contact = "13800138000" }, _ => Task.CompletedTask);
        return (receipt.Id, 0);
    }

    public static async Task<int> CallVersionAsync(AuthorizationMatrixTests.Context c, Guid call) =>
        await c.App.AsAsync("county", async sp => (await S(sp).GetCallAsync(call)).Version);
}
