using Shiliu.Core.Reporting;
using Shiliu.Core.Indicators;
using Shiliu.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Deliverables;

/// <summary>十个一: the ten deliverables of every participating unit, kept by the unit and reviewed by the level above.</summary>
public sealed class DeliverablesModule : FeatureModule
{
    public override string Name => "十个一";

    public override void Declare(ModuleBuilder m) => m
        .MenuItem(MenuSection.Work, "十个一", "/deliverables", "check-square", 20, CampaignPermissions.View)
        .Link("十个一", "/deliverables", "登记和审核“十个一”，查看全县完成情况", 20, CampaignPermissions.View)
        .Audit<Deliverable>("十个一", d => $"“十个一”：{TenItems.Names[d.ItemNo - 1]}")
        .Workflow(DeliverableFlow.Definition)
        .ErrorCodes(typeof(DeliverableErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<DeliverableService>();
        services.AddReportSource<DeliverableReportSource>();
        services.AddDashboardSource<DeliverableDashboardSource>();
        services.AddTodoSource<DeliverableTodos>();
        services.AddCriterionRecordSource<DeliverableCriterionRecords>();
    }

    public override Task SeedDemoLedgersAsync(SeedContext seed, CancellationToken ct) => DeliverableDemo.SeedAsync(seed, ct);
}
