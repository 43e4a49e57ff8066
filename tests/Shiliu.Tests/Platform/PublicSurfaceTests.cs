using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;
using Shiliu.Tests.Infrastructure;
using Shiliu.Web.Hosting;

namespace Shiliu.Tests.Platform;

/// <summary>The residents' surface: the public home at "/", per-address limits behind trusted proxies only, the self-solved challenge.</summary>
public sealed class PublicSurfaceTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_public_home_is_light_and_staff_still_get_their_workbench_at_the_root(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var anonymous = app.BrowserClient();
        var res = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var html = await res.Content.ReadAsStringAsync();
        Assert.Contains("服务窗口与热线", html);
        Assert.Contains("桂山街道（演示）", html);
        Assert.Contains("href=\"tel:0877-7011000\"", html);
        Assert.Contains("新民发〔2019〕2号", html);
        Assert.Contains("宣传和调查", html);
        // No staff scripts or styles, no circuit: the page works on an old phone and without JavaScript.
        Assert.DoesNotContain("blazor.web.js", html);
        Assert.DoesNotContain("ant-design-blazor", html);
        Assert.Matches(@"src=""public(\.\w+)?\.js""", html);
        Assert.DoesNotContain("身份证", html);

        var staff = await app.SignedInClientAsync("community");
        var workbench = await (await staff.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("我的待办", workbench);
        Assert.Contains("blazor.web.js", workbench);
    }

    [Fact]
    public async Task Public_pages_are_limited_per_address_and_a_forwarded_address_counts_only_from_a_known_proxy()
    {
        async Task<(HttpStatusCode Status, string? RetryAfter)[]> Burst(string knownProxies, string?[] forwardedFor, int each)
        {
            var settings = new Dictionary<string, string> { ["PublicForms:PagesPerMinute"] = "3" };
            if (knownProxies.Length > 0) settings["Network:KnownProxies:0"] = knownProxies;
            await using var app = new ShiliuApp(DbProvider.Sqlite, await Db.FreshAsync(DbProvider.Sqlite)) { Settings = settings };
            app.UseKestrel(0);
            app.StartServer();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var results = new List<(HttpStatusCode, string?)>();
            foreach (var who in forwardedFor)
                for (var i = 0; i < each; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/public");
                    if (who is not null) request.Headers.Add("X-Forwarded-For", who);
                    using var response = await http.SendAsync(request);
                    results.Add((response.StatusCode, response.Headers.RetryAfter?.ToString()));
                }
            return [.. results];
        }

        // Three residents behind the county's proxy: each has their own three a minute.
        var behindProxy = await Burst("127.0.0.1", ["203.0.113.7", "203.0.113.8", "203.0.113.9"], 3);
        Assert.All(behindProxy, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        // The same headers from a proxy nobody configured are ignored: one address, and the fourth request waits.
        var forged = await Burst("", ["203.0.113.7", "203.0.113.8"], 2);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], forged.Select(r => r.Status));
        Assert.Equal("60", forged[^1].RetryAfter);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_challenge_is_solved_once_for_its_own_form_within_its_time(DbProvider kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind), clock);
        _ = app.Server;
        var challenges = app.Services.GetRequiredService<ChallengeService>();
        async Task<ChallengeResult> Check(string form, string? token, string? answer)
        {
            await using var db = await app.SystemDbAsync();
            var r = await challenges.CheckAsync(db, form, token, answer);
            await db.SaveChangesAsync();
            return r;
        }

        // Solve returns the smallest number that passes, so the one before it surely does not (another may pass by chance).
        string token, answer;
        do
        {
            token = challenges.Issue("appeal");
            answer = ChallengeService.Solve(token, challenges.Difficulty);
        }
        while (answer == "0");
        Assert.Equal(ChallengeResult.Missing, await Check("appeal", token, null));
        Assert.Equal(ChallengeResult.Invalid, await Check("appeal", token, (long.Parse(answer) - 1).ToString()));
        Assert.Equal(ChallengeResult.Invalid, await Check("questionnaire", token, answer));
        Assert.Equal(ChallengeResult.Invalid, await Check("appeal", token[..^2] + "AA", answer));
        Assert.Equal(ChallengeResult.Solved, await Check("appeal", token, answer));
        Assert.Equal(ChallengeResult.Invalid, await Check("appeal", token, answer));   // spent

        var old = challenges.Issue("appeal");
        var oldAnswer = ChallengeService.Solve(old, challenges.Difficulty);
        clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(ChallengeResult.Invalid, await Check("appeal", old, oldAnswer));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_form_admits_five_solved_posts_an_hour_per_address_and_two_without_script(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var guard = app.Services.GetRequiredService<PublicFormGuard>();
        var challenges = app.Services.GetRequiredService<ChallengeService>();
        async Task<FormAdmission> Post(string ip, bool solved)
        {
            var token = challenges.Issue("appeal");
            var http = new DefaultHttpContext { RequestServices = app.Services };
            http.Connection.RemoteIpAddress = IPAddress.Parse(ip);
            http.Request.ContentType = "application/x-www-form-urlencoded";
            http.Request.Form = new FormCollection(solved
                ? new Dictionary<string, StringValues> { ["challenge"] = token, ["challenge-answer"] = ChallengeService.Solve(token, challenges.Difficulty) }
                : new Dictionary<string, StringValues>());
            await using var db = await app.SystemDbAsync();
            var admission = await guard.AdmitAsync(http, db, "appeal");
            await db.SaveChangesAsync();
            return admission;
        }

        for (var i = 0; i < 5; i++) Assert.True((await Post("198.51.100.1", solved: true)).Admitted);
        var sixth = await Post("198.51.100.1", solved: true);
        Assert.False(sixth.Admitted);
        Assert.NotNull(sixth.RetryAfter);
        Assert.StartsWith("提交过于频繁", sixth.Message);
        // Another address is not held up by the first; a browser without script gets through, twice an hour.
        Assert.True((await Post("198.51.100.2", solved: true)).Admitted);
        Assert.True((await Post("198.51.100.3", solved: false)).Admitted);
        Assert.True((await Post("198.51.100.3", solved: false)).Admitted);
        var third = await Post("198.51.100.3", solved: false);
        Assert.Equal((false, ChallengeResult.Missing), (third.Admitted, third.Challenge));
    }
}
