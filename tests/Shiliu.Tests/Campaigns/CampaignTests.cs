using Shiliu.Core.Platform.Workflow;
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
        Assert.StartsWith("<p>高举中国特色社会主义伟大旗帜", d.GuidingIdeas);
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
        Assert.Equal(WorkflowErrors.Denied, own.Code);
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

    /// <summary>The edit form of a plan as it stands (what the page and the API send back).</summary>
    public static UpdatePlan PlanOf(CampaignDetail d) => new()
    {
        Title = d.Title, DocNumber = d.DocNumber, IssuingOrg = d.IssuingOrg, IssueDate = d.IssueDate, GuidingIdeas = d.GuidingIdeas, Goals = d.Goals,
        MainTasks = d.MainTasks, DocumentEvidenceId = d.DocumentEvidenceId, Version = d.Version,
        LeadingGroup = d.LeadingGroup.Select(m => new GroupMemberEdit { Duty = m.Duty, Name = m.Name, Post = m.Post, Org = m.Org }).ToList(),
        Phases = d.Phases.Select(p => new PhaseEdit { Id = p.Id, Name = p.Name, StartDate = p.StartDate, EndDate = p.EndDate,
            Tasks = p.Tasks.Select(t => new TaskEdit { Id = t.Id, Text = t.Text }).ToList() }).ToList(),
    };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_county_edits_the_plan_text_sanitised_its_group_and_phases_and_a_used_task_cannot_be_removed(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var s = (IServiceProvider sp) => sp.GetRequiredService<CampaignService>();
        var plan = PlanOf(await app.AsAsync("county", sp => s(sp).GetAsync(id)));
        plan.MainTasks = "<p onclick=\"steal()\">开展“民族团结进步宣传月”<script>alert(1)</script><a href=\"javascript:x\">链接</a></p><ul><li>交往交流交融</li></ul>";
        plan.LeadingGroup.Add(new GroupMemberEdit { Duty = "副组长", Name = "李明", Post = "县民政局副局长", Org = "县民政局" });
        plan.Phases[3].Tasks.Add(new TaskEdit { Text = "召开总结表彰大会" });
        plan.Phases[3].EndDate = new DateOnly(2019, 10, 31);
        await app.AsAsync("county", sp => s(sp).UpdatePlanAsync(id, plan));

        var d = await app.AsAsync("community", sp => s(sp).GetAsync(id));
        Assert.Equal("<p>开展“民族团结进步宣传月”</p><ul><li>交往交流交融</li></ul>", d.MainTasks);
        Assert.Contains(d.LeadingGroup, m => m.Name == "李明" && m.Duty == "副组长");
        Assert.Equal("召开总结表彰大会", d.Phases[3].Tasks[^1].Text);
        Assert.Equal(new DateOnly(2019, 10, 31), d.Phases[3].EndDate);
        Assert.Equal(1, d.Version);

        var stale = await app.AsAsync("county", async sp => await Assert.ThrowsAsync<ConcurrencyConflict>(() => s(sp).UpdatePlanAsync(id, plan)));
        Assert.Contains("county", stale.Message);
        var denied = await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).UpdatePlanAsync(id, PlanOf(d))));
        Assert.Equal(CampaignErrors.Denied, denied.Code);

        var overlap = PlanOf(d);
        overlap.Phases[1].StartDate = new DateOnly(2018, 9, 15);
        Assert.Contains("须在上一阶段结束", (await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).UpdatePlanAsync(id, overlap)))).Message);
        var empty = PlanOf(d);
        empty.GuidingIdeas = "<script>only()</script>";
        Assert.Contains("指导思想不能为空", (await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).UpdatePlanAsync(id, empty)))).Message);

        // A task a unit has recorded cannot disappear from the plan.
        var chengzhong = await app.UnitAsync(Chengzhong);
        var first = d.Phases[0].Tasks[0];
        await app.AsAsync("community", sp => s(sp).MarkDoneAsync(id, chengzhong.Id, first.Id, "已成立领导小组"));
        var removing = PlanOf(d);
        removing.Phases[0].Tasks.RemoveAt(0);
        var used = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).UpdatePlanAsync(id, removing)));
        Assert.Contains("已有 1 个单位登记完成，不能删除", used.Message);
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Summary!.Contains("修改创建活动方案") && a.Summary.Contains("主要任务") && a.Summary.Contains("领导小组")));
    }
}
