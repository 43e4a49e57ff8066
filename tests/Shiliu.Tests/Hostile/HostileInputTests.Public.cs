using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Hostile;

/// <summary>The anonymous surface: the public home with hostile query strings and headers, and the sign-in form's fields.</summary>
public sealed partial class HostileInputTests
{
    static IEnumerable<string> QueryStrings() =>
        Values.Select(v => "?q=" + Uri.EscapeDataString(v.Text.Replace(Tap.LoneSurrogate, "")) + "%ED%A0%80")
            .Concat([
                "?township=../../etc/passwd%00", "?%3Cscript%3E=1", "?a=%ff%fe%00", "?" + string.Join('&', Enumerable.Range(0, 2000).Select(i => $"p{i}={i}")),
                "?q=" + HugeValue.Text[..100_000], "?returnUrl=javascript:alert(1)", "?ReturnUrl=%2F%2Fevil.example%2F",
            ]);

    static IEnumerable<(string Header, string Value)> Headers() =>
    [
        ("User-Agent", "<script>alert(1)</script>"), ("Accept-Language", "<script>alert(1)</script>"), ("Accept-Language", "zh-CN;q=abc, 𠮷;q=2"),
        ("Referer", "javascript:alert(1)"), ("Cookie", "shiliu.auth=<script>; .AspNetCore.Antiforgery.x=%00%00"), ("Cookie", "shiliu.auth=" + HugeValue.Text[..6000]),
        ("X-Forwarded-For", "<script>alert(1)</script>, ../../"), ("X-Forwarded-Proto", "javascript"), ("X-Forwarded-Host", "evil.example"),
        ("Accept", "text/html;q=𠮷"), ("If-Modified-Since", "昨天"), ("Range", "bytes=-1-2-3"), ("Authorization", "Bearer <script>"), ("Authorization", "Bearer shl_" + new string('A', 5000)),
    ];

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_public_home_takes_hostile_query_strings_and_headers_without_failing_or_echoing_them(DbProvider kind)
    {
        var engine = await apps.EngineAsync(kind);
        var failures = new List<string>();
        var sent = 0;
        foreach (var path in new[] { "/", "/public", "/public/news", "/public/news/atom" })
        {
            foreach (var query in QueryStrings())
                await CheckAsync(path + query, null);
            foreach (var header in Headers())
                await CheckAsync(path, header);
        }
        output.WriteLine($"{kind}: {sent} public requests");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        async Task CheckAsync(string target, (string Header, string Value)? header)
        {
            sent++;
            // No cookie jar: the hostile Cookie headers go out as written.
            using var client = engine.App.ApiClient(null);
            using var req = new HttpRequestMessage(HttpMethod.Get, target);
            if (header is { } h) req.Headers.TryAddWithoutValidation(h.Header, h.Value);
            using var res = await client.SendAsync(req);
            var what = header is { } x ? $"{target} with {x.Header}: {Shorten(x.Value)}" : Shorten(target);
            var html = await res.Content.ReadAsStringAsync();
            if ((int)res.StatusCode >= 500) failures.Add($"{what}: {(int)res.StatusCode}");
            else if (res.StatusCode != HttpStatusCode.OK && res.StatusCode != HttpStatusCode.Redirect) failures.Add($"{what}: {(int)res.StatusCode}");
            if (LiveMarkup().IsMatch(html) || html.Contains("javascript:alert", StringComparison.Ordinal) || html.Contains("evil.example", StringComparison.Ordinal))
                failures.Add($"{what}: echoed into the page");
        }
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_sign_in_form_refuses_hostile_names_and_passwords_alike_and_logs_them_on_one_line(DbProvider kind)
    {
        // An app of its own: the sign-in limit (20 a minute) is shared by every client of an app.
        await using var app = await ShiliuApp.StartAsync(kind);
        var browser = app.BrowserClient();
        var page = await (await browser.GetAsync("/account/login")).Content.ReadAsStringAsync();
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var failures = new List<string>();
        async Task PostAsync(string userName, string password, string what)
        {
            using var res = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.UserName"] = userName.Replace(Tap.LoneSurrogate, "\uFFFD"), ["Input.Password"] = password.Replace(Tap.LoneSurrogate, "\uFFFD"),
                ["__RequestVerificationToken"] = token, ["_handler"] = "login",
            }));
            var html = await res.Content.ReadAsStringAsync();
            // A form carrying a NUL is refused by the framework's form reader before the page runs (no browser can type one).
            if (res.StatusCode == HttpStatusCode.BadRequest && (userName + password).Contains('\0')) return;
            if (res.StatusCode != HttpStatusCode.OK) failures.Add($"{what}: {(int)res.StatusCode} {Shorten(html)} (a refused sign-in shows the form again)");
            else if (!html.Contains(Core.Accounts.AccountService.FailureMessage, StringComparison.Ordinal)) failures.Add($"{what}: not the one failure message");
            if (LiveMarkup().IsMatch(html)) failures.Add($"{what}: echoed into the page");
        }
        foreach (var value in Values.Append(HugeValue)) await PostAsync(value.Text, "Wrong#Password1", $"user name = {value.Name}");
        foreach (var value in new[] { Values[0], Values[5], HugeValue }) await PostAsync("community", value.Text, $"password = {value.Name}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // SECURITY.md #19: the failed attempts are in the audit log, each name on one line, without its control or bidi characters.
        await using var db = await app.SystemDbAsync();
        var names = await db.AuditEntries.Where(a => a.Event == AuditEvents.SignInFailed).Select(a => a.UserName + " " + (a.Summary ?? "")).ToListAsync();
        Assert.True(names.Count >= Values.Count(v => !v.Text.Contains('\0')), $"{names.Count} failed sign-ins audited");
        Assert.All(names, n => Assert.False(n.Any(c => char.IsControl(c) || Validation.IsBidiControl(c)), $"audit row “{Show(n)}”"));
        // The password gate counts the three wrong passwords of a real account like any other.
        Assert.Equal(3, await db.Users.Where(u => u.UserName == "community").Select(u => u.AccessFailedCount).SingleAsync());
    }
}
