using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Dashboards;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Core.Screens;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Screens;

/// <summary>大屏: a key issued for one wall screen shows one unit's dashboard figures without an account, and nothing once revoked.</summary>
public sealed class ScreenTests
{
    static ScreenService S(IServiceProvider sp) => sp.GetRequiredService<ScreenService>();

    static SaveResident Person(Guid unit, string name) => new()
    {
        OrgUnitId = unit, Name = name, EthnicityCode = "07", IdNumber = Ids.Next(), ResidenceType = ResidenceType.Permanent, HouseholdNo = "D-" + name.Length,
        RelationToHead = "户主",
    };

    static async Task<JsonElement> JsonAsync(HttpResponseMessage res)
    {
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        return JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.GetProperty("figures");
    }

    static double? Figure(JsonElement view, string panel, string label)
    {
        foreach (var p in view.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("key").GetString() == panel))
            foreach (var f in p.GetProperty("figures").EnumerateArray().Where(f => f.GetProperty("label").GetString() == label))
                return f.GetProperty("value").ValueKind == JsonValueKind.Null ? null : f.GetProperty("value").GetDouble();
        throw new Xunit.Sdk.XunitException($"no figure {panel}/{label}");
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_screen_key_shows_one_units_counts_without_an_account_until_the_county_revokes_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var g1 = await app.UnitAsync("530427001001-G01");
        var zhongxin = await app.UnitAsync("530427101001");
        var guishan = await app.UnitAsync("530427001000");
        await app.AsAsync("grid", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Person(g1.Id, "屏幕居民甲")));
        await app.AsAsync("grid", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Person(g1.Id, "屏幕居民乙")));
        await app.AsAsync("community2", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Person(zhongxin.Id, "屏幕居民丙")));

        var (id, key) = await app.AsAsync("county", sp => S(sp).IssueAsync(new IssueScreen { Name = "桂山街道会议室", OrgUnitId = guishan.Id }));
        Assert.StartsWith(ScreenService.Scheme, key);
        await using (var db = await app.SystemDbAsync())
        {
            var row = await db.DisplayScreens.SingleAsync(s => s.Id == id);
            Assert.NotEqual(key, row.KeyHash);
            Assert.Equal(guishan.Path, row.OrgPath);
            Assert.DoesNotContain(await db.AuditEntries.Select(a => a.Summary + a.After).ToListAsync(), t => t != null && t.Contains(key[4..]));
        }

        // The key becomes a cookie kept for the screen's paths only, and leaves the address bar.
        var wall = app.BrowserClient();
        var open = await wall.GetAsync($"/screen/open?key={Uri.EscapeDataString(key)}");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal("/screen/display", open.Headers.Location!.OriginalString);
        var cookie = open.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("shiliu-screen=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("path=/screen", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        var shell = await wall.GetAsync("/screen/display");
        Assert.Equal(HttpStatusCode.OK, shell.StatusCode);
        Assert.Contains("/screen.js", await shell.Content.ReadAsStringAsync());

        // The township's counts, the same figures its dashboard gives, and never a person or a link.
        var res = await wall.GetAsync("/screen/figures?display=true");
        var text = await res.Content.ReadAsStringAsync();
        var shown = await JsonAsync(res);
        // Each chart comes with the dashboard's own options, restyled for the wall: JSON to parse, no code to run.
        var charts = JsonDocument.Parse(text).RootElement.GetProperty("charts");
        Assert.NotEmpty(charts.EnumerateObject());
        foreach (var c in charts.EnumerateObject()) Assert.Equal("transparent", JsonDocument.Parse(c.Value.GetString()!).RootElement.GetProperty("backgroundColor").GetString());
        Assert.Equal("桂山街道", shown.GetProperty("unitName").GetString());
        Assert.Equal(2, Figure(shown, "population", "在册人口"));
        var board = await app.AsAsync("county", sp => sp.GetRequiredService<DashboardService>().ReadAsync(new DashboardRequest { Unit = guishan.Id }));
        Assert.Equal(board.Panels.Single(p => p.Key == "population").Figures.Single(f => f.Label == "在册人口").Value, Figure(shown, "population", "在册人口"));
        Assert.DoesNotContain("屏幕居民", text);
        // A wall is public: two 彝族 residents in the township show only as part of "其他（各不足5人）".
        var peoples = shown.GetProperty("panels").EnumerateArray().Single(p => p.GetProperty("key").GetString() == "population").GetProperty("chart").GetProperty("categories");
        Assert.Equal(["其他（各不足5人）"], peoples.EnumerateArray().Select(c => c.GetString()));
        Assert.DoesNotContain("中心村", text);
        Assert.DoesNotContain("\"link\":\"/", text);
        Assert.DoesNotContain("\"links\":[", text);

        await using (var db = await app.SystemDbAsync())
        {
            Assert.Contains(await db.AuditEntries.Where(a => a.Event == AuditEvents.SignIn).Select(a => a.UserName).ToListAsync(), u => u == "大屏：桂山街道会议室");
            Assert.NotNull((await db.DisplayScreens.SingleAsync(s => s.Id == id)).LastSeenUtc);
        }
        var listed = await app.AsAsync("county", sp => S(sp).ListAsync());
        Assert.Equal(("桂山街道", key[..10]), (listed.Single().UnitName, listed.Single().KeyPrefix));

        // A reason is required; once revoked, the screen's next refresh is refused and the key opens nothing.
        var version = listed.Single().Version;
        var noReason = await Assert.ThrowsAsync<Shiliu.Core.Common.RuleViolation>(() => app.AsAsync("county", sp => S(sp).RevokeAsync(id, new RevokeScreen { Reason = " ", Version = version })));
        Assert.Contains("停用原因", noReason.Message);
        await app.AsAsync("county", sp => S(sp).RevokeAsync(id, new RevokeScreen { Reason = "会议室改作他用", Version = version }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wall.GetAsync("/screen/figures?display=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.BrowserClient().GetAsync($"/screen/open?key={Uri.EscapeDataString(key)}")).StatusCode);
        var revoked = (await app.AsAsync("county", sp => S(sp).ListAsync())).Single();
        Assert.Equal(("会议室改作他用", "演示县创建办"), (revoked.RevokeReason, revoked.RevokedBy));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Only_the_county_office_issues_keys_a_grid_or_a_twin_name_is_refused_and_signed_in_callers_see_their_own_scope(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var township = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("township", sp => S(sp).IssueAsync(new IssueScreen { Name = "街道大厅" })));
        Assert.Equal(ScreenErrors.Denied.Code, township.Code);
        var grid = await app.UnitAsync("530427001001-G01");
        var onGrid = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("county", sp => S(sp).IssueAsync(new IssueScreen { Name = "网格", OrgUnitId = grid.Id })));
        Assert.Contains("orgUnitId", onGrid.Fields.Keys);
        await app.AsAsync("county", sp => S(sp).IssueAsync(new IssueScreen { Name = "县民宗局会议室" }));
        var twin = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("county", sp => S(sp).IssueAsync(new IssueScreen { Name = "县民宗局会议室" })));
        Assert.Equal(["name"], twin.Fields.Keys);

        // No key, a made-up key, no sign-in: nothing.
        var stranger = app.BrowserClient();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/screen/open?key=shs_madeup")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/screen/figures?display=true")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/screen/figures")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/screen/display")).StatusCode);
        var anonymous = await stranger.GetAsync("/screen");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/account/login", anonymous.Headers.Location!.OriginalString);

        // A signed-in leader sees the county; a community its own unit, and another unit's screen is not found.
        var leader = await app.SignedInClientAsync("leader");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/screen")).StatusCode);
        Assert.Equal((await app.UnitAsync("530427000000")).Name, (await JsonAsync(await leader.GetAsync("/screen/figures"))).GetProperty("unitName").GetString());
        var community = await app.SignedInClientAsync("community");
        Assert.Equal("城中社区", (await JsonAsync(await community.GetAsync("/screen/figures"))).GetProperty("unitName").GetString());
        var zhongxin = await app.UnitAsync("530427101001");
        Assert.Equal(HttpStatusCode.NotFound, (await community.GetAsync($"/screen/figures?unit={zhongxin.Id}")).StatusCode);
    }
}
