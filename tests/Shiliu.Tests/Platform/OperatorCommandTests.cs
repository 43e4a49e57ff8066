using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

public sealed class OperatorCommandTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Migrate_on_a_current_database_says_so_and_changes_nothing(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (exit, output) = await Cli.RunAsync(app, "migrate");
        Assert.Equal(0, exit);
        Assert.Contains("数据库已是最新结构", output);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Create_user_makes_an_account_that_must_change_its_password_and_is_audited(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (exit, output) = await Cli.RunAsync(app, "create-user", "--user", "wangfang", "--org", "530427001000", "--role", "TownshipOfficer", "--name", "王芳");
        Assert.Equal(0, exit);
        Assert.Contains("初始密码", output);
        await using var db = await app.SystemDbAsync();
        var user = await db.Users.SingleAsync(u => u.UserName == "wangfang");
        Assert.True(user.MustChangePassword);
        Assert.Equal("王芳", user.DisplayName);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == "operator.command" && a.EntityId == user.Id.ToString()));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_system_admin_cannot_reset_an_admins_password_but_an_operator_can_on_the_server(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("sysadmin", "系统管理员",
            await app.UnitAsync("530427000000"), Db.DemoPassword, Roles.SystemAdmin, mustChange: false, demo: true));
        var security = await app.AsAsync(null, async sp => (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync("security"))!.Id);
        var refused = await app.AsAsync("sysadmin", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => sp.GetRequiredService<UserService>().ResetPasswordAsync(security)));
        Assert.Contains("三权分立", refused.Message);

        var (exit, output) = await Cli.RunAsync(app, "reset-password", "--user", "security");
        Assert.Equal(0, exit);
        Assert.Contains("临时密码", output);
        await using var db = await app.SystemDbAsync();
        Assert.True((await db.Users.SingleAsync(u => u.UserName == "security")).MustChangePassword);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == "operator.command" && a.Summary!.Contains("重置用户 security 的密码")));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Create_user_fails_clearly_on_a_wrong_unit_or_a_role_that_does_not_fit(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (exit, output) = await Cli.RunAsync(app, "create-user", "--user", "lisi", "--org", "999999999999", "--role", "CommunityStaff");
        Assert.NotEqual(0, exit);
        Assert.Contains("单位代码 999999999999 不存在", output);
        (exit, output) = await Cli.RunAsync(app, "create-user", "--user", "lisi", "--org", "530427001000", "--role", "GridWorker");
        Assert.NotEqual(0, exit);
        Assert.Contains("网格员只能设在网格级单位", output);
        (exit, output) = await Cli.RunAsync(app, "create-user", "--user", "lisi");
        Assert.Equal(64, exit);
        Assert.Contains("用法", output);
    }

    [Fact]
    public async Task Audit_retention_under_180_days_refuses_to_start()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var psiOutput = await Cli.RunAsync(app, "migrate", "--Security:AuditRetentionDays", "179");
        Assert.NotEqual(0, psiOutput.Exit);
        Assert.Contains("至少须保留 180 天", psiOutput.Output);
    }
}
