using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;
using Shiliu.Core.Questionnaires;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Questionnaires;

/// <summary>The residents' page as a browser uses it: the form, the solved challenge, the cookie of an open link, the refusals.</summary>
public sealed partial class PublicQuestionnairePageTests
{
    static async Task<(HttpResponseMessage Response, string Html)> PostAsync(ShiliuApp app, HttpClient browser, string slug, IEnumerable<(string, string)> fields,
        string? openedEarlier = null)
    {
        var page = openedEarlier ?? await (await browser.GetAsync($"/public/q/{slug}")).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(ChallengeInput().Match(page).Groups[1].Value);
        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", Antiforgery().Match(page).Groups[1].Value), new("_handler", "questionnaire"), new("challenge", token),
            new("challenge-answer", ChallengeService.Solve(token, app.Services.GetRequiredService<ChallengeService>().Difficulty)),
        };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));
        var res = await browser.PostAsync($"/public/q/{slug}", new FormUrlEncodedContent(form));
        return (res, WebUtility.HtmlDecode(await res.Content.ReadAsStringAsync()));
    }

    static IEnumerable<(string, string)> Complete(string overall = "a") =>
    [
        ("age", "c"), ("years", "d"), ("overall", overall), ("items.a", "a"), ("items.b", "a"), ("items.c", "b"), ("items.d", "a"), ("items.e", "a"),
        ("channels", "a"), ("channels", "d"), ("raised", "b"), ("handled", "5"),
    ];

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_open_link_sets_a_random_cookie_takes_one_sheet_from_that_browser_and_names_each_missing_answer(DbProvider kind)
    {
        var log = new LogCapture();
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind), QuestionnaireTests.Clock()) { ExtraServices = log.AddTo };
        var (_, pid, slug) = await QuestionnaireTests.PublishAsync(app, distribution: Distribution.OpenLink);
        var browser = app.BrowserClient();
        var first = await browser.GetAsync($"/public/q/{slug}");
        var html = WebUtility.HtmlDecode(await first.Content.ReadAsStringAsync());
        Assert.True(first.StatusCode == HttpStatusCode.OK, string.Join("\n", log.Lines.Where(l => l.Contains("xception")).Take(3)) + html[..Math.Min(html.Length, 300)]);
        Assert.Contains("社区群众满意度和诉求渠道知晓度调查问卷", html);
        Assert.Contains("data-show-if=\"raised\"", html);
        Assert.Contains("shl_qb=", string.Join(";", first.Headers.GetValues("Set-Cookie")));

        var (missing, missingHtml) = await PostAsync(app, browser, slug, [("age", "c")]);
        Assert.True(missing.StatusCode == HttpStatusCode.BadRequest, Alert(missingHtml));
        Assert.True(missingHtml.Contains("第3题“您对社区民族团结进步创建工作和…”是必答题，请选择一项"), Alert(missingHtml));

        var (ok, okHtml) = await PostAsync(app, browser, slug, Complete());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("提交成功，谢谢您！", okHtml);
        var (again, againHtml) = await PostAsync(app, browser, slug, Complete("b"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("您已经填写过这份问卷", againHtml);

        await using var db = await app.SystemDbAsync();
        Assert.Equal(1, await db.QuestionnaireResponses.CountAsync(r => r.PublicationId == pid));
        // 没有反映过: the rating posted for the hidden question was dropped.
        Assert.False(await db.QuestionnaireAnswers.AnyAsync(a => a.PublicationId == pid && a.Question == "handled"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_unknown_address_says_it_is_not_found_and_a_closed_one_says_so_politely_and_refuses_sheets(DbProvider kind)
    {
        var log = new LogCapture();
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind), QuestionnaireTests.Clock()) { ExtraServices = log.AddTo };
        var browser = app.BrowserClient();
        var missing = await browser.GetAsync("/public/q/nosuchsurvey");
        Assert.True(missing.StatusCode == HttpStatusCode.OK, string.Join("\n", log.Lines.Where(l => l.Contains("xception")).Take(3)));
        Assert.Contains("没有找到这份问卷", WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync()));
        var (_, pid, slug) = await QuestionnaireTests.PublishAsync(app);
        // A resident opens the page before it closes and sends it after.
        var opened = await (await browser.GetAsync($"/public/q/{slug}")).Content.ReadAsStringAsync();
        var version = (await app.AsAsync("county", sp => sp.GetRequiredService<QuestionnaireService>().PublicationAsync(pid))).Version;
        await app.AsAsync("county", sp => sp.GetRequiredService<QuestionnaireService>().SetClosingAsync(pid, QuestionnaireTests.Today.AddDays(-1), version));
        var closed = await browser.GetAsync($"/public/q/{slug}");
        Assert.Equal(HttpStatusCode.Gone, closed.StatusCode);
        Assert.Contains("本次问卷调查已经结束", WebUtility.HtmlDecode(await closed.Content.ReadAsStringAsync()));
        // A sheet posted from a page left open: refused by the server.
        var (refused, html) = await PostAsync(app, browser, slug, Complete(), opened);
        Assert.True(refused.StatusCode == HttpStatusCode.Gone, Alert(html));
        Assert.Contains("问卷已于2026年11月1日截止", html);
    }

    /// <summary>The page's refusal as shown, for a failing assertion to say what the page said.</summary>
    static string Alert(string html) => Regex.Match(html, "class=\"qn-alert\"[^>]*>(.{0,400})", RegexOptions.Singleline).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("name=\"challenge\" value=\"([^\"]+)\"")]
    private static partial Regex ChallengeInput();
}
