using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Activities;
using Shiliu.Core.Common;
using Shiliu.Core.Residents;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 大屏: the county office issues a link for the meeting-room screen, the screen opens it without an account at 1920 × 1080
/// and 1280 × 720, and blanks itself at its next refresh once the office stops it; a leader opens the same view signed in.
/// </summary>
public sealed class ScreenJourneyTests(ITestOutputHelper output) : Journey(output, "screen")
{
    [Fact]
    public Task The_county_issues_a_wall_screen_link_the_screen_shows_the_county_and_blanks_when_stopped() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        var grid = await live.App.UnitAsync("530427001001-G01");
        var community = await live.App.UnitAsync("530427001001");
        foreach (var (ethnicity, household) in new[] { ("07", "S-01"), ("07", "S-02"), ("18", "S-03"), ("17", "S-04"), ("05", "S-05") })
            await live.App.AsAsync("grid", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
            {
                OrgUnitId = grid.Id, Name = "大屏居民", EthnicityCode = ethnicity, IdNumber = Shiliu.Tests.Residents.Ids.Next(), ResidenceType = ResidenceType.Permanent,
                HouseholdNo = household, RelationToHead = "户主",
            }));
        foreach (var (title, type, days) in new[] { ("火把节联欢晚会", "A03", 40), ("民族团结政策宣讲", "A01", 12), ("三月三歌会", "A03", 70) })
            await live.App.AsAsync("community", sp => sp.GetRequiredService<ActivityService>().SaveAsync(null, new SaveActivity
            {
                OrgUnitId = community.Id, TypeCode = type, Title = title, Date = today.AddDays(-days), Place = "城中社区广场", Organiser = "城中社区居委会",
                ParticipantsTotal = 120, Participants = [new() { EthnicityCode = "07", Count = 60 }],
            }));

        await page.GotoAsync("/screens");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.GetByText("还没有发放大屏链接")).ToBeVisibleAsync();
        await page.GetByLabel("大屏名称").FillAsync("县民宗局三楼会议室");
        await page.GetByLabel("大屏名称").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "发放链接" }).ClickAsync();
        var alert = page.Locator(".token-alert");
        await Expect(alert).ToContainTextAsync("/screen/open?key=shs_");
        var link = Regex.Match(await alert.InnerTextAsync(), @"https?://\S+/screen/open\?key=\S+").Value;
        await ShotAsync(page, browser, "issued");

        // The wall: no account, the key turns into a cookie and leaves the address bar.
        var wall = await browser.NewPageAsync(live.BaseAddress, 1920, 1080);
        await wall.GotoAsync(link);
        await Expect(wall).ToHaveURLAsync(new Regex("/screen/display$"));
        await wall.GotoAsync("/screen/display?refresh=2");
        await Expect(wall.Locator("#sc-title")).ToHaveTextAsync("新平彝族傣族自治县民族团结进步创建");
        await Expect(wall.Locator("#sc-chart svg").First).ToBeVisibleAsync();
        await Expect(wall.Locator(".sc-fig").First).ToBeVisibleAsync();
        Assert.DoesNotContain("大屏居民", await wall.ContentAsync());
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
        await ShotAsync(wall, browser, "wall-1920x1080", scan: false);
        // A smaller screen: the same stage, scaled down whole (letterboxed), never reflowed or stretched.
        await wall.SetViewportSizeAsync(1280, 720);
        await wall.WaitForTimeoutAsync(500);
        var box = await wall.Locator("#stage").BoundingBoxAsync();
        Assert.InRange(box!.Width, 1279, 1281);
        Assert.InRange(box.Height, 719, 721);
        await ShotAsync(wall, browser, "wall-1280x720", scan: false);
        // The chart turns to the next panel without a new chart instance.
        var first = await wall.Locator("#sc-rotor-title").InnerTextAsync();
        await Expect(wall.Locator("#sc-rotor-title")).Not.ToHaveTextAsync(first, new() { Timeout = 10_000 });
        Assert.Equal(1, await wall.Locator("[_echarts_instance_]").CountAsync());

        // The office stops the screen; at its next refresh the wall blanks itself.
        await page.GetByRole(AriaRole.Button, new() { Name = "停用" }).ClickAsync();
        await page.GetByLabel("停用“县民宗局三楼会议室”的原因").FillAsync("会议室改作他用");
        await page.GetByLabel("停用“县民宗局三楼会议室”的原因").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认停用" }).ClickAsync();
        await Expect(page.GetByText("已停用（演示县创建办")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "stopped");
        await Expect(wall.Locator("#sc-sub")).ToContainTextAsync("此大屏已停用", new() { Timeout = 10_000 });
        await Expect(wall.Locator(".sc-main")).ToHaveCountAsync(0);
        await ShotAsync(wall, browser, "wall-stopped", scan: false);
        await wall.Context.CloseAsync();

        // A leader opens the screen signed in, for the county.
        var leader = await browser.NewPageAsync(live.BaseAddress, 1920, 1080);
        await leader.GotoAsync("/screen");
        await SignInAsync(leader, "leader", Db.DemoPassword);
        await Expect(leader).ToHaveURLAsync(new Regex("/screen$"));
        await Expect(leader.Locator("#sc-title")).ToHaveTextAsync("新平彝族傣族自治县民族团结进步创建");
        await Expect(leader.Locator("#sc-tiles .sc-tile").First).ToBeVisibleAsync();
        await ShotAsync(leader, browser, "leader-1920x1080", scan: false);
        await leader.Context.CloseAsync();
    });
}
