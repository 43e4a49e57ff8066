using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Data;
using Shiliu.Core.Tokens;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Api;

public sealed class ApiTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Me_and_the_org_tree_follow_the_token_owners_scope(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var api = app.ApiClient(await app.TokenForAsync("township"));
        var me = await api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("桂山街道", me.GetProperty("orgName").GetString());
        Assert.True(me.GetProperty("viaToken").GetBoolean());
        var roots = await api.GetFromJsonAsync<JsonElement>("/api/v1/org-units");
        Assert.Equal("桂山街道", Assert.Single(roots.EnumerateArray()).GetProperty("name").GetString());
        var children = await api.GetFromJsonAsync<JsonElement>($"/api/v1/org-units?parentId={roots[0].GetProperty("id").GetGuid()}");
        Assert.Equal(3, children.GetArrayLength());
        Assert.All(children.EnumerateArray(), c => Assert.True(c.GetProperty("hasChildren").GetBoolean()));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Errors_are_problem_details_in_chinese(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var api = app.ApiClient(await app.TokenForAsync("township"));
        var outside = await app.UnitAsync("530427101000");
        var res = await api.GetAsync($"/api/v1/org-units/{outside.Id}");
        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        var problem = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("未找到", problem.GetProperty("title").GetString());
        Assert.Contains("不在您的管辖范围内", problem.GetProperty("detail").GetString());

        var bad = await api.PostAsJsonAsync("/api/v1/org-units", new { parentId = (await app.UnitAsync("530427001000")).Id, name = "", code = "<script>" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var detail = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("请填写单位名称", detail);
        Assert.Contains("单位代码只能由数字、字母", detail);

        var anon = await app.ApiClient(null).GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, anon.StatusCode);
        Assert.Equal("未登录", (await anon.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_revoked_token_or_a_disabled_owner_is_refused_and_tokens_are_stored_hashed(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (id, text) = await app.AsAsync("county", sp => sp.GetRequiredService<TokenService>().CreateAsync(new CreateToken { Name = "对接", Password = Db.DemoPassword }));
        var api = app.ApiClient(text);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        await using (var db = await app.SystemDbAsync())
            Assert.False(await db.AccessTokens.AnyAsync(t => t.Hash == text || t.Prefix == text));
        await app.AsAsync("county", sp => sp.GetRequiredService<TokenService>().RevokeAsync(id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);

        var other = app.ApiClient(await app.TokenForAsync("leader"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/me")).StatusCode);
        await using (var db = await app.SystemDbAsync())
        {
            var leader = await db.Users.SingleAsync(u => u.UserName == "leader");
            await app.AsAsync("admin", sp => sp.GetRequiredService<UserService>().SetDisabledAsync(leader.Id, true));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/v1/me")).StatusCode);

        // A password reset revokes the account's tokens, and a must-change password holds new ones at the account gate.
        var third = app.ApiClient(await app.TokenForAsync("assessor"));
        Assert.Equal(HttpStatusCode.OK, (await third.GetAsync("/api/v1/me")).StatusCode);
        await using (var db = await app.SystemDbAsync())
        {
            var assessor = await db.Users.SingleAsync(u => u.UserName == "assessor");
            await app.AsAsync("admin", sp => sp.GetRequiredService<UserService>().ResetPasswordAsync(assessor.Id));
            var temporary = await app.AsAsync("security", sp => sp.GetRequiredService<UserService>().IssuePasswordAsync(assessor.Id));
            Assert.Equal(HttpStatusCode.Unauthorized, (await third.GetAsync("/api/v1/me")).StatusCode);
            var fresh = app.ApiClient(await app.TokenForAsync("assessor", temporary));
            var gated = await fresh.GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.Forbidden, gated.StatusCode);
            Assert.Equal("account.gate", (await gated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Disabling_a_user_ends_its_open_sessions(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var browser = await app.SignedInClientAsync("community");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me")).StatusCode);
        await using var db = await app.SystemDbAsync();
        var user = await db.Users.SingleAsync(u => u.UserName == "community");
        await app.AsAsync("admin", sp => sp.GetRequiredService<UserService>().SetDisabledAsync(user.Id, true));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
        Assert.False(await Login(app, "community"));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_v1_endpoint_and_responses_carry_security_headers()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var api = app.ApiClient(await app.TokenForAsync("county"));
        var res = await api.GetAsync("/api/v1/openapi.json");
        var doc = await res.Content.ReadFromJsonAsync<JsonElement>();
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var p in new[] { "/api/v1/me", "/api/v1/org-units", "/api/v1/org-units/{id}", "/api/v1/users", "/api/v1/tokens", "/api/v1/audit" })
            Assert.Contains(p, paths);
        var page = await app.BrowserClient().GetAsync("/account/login");
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        // Blazor resolves its scripts and routes against <base href="/"> (App.razor), so 'none' would break every page.
        Assert.Contains("base-uri 'self'", csp);
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_sign_in_page_answers_429_with_retry_after_past_twenty_requests_a_minute()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var c = app.BrowserClient();
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/account/login")).StatusCode);
        var refused = await c.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("请 1 分钟后再试", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/healthz")).StatusCode); // other routes are not limited
    }

    static async Task<bool> Login(ShiliuApp app, string user)
    {
        var res = await ShiliuApp.PostFormAsync(app.BrowserClient(), "/account/login", "login",
            new() { ["Input.UserName"] = user, ["Input.Password"] = Db.DemoPassword });
        return res.StatusCode == HttpStatusCode.Redirect;
    }
}
