using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Shiliu.Core.Common;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// The county issues a call; 城中社区 nominates a model family with its deeds and a photo; the township approves; the
/// county records the vote and opens 公示; a resident objects on a phone; the county answers; the window closes; the
/// county records the decision and downloads the certificate; the public honour roll shows the family.
/// </summary>
public sealed class CommendationJourneyTests(ITestOutputHelper output) : Journey(output, "commendations")
{
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    protected override FakeTimeProvider? AppClock => _clock;

    DateOnly ChinaToday => DateOnly.FromDateTime(ChinaTime.ToChina(_clock.GetUtcNow().UtcDateTime));

    static DateOnly Weekday(DateOnly d)
    {
        while (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) d = d.AddDays(1);
        return d;
    }

    static async Task FillAsync(ILocator field, string value)
    {
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    }

    [Fact]
    public Task A_family_is_nominated_approved_voted_publicised_objected_to_answered_and_commended() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        const string title = "2026年度民族团结进步模范评选（第二批）";
        // The county office issues the call.
        await page.GotoAsync("/commendations");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "发布评选通知" }), page.GetByRole(AriaRole.Heading, new() { Name = "发布评选通知" }));
        await FillAsync(page.Locator("#call-title"), title);
        await FillAsync(page.Locator("#call-body"), "各乡镇（街道）、社区：\n请按名额推荐民族团结进步模范家庭和个人，并上传事迹材料和照片。");
        await FillAsync(page.Locator("#call-deadline"), Weekday(ChinaToday.AddDays(14)).ToString("yyyy-MM-dd"));
        await FillAsync(page.GetByLabel("模范家庭名额"), "2");
        await FillAsync(page.GetByLabel("模范个人名额"), "1");
        await ShotAsync(page, browser, "county-call-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "发布", Exact = true }).ClickAsync();
        await Expect(page.Locator("h2.ind-title", new() { HasText = title })).ToBeVisibleAsync();
        await Expect(page.GetByText("名额：模范家庭 2 个；模范个人 1 个")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "county-call-issued");
        await SignOutAsync(page);

        // 城中社区 nominates a family, with its deeds and a photo, and submits it.
        await page.GotoAsync("/commendations");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(Regex.Escape(title)) }), page.Locator("h2.ind-title", new() { HasText = title }));
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "推荐模范" }), page.GetByRole(AriaRole.Heading, new() { Name = "推荐模范" }));
        await page.Locator("#nom-category").SelectOptionAsync(new SelectOptionValue { Label = "模范家庭" });
        await FillAsync(page.Locator("#nom-name"), "马永福家庭");
        await page.Locator("#nom-ethnicity").SelectOptionAsync(new SelectOptionValue { Label = "回族" });
        await FillAsync(page.Locator("#nom-summary"), "回族、彝族、汉族三代同堂，常年帮扶邻里，义务调解邻里纠纷十余起。");
        await FillAsync(page.Locator("#nom-deeds"), "马永福一家三代九口人，由回族、彝族、汉族组成。\n多年来主动照顾独居老人，资助困难学生三名。\n家中设“邻里议事角”，义务调解邻里纠纷十余起。");
        await ShotAsync(page, browser, "community-nomination-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Expect(page.Locator("h2.ind-title", new() { HasText = "马永福家庭" })).ToBeVisibleAsync();
        var nominationUrl = page.Url;
        await circuit.WaitAsync();
        await page.GetByLabel("上传照片").SetInputFilesAsync(new FilePayload { Name = "全家福.jpg", MimeType = "image/jpeg", Buffer = TestFiles.Jpeg(1200, 800) });
        await Expect(page.GetByTestId("nomination-files")).ToContainTextAsync("全家福.jpg", new() { Timeout = 30_000 });
        await page.GetByLabel("上传事迹材料").SetInputFilesAsync(new FilePayload { Name = "马永福家庭事迹材料.pdf", MimeType = "application/pdf", Buffer = TestFiles.Pdf("deeds") });
        await Expect(page.GetByTestId("nomination-files")).ToContainTextAsync("马永福家庭事迹材料.pdf", new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "申报", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("nomination-status")).ToContainTextAsync("已申报");
        await ShotAsync(page, browser, "community-submitted");
        await SignOutAsync(page);

        // 桂山街道 approves it.
        await page.GotoAsync(nominationUrl);
        await SignInAsync(page, "township", Db.DemoPassword);
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "审核通过" }), page.GetByTestId("nomination-status").GetByText(new Regex("乡镇审核通过")));
        await ShotAsync(page, browser, "township-approved");
        await SignOutAsync(page);

        // The county records the meeting's vote, then opens 公示.
        await page.GotoAsync(nominationUrl);
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await FillAsync(page.Locator("#vote-date"), ChinaToday.ToString("yyyy-MM-dd"));
        await FillAsync(page.Locator("#vote-for"), "7");
        await FillAsync(page.Locator("#vote-against"), "0");
        await FillAsync(page.Locator("#vote-abstain"), "1");
        await page.GetByRole(AriaRole.Button, new() { Name = "审定通过" }).ClickAsync();
        await Expect(page.GetByTestId("vote")).ToContainTextAsync("赞成 7 票，反对 0 票，弃权 1 票");
        await ShotAsync(page, browser, "county-voted");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("返回") }).ClickAsync();
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^发布公示") }), page.GetByTestId("window"));
        var window = await page.GetByTestId("window").InnerTextAsync();
        await ShotAsync(page, browser, "county-publicity-open");
        await SignOutAsync(page);

        // A resident objects on a phone.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/public/commendations");
        await Expect(page.GetByTestId("publicity-window").First).ToContainTextAsync("正在公示");
        await Expect(page.GetByText("马永福家庭").First).ToBeVisibleAsync();
        await ShotAsync(page, browser, "phone-publicity");
        await page.GetByLabel("对哪一个公示对象有异议（必选）").SelectOptionAsync(new SelectOptionValue { Label = "模范家庭 · 马永福家庭" });
        await page.GetByLabel("异议内容（必填，请写明具体事实）").FillAsync("听说该户去年和邻居因宅基地发生过纠纷，请核实。");
        await page.GetByLabel("联系电话（必填，只用于核实，不公开）").FillAsync("13812345678");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交异议" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("异议已收到", new() { Timeout = 30_000 });
        await ShotAsync(page, browser, "phone-objection-received");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the public page is wider than the phone");

        // The county answers it; the contact shows masked only.
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync("/commendations");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(Regex.Escape(title)) }), page.GetByTestId("objection"));
        await Expect(page.GetByTestId("objection")).ToContainTextAsync("138****5678");
        Assert.Equal(0, await page.GetByText("13812345678").CountAsync());
        await FillAsync(page.GetByLabel("答复内容"), "经核查，该纠纷已于去年经社区调解结案，双方和好，不影响评选。");
        await page.GetByRole(AriaRole.Button, new() { Name = "答复：异议不成立" }).ClickAsync();
        await Expect(page.GetByTestId("objection")).ToContainTextAsync("异议不成立");
        await ShotAsync(page, browser, "county-objection-answered");

        // Two weeks on, the window has closed: the county records the decision and downloads the certificate.
        _clock.Advance(TimeSpan.FromDays(14));
        await page.GotoAsync("/commendations");
        if (page.Url.Contains("/account/login"))
        {
            // Two weeks idle ended the session; the sign-in limit (20 a minute per address) has been used up by the five
            // sign-ins above, so wait out its window as a person coming back later would.
            await page.WaitForTimeoutAsync(61_000);
            await page.ReloadAsync();
            await SignInAsync(page, "county", Db.DemoPassword);
        }
        await circuit.WaitAsync();
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(Regex.Escape(title)) }), page.Locator("#decision-no"));
        await FillAsync(page.Locator("#decision-no"), "新民发〔2026〕5号");
        await FillAsync(page.Locator("#decision-date"), ChinaToday.ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "记录表彰决定" }).ClickAsync();
        await Expect(page.GetByText("表彰决定：新民发〔2026〕5号")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "county-decided");
        await page.GotoAsync(nominationUrl);
        await circuit.WaitAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("certificate").ClickAsync());
        var pdf = Path.Combine(ShotDir, "certificate.pdf");
        await download.SaveAsAsync(pdf);
        Assert.StartsWith("荣誉证书-", download.SuggestedFilename);
        using (var p = Process.Start(new ProcessStartInfo("pdftoppm", ["-png", "-r", "60", pdf, Path.Combine(ShotDir, "certificate")]))!) await p.WaitForExitAsync();
        Assert.NotEmpty(Directory.GetFiles(ShotDir, "certificate*.png"));
        await ShotAsync(page, browser, "county-certificate-ready");
        await SignOutAsync(page);

        // The public honour roll keeps the family.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/public/commendations/roll");
        await Expect(page.GetByTestId("roll").First.GetByText("马永福家庭", new() { Exact = true })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "phone-honour-roll");
        Log($"公示 {window}");
    });
}
