using Shiliu.Core.Reporting;
using Shiliu.Core.Data;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Platform.Public;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Campaigns;

public static class CampaignPermissions
{
    public const string View = "perm.campaign.view";
    public const string Manage = "perm.campaign.manage";
    /// <summary>Units record their own progress; the township may record for its communities.</summary>
    public const string Progress = "perm.campaign.progress";
}

/// <summary>创建活动: the plan, its phases and tasks, the participating units and their progress.</summary>
public sealed class CampaignsModule : FeatureModule
{
    public override string Name => "创建活动";

    public override void Declare(ModuleBuilder m) => m
        .Permission(CampaignPermissions.View, "查看创建活动", [.. Roles.Business])
        .Permission(CampaignPermissions.Manage, "维护创建活动方案", Roles.CountyOfficer)
        .Permission(CampaignPermissions.Progress, "办理阶段任务和“十个一”", Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff)
        .MenuItem(MenuSection.Work, "创建活动", "/campaigns", "flag", 10, CampaignPermissions.View)
        .Link("创建活动", "/campaigns", "实施方案、阶段任务和各单位进度", 10, CampaignPermissions.View)
        .Audit<Campaign>("创建活动", c => $"创建活动《{c.Title}》")
        .Audit<CampaignUnit>("参加单位", _ => "参加创建的单位")
        .Audit<UnitTaskDone>("阶段任务", _ => "阶段任务完成情况")
        .Audit<UnitPlan>("单位工作方案", p => $"工作方案《{p.Title}》")
        // The group and phases are saved with the campaign, audited as one row.
        .AuditedByService<LeadingGroupMember>("领导小组成员")
        .AuditedByService<CampaignPhase>("阶段")
        .AuditedByService<PhaseTask>("阶段任务")
        .Workflow(PhaseTaskFlow.Definition)
        .Workflow(UnitPlanFlow.Definition)
        .ErrorCodes(typeof(CampaignErrors))
        .ErrorCodes(typeof(UnitPlanErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<CampaignService>();
        services.AddScoped<UnitPlanService>();
        services.AddReportSource<CampaignReportSource>();
        services.AddDashboardSource<CampaignDashboardSource>();
        services.AddTodoSource<CampaignTodos>();
        services.AddPublicHomeSource<PublicCampaign>();
    }

    public override async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        await using var json = Assembly.GetExecutingAssembly().GetManifestResourceStream("Shiliu.Core.Seed.campaign-2019.json")!;
        if (await CampaignSeed.SeedAsync(seed.Db, json, ct) is { } campaign)
            seed.Report.Add($"已导入创建活动《{campaign.Title}》（{campaign.DocNumber}，4 个阶段）");
    }

    /// <summary>Every demo community takes part in the seed's campaign.</summary>
    public override async Task SeedDemoAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var campaign = await db.Campaigns.OrderBy(c => c.IssueDate).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (campaign is not { } cid || await db.CampaignUnits.AnyAsync(u => u.CampaignId == cid, ct)) return;
        var county = await db.OrgUnits.SingleAsync(o => o.ParentId == null, ct);
        var joined = await seed.Services.GetRequiredService<CampaignService>().AddParticipantsAsync(cid, county.Id, ct);
        seed.Report.Add($"已将 {joined} 个演示社区列为创建活动参加单位");
    }
}
