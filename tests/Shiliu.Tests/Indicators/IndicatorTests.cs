using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Indicators;

public sealed class IndicatorTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Version_one_is_the_seed_table_published_with_one_hundred_points(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var tree = await app.AsAsync("community", async sp => (await sp.GetRequiredService<IndicatorService>().GetCurrentAsync())!);
        Assert.Equal(1, tree.VersionNo);
        Assert.Equal(FrameworkStatus.Published, tree.Status);
        Assert.Equal(100, tree.Total);
        Assert.Equal(13, tree.CriteriaCount);
        Assert.Equal(["高度重视民族工作", "提高服务管理水平", "维护民族团结和社会稳定"], tree.Groups.Select(g => g.Name));
        var seven = tree.Groups.SelectMany(g => g.Subgroups).SelectMany(s => s.Criteria).Single(c => c.No == 7);
        Assert.Equal(8, seven.Score);
        Assert.Equal(AssessMethods.MaterialReview | AssessMethods.FieldInspection, seven.Methods);
        Assert.StartsWith("有信息共享机制", seven.Text);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_draft_is_published_only_when_its_scores_add_up_and_is_frozen_afterwards(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await app.AsAsync("county", async sp =>
        {
            var s = sp.GetRequiredService<IndicatorService>();
            var v1 = (await s.GetCurrentAsync())!;
            var draftId = await s.CreateDraftAsync(v1.Id);
            var draft = await s.GetAsync(draftId);
            Assert.Equal((2, FrameworkStatus.Draft, 100), (draft.VersionNo, draft.Status, draft.Total));
            Assert.Equal(RuleCode(IndicatorErrors.DraftExists), RuleCode(await Catch(() => s.CreateDraftAsync(v1.Id))));

            draft.Groups[0].Subgroups[0].Criteria[0].Score = 10; // 102 in all
            await s.SaveDraftAsync(draftId, draft);
            draft = await s.GetAsync(draftId);
            var mismatch = await Catch(() => s.PublishAsync(draftId, draft.Version));
            Assert.Equal(IndicatorErrors.TotalMismatch, mismatch.Code);
            Assert.Contains("合计 102 分", mismatch.Message);

            draft.Groups[0].Subgroups[0].Criteria[1].Score = 6; // back to 100
            draft.Groups[0].Subgroups[0].Criteria.Add(new CriterionNode { Text = "新增：有民族团结进步创建工作台账", Score = 0, Methods = AssessMethods.MaterialReview });
            Assert.Contains("第 3 条测评标准", (await Catch(() => s.SaveDraftAsync(draftId, draft))).Message);
            draft.Groups[0].Subgroups[0].Criteria.RemoveAt(2);
            await s.SaveDraftAsync(draftId, draft);
            draft = await s.GetAsync(draftId);
            await s.PublishAsync(draftId, draft.Version);

            var published = await s.GetAsync(draftId);
            Assert.Equal(FrameworkStatus.Published, published.Status);
            Assert.Equal(IndicatorErrors.Frozen, (await Catch(() => s.SaveDraftAsync(draftId, published))).Code);
            Assert.Equal(IndicatorErrors.Frozen, (await Catch(() => s.DeleteDraftAsync(draftId))).Code);
            Assert.Equal(IndicatorErrors.Frozen, (await Catch(() => s.SaveDraftAsync(v1.Id, v1))).Code);
            Assert.Equal(2, (await s.GetCurrentAsync())!.VersionNo);
            Assert.Equal(100, (await s.GetAsync(v1.Id)).Total); // version 1 untouched
        });
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.CountAsync(a => a.EntityType == nameof(IndicatorFramework)) >= 4);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Only_the_county_office_edits_indicators(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        foreach (var user in new[] { "township", "leader", "admin", "community" })
            await app.AsAsync(user, async sp =>
            {
                var s = sp.GetRequiredService<IndicatorService>();
                var v1 = (await s.GetCurrentAsync())!;
                Assert.Equal(IndicatorErrors.Denied, (await Catch(() => s.CreateDraftAsync(v1.Id))).Code);
            });
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_stale_draft_save_is_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await app.AsAsync("county", async sp =>
        {
            var s = sp.GetRequiredService<IndicatorService>();
            var id = await s.CreateDraftAsync((await s.GetCurrentAsync())!.Id);
            var a = await s.GetAsync(id);
            var b = await s.GetAsync(id);
            a.Name = "甲改";
            await s.SaveDraftAsync(id, a);
            b.Name = "乙改";
            await Assert.ThrowsAsync<ConcurrencyConflict>(() => s.SaveDraftAsync(id, b));
            Assert.Equal("甲改", (await s.GetAsync(id)).Name);
        });
    }

    static string RuleCode(string code) => code;
    static string RuleCode(RuleViolation v) => v.Code;

    static async Task<RuleViolation> Catch(Func<Task> action) => await Assert.ThrowsAnyAsync<RuleViolation>(action);
}
