using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Tokens;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Api;

/// <summary>Personal access tokens stay within the account's controls (issue 11, item 8).</summary>
public sealed class TokenTests
{
    static Task<(Guid Id, string Token)> Create(ShiliuApp app, string user, CreateToken req) =>
        app.AsAsync(user, sp => sp.GetRequiredService<TokenService>().CreateAsync(req));

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_token_needs_the_password_again_lives_at_most_90_days_and_no_admin_can_have_one(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var wrong = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<TokenService>().CreateAsync(new CreateToken { Name = "对接", Password = "Wrong#Password1" })));
        Assert.Equal("token.password", wrong.Code);
        var tooLong = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<TokenService>().CreateAsync(new CreateToken { Name = "对接", Password = Db.DemoPassword, Days = 91 })));
        Assert.Contains("1到90天", tooLong.Message);
        var (_, text) = await Create(app, "county", new CreateToken { Name = "对接", Password = Db.DemoPassword, Days = 90 });
        Assert.StartsWith("shl_", text);

        var secret = Totp.NewSecret();
        await app.EnrollTotpAsync("security", secret);
        foreach (var admin in new[] { "security", "auditor" })
        {
            var refused = await app.AsAsync(admin, async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
                sp.GetRequiredService<TokenService>().CreateAsync(new CreateToken { Name = "管理", Password = Db.DemoPassword })));
            Assert.Equal("token.admin_denied", refused.Code);
        }
        // Through the API too, with the cookie of a signed-in security admin.
        var browser = await ShiliuApp.WithAntiforgeryAsync(await app.SignedInClientAsync("security", Db.DemoPassword, secret));
        var res = await browser.PostAsJsonAsync("/api/v1/tokens", new { name = "管理", password = Db.DemoPassword, days = 7 });
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);

        // A token made before its owner became an admin stops working.
        var (_, leaderToken) = await Create(app, "leader", new CreateToken { Name = "对接", Password = Db.DemoPassword });
        var api = app.ApiClient(leaderToken);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        var leader = await app.AsAsync(null, async sp => (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync("leader"))!.Id);
        await app.AsAsync("security", sp => sp.GetRequiredService<UserService>().SetRoleAsync(leader, Roles.AuditAdmin));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);

        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == AuditEvents.TokenCreated && !a.Success && a.UserName == "county"));
        Assert.Equal(1, (await db.Users.SingleAsync(u => u.UserName == "county")).AccessFailedCount);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_read_only_or_module_limited_token_reaches_only_what_it_was_given(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var township = await app.UnitAsync("530427001000");
        var (_, readOnly) = await Create(app, "township", new CreateToken { Name = "只读", Password = Db.DemoPassword });
        var (_, residentsOnly) = await Create(app, "township", new CreateToken { Name = "档案", Password = Db.DemoPassword, Write = true, Modules = ["residents"] });
        var newUnit = () => new { parentId = township.Id, name = "令牌新增", code = $"T{Guid.NewGuid():N}"[..12] };

        var ro = app.ApiClient(readOnly);
        Assert.Equal(HttpStatusCode.OK, (await ro.GetAsync("/api/v1/org-units")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ro.GetAsync("/api/v1/residents")).StatusCode);
        var write = await ro.PostAsJsonAsync("/api/v1/org-units", newUnit());
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("只读", await write.Content.ReadAsStringAsync());

        var rs = app.ApiClient(residentsOnly);
        Assert.Equal(HttpStatusCode.OK, (await rs.GetAsync("/api/v1/residents")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rs.GetAsync("/api/v1/visits")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rs.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rs.GetAsync("/api/v1/org-units")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rs.PostAsJsonAsync("/api/v1/org-units", newUnit())).StatusCode);
        // A token manages no tokens, and opens no pages.
        Assert.Equal(HttpStatusCode.Forbidden, (await rs.GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rs.GetAsync("/residents")).StatusCode);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_token_meets_the_account_gate_when_the_password_expires_and_a_password_change_ends_other_sessions(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var api = app.ApiClient(await app.TokenForAsync("community"));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        // The password grows older than 90 days while the token is still valid.
        await using (var db = await app.SystemDbAsync())
            await db.Users.Where(u => u.UserName == "community")
                .ExecuteUpdateAsync(x => x.SetProperty(u => u.PasswordChangedUtc, DateTime.UtcNow - PasswordPolicy.MaxAge - TimeSpan.FromDays(1)));
        var gated = await api.GetAsync("/api/v1/residents");
        Assert.Equal(HttpStatusCode.Forbidden, gated.StatusCode);
        Assert.Contains("account.gate", await gated.Content.ReadAsStringAsync());

        // Two browsers; the password changed in one ends the other (and every token).
        var tabA = await app.SignedInClientAsync("community2");
        var tabB = await app.SignedInClientAsync("community2");
        var token = app.ApiClient(await app.TokenForAsync("community2"));
        var res = await ShiliuApp.PostFormAsync(tabA, "/account/change-password", "change-password", new()
            { ["Input.Current"] = Db.DemoPassword, ["Input.Next"] = "Shiliu#Renewed2026", ["Input.Confirm"] = "Shiliu#Renewed2026" });
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tabA.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tabB.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/me")).StatusCode);
    }
}
