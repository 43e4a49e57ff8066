using Shiliu.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.WorkReports;

/// <summary>工作信息: briefs a unit reports upward, adopted or returned by the level above, published by the county.</summary>
public sealed class WorkReportsModule : FeatureModule
{
    public override string Name => "工作信息";

    public override void Declare(ModuleBuilder m) => m
        .MenuItem(MenuSection.Work, "工作信息", "/work-reports", "file-text", 30, CampaignPermissions.View)
        .Link("工作信息", "/work-reports", "撰写、上报和采用工作信息", 30, CampaignPermissions.View)
        .Audit<WorkReport>("工作信息", r => $"工作信息《{r.Title}》（{WorkReportService.StatusName(r.Status)}）")
        .Workflow(WorkReportFlow.Definition)
        .ErrorCodes(typeof(ReportErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<WorkReportService>();
        services.AddTodoSource<WorkReportTodos>();
        services.AddPublicNewsSource<WorkReportNews>();
    }
}
