using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Accounts;

public sealed partial class SignInTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Five_failures_lock_the_account_for_thirty_minutes_and_it_is_audited(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var c = app.BrowserClient();
        var before = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++) await Login(c, "county", "Wrong#Password1");
        Assert.False(await Login(c, "county", Db.DemoPassword));
        await using var db = await app.SystemDbAsync();
        // The lock must end 30 minutes after the fifth failure.
        var end = (await db.Users.SingleAsync(u => u.UserName == "county")).LockoutEnd!.Value;
        Assert.InRange(end - before, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Event == "auth.locked_out" && a.UserName == "county"));
        Assert.True(await db.AuditEntries.CountAsync(a => a.Event == "auth.sign_in_failed" && a.UserName == "county") >= 4);
    }

    /// <summary>#4 on the app's clock: locked for exactly the lock period, then the right password works and failures count from zero.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_locked_account_opens_only_after_thirty_minutes_on_the_clock_and_its_failure_count_starts_again(DbProvider kind)
    {
        // Whole seconds: PostgreSQL keeps microseconds, and the lock's end is compared exactly.
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var security = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value;
        Assert.Equal((5, 30), (security.LockoutFailures, security.LockoutMinutes));
        // One page load and many posts: the sign-in page allows 20 requests a minute per address, in real time.
        var form = await LoginForm.OpenAsync(app.BrowserClient());
        for (var i = 0; i < 5; i++) Assert.False(await form.PostAsync("county", "Wrong#Password1"));
        var lockedAt = clock.GetUtcNow();
        Assert.Equal(lockedAt.AddMinutes(30), (await UserAsync(app, "county")).LockoutEnd);
        Assert.False(await form.PostAsync("county", Db.DemoPassword));
        clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        Assert.False(await form.PostAsync("county", Db.DemoPassword));
        // A right password inside the lock neither counts as a failure nor extends the lock.
        Assert.Equal(lockedAt.AddMinutes(30), (await UserAsync(app, "county")).LockoutEnd);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await form.PostAsync("county", Db.DemoPassword));
        Assert.Equal(0, (await UserAsync(app, "county")).AccessFailedCount);

        // Counting starts again from zero: four failures leave the account open, the fifth locks it for 30 minutes from now.
        form = await LoginForm.OpenAsync(app.BrowserClient());
        for (var i = 0; i < 4; i++) Assert.False(await form.PostAsync("county", "Wrong#Password1"));
        var afterFour = await UserAsync(app, "county");
        Assert.Equal(4, afterFour.AccessFailedCount);
        Assert.False(afterFour.LockoutEnd > clock.GetUtcNow(), "four failures after the lock ended must not lock");
        Assert.False(await form.PostAsync("county", "Wrong#Password1"));
        Assert.Equal(clock.GetUtcNow().AddMinutes(30), (await UserAsync(app, "county")).LockoutEnd);
        Assert.False(await form.PostAsync("county", Db.DemoPassword));
        await using var db = await app.SystemDbAsync();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Event == "auth.locked_out" && a.UserName == "county"));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Event == "auth.sign_in" && a.UserName == "county" && a.TimeUtc > lockedAt.UtcDateTime));
    }

    static async Task<AppUser> UserAsync(ShiliuApp app, string userName)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
    }

    /// <summary>The sign-in form loaded once; its antiforgery token serves every post while the client is anonymous.</summary>
    sealed class LoginForm(HttpClient client, string token)
    {
        public static async Task<LoginForm> OpenAsync(HttpClient c) =>
            new(c, AntiforgeryToken().Match(await (await c.GetAsync("/account/login")).Content.ReadAsStringAsync()).Groups[1].Value);

        public async Task<bool> PostAsync(string user, string password)
        {
            var res = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
                { ["Input.UserName"] = user, ["Input.Password"] = password, ["__RequestVerificationToken"] = token, ["_handler"] = "login" }));
            Assert.True(res.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"sign-in answered {(int)res.StatusCode}");
            return res.StatusCode == HttpStatusCode.Redirect;
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Unknown_user_and_wrong_password_look_the_same(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var a = await LoginPage(app.BrowserClient(), "nobody-here", "Wrong#Password1");
        var b = await LoginPage(app.BrowserClient(), "county", "Wrong#Password1");
        Assert.Equal(a.Status, b.Status);
        Assert.Equal(a.Body, b.Body);
        Assert.Contains(AccountService.FailureMessage, a.Body);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Admin_must_change_the_initial_password_before_anything_else(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var c = await app.SignedInClientAsync("admin", Db.AdminPassword);
        var home = await c.GetAsync("/");
        Assert.Equal("/account/change-password", home.Headers.Location?.OriginalString);
        var api = await c.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("account.gate", await api.Content.ReadAsStringAsync());

        var weak = await ShiliuApp.PostFormAsync(c, "/account/change-password", "change-password",
            new() { ["Input.Current"] = Db.AdminPassword, ["Input.Next"] = "password123", ["Input.Confirm"] = "password123" });
        Assert.Contains("至少三类", await weak.Content.ReadAsStringAsync());
        var ok = await ShiliuApp.PostFormAsync(c, "/account/change-password", "change-password",
            new() { ["Input.Current"] = Db.AdminPassword, ["Input.Next"] = "Xinping#Changed2026", ["Input.Confirm"] = "Xinping#Changed2026" });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        // Next gate for an admin: TOTP enrolment.
        Assert.Equal("/account/totp-setup", (await c.GetAsync("/")).Headers.Location?.OriginalString);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_totp_code_is_accepted_once_only(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var secret = Totp.NewSecret();
        await app.EnrollTotpAsync("auditor", secret);
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var code = Totp.Code(secret, Totp.StepAt(now));
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.AsAsync(null, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByNameAsync("auditor"))!;
            return await users.VerifyTwoFactorTokenAsync(user, ReplaySafeTotpProvider.Name, code);
        })));
        Assert.Equal(1, results.Count(r => r));
        // The secret is sealed at rest: a copy of the database does not hold it.
        await using var db = await app.SystemDbAsync();
        var stored = (await db.Users.SingleAsync(u => u.UserName == "auditor")).TotpSecret!;
        Assert.DoesNotContain(secret, stored);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Sign_out_ends_the_session_for_every_tab(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var c = await app.SignedInClientAsync("county");
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/v1/me")).StatusCode);
        var cookie = c.DefaultRequestHeaders.ToString();
        await using var db = await app.SystemDbAsync();
        var user = await db.Users.SingleAsync(u => u.UserName == "county");
        await app.AsAsync(null, sp => sp.GetRequiredService<SessionService>().EndAllAsync(user.Id, "test"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/v1/me")).StatusCode);
        _ = cookie;
    }

    /// <summary>
    /// #7, session fixation: a sign-in never adopts the cookie the browser brought, whether planted garbage or another
    /// account's live session, and re-authenticating ends the session that cookie carried (ASVS 7.2.4).
    /// </summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Signing_in_issues_a_new_session_cookie_and_ends_the_one_the_browser_brought(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var jar = new CookieContainer();
        var c = app.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar));
        var site = c.BaseAddress!;
        string? Auth() => jar.GetCookies(site)["shiliu.auth"]?.Value;

        jar.Add(site, new Cookie("shiliu.auth", "planted-by-someone-else"));
        Assert.True(await Login(c, "county", Db.DemoPassword));
        var first = Auth();
        Assert.NotNull(first);
        Assert.NotEqual("planted-by-someone-else", first);
        Assert.Equal("county", await WhoAsync(app, first));

        // Signed out and in again: a new value and a new server session; the old value is dead.
        var token = AntiforgeryToken().Match(await (await c.GetAsync("/")).Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))).StatusCode);
        Assert.Null(Auth());
        Assert.True(await Login(c, "county", Db.DemoPassword));
        var second = Auth();
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Null(await WhoAsync(app, first));
        Assert.Equal("county", await WhoAsync(app, second));

        // Someone plants their own live session in this browser; the victim signs in over it. The victim gets a new value,
        // and the planted one, re-authenticated over, is ended rather than left for whoever holds a copy.
        var plantedJar = new CookieContainer();
        var planterClient = app.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(plantedJar));
        Assert.True(await Login(planterClient, "grid", Db.DemoPassword));
        var planted = plantedJar.GetCookies(site)["shiliu.auth"]!.Value;
        Assert.Equal("grid", await WhoAsync(app, planted));
        var victimJar = new CookieContainer();
        var victim = app.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(victimJar));
        victimJar.Add(site, new Cookie("shiliu.auth", planted));
        Assert.True(await Login(victim, "county", Db.DemoPassword));
        var victims = victimJar.GetCookies(site)["shiliu.auth"]!.Value;
        Assert.NotEqual(planted, victims);
        Assert.Equal("county", await WhoAsync(app, victims));
        Assert.Null(await WhoAsync(app, planted));

        await using var db = await app.SystemDbAsync();
        var ids = await db.Users.Where(u => u.UserName == "county" || u.UserName == "grid").ToDictionaryAsync(u => u.UserName!, u => u.Id);
        var ends = await db.UserSessions.Where(s => s.UserId == ids["county"]).OrderBy(s => s.CreatedUtc).Select(s => s.EndReason).ToListAsync();
        Assert.Equal(["signout", null, null], ends);
        Assert.Equal("reauthenticated", (await db.UserSessions.SingleAsync(s => s.UserId == ids["grid"])).EndReason);
    }

    /// <summary>The user name a bare auth cookie value signs in as over the API, or null when it is refused.</summary>
    static async Task<string?> WhoAsync(ShiliuApp app, string cookie)
    {
        var api = app.ApiClient(null);
        api.DefaultRequestHeaders.Add("Cookie", $"shiliu.auth={cookie}");
        var me = await api.GetAsync("/api/v1/me");
        if (me.StatusCode == HttpStatusCode.Unauthorized) return null;
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        return System.Text.Json.JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement.GetProperty("userName").GetString();
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Idle_sessions_expire_after_fifteen_minutes(DbProvider kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var c = await app.SignedInClientAsync("county");
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/v1/me")).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Security_admin_cannot_grant_itself_and_roles_must_fit_the_unit_level(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await using var db = await app.SystemDbAsync();
        var security = await db.Users.SingleAsync(u => u.UserName == "security");
        var community = await db.Users.SingleAsync(u => u.UserName == "community");
        await app.AsAsync("security", async sp =>
        {
            var users = sp.GetRequiredService<UserService>();
            Assert.Equal(UserErrors.SelfGrant, (await Assert.ThrowsAsync<RuleViolation>(() => users.SetRoleAsync(security.Id, Roles.SystemAdmin))).Code);
            Assert.Equal(UserErrors.RoleLevel, (await Assert.ThrowsAsync<RuleViolation>(() => users.SetRoleAsync(community.Id, Roles.CountyOfficer))).Code);
            await users.SetRoleAsync(community.Id, Roles.CommunityStaff);
        });
        await app.AsAsync("admin", async sp =>
            Assert.Equal(UserErrors.Denied, (await Assert.ThrowsAsync<RuleViolation>(() => sp.GetRequiredService<UserService>().SetRoleAsync(community.Id, Roles.CommunityStaff))).Code));
    }

    static async Task<bool> Login(HttpClient c, string user, string password)
    {
        var res = await ShiliuApp.PostFormAsync(c, "/account/login", "login", new() { ["Input.UserName"] = user, ["Input.Password"] = password });
        return res.StatusCode == HttpStatusCode.Redirect;
    }

    static async Task<(HttpStatusCode Status, string Body)> LoginPage(HttpClient c, string user, string password)
    {
        var res = await ShiliuApp.PostFormAsync(c, "/account/login", "login", new() { ["Input.UserName"] = user, ["Input.Password"] = password });
        // Antiforgery tokens differ per request by design; everything else must match.
        return (res.StatusCode, WebUtility.HtmlDecode(Volatile().Replace(await res.Content.ReadAsStringAsync(), "")));
    }

    [GeneratedRegex("value=\"[^\"]*\"|<!--.*?-->")]
    private static partial Regex Volatile();
}
