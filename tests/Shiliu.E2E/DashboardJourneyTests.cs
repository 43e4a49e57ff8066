using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Seed;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 数据看板 over the demo county's year of records: the leader's county view and a township picked from it, a drill-down
/// from "逾期" to exactly those cases, the township's and the community's own views, and the page on a phone. The charts
/// are ECharts drawn without eval (the CSP reports no violation) and none outlives the page.
/// </summary>
public sealed class DashboardJourneyTests(ITestOutputHelper output) : Journey(output, "dashboard")
{
    static Task SeedAsync(LiveApp live) => live.App.AsAsync(null, sp => sp.GetRequiredService<Seeder>().SeedDemoAsync(null, ledgers: true));

    static async Task ChartsDrawnAsync(IPage page)
    {
        await Expect(page.Locator(".dash-chart-canvas[_echarts_instance_] svg").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        // Chinese labels are drawn as text in the SVG (the font renders them; the picture shows it).
        await Expect(page.Locator(".dash-chart-canvas svg text").Filter(new() { HasTextRegex = new Regex("[\u4e00-\u9fa5]") }).First).ToBeAttachedAsync();
    }

    static void NoCspViolation(BrowserSession browser) =>
        Assert.DoesNotContain(browser.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || e.Contains("unsafe-eval"));

    static async Task<(ILocator Link, string Count)> FigureAsync(IPage page, string panel, string label)
    {
        var link = page.GetByTestId($"panel-{panel}").Locator("a.dash-figure", new() { Has = page.Locator("span", new() { HasTextRegex = new Regex($"^{label}$") }) });
        return (link, (await link.Locator("b").InnerTextAsync()).Trim());
    }

    /// <summary>One journey (the demo county's year of records takes a while to seed): leader, phone, township, community.</summary>
    [Fact]
    public Task Leader_township_and_community_see_their_views_and_every_count_opens_its_records() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        await SeedAsync(live);
        await page.GotoAsync("/dashboard");
        await SignInAsync(page, "leader", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("dash-unit")).ToContainTextAsync("新平彝族傣族自治县");
        await ChartsDrawnAsync(page);
        foreach (var panel in new[] { "coverage", "ten-items", "population", "services", "disputes", "appeals", "activities" })
            await Expect(page.GetByTestId($"panel-{panel}")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "leader-county");
        NoCspViolation(browser);

        // Leaders read head-counts, not people: the population figures stay plain text, and the notes say why; the
        // dispute note says the cases with ethnic factors are left out of the leader's counts.
        await Expect(page.GetByTestId("panel-population").Locator("a.dash-figure")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("panel-population").Locator(".dash-source")).ToContainTextAsync("领导查看汇总数字");
        await Expect(page.GetByTestId("panel-disputes").Locator(".dash-source")).ToContainTextAsync("不含涉民族因素的纠纷");
        // The picker names each choice as the whole unit it counts, never "本级".
        var picker = page.GetByLabel("查看单位");
        await Expect(picker.Locator("option", new() { HasText = "新平彝族傣族自治县（全县）" })).ToHaveCountAsync(1);
        await Expect(picker.Locator("option", new() { HasText = "本级" })).ToHaveCountAsync(0);

        // The leader narrows the view to one township: every panel follows.
        await picker.SelectOptionAsync(new SelectOptionValue { Label = "桂山街道（全街道）" });
        await Expect(page.GetByTestId("dash-unit")).ToContainTextAsync("桂山街道");
        await Expect(page).ToHaveURLAsync(new Regex("unit="));
        await ChartsDrawnAsync(page);
        await ShotAsync(page, browser, "leader-township");

        // "逾期 N" opens those N cases, scoped to the township.
        var (overdue, count) = await FigureAsync(page, "services", "逾期");
        await overdue.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/service-cases\\?.*overdue=true"));
        await Expect(page.GetByTestId("drill-filter")).ToContainTextAsync("桂山街道（含下级）");
        await Expect(page.GetByText($"共 {count} 件")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "drilled-overdue-cases");

        // So does the number of activities in the period.
        await page.GoBackAsync();
        await ChartsDrawnAsync(page);
        var (activities, held) = await FigureAsync(page, "activities", "期间活动");
        await activities.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/activities\\?.*from="));
        await Expect(page.GetByTestId("drill-filter")).ToContainTextAsync($"共{held}场");
        await Expect(page.GetByTestId("activity-list").Locator("tbody tr")).ToHaveCountAsync(Math.Min(100, int.Parse(held, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)));
        await ShotAsync(page, browser, "drilled-activities");

        // Leaving the page leaves no chart behind.
        await page.GoBackAsync();
        await ChartsDrawnAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "首页" }).First.ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/dashboard"));
        // The components dispose their charts as the circuit tears the page down, just after the new page shows: wait for it.
        var alive = -1;
        for (var i = 0; i < 50 && alive != 0; i++)
        {
            alive = await page.EvaluateAsync<int>("async () => (await import('./js/charts.js')).count()");
            if (alive != 0) await page.WaitForTimeoutAsync(100);
        }
        Assert.Equal(0, alive);

        // On a phone the panels stack and nothing scrolls sideways.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/dashboard");
        await circuit.WaitAsync();
        await ChartsDrawnAsync(page);
        var first = await page.GetByTestId("panel-coverage").BoundingBoxAsync();
        var second = await page.GetByTestId("panel-phases").BoundingBoxAsync();
        Assert.True(second!.Y > first!.Y + first.Height - 1, "窄屏上各板块应上下排列");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "窄屏上页面不应横向滚动");
        await ShotAsync(page, browser, "phone-leader");
        await page.SetViewportSizeAsync(1366, 768);
        NoCspViolation(browser);

        await SignOutAsync(page);
        await page.GotoAsync("/dashboard");
        await SignInAsync(page, "township", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("dash-unit")).ToContainTextAsync("桂山街道");
        await ChartsDrawnAsync(page);
        await Expect(page.GetByTestId("panel-assessment")).ToHaveCountAsync(0);
        await ShotAsync(page, browser, "township");

        // The township keeps the archive: its household count opens those households, its grid count the grids.
        var (households, h) = await FigureAsync(page, "grids", "在册户数");
        await households.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/grids\\?.*households=true"));
        await Expect(page.GetByTestId("drill-filter")).ToContainTextAsync("桂山街道（含下级），在册住户");
        await Expect(page.GetByTestId("household-count")).ToContainTextAsync($"共 {h} 户");
        await ShotAsync(page, browser, "drilled-households");
        // Back on the dashboard, a figure's click opens its list: the address, and the filter line (the count often in it).
        async Task<string> OpenAsync(string panel, string label, string address, Func<string, string> filter)
        {
            await page.GoBackAsync();
            await ChartsDrawnAsync(page);
            var (link, count) = await FigureAsync(page, panel, label);
            await link.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(address));
            await Expect(page.GetByTestId("drill-filter")).ToContainTextAsync(filter(count));
            return count;
        }
        await OpenAsync("grids", "网格", "/grids\\?unit=", g => $"网格{g}个");
        await ShotAsync(page, browser, "drilled-grids");
        // The period's visits and the grid staff open their lists too.
        var v = await OpenAsync("grids", "期间走访", "/grids\\?.*visits=true&from=", _ => "的走访");
        await Expect(page.GetByTestId("visit-count")).ToContainTextAsync($"共 {v} 次走访");
        await ShotAsync(page, browser, "drilled-visits");
        var st = await OpenAsync("grids", "网格工作人员", "/grids\\?.*staff=true", _ => "网格工作人员");
        await Expect(page.GetByTestId("staff-count")).ToContainTextAsync($"共 {st} 名网格工作人员");
        await ShotAsync(page, browser, "drilled-staff");
        // Appeals received in the period and the festival activities open their lists, narrowed to the same period.
        var r = await OpenAsync("appeals", "期间收到", "/appeals\\?.*from=", _ => "收到");
        await Expect(page.GetByText($"共 {r} 件")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "drilled-appeals-received");
        await OpenAsync("activities", "结合民族节日", "/activities\\?.*festival=true", fc => $"结合民族节日的活动，共{fc}场");
        await ShotAsync(page, browser, "drilled-festival-activities");
        // The households the period's visits reached, and the last twelve months' arrivals and departures.
        var rh = await OpenAsync("grids", "期间走访覆盖户数", "/grids\\?.*visited=true&from=", _ => "有走访记录的住户");
        await Expect(page.GetByTestId("visited-count")).ToContainTextAsync($"走访覆盖 {rh} 户");
        await ShotAsync(page, browser, "drilled-visited-households");
        // The cases received in the period and closed among them: the service list, not its statistics.
        await OpenAsync("services", "期间受理", "/service-cases\\?.*from=", c => $"受理，共{c}件");
        await ShotAsync(page, browser, "drilled-services-received");
        await OpenAsync("services", "期间办结", "/service-cases\\?.*closed=true", cc => $"受理，已办结，共{cc}件");
        await ShotAsync(page, browser, "drilled-services-closed");
        foreach (var (label, flow, text) in new[] { ("流入", "In", "流入（按流入时间计，含此后迁出或死亡的）"), ("流动人口迁出", "Out", "迁出") })
        {
            await OpenAsync("floating", label, $"/residents\\?.*flow={flow}&from=", m => $"{text}，共{m}人");
            await ShotAsync(page, browser, $"drilled-flow-{flow.ToLowerInvariant()}");
        }
        // 显示全部 leaves the period's departures for the whole register (the page reads its filters afresh).
        await page.GetByTestId("drill-filter").GetByText("显示全部").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/residents$"));
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("drill-filter")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("状态筛选")).ToHaveValueAsync("Registered");

        await SignOutAsync(page);
        await page.GotoAsync("/dashboard");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("dash-unit")).ToContainTextAsync("社区");
        await ChartsDrawnAsync(page);
        await ShotAsync(page, browser, "community");

        // A resident count opens the residents behind it.
        var (floating, n) = await FigureAsync(page, "population", "流动");
        await floating.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/residents\\?.*type=Floating"));
        await Expect(page.GetByText($"共 {n} 人")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("drill-filter")).ToContainTextAsync($"流动人员，共{n}人");
        await ShotAsync(page, browser, "drilled-floating-residents");
        NoCspViolation(browser);
    });
}
