using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core;
using Shiliu.Core.Auditing;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Residents;
using Shiliu.Core.Residents.Import;
using Shiliu.Core.WorkReports;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>The one workflow: every declared workflow refuses every step its state does not allow, in Chinese, and records the rest.</summary>
public sealed class WorkflowTests
{
    const string Chengzhong = "530427001001";

    /// <summary>A real item of each declared workflow, made through its module's service; a new workflow must add one here.</summary>
    static async Task<Guid> MakeItemAsync(ShiliuApp app, string workflow)
    {
        var unit = await app.UnitAsync(Chengzhong);
        switch (workflow)
        {
            case "deliverable":
                await using (var db = await app.SystemDbAsync())
                    return await db.Deliverables.Where(d => d.OrgUnitId == unit.Id && d.ItemNo == 8).Select(d => d.Id).SingleAsync();
            case "work-report":
                return await app.AsAsync("community", sp => sp.GetRequiredService<WorkReportService>()
                    .SaveAsync(null, new SaveReport { Title = "火把节联谊活动", Body = "<p>各族群众共度火把节。</p>" }));
            case "phase-task":
            {
                var campaign = await app.AsAsync("county", async sp => (await sp.GetRequiredService<CampaignService>().ListAsync()).First().Id);
                var task = (await app.AsAsync("community", sp => sp.GetRequiredService<CampaignService>().GetAsync(campaign))).Phases[0].Tasks[0].Id;
                await app.AsAsync("community", sp => sp.GetRequiredService<CampaignService>().MarkDoneAsync(campaign, unit.Id, task, "成立了领导小组"));
                await using var db = await app.SystemDbAsync();
                return await db.UnitTasksDone.Where(d => d.PhaseTaskId == task && d.OrgPath == unit.Path).Select(d => d.Id).SingleAsync();
            }
            case "unit-plan":
            {
                var campaign = await app.AsAsync("county", async sp => (await sp.GetRequiredService<CampaignService>().ListAsync()).First().Id);
                return await app.AsAsync("community", sp => sp.GetRequiredService<UnitPlanService>()
                    .SaveAsync(campaign, unit.Id, new SaveUnitPlan { Title = "城中社区工作方案", Body = "<p>结合本社区实际</p>" }));
            }
            case "resident-transfer":
            {
                var other = await app.UnitAsync("530427101001");
                var rid = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(ResidentTests.Floating(unit.Id, Ids.Next())));
                // Transfers are asked for by the receiving township (here as the operator would, for lack of a 扬武镇 account).
                return await app.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().RequestTransferAsync(rid, other.Id, "已搬到中心村"));
            }
            case "ledger-export":
            {
                // One person is above the threshold this test's app sets (0), so the ledger needs a request.
                await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(ResidentTests.Floating(unit.Id, Ids.Next())));
                return await app.AsAsync("community", sp => sp.GetRequiredService<ResidentLedger>().RequestAsync(new ResidentQuery(), "核对低保名单"));
            }
            case "dispute":
                return await Disputes.DisputeTests.RegisterAsync(app, "community", Disputes.DisputeTests.Case(Shiliu.Core.Disputes.RiskColour.Yellow, ethnic: true));
            case "meeting-task":
                return (await JointMeetings.JointMeetingFixtures.TaskAsync(app, JointMeetings.JointMeetingFixtures.Guishan)).Id;
            case "service-case":
                return await ServiceCases.ServiceCaseTests.OpenAsync(app);
            case "appeal":
                return (await app.Services.GetRequiredService<Shiliu.Core.Appeals.PublicAppealService>().FileAsync(
                    new Shiliu.Core.Appeals.FileAppeal { Topic = "environment", Text = "垃圾未清运", PlaceUnitId = unit.Id }, [], _ => Task.CompletedTask)).Id;
            case "nomination":
            {
                var call = await Commendations.CommendationTests.CallAsync(app, new DateOnly(2030, 12, 31));
                return await Commendations.CommendationTests.NominateAsync(app, "community", call, "马永福家庭", submit: false);
            }
            case "assessment-sheet":
            {
                var (round, _) = await Assessment.AssessmentFixtures.OpenRoundAsync(app);
                return await app.AsAsync("community", sp => Assessment.AssessmentFixtures.A(sp).OpenSheetAsync(round, Shiliu.Core.Assessment.AssessMode.Self, unit.Id));
            }
            default:
                throw new Xunit.Sdk.XunitException($"workflow {workflow} has no item recipe in WorkflowTests");
        }
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Every_workflow_refuses_every_illegal_step_in_chinese_and_changes_nothing(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string> { ["Exports:ApprovalAbove"] = "0" });
        var walked = 0;
        foreach (var flow in ShiliuModules.Catalog.Workflows)
        {
            var id = await MakeItemAsync(app, flow.Name);
            foreach (var (state, stateName) in flow.States)
            {
                foreach (var step in flow.Steps.Where(s => !s.From.Contains(state)))
                {
                    // The county office may act anywhere: what refuses the step is the state alone.
                    await app.AsAsync("county", async sp =>
                    {
                        await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
                        var item = await db.FindAsync(flow.ItemType, id) ?? throw new InvalidOperationException($"{flow.Name} {id} missing");
                        var prop = db.Entry(item).Property(StateProperty(db, flow));
                        prop.CurrentValue = Enum.ToObject(prop.Metadata.ClrType, state);
                        var refused = await Assert.ThrowsAsync<RuleViolation>(() => flow.ApplyAsync(db, item, step.Action, "原因"));
                        Assert.Equal(WorkflowErrors.State, refused.Code);
                        Assert.Contains($"当前为“{stateName}”，不能{step.Verb}", refused.Message);
                        Assert.Empty(db.ChangeTracker.Entries<WorkflowStep>());
                        Assert.Empty(db.ChangeTracker.Entries<Shiliu.Core.Platform.Notifications.Notification>());
                    });
                    walked++;
                }
            }
        }
        // deliverable 5 states × 6 steps, work report 5 × 5, phase task 3 × 2, transfer 3 × 2, less the legal pairs.
        Assert.True(walked > 40, $"only {walked} illegal steps walked");
    }

    static string StateProperty(ShiliuDb db, IWorkflowDefinition flow) =>
        db.Model.FindEntityType(flow.ItemType)!.GetProperties().Single(p => p.ClrType.IsEnum && p.PropertyInfo?.GetCustomAttributes(typeof(WorkflowStateAttribute), false).Length > 0).Name;

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Steps_are_recorded_with_who_when_and_why_one_audit_sentence_each_and_a_stale_decision_is_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var campaign = await app.AsAsync("county", async sp => (await sp.GetRequiredService<CampaignService>().ListAsync()).First().Id);
        DeliverableService S(IServiceProvider sp) => sp.GetRequiredService<DeliverableService>();
        DeliverableDetail Wall() => app.AsAsync("community", async sp => (await S(sp).UnitAsync(campaign, unit.Id)).Single(d => d.ItemNo == 8)).GetAwaiter().GetResult();

        var wall = Wall();
        await app.AsAsync("community", sp => S(sp).UpdateAsync(wall.Id, new UpdateDeliverable { Status = DeliverableStatus.Completed, Evidence = "文化墙照片", Version = wall.Version }));
        wall = Wall();
        await app.AsAsync("township", sp => S(sp).ReviewAsync(wall.Id, false, "照片不清晰", wall.Version));
        wall = Wall();
        Assert.Equal((DeliverableStatus.Returned, "照片不清晰", "township"), (wall.Status, wall.ReturnReason, wall.ReviewedBy));
        await app.AsAsync("community", sp => S(sp).UpdateAsync(wall.Id, new UpdateDeliverable { Status = DeliverableStatus.Completed, Evidence = "重拍的全景照片", Version = wall.Version }));
        wall = Wall();
        // Two reviewers open the same submission; the one who decides second is told someone was first.
        await app.AsAsync("township", sp => S(sp).ReviewAsync(wall.Id, true, null, wall.Version));
        var stale = await app.AsAsync("county", sp => Assert.ThrowsAsync<ConcurrencyConflict>(() => S(sp).ReviewAsync(wall.Id, false, "不同意", wall.Version)));
        Assert.Equal("township", stale.ByUser);

        var history = await app.AsAsync("community", sp => S(sp).HistoryAsync(wall.Id));
        Assert.Equal(["提交审核", "退回", "提交审核", "审核通过"], history.Select(h => h.Verb));
        Assert.Equal(["community", "township", "community", "township"], history.Select(h => h.UserName));
        Assert.Equal("照片不清晰", history[1].Reason);
        Assert.Equal(("待审核", "已退回"), (history[1].From, history[1].To));

        await using var db = await app.SystemDbAsync();
        var audit = await db.AuditEntries.Where(a => a.EntityId == wall.Id.ToString()).OrderBy(a => a.Id).ToListAsync();
        var steps = audit.Where(a => a.Event == AuditEvents.WorkflowStep).Select(a => a.Summary).ToList();
        Assert.Equal(4, steps.Count);
        Assert.Equal("退回“完成一块民族文化墙”：待审核 → 已退回（退回原因：照片不清晰）", steps[1]);
        // The review itself changed only the state: no second row restating it as an edit.
        Assert.DoesNotContain(audit, a => a.Event == AuditEvents.Update && a.Summary!.EndsWith("：", StringComparison.Ordinal));
        Assert.Equal(2, audit.Count(a => a.Event == AuditEvents.Update));
    }
}
