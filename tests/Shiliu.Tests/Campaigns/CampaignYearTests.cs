using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Campaigns;

/// <summary>Year after year: a campaign copied into a new one, the old one kept as read-only history.</summary>
public sealed class CampaignYearTests
{
    const string Chengzhong = "530427001001";

    static async Task<Guid> SeedCampaignAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Campaigns.Where(c => c.DocNumber == "新民发〔2019〕2号").Select(c => c.Id).SingleAsync();
    }

    /// <summary>The county copies the seed's campaign into 2026, all of the county taking part, phases from 2026年3月1日.</summary>
    public static async Task<Guid> CopyInto2026Async(ShiliuApp app, Guid from)
    {
        var county = await app.UnitAsync("530427000000");
        return await app.AsAsync("county", sp => sp.GetRequiredService<CampaignService>().CreateAsync(new NewCampaign
        {
            CopyFromId = from, Title = "2026年民族团结进步创建活动进社区实施方案", DocNumber = "新民发〔2026〕1号", IssuingOrg = "新平县民政局",
            IssueDate = new DateOnly(2026, 2, 10), PhasesStart = new DateOnly(2026, 3, 1), ParticipantUnitIds = [county.Id],
        }));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_copy_shares_no_row_with_the_original_and_editing_it_leaves_the_original_unchanged(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var s = (IServiceProvider sp) => sp.GetRequiredService<CampaignService>();
        var oldId = await SeedCampaignAsync(app);
        var before = await app.AsAsync("county", sp => s(sp).GetAsync(oldId));
        var newId = await CopyInto2026Async(app, oldId);
        var copy = await app.AsAsync("county", sp => s(sp).GetAsync(newId));
        // Closing the original is the one change the copy makes to it.
        var closed = await app.AsAsync("county", sp => s(sp).GetAsync(oldId));
        Assert.True(closed.IsClosed);

        // Same content, phases moved by the same number of days (2018-09-01 → 2026-03-01), new rows throughout.
        Assert.Equal(before.Phases.Select(p => (p.Name, p.EndDate.DayNumber - p.StartDate.DayNumber)), copy.Phases.Select(p => (p.Name, p.EndDate.DayNumber - p.StartDate.DayNumber)));
        Assert.Equal(new DateOnly(2026, 3, 1), copy.Phases[0].StartDate);
        var shift = copy.Phases[0].StartDate.DayNumber - before.Phases[0].StartDate.DayNumber;
        Assert.Equal(before.Phases.Select(p => p.EndDate.AddDays(shift)), copy.Phases.Select(p => p.EndDate));
        Assert.Equal(before.Phases.SelectMany(p => p.Tasks).Select(t => t.Text), copy.Phases.SelectMany(p => p.Tasks).Select(t => t.Text));
        Assert.Equal(before.LeadingGroup.Select(m => (m.Duty, m.Name, m.Post)), copy.LeadingGroup.Select(m => (m.Duty, m.Name, m.Post)));
        Assert.Equal(before.GuidingIdeas, copy.GuidingIdeas);
        Assert.NotNull(copy.FrameworkId);
        Assert.Equal(before.FrameworkId, copy.FrameworkId);
        Assert.Empty(before.Phases.Select(p => p.Id).Intersect(copy.Phases.Select(p => p.Id)));
        Assert.Empty(before.Phases.SelectMany(p => p.Tasks).Select(t => t.Id).Intersect(copy.Phases.SelectMany(p => p.Tasks).Select(t => t.Id)));
        Assert.Empty(before.LeadingGroup.Select(m => m.Id).Intersect(copy.LeadingGroup.Select(m => m.Id)));
        await using (var db = await app.SystemDbAsync())
        {
            Assert.Equal(36, await db.CampaignUnits.CountAsync(u => u.CampaignId == newId));
            Assert.Equal(360, await db.Deliverables.CountAsync(d => d.CampaignId == newId && d.Status == DeliverableStatus.NotStarted));
            Assert.Empty(await db.CampaignUnits.Where(u => u.CampaignId == newId).Select(u => u.Id)
                .Intersect(db.CampaignUnits.Where(u => u.CampaignId == oldId).Select(u => u.Id)).ToListAsync());
        }

        // Edit everything on the copy: text, group, a phase's dates and name, a task, a new task.
        var edit = CampaignTests.PlanOf(copy);
        edit.Title = "2026年实施方案（修订）";
        edit.MainTasks = "<p>2026年的主要任务</p>";
        edit.LeadingGroup[0].Name = "新组长";
        edit.Phases[0].Name = "2026筹备阶段";
        edit.Phases[0].EndDate = edit.Phases[0].EndDate.AddDays(5);
        edit.Phases[2].Tasks[0].Text = "2026年改写的任务";
        edit.Phases[3].Tasks.Add(new TaskEdit { Text = "2026年新增任务" });
        await app.AsAsync("county", sp => s(sp).UpdatePlanAsync(newId, edit));

        var after = await app.AsAsync("county", sp => s(sp).GetAsync(oldId));
        Assert.Equal(before.Title, after.Title);
        Assert.Equal(before.MainTasks, after.MainTasks);
        Assert.Equal(before.LeadingGroup.Select(m => (m.Id, m.Name)), after.LeadingGroup.Select(m => (m.Id, m.Name)));
        Assert.Equal(before.Phases.Select(p => (p.Id, p.Name, p.StartDate, p.EndDate)), after.Phases.Select(p => (p.Id, p.Name, p.StartDate, p.EndDate)));
        Assert.Equal(before.Phases.SelectMany(p => p.Tasks).Select(t => (t.Id, t.Text)), after.Phases.SelectMany(p => p.Tasks).Select(t => (t.Id, t.Text)));
        Assert.Equal(closed.Version, after.Version);
        Assert.Equal("新组长", (await app.AsAsync("county", sp => s(sp).GetAsync(newId))).LeadingGroup[0].Name);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_earlier_campaign_becomes_read_only_history_and_keeps_its_ten_items_while_the_new_starts_empty(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var oldId = await SeedCampaignAsync(app);
        var unit = await app.UnitAsync(Chengzhong);
        var items = (IServiceProvider sp) => sp.GetRequiredService<DeliverableService>();
        var wall = (await app.AsAsync("community", sp => items(sp).UnitAsync(oldId, unit.Id))).Single(d => d.ItemNo == 8);
        await app.AsAsync("community", sp => items(sp).UpdateAsync(wall.Id, new UpdateDeliverable { Status = DeliverableStatus.Completed, Evidence = "文化墙已建成", Version = wall.Version }));
        var task = (await app.AsAsync("county", sp => sp.GetRequiredService<CampaignService>().GetAsync(oldId))).Phases[1].Tasks[0].Id;

        var newId = await CopyInto2026Async(app, oldId);

        var list = await app.AsAsync("community", sp => sp.GetRequiredService<CampaignService>().ListAsync());
        Assert.Equal([(newId, false), (oldId, true)], list.Select(c => (c.Id, c.IsClosed)));
        Assert.Equal(DeliverableStatus.Completed, (await app.AsAsync("community", sp => items(sp).UnitAsync(oldId, unit.Id))).Single(d => d.ItemNo == 8).Status);
        Assert.All(await app.AsAsync("community", sp => items(sp).UnitAsync(newId, unit.Id)), d => Assert.Equal(DeliverableStatus.NotStarted, d.Status));

        var old = await app.AsAsync("county", sp => sp.GetRequiredService<CampaignService>().GetAsync(oldId));
        Assert.True(old.IsClosed);
        var plan = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => sp.GetRequiredService<CampaignService>().UpdatePlanAsync(oldId, CampaignTests.PlanOf(old))));
        Assert.Equal(CampaignErrors.Closed, plan.Code);
        Assert.Contains("已于", plan.Message);
        Assert.Contains("转为历史存档，只能查看，不能修改；请在当前创建活动《2026年民族团结进步创建活动进社区实施方案》中办理", plan.Message);
        var done = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<CampaignService>().MarkDoneAsync(oldId, unit.Id, task, "补登")));
        Assert.Equal(CampaignErrors.Closed, done.Code);
        var review = await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => items(sp).ReviewAsync(wall.Id, true, null, wall.Version + 1)));
        Assert.Equal(CampaignErrors.Closed, review.Code);
        var join = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<CampaignService>().AddParticipantsAsync(oldId, unit.Id)));
        Assert.Equal(CampaignErrors.Closed, join.Code);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_campaign_from_scratch_needs_its_phases_group_and_units_and_a_number_of_its_own(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var guishan = await app.UnitAsync("530427001000");
        var s = (IServiceProvider sp) => sp.GetRequiredService<CampaignService>();
        NewCampaign Request() => new()
        {
            Title = "2027年创建活动方案", DocNumber = "新民发〔2027〕1号", IssuingOrg = "新平县民政局", IssueDate = new DateOnly(2027, 1, 5),
            GuidingIdeas = "<p>指导思想</p>", Goals = "<p>目标任务</p>", MainTasks = "<p>主要任务</p>",
            LeadingGroup = [new GroupMemberEdit { Duty = "组长", Name = "张三", Post = "局长" }],
            Phases =
            [
                new PhaseEdit { Name = "筹备阶段", StartDate = new DateOnly(2027, 2, 1), EndDate = new DateOnly(2027, 2, 28), Tasks = [new TaskEdit { Text = "成立领导小组" }] },
                new PhaseEdit { Name = "深入创建阶段", StartDate = new DateOnly(2027, 3, 1), EndDate = new DateOnly(2027, 10, 31) },
            ],
            ParticipantUnitIds = [guishan.Id],
        };
        var township = await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).CreateAsync(Request())));
        Assert.Equal(CampaignErrors.Denied, township.Code);
        var noUnits = Request();
        noUnits.ParticipantUnitIds = [];
        Assert.Contains("请选择参加单位", (await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).CreateAsync(noUnits)))).Message);
        var overlap = Request();
        overlap.Phases[1].StartDate = new DateOnly(2027, 2, 15);
        Assert.Contains("须在上一阶段结束", (await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).CreateAsync(overlap)))).Message);
        var taken = Request();
        taken.DocNumber = "新民发〔2019〕2号";
        var dup = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).CreateAsync(taken)));
        Assert.Equal(CampaignErrors.DuplicateNumber, dup.Code);
        Assert.Equal("docNumber", Assert.Single(dup.Fields!).Key);

        var id = await app.AsAsync("county", sp => s(sp).CreateAsync(Request()));
        var d = await app.AsAsync("county", sp => s(sp).GetAsync(id));
        Assert.Equal(["筹备阶段", "深入创建阶段"], d.Phases.Select(p => p.Name));
        Assert.Equal("成立领导小组", Assert.Single(d.Phases[0].Tasks).Text);
        Assert.Equal(3, (await app.AsAsync("county", sp => s(sp).ProgressAsync(id))).Count);
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Summary!.Contains("新建创建活动《2027年创建活动方案》")));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Activities_and_evidence_filter_by_the_campaign_they_fall_in(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var oldId = await SeedCampaignAsync(app);
        var newId = await CopyInto2026Async(app, oldId);
        var unit = await app.UnitAsync(Chengzhong);
        var activities = (IServiceProvider sp) => sp.GetRequiredService<Shiliu.Core.Activities.ActivityService>();
        async Task<Guid> Held(string title, DateOnly date) => await app.AsAsync("community", sp => activities(sp).SaveAsync(null, new Shiliu.Core.Activities.SaveActivity
        {
            OrgUnitId = unit.Id, TypeCode = "A03", Title = title, Date = date, Place = "社区广场", Organiser = "城中社区", ParticipantsTotal = 50,
        }));
        var torch2019 = await Held("2019年火把节联欢", new DateOnly(2019, 7, 26));
        var torch2026 = await Held("2026年火把节联欢", new DateOnly(2026, 7, 26));
        var of2019 = await app.AsAsync("county", sp => activities(sp).ListAsync(new Shiliu.Core.Activities.ActivityQuery { CampaignId = oldId }));
        var of2026 = await app.AsAsync("county", sp => activities(sp).ListAsync(new Shiliu.Core.Activities.ActivityQuery { CampaignId = newId }));
        Assert.Contains(of2019.Items, a => a.Id == torch2019);
        Assert.DoesNotContain(of2019.Items, a => a.Id == torch2026);
        Assert.Equal([torch2026], of2026.Items.Select(a => a.Id));

        // A brief written now belongs to 2026's period, not 2019's.
        var reports = (IServiceProvider sp) => sp.GetRequiredService<Shiliu.Core.WorkReports.WorkReportService>();
        var brief = await app.AsAsync("community", sp => reports(sp).SaveAsync(null, new Shiliu.Core.WorkReports.SaveReport { Title = "火把节简报", Body = "<p>各族群众共度火把节</p>" }));
        Assert.Equal([brief], (await app.AsAsync("community", sp => reports(sp).ListAsync(Shiliu.Core.WorkReports.ReportList.Mine, newId))).Select(r => r.Id));
        Assert.Empty(await app.AsAsync("community", sp => reports(sp).ListAsync(Shiliu.Core.WorkReports.ReportList.Mine, oldId)));

        // The unit's page puts this year beside the last: 十个一 passed, activities in each period, communities taking part.
        var years = await app.AsAsync("township", sp => sp.GetRequiredService<CampaignService>().CompareYearsAsync(unit.Id));
        Assert.Equal(("2026年 新民发〔2026〕1号", 0, 10, 1, 1), (years.Current.Label, years.Current.DeliverablesApproved, years.Current.DeliverablesTotal, years.Current.Activities, years.Current.CommunitiesTakingPart));
        Assert.Equal(("2019年 新民发〔2019〕2号", 10, 1, "100%"), (years.Previous!.Label, years.Previous.DeliverablesTotal, years.Previous.Activities, years.Previous.Coverage));
        var township = await app.UnitAsync("530427001000");
        Assert.Equal((30, 3), ((await app.AsAsync("county", sp => sp.GetRequiredService<CampaignService>().CompareYearsAsync(township.Id))).Previous!.DeliverablesTotal,
            (await app.AsAsync("county", sp => sp.GetRequiredService<CampaignService>().CompareYearsAsync(township.Id))).Current.CommunitiesTakingPart));

        var photo = await UnitPlanTests.OriginalAsync(app, "community", unit.Id); // a 2019 file
        var evidence = (IServiceProvider sp) => sp.GetRequiredService<Shiliu.Core.Evidence.EvidenceService>();
        Assert.Contains((await app.AsAsync("county", sp => evidence(sp).ListAsync(new Shiliu.Core.Evidence.EvidenceQuery { CampaignId = oldId }))).Items, e => e.Id == photo);
        Assert.DoesNotContain((await app.AsAsync("county", sp => evidence(sp).ListAsync(new Shiliu.Core.Evidence.EvidenceQuery { CampaignId = newId }))).Items, e => e.Id == photo);
    }
}
