using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Campaigns;

public sealed class UnitPlanTests
{
    const string Chengzhong = "530427001001", Yangwu1 = "530427101001";

    static async Task<Guid> CampaignIdAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Campaigns.Where(c => c.ClosedUtc == null).Select(c => c.Id).SingleAsync();
    }

    /// <summary>A scan of the signed plan in the unit's own archive.</summary>
    public static Task<Guid> OriginalAsync(ShiliuApp app, string user, Guid unitId) => app.AsAsync(user, async sp =>
        (await sp.GetRequiredService<EvidenceService>().UploadAsync(new EvidenceMeta { OrgUnitId = unitId, Year = 2019, Title = "工作方案原件" }, "方案原件.jpg",
            new MemoryStream(Evidence.TestFiles.Jpeg(40, 30, new SkiaSharp.SKColor(200, 30, 30))))).Id);

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_community_files_its_plan_the_township_returns_it_with_a_reason_and_passes_it_when_resubmitted(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var unit = await app.UnitAsync(Chengzhong);
        var s = (IServiceProvider sp) => sp.GetRequiredService<UnitPlanService>();
        var item2 = async () => (await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().UnitAsync(id, unit.Id))).Single(d => d.ItemNo == 2).Status;

        var blank = await app.AsAsync("community", sp => s(sp).GetAsync(id, unit.Id));
        Assert.Null(blank.Id);
        Assert.Equal("未填报", blank.StatusName);
        var planId = await app.AsAsync("community", sp => s(sp).SaveAsync(id, unit.Id, new SaveUnitPlan
            { Title = blank.Title, Body = "<p onclick=\"x()\">结合本社区实际<script>alert(1)</script></p>" }));
        Assert.Equal(DeliverableStatus.InProgress, await item2());
        var noOriginal = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).ReportAsync(planId, 0)));
        Assert.Contains("盖章的方案原件", noOriginal.Message);

        // The township cannot write the community's plan, nor the community pass its own.
        var byTownship = await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).SaveAsync(id, unit.Id, new SaveUnitPlan { Title = "代写", Body = "<p>代写</p>" })));
        Assert.Equal(UnitPlanErrors.Denied, byTownship.Code);

        var doc = await OriginalAsync(app, "community", unit.Id);
        var draft = await app.AsAsync("community", sp => s(sp).GetAsync(id, unit.Id));
        Assert.Equal("<p>结合本社区实际</p>", draft.Body);
        await app.AsAsync("community", sp => s(sp).SaveAsync(id, unit.Id, new SaveUnitPlan { Title = draft.Title, Body = draft.Body, DocumentEvidenceId = doc, Version = draft.Version }));
        await app.AsAsync("community", async sp => await s(sp).ReportAsync(planId, (await s(sp).GetAsync(id, unit.Id)).Version));
        Assert.Equal(DeliverableStatus.Completed, await item2());
        var own = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(async () => await s(sp).ReviewAsync(planId, true, null, (await s(sp).GetAsync(id, unit.Id)).Version)));
        Assert.Equal(WorkflowErrors.Denied, own.Code);
        var locked = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).SaveAsync(id, unit.Id, new SaveUnitPlan { Title = "改", Body = "<p>改</p>", Version = 2 })));
        Assert.Equal(UnitPlanErrors.Locked, locked.Code);

        var noReason = await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(async () => await s(sp).ReviewAsync(planId, false, " ", (await s(sp).GetAsync(id, unit.Id)).Version)));
        Assert.Equal(WorkflowErrors.Reason, noReason.Code);
        await app.AsAsync("township", async sp => await s(sp).ReviewAsync(planId, false, "未写明本社区的创建目标", (await s(sp).GetAsync(id, unit.Id)).Version));
        var returned = await app.AsAsync("community", sp => s(sp).GetAsync(id, unit.Id));
        Assert.Equal((UnitPlanStatus.Returned, "未写明本社区的创建目标"), (returned.Status, returned.ReturnReason));
        Assert.Equal(DeliverableStatus.Returned, await item2());

        await app.AsAsync("community", sp => s(sp).SaveAsync(id, unit.Id, new SaveUnitPlan
            { Title = returned.Title, Body = "<p>创建目标：2019年底前建成示范社区</p>", Version = returned.Version }));
        await app.AsAsync("community", async sp => await s(sp).ReportAsync(planId, (await s(sp).GetAsync(id, unit.Id)).Version));
        await app.AsAsync("township", async sp => await s(sp).ReviewAsync(planId, true, null, (await s(sp).GetAsync(id, unit.Id)).Version));
        Assert.Equal(UnitPlanStatus.Approved, (await app.AsAsync("county", sp => s(sp).GetAsync(id, unit.Id))).Status);
        Assert.Equal(DeliverableStatus.Approved, await item2());
        Assert.Equal(["report", "return", "resubmit", "approve"], (await app.AsAsync("county", sp => s(sp).HistoryAsync(planId))).Select(h => h.Action));

        // The item follows the plan: it cannot be moved on the 十个一 page.
        var d2 = (await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().UnitAsync(id, unit.Id))).Single(d => d.ItemNo == 2);
        var direct = await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<DeliverableService>().ReviewAsync(d2.Id, false, "退回", d2.Version)));
        Assert.Equal(DeliverableErrors.Locked, direct.Code);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Plans_follow_scope_a_township_files_its_own_and_the_county_reviews_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var s = (IServiceProvider sp) => sp.GetRequiredService<UnitPlanService>();
        var outside = await app.UnitAsync(Yangwu1);
        var guishan = await app.UnitAsync("530427001000");

        // The township sees itself and its three communities; the county every township and community.
        Assert.Equal(4, (await app.AsAsync("township", sp => s(sp).ListAsync(id))).Count);
        Assert.Single(await app.AsAsync("community", sp => s(sp).ListAsync(id)));
        var all = await app.AsAsync("county", sp => s(sp).ListAsync(id));
        Assert.Equal(36, all.Count(r => r.Level == Shiliu.Core.Organizations.OrgLevel.Community));
        Assert.True(all.Count(r => r.Level == Shiliu.Core.Organizations.OrgLevel.Township) >= 12);
        await app.AsAsync("township", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).GetAsync(id, outside.Id)));
        await app.AsAsync("community", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).GetAsync(id, guishan.Id)));

        var planId = await app.AsAsync("township", sp => s(sp).SaveAsync(id, guishan.Id, new SaveUnitPlan { Title = "桂山街道工作方案", Body = "<p>街道方案</p>" }));
        var doc = await OriginalAsync(app, "township", guishan.Id);
        await app.AsAsync("township", async sp => await s(sp).SaveAsync(id, guishan.Id, new SaveUnitPlan
            { Title = "桂山街道工作方案", Body = "<p>街道方案</p>", DocumentEvidenceId = doc, Version = (await s(sp).GetAsync(id, guishan.Id)).Version }));
        await app.AsAsync("township", async sp => await s(sp).ReportAsync(planId, (await s(sp).GetAsync(id, guishan.Id)).Version));
        await app.AsAsync("county", async sp => await s(sp).ReviewAsync(planId, true, null, (await s(sp).GetAsync(id, guishan.Id)).Version));
        Assert.Equal(UnitPlanStatus.Approved, (await app.AsAsync("township", sp => s(sp).GetAsync(id, guishan.Id))).Status);

        // Another unit's file cannot be the original.
        var foreign = await OriginalAsync(app, "county", outside.Id);
        var community = await app.UnitAsync(Chengzhong);
        var wrong = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).SaveAsync(id, community.Id, new SaveUnitPlan { Title = "方案", Body = "<p>方案</p>", DocumentEvidenceId = foreign })));
        Assert.Equal("documentEvidenceId", Assert.Single(wrong.Fields).Key);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_plan_of_a_read_only_campaign_cannot_change(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var unit = await app.UnitAsync(Chengzhong);
        var s = (IServiceProvider sp) => sp.GetRequiredService<UnitPlanService>();
        await app.AsAsync("community", sp => s(sp).SaveAsync(id, unit.Id, new SaveUnitPlan { Title = "2019年方案", Body = "<p>2019</p>" }));
        await CampaignYearTests.CopyInto2026Async(app, id);
        var refused = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).SaveAsync(id, unit.Id, new SaveUnitPlan { Title = "补改", Body = "<p>补改</p>", Version = 1 })));
        Assert.Equal(CampaignErrors.Closed, refused.Code);
        var kept = await app.AsAsync("community", sp => s(sp).GetAsync(id, unit.Id));
        Assert.Equal(("2019年方案", true), (kept.Title, kept.CampaignClosed));
    }
}
