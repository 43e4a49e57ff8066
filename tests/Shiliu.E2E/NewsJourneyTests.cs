using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Common;
using Shiliu.Core.Seed;
using Shiliu.Core.WorkReports;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Public;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 创建动态: a community records that the people in a festival photo agreed, marks it 可公开, and a resident without an
/// account reads it on the public page (PC and phone) beside the county's published brief.
/// </summary>
public sealed class NewsJourneyTests(ITestOutputHelper output) : Journey(output, "news")
{
    [Fact]
    public Task A_community_publishes_a_consented_photo_and_a_resident_reads_the_news() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        var app = live.App;
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        var (activity, _) = await NewsTests.PhotoAsync(app, "点火仪式", date: today);
        await NewsTests.PhotoAsync(app, "长街宴", activity);
        await NewsTests.ReportAsync(app, "城中社区举办火把节民族团结联欢活动", ReportStatus.Published);

        await page.GotoAsync("/activities");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.Locator(".cal-act").Filter(new() { HasText = "火把节联欢" }).First.ClickAsync();
        var consent = page.GetByTestId("photo-consent");
        var first = consent.Locator("li").Filter(new() { HasText = "点火仪式" });
        await Expect(first).ToContainTextAsync("未登记同意，不公开");
        await first.GetByLabel("点火仪式的同意情况").FillAsync("参加者现场签字同意，签字表已存档");
        await first.GetByLabel("点火仪式的同意情况").PressAsync("Tab");
        await first.GetByRole(AriaRole.Button, new() { Name = "登记同意" }).ClickAsync();
        await Expect(first).ToContainTextAsync("已登记同意");
        await first.GetByLabel("点火仪式的照片说明").FillAsync("城中社区火把节点火仪式");
        await first.GetByLabel("点火仪式的照片说明").PressAsync("Tab");
        await first.GetByRole(AriaRole.Button, new() { Name = "设为可公开" }).ClickAsync();
        await Expect(first).ToContainTextAsync("可公开");
        await Expect(consent.Locator("li").Filter(new() { HasText = "长街宴" })).ToContainTextAsync("未登记同意");
        await ShotAsync(page, browser, "community-photo-consent");
        await SignOutAsync(page);

        await page.GotoAsync("/public/news");
        await Expect(page.GetByTestId("news-item")).ToHaveCountAsync(3);
        await Expect(page.Locator("img[alt='城中社区火把节点火仪式']")).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync("长街宴");
        await ShotAsync(page, browser, "public-news-pc");
        await page.SetViewportSizeAsync(390, 844);
        await ShotAsync(page, browser, "public-news-phone");
    });
}

/// <summary>The living demo county: its ledgers filled by the demo job, as the leader, a township officer and a community see them.</summary>
public sealed class DemoCountyJourneyTests(ITestOutputHelper output) : Journey(output, "demo-county")
{
    [Fact]
    public Task The_demo_county_has_a_year_of_ledgers_to_look_at() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        var report = await live.App.AsAsync(null, sp => sp.GetRequiredService<Seeder>().SeedDemoLedgersAsync());
        foreach (var line in report.Lines) Log(line);
        await page.GotoAsync("/service-cases");
        await SignInAsync(page, "leader", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("（演示）");
        await ShotAsync(page, browser, "leader-service-cases");
        await SignOutAsync(page);

        await page.GotoAsync("/service-cases");
        await SignInAsync(page, "township", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("（演示）");
        await ShotAsync(page, browser, "township-service-cases");
        await SignOutAsync(page);

        await page.GotoAsync("/service-cases");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("（演示）");
        await ShotAsync(page, browser, "community-service-cases");
        // The community's appeals over the year, and its evidence filed under the criteria.
        await page.GotoAsync("/appeals");
        await circuit.WaitAsync();
        await Expect(page.Locator("button.tree-label").First).ToBeVisibleAsync();
        await ShotAsync(page, browser, "community-appeals");
        await page.GotoAsync("/evidence");
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "测评标准覆盖" }).ClickAsync();
        await Expect(page.GetByTestId("coverage-table").Locator("button.text-btn").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await ShotAsync(page, browser, "community-evidence-coverage");
        await SignOutAsync(page);

        // Disputes: the leader sees the cases without ethnic factors, the township its screening reports and its joint meeting.
        await page.GotoAsync("/disputes");
        await SignInAsync(page, "leader", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("（演示）");
        await ShotAsync(page, browser, "leader-disputes");
        await SignOutAsync(page);
        await page.GotoAsync("/disputes/screening");
        await SignInAsync(page, "township", Db.DemoPassword);
        await circuit.WaitAsync();
        await ShotAsync(page, browser, "township-screening");
        await page.GotoAsync("/joint-meetings");
        await Expect(page.Locator("body")).ToContainTextAsync("联席会议（演示）");
        await ShotAsync(page, browser, "township-joint-meetings");
        await SignOutAsync(page);

        // The demo festival photos (drawn cards, consent recorded) on the public 创建动态 page.
        await page.GotoAsync("/public/news");
        await Expect(page.Locator(".nw-photos img").First).ToBeVisibleAsync();
        await ShotAsync(page, browser, "public-news-demo");
    });
}
