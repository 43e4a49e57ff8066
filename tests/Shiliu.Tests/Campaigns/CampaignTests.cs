using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Campaigns;

public sealed class CampaignTests
{
    const string Chengzhong = "530427001001", Zhongxin = "530427101001";

    static async Task<Guid> CampaignIdAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Campaigns.Select(c => c.Id).SingleAsync();
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_seed_campaign_has_its_number_four_phases_group_and_all_demo_communities(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var d = await app.AsAsync("county", sp => sp.GetRequiredService<CampaignService>().GetAsync(id));
        Assert.Equal("新民发〔2019〕2号", d.DocNumber);
        Assert.Equal(new DateOnly(2019, 1, 3), d.IssueDate);
        Assert.Equal(["筹备阶段", "宣传和调查阶段", "深入组织开展创建工作阶段", "总结提高阶段"], d.Phases.Select(p => p.Name));
        Assert.Equal((new DateOnly(2018, 12, 20), new DateOnly(2019, 6, 30)), (d.Phases[2].StartDate, d.Phases[2].EndDate));
        Assert.Contains(d.LeadingGroup, m => m.Duty == "组长" && m.Name == "代旭中" && m.Post == "县民政局局长");
        Assert.Contains(d.LeadingGroup, m => m.Duty == "办公室主任" && m.Name == "白勇");
        Assert.StartsWith("高举中国特色社会主义伟大旗帜", d.GuidingIdeas);
        Assert.Equal(36, (await app.AsAsync("county", sp => sp.GetRequiredService<CampaignService>().ProgressAsync(id))).Count);
        Assert.Equal(3, (await app.AsAsync("township", sp => sp.GetRequiredService<CampaignService>().ProgressAsync(id))).Count);
        Assert.Single(await app.AsAsync("community", sp => sp.GetRequiredService<CampaignService>().ProgressAsync(id)));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Phases_advance_by_their_dates_and_a_future_task_is_locked_saying_when_it_opens(DbProvider kind)
    {
        // 2018年11月1日 in China: the second phase is running.
        var clock = new FakeTimeProvider(new DateTimeOffset(2018, 10, 31, 17, 0, 0, TimeSpan.Zero));
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var id = await CampaignIdAsync(app);
        var unit = await app.UnitAsync(Chengzhong);
        await app.AsAsync("community", async sp =>
        {
            var s = sp.GetRequiredService<CampaignService>();
            var d = await s.GetAsync(id);
            Assert.Equal([PhaseState.Ended, PhaseState.Running, PhaseState.NotStarted, PhaseState.NotStarted], d.Phases.Select(p => p.State));
            Assert.Equal("第二阶段 宣传和调查阶段（进行中）", d.CurrentName);
            var tasks = await s.UnitTasksAsync(id, unit.Id);
            Assert.Equal(TaskState.Overdue, tasks.First(t => t.PhaseNo == 1).State);
            var locked = tasks.First(t => t.PhaseNo == 3);
            Assert.Equal(TaskState.Locked, locked.State);
            Assert.Contains("2018年12月20日开始", locked.Why);
            var refused = await Assert.ThrowsAsync<RuleViolation>(() => s.MarkDoneAsync(id, unit.Id, locked.TaskId, "提前完成"));
            Assert.Equal(CampaignErrors.Locked, refused.Code);
        });
        clock.Advance(TimeSpan.FromDays(60)); // 2018年12月31日: the third phase has begun by itself
        await app.AsAsync("community", async sp =>
        {
            var s = sp.GetRequiredService<CampaignService>();
            Assert.Equal(PhaseState.Running, (await s.GetAsync(id)).Phases[2].State);
            var third = (await s.UnitTasksAsync(id, unit.Id)).First(t => t.PhaseNo == 3);
            await s.MarkDoneAsync(id, unit.Id, third.TaskId, "开展民族团结进步宣传月活动");
        });
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_township_returns_a_task_with_a_reason_the_community_sees_and_fixes(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var unit = await app.UnitAsync(Chengzhong);
        var task = (await app.AsAsync("community", sp => sp.GetRequiredService<CampaignService>().GetAsync(id))).Phases[0].Tasks[0].Id;
        await app.AsAsync("community", sp => sp.GetRequiredService<CampaignService>().MarkDoneAsync(id, unit.Id, task, "成立了社区创建领导小组"));
        var own = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            sp.GetRequiredService<CampaignService>().ReturnAsync(id, unit.Id, task, "自己退回")));
        Assert.Equal(CampaignErrors.Denied, own.Code);
        await app.AsAsync("township", sp => sp.GetRequiredService<CampaignService>().ReturnAsync(id, unit.Id, task, "缺少成立领导小组的文件"));

        var seen = await app.AsAsync("community", async sp => (await sp.GetRequiredService<CampaignService>().UnitTasksAsync(id, unit.Id)).First(t => t.TaskId == task));
        Assert.Equal(TaskState.Returned, seen.State);
        Assert.StartsWith("township 于", seen.Why);
        Assert.EndsWith("退回：缺少成立领导小组的文件", seen.Why);
        var row = (await app.AsAsync("township", sp => sp.GetRequiredService<CampaignService>().ProgressAsync(id))).Single(r => r.OrgUnitId == unit.Id);
        Assert.Equal((0, 1), (row.Phases[0].Done, row.Phases[0].Returned));

        await app.AsAsync("community", sp => sp.GetRequiredService<CampaignService>().MarkDoneAsync(id, unit.Id, task, "补充了领导小组成立文件"));
        row = (await app.AsAsync("county", sp => sp.GetRequiredService<CampaignService>().ProgressAsync(id))).Single(r => r.OrgUnitId == unit.Id);
        Assert.Equal((1, 0), (row.Phases[0].Done, row.Phases[0].Returned));
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.CountAsync(a => a.EntityType == nameof(UnitTaskDone)) >= 3);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Another_communitys_tasks_are_out_of_reach_and_empty_evidence_is_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var other = await app.UnitAsync(Zhongxin);
        var mine = await app.UnitAsync(Chengzhong);
        await app.AsAsync("community", async sp =>
        {
            var s = sp.GetRequiredService<CampaignService>();
            var task = (await s.GetAsync(id)).Phases[0].Tasks[0].Id;
            await Assert.ThrowsAsync<NotFoundInScope>(() => s.UnitTasksAsync(id, other.Id));
            await Assert.ThrowsAsync<NotFoundInScope>(() => s.MarkDoneAsync(id, other.Id, task, "越权"));
            var empty = await Assert.ThrowsAsync<RuleViolation>(() => s.MarkDoneAsync(id, mine.Id, task, "   "));
            Assert.Contains("完成情况说明不能为空", empty.Message);
        });
    }
}
