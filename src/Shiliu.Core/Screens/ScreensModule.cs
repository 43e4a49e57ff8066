using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Dashboards;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Screens;

/// <summary>大屏 (module 16): the bureau's meeting-room screen, opened by a leader or by a key issued for one wall display.</summary>
public sealed class ScreensModule : FeatureModule
{
    public override string Name => "大屏";

    public override void Declare(ModuleBuilder m) => m
        .Permission(ScreenPermissions.Manage, "设置和停用大屏", Roles.CountyOfficer)
        .MenuItem(MenuSection.Work, "大屏", "/screens", "fund-projection-screen", 2, DashboardPermissions.View, ScreenPermissions.Manage)
        .Link("大屏", "/screens", "会议室大屏：全屏显示创建进度，为墙上的屏幕发放专用链接", 2, DashboardPermissions.View, ScreenPermissions.Manage)
        .Audit<DisplayScreen>("大屏", s => $"大屏“{s.Name}”（{s.KeyPrefix}…{(s.RevokedUtc is null ? "" : "，已停用")}）",
            new Dictionary<string, string> { ["RevokedUtc"] = "停用时间", ["RevokeReason"] = "停用原因" })
        .ErrorCodes(typeof(ScreenErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<ScreenService>();
}
