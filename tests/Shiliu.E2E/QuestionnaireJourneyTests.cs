using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Questionnaires;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// The county builds a satisfaction questionnaire from the template, previews it at phone width, publishes it for
/// 城中社区 with printed codes and downloads the QR poster; a resident answers on a phone with a code and cannot answer
/// twice with it; the county reads the results.
/// </summary>
public sealed class QuestionnaireJourneyTests(ITestOutputHelper output) : Journey(output, "questionnaires")
{
    [Fact]
    public Task The_county_publishes_a_survey_with_codes_a_resident_answers_once_and_the_county_reads_the_results() => RunAsync(1366, 900, async (page, browser, circuit, live) =>
    {
        await page.GotoAsync("/questionnaires");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "用满意度模板新建" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "编辑和发布问卷" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("问卷标题")).ToHaveValueAsync("社区群众满意度和诉求渠道知晓度调查问卷");
        var qid = Regex.Match(page.Url, "/questionnaires/([0-9a-f-]{36})").Groups[1].Value;
        await circuit.WaitAsync();
        await ShotAsync(page, browser, "builder-from-template");
        // The preview, as a phone shows it.
        var phone = page.Locator(".qn-phone");
        await Expect(phone.GetByText("您对社区民族团结进步创建工作和服务的总体评价（必答）")).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = Path.Combine(ShotDir, "preview-phone.png") });

        // Publish for 城中社区 with single-use codes, print 50 codes, take the QR poster.
        await page.GetByLabel("发布给哪个社区或乡镇（街道）").SelectOptionAsync(new SelectOptionValue { Label = "城中社区" });
        await page.GetByRole(AriaRole.Button, new() { Name = "发布", Exact = true }).ClickAsync();
        var row = page.Locator("tr", new() { HasText = "城中社区" }).Filter(new() { HasText = "已收" }).Or(page.Locator("tbody tr", new() { HasText = "城中社区" }));
        await Expect(page.Locator("tbody tr", new() { HasText = "城中社区" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "印制" }).ClickAsync();
        await Expect(page.GetByText("已印 50，已用 0")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "published-with-codes");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("qr-png").ClickAsync());
        var qr = Path.Combine(ShotDir, "qr-poster.png");
        await download.SaveAsAsync(qr);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], (await File.ReadAllBytesAsync(qr))[..4]);
        var publicPath = await page.GetByRole(AriaRole.Link, new() { Name = "打开问卷" }).GetAttributeAsync("href");
        var publication = await page.GetByRole(AriaRole.Link, new() { Name = "打印答题码" }).GetAttributeAsync("href");

        await page.GotoAsync(publication!);
        await circuit.WaitAsync();
        await Expect(page.Locator(".qn-card")).ToHaveCountAsync(50);
        await ShotAsync(page, browser, "code-sheet");
        var code = (await page.Locator(".qn-card-code").First.InnerTextAsync()).Trim();
        var pid = Guid.Parse(Regex.Match(publication!, "publications/([0-9a-f-]{36})").Groups[1].Value);
        var otherCodes = (await live.App.AsAsync("county", sp => sp.GetRequiredService<QuestionnaireService>().CodesAsync(pid))).Codes
            .Select(c => c.Code).Where(c => QuestionnaireService.FormatCode(c) != code).Take(5).ToList();
        await SignOutAsync(page);

        // A resident on a phone: sends it half done first, then completes it.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(publicPath!);
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("满意度") })).ToBeVisibleAsync();
        await page.GetByLabel(new Regex("^答题码")).FillAsync(code);
        await page.Locator("#q-age").GetByLabel("40—49岁").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交问卷" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("处需要填写或修改", new() { Timeout = 30_000 });
        await Expect(page.Locator("#q-overall .field-error")).ToContainTextAsync("第3题“您对社区民族团结进步创建工作和…”是必答题");
        await ShotAsync(page, browser, "phone-missing-answers");
        // The conditional question appears only after 反映过.
        await Expect(page.Locator("#q-handled")).ToBeHiddenAsync();
        await page.Locator("#q-years").GetByLabel("5年以上").CheckAsync();
        await page.Locator("#q-overall").GetByLabel("基本满意", new() { Exact = true }).CheckAsync();
        var rows = page.Locator("#q-items fieldset.qn-row");
        for (var i = 0; i < 5; i++) await rows.Nth(i).GetByLabel("满意", new() { Exact = true }).CheckAsync();
        await page.Locator("#q-channels").GetByLabel("网格员走访").CheckAsync();
        await page.Locator("#q-raised").GetByLabel("反映过", new() { Exact = true }).CheckAsync();
        await Expect(page.Locator("#q-handled")).ToBeVisibleAsync();
        await page.Locator("#q-handled").GetByLabel("4分 满意").CheckAsync();
        await page.GetByLabel(new Regex("^4\\. 您对社区工作还有什么意见和建议|意见和建议")).FillAsync("希望多组织各民族邻里一起参加的文体活动。");
        await ShotAsync(page, browser, "phone-answered");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the questionnaire is wider than the phone");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交问卷" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "提交成功，谢谢您！" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await ShotAsync(page, browser, "phone-thanks");

        // The same code again: refused, nothing stored.
        await page.GotoAsync(publicPath!);
        await page.GetByLabel(new Regex("^答题码")).FillAsync(code);
        await page.Locator("#q-age").GetByLabel("20—29岁").CheckAsync();
        await page.Locator("#q-years").GetByLabel("不满1年").CheckAsync();
        await page.Locator("#q-overall").GetByLabel("满意", new() { Exact = true }).CheckAsync();
        for (var i = 0; i < 5; i++) await rows.Nth(i).GetByLabel("满意", new() { Exact = true }).CheckAsync();
        await page.Locator("#q-channels").GetByLabel("服务热线").CheckAsync();
        await page.Locator("#q-raised").GetByLabel("没有反映过").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交问卷" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("答题码不正确或已经用过", new() { Timeout = 30_000 });
        await ShotAsync(page, browser, "phone-code-used");

        // Five more households answer (through the same service the page uses), then the county reads the results.
        var residents = live.App.Services.GetRequiredService<PublicQuestionnaireService>();
        var slug = publicPath!.Split('/')[^1];
        string[] overall = ["a", "a", "b", "c", "a"];
        for (var i = 0; i < otherCodes.Count; i++)
        {
            var sheet = new Dictionary<string, IReadOnlyList<string>>
            {
                ["age"] = ["d"], ["years"] = ["c"], ["overall"] = [overall[i]], ["channels"] = ["a", "b"], ["raised"] = ["b"],
            };
            foreach (var r in new[] { "a", "b", "c", "d", "e" }) sheet[$"items.{r}"] = [overall[i]];
            await residents.SubmitAsync(slug, sheet, otherCodes[i], null, _ => Task.CompletedTask);
        }
        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync($"/questionnaires/{qid}/results");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("responses")).ToHaveTextAsync("6");
        await Expect(page.Locator("svg.qn-bars").First).ToBeVisibleAsync();
        await Expect(page.GetByText("满意率（满意+基本满意）：83.3%")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "county-results");
    });
}
