using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;

namespace Shiliu.Core.Platform;

public static class PlatformPermissions
{
    /// <summary>Any signed-in staff member, whatever the role.</summary>
    public const string Staff = "perm.staff";
}

/// <summary>The shared pieces every module stands on: the home page, the API reference, jobs, workflow history.</summary>
public sealed class PlatformModule : FeatureModule
{
    public override string Name => "平台";

    public override void Declare(ModuleBuilder m) => m
        .Permission(PlatformPermissions.Staff, "登录使用系统", [.. Roles.All])
        .MenuItem(MenuSection.Home, "首页", "/", "home", 0)
        .ExternalMenuItem(MenuSection.System, "接口文档", "/api/docs", "api", 90)
        .Link("修改密码", "/account/change-password", "定期修改密码，保护账号安全", 99);

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
    }
}
