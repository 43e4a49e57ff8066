using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// The county office revises the 测评指标 table: a draft whose scores do not add up to 100 is refused at publishing
/// with the sum named, and is published once fixed; the old version stays as it was.
/// </summary>
public sealed class IndicatorJourneyTests(ITestOutputHelper output) : Journey(output, "indicators")
{
    [Fact]
    public Task County_office_revises_the_indicator_table_and_publishing_checks_the_total() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        await page.GotoAsync("/indicators");
        await SignInAsync(page, "county", Db.DemoPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/indicators$"));
        await circuit.WaitAsync();
        var total = page.GetByTestId("ind-total");
        await Expect(total).ToHaveTextAsync("合计 100 分");
        await Expect(page.Locator(".ind-table")).ToContainTextAsync("有信息共享机制，全面准确掌握少数民族常住人员和流动人员的基本情况");
        await ShotAsync(page, browser, "version-1");

        await page.GetByRole(AriaRole.Button, new() { Name = "基于此版新建草稿" }).ClickAsync();
        await Expect(page.Locator(".ind-head .muted")).ToContainTextAsync("第 2 版");
        var firstScore = page.GetByLabel("分值").First;
        await firstScore.FillAsync("10");
        await firstScore.PressAsync("Tab");
        await Expect(total).ToHaveTextAsync("合计 102 分");
        await Expect(total).ToHaveClassAsync(new Regex("total-bad"));
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "编辑" })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "draft-102");

        await page.GetByRole(AriaRole.Button, new() { Name = "发布", Exact = true }).ClickAsync();
        // The confirmation zooms in; a click while it is still opening can miss, so let it come to rest (and keep its picture).
        await ShotAsync(page, browser, "publish-confirm");
        await page.Locator(".ant-popover").GetByRole(AriaRole.Button, new() { Name = "发布" }).ClickAsync();
        await Expect(page.Locator(".ant-alert-error")).ToContainTextAsync("各条测评标准分值合计 102 分，与总分 100 分不符，不能发布");
        await ShotAsync(page, browser, "publish-refused");

        await page.GetByRole(AriaRole.Button, new() { Name = "编辑" }).ClickAsync();
        firstScore = page.GetByLabel("分值").First;
        await firstScore.FillAsync("8");
        await firstScore.PressAsync("Tab");
        await Expect(total).ToHaveTextAsync("合计 100 分");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        // Publishing must wait for the save: the page leaves edit mode once the draft is stored.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "编辑" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "发布", Exact = true }).ClickAsync();
        await ShotAsync(page, browser, "publish-confirm-again");
        await page.Locator(".ant-popover").GetByRole(AriaRole.Button, new() { Name = "发布" }).ClickAsync();
        await Expect(page.Locator(".ind-head .muted")).ToContainTextAsync("由 county 发布");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "基于此版新建草稿" })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "version-2-published");
    });
}
