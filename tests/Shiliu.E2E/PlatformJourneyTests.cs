using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Platform.Notifications;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// The platform every module stands on, as its users meet it: a community reports a brief and the township finds it in
/// 我的待办 and behind the bell; the county office works out a due date across 国庆 on the holiday calendar, sees the
/// background jobs and a text message held in the outbox.
/// </summary>
public sealed class PlatformJourneyTests(ITestOutputHelper output) : Journey(output, "platform")
{
    [Fact]
    public Task A_reported_brief_reaches_the_townships_todos_and_bell_and_the_county_runs_the_calendar_jobs_and_outbox() =>
        RunAsync(1366, 768, async (page, browser, circuit, live) =>
        {
            const string title = "城中社区开展民族团结进步宣传月活动";
            await page.GotoAsync("/work-reports");
            await SignInAsync(page, "community", Db.DemoPassword);
            await circuit.WaitAsync();
            await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "撰写信息" }), page.GetByLabel("标题"));
            await page.GetByLabel("标题").FillAsync(title);
            await page.GetByLabel("正文（每段一行）").FillAsync("11月，城中社区在辖区内开展民族团结进步宣传月活动，发放宣传资料300余份。");
            await page.GetByLabel("正文（每段一行）").PressAsync("Tab");
            await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "上报" }).ClickAsync();
            await Expect(page.Locator(".ind-title + .muted")).ToContainTextAsync("已上报");
            await SignOutAsync(page);

            // The township: the brief waits in 我的待办 and the bell counts the notification.
            await SignInAsync(page, "township", Db.DemoPassword);
            await page.GotoAsync("/");
            await circuit.WaitAsync();
            var todos = page.GetByTestId("todos");
            await Expect(todos).ToContainTextAsync("下级报送待采用的工作信息");
            await Expect(page.Locator(".bell-count")).ToHaveTextAsync("1");
            await ShotAsync(page, browser, "township-todos-and-bell");
            await page.GetByTestId("bell").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/notifications$"));
            await Expect(page.GetByTestId("notifications")).ToContainTextAsync($"城中社区上报了工作信息《{title}》");
            await ShotAsync(page, browser, "township-notifications");
            await circuit.WaitAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "全部标为已读" }).ClickAsync();
            await Expect(page.Locator(".bell-count")).ToHaveCountAsync(0);
            await SignOutAsync(page);

            // The county office: a due date across 国庆 and its make-up Saturday, the jobs, the outbox.
            await SignInAsync(page, "county", Db.DemoPassword);
            await page.GotoAsync("/calendar");
            await circuit.WaitAsync();
            await Expect(page.GetByTestId("calendar-days")).ToContainTextAsync("国庆节");
            await page.GetByLabel("起始日").FillAsync("2026-09-30");
            await page.GetByLabel("工作日数").FillAsync("5");
            await page.GetByLabel("工作日数").PressAsync("Tab");
            await page.GetByRole(AriaRole.Button, new() { Name = "计算" }).ClickAsync();
            // 1–7 October off, Saturday 10 October worked: 8, 9, 10, 12 and 13 October.
            await Expect(page.GetByTestId("calendar-due")).ToContainTextAsync("截止 2026年10月13日");
            await ShotAsync(page, browser, "county-calendar-due");

            await page.GotoAsync("/jobs");
            await circuit.WaitAsync();
            await Expect(page.GetByTestId("jobs")).ToContainTextAsync("校验审计日志");
            await ShotAsync(page, browser, "county-jobs");

            await live.App.AsAsync("county", sp => sp.GetRequiredService<OutboxService>()
                .SendAsync(MessageChannel.Sms, "13987654321", "【新平县创建办】请于12月5日前报送民族团结进步宣传月活动总结。", "工作信息"));
            await page.GotoAsync("/outbox");
            await circuit.WaitAsync();
            var outbox = page.GetByTestId("outbox");
            await Expect(outbox).ToContainTextAsync("139****4321");
            await Expect(outbox).Not.ToContainTextAsync("13987654321");
            await ShotAsync(page, browser, "county-outbox");
        });
}

/// <summary>A resident without an account opens the site on a phone and finds the plan and each township's window.</summary>
public sealed class PublicHomeJourneyTests(ITestOutputHelper output) : Journey(output, "public-home")
{
    [Fact]
    public Task A_resident_opens_the_public_home_on_a_phone() => RunAsync(390, 844, async (page, browser, _) =>
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/$|/public$"));
        await Expect(page.Locator("h1.pub-title")).ToContainTextAsync("民族团结进步创建活动进社区");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "服务窗口与热线" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "桂山街道（演示）" })).ToBeVisibleAsync();
        // No staff scripts on the public surface.
        Assert.Equal(0, await page.Locator("script[src*='blazor.web.js']").CountAsync());
        await ShotAsync(page, browser, "public-home-phone");
        // What the phone shows first, at its own size.
        await page.ScreenshotAsync(new() { Path = Path.Combine(ShotDir, "02-public-home-first-screen.png") });
    });
}
