using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 完成一块民族文化墙: the community records an activity for criterion 5 and uploads a photo and a pdf to it, submits the
/// item with those files as evidence, the township returns it with a reason, the community fixes and resubmits, the
/// township passes it, and the county sees it approved in the matrix and exports it.
/// </summary>
public sealed class DeliverableJourneyTests(ITestOutputHelper output) : Journey(output, "deliverables")
{
    [Fact]
    public Task Culture_wall_goes_from_community_through_a_return_to_approved_in_the_county_matrix() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        var photo = Path.Combine(ShotDir, "文化墙全景.jpg");
        var pdf = Path.Combine(ShotDir, "文化墙设计方案.pdf");
        await File.WriteAllBytesAsync(photo, Shiliu.Tests.Evidence.TestFiles.Jpeg(1600, 1000));
        await File.WriteAllBytesAsync(pdf, Shiliu.Tests.Evidence.TestFiles.Pdf("Culture wall design"));

        await page.GotoAsync("/activities");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "登记活动" }).ClickAsync();
        await page.GetByLabel("活动类型", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "文体活动" });
        await page.GetByLabel("活动名称").FillAsync("民族文化墙落成暨民族团结文艺汇演");
        await page.GetByLabel("活动日期").FillAsync("2019-06-18");
        await page.GetByLabel("活动地点").FillAsync("城中社区文化广场");
        await page.GetByLabel("参加人数").FillAsync("120");
        // Each new row must be on the page before it is filled; the add is a round trip to the server.
        await page.GetByRole(AriaRole.Button, new() { Name = "添加民族" }).ClickAsync();
        await Expect(page.Locator(".eth-row select")).ToHaveCountAsync(1);
        await page.Locator(".eth-row select").Last.SelectOptionAsync(new SelectOptionValue { Label = "彝族" });
        await page.Locator(".eth-row input").Last.FillAsync("56");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加民族" }).ClickAsync();
        await Expect(page.Locator(".eth-row select")).ToHaveCountAsync(2);
        await page.Locator(".eth-row select").Last.SelectOptionAsync(new SelectOptionValue { Label = "傣族" });
        await page.Locator(".eth-row input").Last.FillAsync("31");
        await page.GetByLabel("活动内容").FillAsync("文化墙展示彝族、傣族、哈尼族等民族团结故事；居民共跳左脚舞。");
        await page.GetByLabel("活动测评标准第5条 群众文化体育活动").CheckAsync();
        await ShotAsync(page, browser, "community-activity-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        var detail = page.Locator(".activity-detail");
        await Expect(detail).ToContainTextAsync("其中少数民族 87 人");
        await page.GetByLabel("选择文件").SetInputFilesAsync([photo, pdf]);
        await Expect(page.GetByLabel("测评标准第5条 群众文化体育活动", new() { Exact = true })).ToBeCheckedAsync();
        await page.GetByLabel("完成一块民族文化墙").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "上传 2 个文件" }).ClickAsync();
        await Expect(page.GetByTestId("upload-results")).ToContainTextAsync("文化墙设计方案.pdf");
        await Expect(page.GetByTestId("upload-results").Locator("li.ok")).ToHaveCountAsync(2);
        await Expect(detail).ToContainTextAsync("活动照片和材料（2）");
        await ShotAsync(page, browser, "community-activity-uploaded");

        await page.GotoAsync("/deliverables");
        await circuit.WaitAsync();
        var wall = page.GetByTestId("item-8");
        await wall.GetByLabel("状态").SelectOptionAsync("Completed");
        await wall.GetByLabel("责任人").FillAsync("李华");
        await wall.Locator("details.file-picker summary").ClickAsync();
        await wall.GetByLabel("关联文化墙全景").CheckAsync();
        await wall.GetByLabel("关联文化墙设计方案").CheckAsync();
        await wall.GetByLabel("佐证").FillAsync("文化墙已完成，见落成活动照片和设计方案");
        await wall.GetByLabel("佐证").PressAsync("Tab");
        await wall.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(wall).ToContainTextAsync("待审核");
        await Expect(page.GetByTestId("linked-8")).ToContainTextAsync("文化墙设计方案");
        await ShotAsync(page, browser, "community-submitted");
        await SignOutAsync(page);

        await SignInAsync(page, "township", Db.DemoPassword);
        await page.GotoAsync("/deliverables");
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByTestId("deliverable-matrix").GetByText("城中社区"), page.GetByTestId("item-8"));
        wall = page.GetByTestId("item-8");
        await Expect(page.GetByTestId("linked-8").Locator("img")).ToHaveCountAsync(1);
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
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByTestId("deliverable-matrix").GetByText("城中社区"), page.GetByTestId("item-8"));
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
    });
}
