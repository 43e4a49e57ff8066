using Shiliu.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Accounts;

public static class AccountPermissions
{
    public const string UserView = "perm.user.view";
    public const string UserManage = "perm.user.manage";
    public const string RoleGrant = "perm.role.grant";
}

/// <summary>用户与角色: accounts, sign-in, sessions, TOTP and the 三权分立 of the three admin roles.</summary>
public sealed class AccountsModule : FeatureModule
{
    public override string Name => "用户与角色";

    public override void Declare(ModuleBuilder m) => m
        .Permission(AccountPermissions.UserView, "查看账号", Roles.SystemAdmin, Roles.SecurityAdmin)
        .Permission(AccountPermissions.UserManage, "管理账号", Roles.SystemAdmin)
        .Permission(AccountPermissions.RoleGrant, "授予角色", Roles.SecurityAdmin)
        .MenuItem(MenuSection.System, "用户与角色", "/users", "team", 20, AccountPermissions.UserManage, AccountPermissions.RoleGrant)
        .Link("用户与角色", "/users", "账号、角色、锁定", 81, AccountPermissions.UserManage, AccountPermissions.RoleGrant)
        .Audit<AppUser>("用户", u => $"用户 {u.UserName}", new Dictionary<string, string>
        {
            ["DisplayName"] = "姓名", ["OrgUnitId"] = "所属单位", ["OrgPath"] = "所属单位", ["MustChangePassword"] = "须修改密码",
            ["PasswordChangedUtc"] = "密码修改时间", ["TwoFactorEnabled"] = "双因素认证", ["TotpSecret"] = "动态口令密钥", ["IsDisabled"] = "停用状态", ["EnabledUtc"] = "启用时间",
            ["UserName"] = "用户名", ["NormalizedUserName"] = "用户名", ["PasswordHash"] = "密码", ["LockoutEnabled"] = "锁定策略",
            ["Email"] = "邮箱", ["NormalizedEmail"] = "邮箱", ["PhoneNumber"] = "电话",
        })
        .Audit<AppRole>("角色", r => $"角色 {r.Name}")
        .Audit<IdentityUserRole<Guid>>("用户角色", _ => "用户角色", typeName: "UserRole")
        // Sign-in events audit these; their rows are bookkeeping.
        .AuditedByService<UserSession>("登录会话")
        .AuditedByService<PasswordHistory>("历史密码")
        .AuditedByService<IdentityUserToken<Guid>>("登录令牌")
        .AuditedByService<IdentityUserLogin<Guid>>("外部登录")
        .AuditedByService<IdentityRoleClaim<Guid>>("角色声明")
        .ErrorCodes(typeof(UserErrors))
        .ErrorCodes(typeof(AccountErrors))
        .RecurringJob(DormantAccounts.Kind, "停用长期未用账号", TimeSpan.FromDays(1));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<SessionService>();
        services.AddSingleton(AdminNetworks.From(config));
        services.AddSingleton<TotpSecrets>();
        services.AddScoped<AccountService>();
        services.AddScoped<UserService>();
        var options = config.GetSection("Accounts").Get<AccountOptions>() ?? new AccountOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddScoped<DormantAccounts>();
        services.AddJobHandler<DormantAccounts>(DormantAccounts.Kind);
    }
}
