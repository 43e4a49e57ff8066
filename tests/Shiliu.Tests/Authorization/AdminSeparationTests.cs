using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Authorization;

/// <summary>
/// 三权分立 between the three admin roles (issue 11, item 6): every admin-on-admin action, as a table of
/// actor × action × target → outcome, plus the ways one admin could take over a business account.
/// </summary>
public sealed class AdminSeparationTests
{
    const string Ok = "ok";

    /// <summary>Who does what to whom, and what must happen (an error code, or ok). "self" is the actor's own account.</summary>
    static readonly (string Actor, string Action, string Target, string Expected)[] Table =
    [
        ("sysadmin", "disable", "sysadmin2", UserErrors.AdminSeparation),
        ("sysadmin", "disable", "security", UserErrors.AdminSeparation),
        ("sysadmin", "disable", "auditor", UserErrors.AdminSeparation),
        ("sysadmin", "disable", "self", UserErrors.SelfGrant),
        ("sysadmin", "reset", "sysadmin2", UserErrors.AdminSeparation),
        ("sysadmin", "reset", "security", UserErrors.AdminSeparation),
        ("sysadmin", "reset", "auditor", UserErrors.AdminSeparation),
        ("sysadmin", "issue", "security", UserErrors.Denied),
        ("sysadmin", "role", "auditor", UserErrors.Denied),
        ("sysadmin", "role", "security", UserErrors.Denied),
        ("sysadmin", "unlock", "auditor", UserErrors.Denied),
        ("security", "disable", "sysadmin", UserErrors.Denied),
        ("security", "disable", "auditor", UserErrors.Denied),
        ("security", "reset", "sysadmin", UserErrors.Denied),
        ("security", "issue", "sysadmin", UserErrors.AdminSeparation),
        ("security", "issue", "auditor", UserErrors.AdminSeparation),
        ("security", "issue", "self", UserErrors.SelfGrant),
        ("security", "role", "self", UserErrors.SelfGrant),
        ("security", "role", "auditor", UserErrors.LastAuditor),
        ("security", "role", "sysadmin2", Ok),
        ("security", "unlock", "auditor", Ok),
        ("security", "unlock", "sysadmin", Ok),
        ("auditor", "disable", "sysadmin", UserErrors.Denied),
        ("auditor", "disable", "security", UserErrors.Denied),
        ("auditor", "reset", "security", UserErrors.Denied),
        ("auditor", "issue", "security", UserErrors.Denied),
        ("auditor", "role", "sysadmin", UserErrors.Denied),
        ("auditor", "role", "self", UserErrors.Denied),
        ("auditor", "unlock", "sysadmin", UserErrors.Denied),
    ];

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Every_admin_on_admin_action_gets_exactly_the_outcome_in_the_table(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await CreateAsync(app, "sysadmin", "矩阵系统管理员", Roles.SystemAdmin);
        await CreateAsync(app, "sysadmin2", "第二系统管理员", Roles.SystemAdmin);
        var failures = new List<string>();
        foreach (var (actor, action, target, expected) in Table)
        {
            var targetId = await IdOf(app, target == "self" ? actor : target);
            var got = await app.AsAsync(actor, async sp =>
            {
                var users = sp.GetRequiredService<UserService>();
                try
                {
                    await (action switch
                    {
                        "disable" => users.SetDisabledAsync(targetId, true),
                        "reset" => users.ResetPasswordAsync(targetId),
                        "issue" => users.IssuePasswordAsync(targetId),
                        "role" => users.SetRoleAsync(targetId, Roles.CountyOfficer),
                        "unlock" => users.UnlockAsync(targetId),
                        _ => throw new InvalidOperationException(action),
                    });
                    return Ok;
                }
                catch (RuleViolation v)
                {
                    return v.Code;
                }
            });
            if (got != expected) failures.Add($"{actor} {action} {target}: expected {expected}, got {got}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await using var db = await app.SystemDbAsync();
        Assert.False((await db.Users.SingleAsync(u => u.UserName == "auditor")).IsDisabled);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_reset_password_reaches_the_user_through_the_security_admin_never_the_one_who_reset_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await CreateAsync(app, "sysadmin", "矩阵系统管理员", Roles.SystemAdmin);
        var community = await IdOf(app, "community");
        var users = (IServiceProvider sp) => sp.GetRequiredService<UserService>();

        await app.AsAsync("sysadmin", sp => users(sp).ResetPasswordAsync(community));
        Assert.False(await SignsInAsync(app, "community", Db.DemoPassword));
        Assert.Equal(UserErrors.Denied, (await app.AsAsync("sysadmin", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => users(sp).IssuePasswordAsync(community)))).Code);
        var temporary = await app.AsAsync("security", sp => users(sp).IssuePasswordAsync(community));
        Assert.True(await SignsInAsync(app, "community", temporary));
        Assert.Equal(UserErrors.NothingToIssue, (await app.AsAsync("security", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => users(sp).IssuePasswordAsync(community)))).Code);
        // Nor can the security admin mint a password for an account nobody asked it to.
        Assert.Equal(UserErrors.NothingToIssue, (await app.AsAsync("security", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(async () =>
            await users(sp).IssuePasswordAsync(await IdOf(app, "grid"))))).Code);

        // A new account likewise: the one who creates it never holds its password.
        var unit = await app.UnitAsync("530427001001");
        var fresh = await app.AsAsync("sysadmin", sp => users(sp).CreateAsync(new CreateUser { UserName = "zhaoliu", DisplayName = "赵六", OrgUnitId = unit.Id }));
        var first = await app.AsAsync("security", sp => users(sp).IssuePasswordAsync(fresh));
        Assert.True(await SignsInAsync(app, "zhaoliu", first));
        await using var db = await app.SystemDbAsync();
        Assert.True((await db.Users.SingleAsync(u => u.UserName == "zhaoliu")).MustChangePassword);
        var audit = await db.AuditEntries.Where(a => a.EntityId == community.ToString() && a.Event == AuditEvents.Update).Select(a => a.Summary).ToListAsync();
        Assert.Contains(audit, s => s!.Contains("待安全管理员发放"));
        Assert.Contains(audit, s => s!.Contains("发放临时密码（sysadmin 新建或重置）"));
        Assert.DoesNotContain(await db.AuditEntries.Select(a => a.Summary + a.Before + a.After).ToListAsync(), t => t!.Contains(temporary) || t.Contains(first));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_security_admin_cannot_give_a_business_role_to_its_own_second_account_and_one_auditor_always_remains(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var county = await app.UnitAsync("530427000000");
        var users = (IServiceProvider sp) => sp.GetRequiredService<UserService>();
        var securityName = await app.AsAsync(null, async sp => (await sp.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("security"))!.DisplayName);
        var second = await app.AsAsync(null, sp => users(sp).CreateAsync(new CreateUser { UserName = "security2", DisplayName = $" {securityName}", OrgUnitId = county.Id }));
        var other = await app.AsAsync(null, sp => users(sp).CreateAsync(new CreateUser { UserName = "zhouqi", DisplayName = "周七", OrgUnitId = county.Id }));
        foreach (var role in new[] { Roles.CountyOfficer, Roles.AuditAdmin })
            Assert.Equal(UserErrors.AdminSeparation, (await app.AsAsync("security", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
                users(sp).SetRoleAsync(second, role)))).Code);
        await app.AsAsync("security", sp => users(sp).SetRoleAsync(other, Roles.CountyOfficer));

        // The only auditor can be neither demoted nor disabled, not even by an operator; with a second one it can.
        var auditor = await IdOf(app, "auditor");
        Assert.Equal(UserErrors.LastAuditor, (await app.AsAsync(null, async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => users(sp).SetDisabledAsync(auditor, true)))).Code);
        await app.AsAsync("security", sp => users(sp).SetRoleAsync(other, Roles.AuditAdmin));
        await app.AsAsync("security", sp => users(sp).SetRoleAsync(auditor, Roles.CountyOfficer));
        Assert.Equal(UserErrors.LastAuditor, (await app.AsAsync("security", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            users(sp).SetRoleAsync(other, Roles.Leader)))).Code);
    }

    static Task CreateAsync(ShiliuApp app, string user, string name, string role) => app.AsAsync(null, async sp =>
        await sp.GetRequiredService<UserService>().CreateAsOperatorAsync(user, name, await app.UnitAsync("530427000000"), Db.DemoPassword, role, mustChange: false, demo: true));

    static async Task<Guid> IdOf(ShiliuApp app, string userName)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    static async Task<bool> SignsInAsync(ShiliuApp app, string user, string password)
    {
        var c = app.BrowserClient();
        var res = await ShiliuApp.PostFormAsync(c, "/account/login", "login", new() { ["Input.UserName"] = user, ["Input.Password"] = password });
        return res.StatusCode == System.Net.HttpStatusCode.Redirect && !res.Headers.Location!.OriginalString.Contains("/account/login");
    }
}
