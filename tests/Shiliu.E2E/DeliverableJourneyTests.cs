using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 完成一块民族文化墙: the community submits it with evidence, the township returns it with a reason, the community
/// fixes and resubmits, the township passes it, and the county sees it approved in the matrix and exports it.
/// </summary>
public sealed class DeliverableJourneyTests(ITestOutputHelper output) : Journey(output, "deliverables")
{
    [Fact]
    public async Task Culture_wall_goes_from_community_through_a_return_to_approved_in_the_county_matrix()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        await using var live = await LiveApp.StartAsync();
        var page = await browser.NewPageAsync(live.BaseAddress, 1366, 768);
        var circuit = new CircuitWatch(page);
        var finished = false;
        try
        {
            await page.GotoAsync("/deliverables");
            await SignInAsync(page, "community", Db.DemoPassword);
            await circuit.WaitAsync();
            var wall = page.GetByTestId("item-8");
            await wall.GetByLabel("状态").SelectOptionAsync("Completed");
            await wall.GetByLabel("责任人").FillAsync("李华");
            await wall.GetByLabel("佐证").FillAsync("文化墙照片 12 张，见痕迹台账 2019-图片-05");
            await wall.GetByLabel("佐证").PressAsync("Tab");
            await wall.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
            await Expect(wall).ToContainTextAsync("待审核");
            await ShotAsync(page, browser, "community-submitted");
            await SignOutAsync(page);

            await SignInAsync(page, "township", Db.DemoPassword);
            await page.GotoAsync("/deliverables");
            await circuit.WaitAsync();
            await page.GetByTestId("deliverable-matrix").GetByText("城中社区").ClickAsync();
            wall = page.GetByTestId("item-8");
            await wall.GetByLabel("退回原因").FillAsync("照片不清晰，请补拍文化墙全景");
            await wall.GetByLabel("退回原因").PressAsync("Tab");
            await wall.GetByRole(AriaRole.Button, new() { Name = "退回" }).ClickAsync();
            await Expect(wall).ToContainTextAsync("已退回");
            await ShotAsync(page, browser, "township-returned");
            await SignOutAsync(page);

            await SignInAsync(page, "community", Db.DemoPassword);
            await page.GotoAsync("/deliverables");
            await circuit.WaitAsync();
            wall = page.GetByTestId("item-8");
            await Expect(wall).ToContainTextAsync("照片不清晰，请补拍文化墙全景");
            await wall.GetByLabel("状态").SelectOptionAsync("Completed");
            await wall.GetByLabel("佐证").FillAsync("已补拍全景照片 3 张，见痕迹台账 2019-图片-06");
            await wall.GetByLabel("佐证").PressAsync("Tab");
            await wall.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
            await Expect(wall).ToContainTextAsync("待审核");
            await SignOutAsync(page);

            await SignInAsync(page, "township", Db.DemoPassword);
            await page.GotoAsync("/deliverables");
            await circuit.WaitAsync();
            await page.GetByTestId("deliverable-matrix").GetByText("城中社区").ClickAsync();
            await page.GetByTestId("item-8").GetByRole(AriaRole.Button, new() { Name = "通过" }).ClickAsync();
            await Expect(page.GetByTestId("item-8")).ToContainTextAsync("审核通过");
            await SignOutAsync(page);

            await SignInAsync(page, "county", Db.DemoPassword);
            await page.GotoAsync("/deliverables");
            await circuit.WaitAsync();
            var row = page.GetByTestId("deliverable-matrix").Locator("tbody tr").Filter(new() { HasText = "城中社区" });
            await Expect(row.Locator("td").Nth(9)).ToHaveTextAsync("已审核");
            await Expect(page.GetByTestId("deliverable-matrix").Locator("tfoot td").Nth(8)).ToHaveTextAsync("1 / 0");
            await ShotAsync(page, browser, "county-matrix");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByText("导出 Excel").ClickAsync());
            Assert.Equal("十个一完成情况.xlsx", download.SuggestedFilename);
            var file = Path.Combine(ShotDir, "十个一完成情况.xlsx");
            await download.SaveAsAsync(file);
            Assert.True(new FileInfo(file).Length > 1000);
            finished = true;
        }
        finally
        {
            if (!finished) await TryShotAsync(page, "failure");
            await page.Context.CloseAsync();
        }
    }
}
