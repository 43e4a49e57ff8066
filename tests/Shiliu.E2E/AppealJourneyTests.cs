using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// A resident files an appeal on a phone and keeps the code and PIN; the community accepts and answers it; the resident
/// reads the answer with both, says 未解决, and the appeal is handled again.
/// </summary>
public sealed class AppealJourneyTests(ITestOutputHelper output) : Journey(output, "appeals")
{
    [Fact]
    public Task A_resident_files_on_a_phone_the_community_answers_and_the_resident_reopens_it() => RunAsync(390, 844, async (page, browser, circuit) =>
    {
        await page.GotoAsync("/public/appeal");
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("我要反映诉求") })).ToBeVisibleAsync();
        await page.GetByLabel("诉求类别（必选）").SelectOptionAsync(new SelectOptionValue { Label = "环境卫生" });
        await page.GetByLabel("诉求内容（必填，2000字以内）").FillAsync("幸福小区3栋门口的垃圾已经堆了三天，没有人清运，天热有异味。希望尽快清理。");
        var chengzhong = await page.Locator("#place optgroup[label^='桂山街道'] option", new() { HasText = "城中社区" }).GetAttributeAsync("value");
        await page.GetByLabel("所在乡镇（街道）和社区（必选）").SelectOptionAsync(chengzhong!);
        await page.GetByLabel("详细地址（选填）").FillAsync("幸福路12号3栋");
        await page.GetByLabel("您的姓名（选填）").FillAsync("马阿依");
        await page.GetByLabel("联系电话（选填，答复后短信提醒您）").FillAsync("13800138000");
        await page.GetByLabel("照片（选填，最多3张，jpg、png、gif、webp）").SetInputFilesAsync(new FilePayload
            { Name = "垃圾堆放.jpg", MimeType = "image/jpeg", Buffer = TestFiles.Jpeg(800, 600) });
        await ShotAsync(page, browser, "phone-form-filled");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交诉求" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "诉求已提交" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var code = (await page.GetByTestId("appeal-code").InnerTextAsync()).Trim();
        var pin = (await page.GetByTestId("appeal-pin").InnerTextAsync()).Trim();
        Assert.Matches("^SQ[0-9A-Z]{10}$", code);
        Assert.Matches("^[0-9]{6}$", pin);
        await ShotAsync(page, browser, "phone-code-and-pin");

        // The community, on an office PC: accepts it, starts from the topic's template, answers.
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync("/appeals");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByText($"{code} · 环境卫生"), page.Locator("h2.ind-title", new() { HasText = code }));
        await Expect(page.GetByText("诉求人：马*依 · 电话：138****8000")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "受理", Exact = true }).ClickAsync();
        await Expect(page.GetByText(new Regex("^办理中 · 承办：城中社区"))).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "使用模板" }).ClickAsync();
        var answer = page.GetByLabel("答复内容");
        await Expect(answer).ToHaveValueAsync(new Regex("\\{地点\\}"));
        await answer.FillAsync("您反映的幸福小区3栋门口垃圾问题，社区已于当天联系环卫站清运完毕，并安排网格员每周巡查两次。感谢您的监督。");
        await answer.PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "答复", Exact = true }).ClickAsync();
        await Expect(page.GetByText(new Regex("^已答复 · 承办：城中社区"))).ToBeVisibleAsync();
        await ShotAsync(page, browser, "community-answered");
        // A grid worker's phone: the same page in one column.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/appeals?status=Answered");
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByText($"{code} · 环境卫生"), page.Locator("h2.ind-title", new() { HasText = code }));
        await ShotAsync(page, browser, "community-phone");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the staff page is wider than the phone");
        await page.SetViewportSizeAsync(1366, 768);
        await SignOutAsync(page);

        // The resident, on the phone again: code + PIN, reads the answer, says it is not solved.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/public/appeal/lookup");
        await page.GetByLabel("查询码").FillAsync(code.ToLowerInvariant());
        await page.GetByLabel("查询密码").FillAsync(pin);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page.GetByTestId("appeal-answer")).ToContainTextAsync("环卫站清运完毕");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "已答复" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByText("community").CountAsync());
        await ShotAsync(page, browser, "phone-answer-read");
        await page.GetByLabel("未解决", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("补充说明（选“未解决”时必填）").FillAsync("今天垃圾又堆起来了，请安排每天清运。");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "重办中" })).ToBeVisibleAsync();
        await Expect(page.GetByText("您反馈问题未解决，已重新办理")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "phone-reopened");

        // A wrong PIN gets the one answer a wrong code gets.
        await page.GotoAsync("/public/appeal/lookup");
        await page.GetByLabel("查询码").FillAsync(code);
        await page.GetByLabel("查询密码").FillAsync(pin == "000000" ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("查询码或查询密码不正确");
        await ShotAsync(page, browser, "phone-wrong-pin");
    });
}
