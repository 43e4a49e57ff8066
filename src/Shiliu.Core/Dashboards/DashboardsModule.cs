using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Dashboards;

/// <summary>数据看板 (module 16): the campaign at a glance for the caller's unit; each ledger contributes its panels through a dashboard source.</summary>
public sealed class DashboardsModule : FeatureModule
{
    public override string Name => "数据看板";

    public override void Declare(ModuleBuilder m) => m
        .Permission(DashboardPermissions.View, "查看数据看板", Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer, Roles.CommunityStaff)
        .MenuItem(MenuSection.Work, "数据看板", "/dashboard", "dashboard", 1, DashboardPermissions.View)
        .Link("数据看板", "/dashboard", "创建覆盖、十个一、人口、服务、纠纷、诉求和活动，一屏看全，点数字看明细", 1, DashboardPermissions.View)
        .ErrorCodes(typeof(DashboardErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<DashboardService>();
    }
}
