using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Authorization;

/// <summary>
/// #3 over every route: with a password older than 90 days on the app's clock, each page and endpoint of the access
/// matrix, sent by its own recipe, answers "must change" (API 403 <c>account.gate</c>, pages to the change-password
/// page), whether the caller comes with a token or with the sign-in cookie. Only the account pages (changing the password,
/// signing out), the health probes, the error page and static files stay open.
/// </summary>
public sealed partial class PasswordExpiryGateTests
{
    // The public display switch only sets the reader's 大字/高对比度 cookie: no data, nothing to gate. A wall screen's link
    // and display answer to the screen's own key, never to a staff account, so a staff password's age cannot gate them.
    static readonly string[] Open = ["/account", "/error", "/healthz", "/readyz", "/public/display", "/screen/open", "/screen/display"];

    public static TheoryData<DbProvider, string> Cases()
    {
        var data = new TheoryData<DbProvider, string>();
        foreach (var kind in Db.Engines)
            foreach (var credential in new[] { "token", "cookie" }) data.Add(kind, credential);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task Past_ninety_days_every_route_but_the_account_pages_answers_must_change(DbProvider kind, string credential)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // The import sweep weighs upload files' real write times against the app's clock; 91 days ahead it would take the
        // fresh uploads the matrix's import recipes make for stale ones, so keep them longer than the jump.
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string> { ["Exports:ApprovalAbove"] = "0", ["Import:KeepHours"] = "2400" }, clock);
        var setup = await AuthorizationMatrixTests.Context.CreateAsync(app, Roles.CountyOfficer);
        Assert.Equal("200", await setup.SendAsync("GET /api/v1/me", outside: false));

        clock.Advance(PasswordPolicy.MaxAge + TimeSpan.FromDays(1));
        // Signing in still works (the gate comes after it); the API's antiforgery token is gated too, so take the
        // change-password form's, which is the same token.
        var browser = await app.SignedInClientAsync("county");
        var form = await (await browser.GetAsync("/account/change-password")).Content.ReadAsStringAsync();
        browser.DefaultRequestHeaders.Add(Shiliu.Web.Hosting.ApiAntiforgery.Header, AntiforgeryToken().Match(form).Groups[1].Value);
        var api = credential == "token" ? app.ApiClient(await app.TokenForAsync("county")) : browser;
        var ctx = new AuthorizationMatrixTests.Context
            { App = app, Role = Roles.CountyOfficer, Api = api, Browser = browser, SpareTokenId = setup.SpareTokenId, ForeignTokenId = setup.ForeignTokenId };

        var failures = new List<string>();
        var gated = 0;
        foreach (var endpoint in AuthorizationMatrixTests.Matrix().Keys)
        {
            var path = endpoint[(endpoint.IndexOf(' ') + 1)..];
            var open = Open.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal)) || endpoint == "GET /{**path:file}";
            using var res = await AuthorizationMatrixTests.Recipes[endpoint](ctx, false);
            var body = await res.Content.ReadAsStringAsync();
            var mustChange = res.StatusCode == HttpStatusCode.Forbidden && body.Contains("\"account.gate\"", StringComparison.Ordinal) && body.Contains("请先修改初始密码或已过期的密码", StringComparison.Ordinal)
                || res.StatusCode == HttpStatusCode.Redirect && res.Headers.Location?.OriginalString == "/account/change-password";
            var isApi = path.StartsWith("/api/", StringComparison.Ordinal);
            if (open && mustChange) failures.Add($"{endpoint} is gated but must stay open to change the password or sign out");
            else if (!open && !mustChange) failures.Add($"{endpoint} answered {(int)res.StatusCode} {res.Headers.Location}, not must-change");
            else if (!open && isApi != (res.StatusCode == HttpStatusCode.Forbidden)) failures.Add($"{endpoint}: an API refuses with 403, a page redirects");
            else if (!open) gated++;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(gated > 140, $"only {gated} routes were checked");

        // The way out stays open: the password is changed on the gated session, and the same request then passes.
        Assert.Equal(HttpStatusCode.Redirect, (await ShiliuApp.PostFormAsync(browser, "/account/change-password", "change-password",
            new() { ["Input.Current"] = Db.DemoPassword, ["Input.Next"] = "Shiliu#Renewed2027", ["Input.Confirm"] = "Shiliu#Renewed2027" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
