using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>Demo accounts never reach a production server by default, and their shared password is changed at first sign-in.</summary>
public sealed class DemoSeedTests
{
    static readonly Dictionary<string, string> Production = new() { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Shiliu__SeedDemo"] = "true" };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Production_refuses_to_seed_demo_accounts_unless_it_is_a_training_server_and_demo_passwords_must_be_changed(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (exit, output) = await Cli.RunAsync(app, Production);
        Assert.Equal(1, exit);
        Assert.Contains("启动失败：生产环境不能创建演示县和演示账号", output);
        (exit, output) = await Cli.RunAsync(app, Production, "seed-demo");
        Assert.Equal(2, exit);
        Assert.Contains("Shiliu__TrainingServer=true", output);

        // A training server may; the accounts it creates carry the one shared password, to be changed at first sign-in.
        await app.AsAsync(null, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.DeleteAsync((await users.FindByNameAsync("assessor"))!)).Succeeded);
        });
        (exit, output) = await Cli.RunAsync(app, new Dictionary<string, string>(Production) { ["Shiliu__TrainingServer"] = "true" }, "seed-demo");
        Assert.Equal(0, exit);
        Assert.Contains("已创建演示账号 assessor", output);
        await using (var db = await app.SystemDbAsync())
            Assert.True((await db.Users.SingleAsync(u => u.UserName == "assessor")).MustChangePassword);
        var browser = app.BrowserClient();
        var res = await ShiliuApp.PostFormAsync(browser, "/account/login", "login", new() { ["Input.UserName"] = "assessor", ["Input.Password"] = Db.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var home = await browser.GetAsync("/");
        Assert.Equal("/account/change-password", home.Headers.Location?.OriginalString);
    }
}
