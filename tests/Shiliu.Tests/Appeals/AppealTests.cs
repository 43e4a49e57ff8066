using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Appeals;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Appeals;

public sealed partial class AppealTests
{
    const string Chengzhong = "530427001001";
    const string YangwuFirst = "530427101001";

    static AppealService S(IServiceProvider sp) => sp.GetRequiredService<AppealService>();
    static PublicAppealService P(ShiliuApp app) => app.Services.GetRequiredService<PublicAppealService>();

    /// <summary>The public form as a browser sends it: the page's antiforgery token, the solved challenge, multipart with photos.</summary>
    internal static async Task<(HttpResponseMessage Response, string Html)> FileThroughPageAsync(ShiliuApp app, HttpClient browser, Dictionary<string, string> fields,
        IEnumerable<(string Name, byte[] Bytes, string Type)>? photos = null, bool solve = true)
    {
        var page = await (await browser.GetAsync("/public/appeal")).Content.ReadAsStringAsync();
        var form = new MultipartFormDataContent
        {
            { new StringContent(Antiforgery().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent("appeal"), "_handler" },
        };
        var token = WebUtility.HtmlDecode(ChallengeInput().Match(page).Groups[1].Value);
        form.Add(new StringContent(token), "challenge");
        var challenges = app.Services.GetRequiredService<ChallengeService>();
        form.Add(new StringContent(solve ? ChallengeService.Solve(token, challenges.Difficulty) : ""), "challenge-answer");
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        foreach (var (name, bytes, type) in photos ?? [])
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            form.Add(file, "photos", name);
        }
        var response = await browser.PostAsync("/public/appeal", form);
        return (response, await response.Content.ReadAsStringAsync());
    }

    internal static async Task<Dictionary<string, string>> FieldsAsync(ShiliuApp app, string text = "小区门口垃圾堆放三天没人清理", string? phone = "13800138000") =>
        new()
        {
            ["topic"] = "environment", ["text"] = text, ["place"] = (await app.UnitAsync(Chengzhong)).Id.ToString(), ["address"] = "幸福路12号",
            ["name"] = "马阿依", ["phone"] = phone ?? "",
        };

    static (string Code, string Pin) Receipt(string html) =>
        (CodeShown().Match(html).Groups[1].Value, PinShown().Match(html).Groups[1].Value);

    async Task<(Guid Id, string Code, string Pin)> FileAsync(ShiliuApp app, string? phone = "13800138000", string text = "小区门口垃圾堆放三天没人清理")
    {
        var receipt = await P(app).FileAsync(new FileAppeal
        {
            Topic = "environment", Text = text, PlaceUnitId = (await app.UnitAsync(Chengzhong)).Id, Address = "幸福路12号", Name = "马阿依", Phone = phone,
        }, [], _ => Task.CompletedTask);
        return (receipt.Id, receipt.Code, receipt.Pin);
    }

    static async Task<int> VersionAsync(ShiliuApp app, Guid id) => (await app.AsAsync(null, sp => S(sp).GetAsync(id))).Version;

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Filing_on_the_public_page_routes_to_the_community_and_shows_a_code_and_a_pin_kept_only_as_a_slow_hash(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var browser = app.BrowserClient();
        var (res, html) = await FileThroughPageAsync(app, browser, await FieldsAsync(app), [("现场.jpg", TestFiles.Jpeg(300, 200), "image/jpeg")]);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Contains("no-store", res.Headers.CacheControl?.ToString());
        var (code, pin) = Receipt(html);
        Assert.Matches("^SQ[2-9A-HJKMNP-Z]{10}$", code);
        Assert.Matches("^[0-9]{6}$", pin);
        Assert.Contains("只在这里显示这一次", html);
        Assert.Contains("城中社区", html);

        await using var db = await app.SystemDbAsync();
        var a = await db.Appeals.SingleAsync(x => x.Code == code);
        var chengzhong = await app.UnitAsync(Chengzhong);
        Assert.Equal((chengzhong.Id, chengzhong.Path, AppealStatus.Pending, AppealChannel.Public), (a.OrgUnitId, a.OrgPath, a.Status, a.Channel));
        Assert.StartsWith("pbkdf2$", a.PinHash);
        Assert.DoesNotContain(pin, a.PinHash);
        Assert.Equal(("马*依", "138****8000"), (a.NameMasked, a.PhoneMasked));
        Assert.DoesNotContain("13800138000", a.PhoneCipher);
        Assert.Single(await db.AppealPhotos.Where(p => p.AppealId == a.Id).ToListAsync());
        // The audit trail names the appeal, never the person, the phone or the PIN.
        var audit = string.Join("\n", await db.AuditEntries.Where(e => e.EntityId == a.Id.ToString()).Select(e => e.Summary + e.Before + e.After).ToListAsync());
        Assert.DoesNotContain("13800138000", audit);
        Assert.DoesNotContain("马阿依", audit);
        Assert.DoesNotContain(pin, audit.Replace(code, ""));

        // The community that owns it sees it waiting; the code + PIN open it for the resident.
        var todo = await app.AsAsync("community", async sp =>
        {
            await using var d = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            return (await sp.GetServices<ITodoSource>().OfType<AppealTodos>().Single().ForCallerAsync(d, default)).Single(t => t.Title == "新诉求待受理").Count;
        });
        Assert.Equal(1, todo);
        var view = await P(app).LookupAsync(code.ToLowerInvariant().Insert(4, "-"), pin, "198.51.100.10");
        Assert.Equal(("待受理", "城中社区"), (view.StatusText, view.UnitName));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_wrong_code_and_a_wrong_pin_get_the_same_answer_and_the_same_work_and_a_code_locks_after_five_wrong_pins(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (_, code, pin) = await FileAsync(app);
        var wrongPin = pin == "000000" ? "111111" : "000000";
        async Task<(RuleViolation Error, TimeSpan Took)> Try(string c, string p, string address)
        {
            var watch = Stopwatch.StartNew();
            var e = await Assert.ThrowsAnyAsync<RuleViolation>(() => P(app).LookupAsync(c, p, address));
            return (e, watch.Elapsed);
        }

        var unknown = await Try("SQ" + new string('Z', 10), pin, "198.51.100.20");
        var wrong = await Try(code, wrongPin, "198.51.100.21");
        Assert.Equal((unknown.Error.Code, unknown.Error.Message, unknown.Error.GetType()), (wrong.Error.Code, wrong.Error.Message, wrong.Error.GetType()));
        Assert.Equal(AppealErrors.Lookup.Code, wrong.Error.Code);
        // Both run the slow hash: a missing code is not answered noticeably faster (loose bound for a shared machine).
        var unknownTimes = new List<double>();
        var wrongTimes = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            unknownTimes.Add((await Try($"SQ{i}ABCDEFGHJ", pin, $"198.51.100.3{i}")).Took.TotalMilliseconds);
            wrongTimes.Add((await Try(code, wrongPin, $"198.51.100.4{i}")).Took.TotalMilliseconds);
        }
        Assert.True(unknownTimes.Order().ElementAt(1) > wrongTimes.Order().ElementAt(1) / 4,
            $"unknown code {string.Join(",", unknownTimes)} ms vs wrong PIN {string.Join(",", wrongTimes)} ms");

        // Five wrong PINs for the real code lock it: 4 above, one more. Then even the right PIN waits, with a time.
        var locked = await Assert.ThrowsAsync<TryLater>(async () =>
        {
            await Try(code, wrongPin, "198.51.100.50");
            await P(app).LookupAsync(code, pin, "198.51.100.51");
        });
        Assert.Contains("锁定", locked.Message);
        Assert.True(locked.After > TimeSpan.FromMinutes(25));
        // A code that does not exist locks the same way, so the lock says nothing about whether it is real.
        for (var i = 0; i < 5; i++) await Try("SQ" + new string('Y', 10), pin, $"198.51.100.6{i}");
        var lockedUnknown = await Assert.ThrowsAsync<TryLater>(() => P(app).LookupAsync("SQ" + new string('Y', 10), pin, "198.51.100.70"));
        Assert.Equal(Regex.Replace(locked.Message, "[0-9]+", "N"), Regex.Replace(lockedUnknown.Message, "[0-9]+", "N"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Lookups_from_one_address_are_limited(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string> { ["Appeals:LookupsPerAddress"] = "3" });
        var (_, code, pin) = await FileAsync(app);
        for (var i = 0; i < 3; i++) await P(app).LookupAsync(code, pin, "203.0.113.5");
        var later = await Assert.ThrowsAsync<TryLater>(() => P(app).LookupAsync(code, pin, "203.0.113.5"));
        Assert.StartsWith("查询过于频繁", later.Message);
        Assert.Equal("待受理", (await P(app).LookupAsync(code, pin, "203.0.113.6")).StatusText);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_appeal_flood_from_one_address_gets_429_with_retry_after_and_keeps_what_was_typed(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var browser = app.BrowserClient();
        for (var i = 0; i < 5; i++)
        {
            var (ok, okHtml) = await FileThroughPageAsync(app, browser, await FieldsAsync(app, $"第{i + 1}件：路灯不亮"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.NotEmpty(Receipt(okHtml).Code);
        }
        var (res, html) = await FileThroughPageAsync(app, browser, await FieldsAsync(app, "第6件：井盖丢失很危险"));
        Assert.Equal(HttpStatusCode.TooManyRequests, res.StatusCode);
        Assert.True(res.Headers.RetryAfter?.Delta > TimeSpan.Zero, res.Headers.RetryAfter?.ToString());
        Assert.Contains("提交过于频繁", html);
        // Nothing the resident typed is lost: the form comes back filled in.
        Assert.Contains("第6件：井盖丢失很危险", html);
        Assert.Contains("value=\"幸福路12号\"", html);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(5, await db.Appeals.CountAsync());
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Hostile_text_and_file_names_are_refused_or_neutralised_in_every_field_and_only_real_photos_are_kept(DbProvider kind)
    {
        // Many posts from the one test address: the flood limit is proved on its own.
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string> { ["PublicForms:PerHour"] = "100" });
        var browser = app.BrowserClient();
        // Markup is kept as text and shown escaped; a control or bidi character is refused naming its field.
        var fields = await FieldsAsync(app, "<script>alert(1)</script>' OR 1=1 --");
        fields["address"] = "<img src=x onerror=alert(2)>";
        fields["name"] = "=HYPERLINK(\"http://x\")";
        var (res, html) = await FileThroughPageAsync(app, browser, fields, [("../../../etc/passwd<script>.jpg", TestFiles.Jpeg(40, 30), "image/jpeg")]);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.DoesNotContain("<script>alert(1)", html);
        var (code, _) = Receipt(html);
        await using (var db = await app.SystemDbAsync())
        {
            var a = await db.Appeals.SingleAsync(x => x.Code == code);
            Assert.Equal("<script>alert(1)</script>' OR 1=1 --", a.Text);
            var photo = await db.AppealPhotos.SingleAsync(p => p.AppealId == a.Id);
            Assert.DoesNotContain("/", photo.FileName);
            Assert.DoesNotContain("<", photo.FileName);
            Assert.StartsWith("appeals/", photo.StorageKey);
        }
        foreach (var (field, value, expected) in new[]
                 {
                     ("text", "正常\u202Etxt.exe", "控制字符"), ("address", "幸福路\u0007", "控制字符"), ("name", "马\u200F\u202A阿依", "控制字符"),
                     ("phone", "1380013800<script>", "电话"), ("topic", "<b>x</b>", "类别"), ("place", "'; DROP TABLE Appeals;--", "社区"),
                     ("text", new string('长', 2001), "2000"),
                 })
        {
            var bad = await FieldsAsync(app);
            bad[field] = value;
            var (r, h) = await FileThroughPageAsync(app, app.BrowserClient(), bad);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains(expected, h);
        }
        // Photos: decided by content — a PHP script named .jpg, an SVG, a PDF and an executable are refused; four photos are too many.
        foreach (var (name, bytes, type) in new[]
                 {
                     ("shell.php.jpg", "<?php system($_GET['c']); ?>"u8.ToArray(), "image/jpeg"),
                     ("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "image/svg+xml"),
                     ("说明.jpg", TestFiles.Pdf(), "image/jpeg"),
                     ("setup.png", TestFiles.Exe(), "image/png"),
                 })
        {
            var (r, h) = await FileThroughPageAsync(app, app.BrowserClient(), await FieldsAsync(app), [(name, bytes, type)]);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Matches("不是照片|无法识别|不支持|可执行|不允许|图片", h);
        }
        var four = Enumerable.Range(0, 4).Select(i => ($"{i}.png", TestFiles.Png(10 + i, 10), "image/png"));
        var (r4, h4) = await FileThroughPageAsync(app, app.BrowserClient(), await FieldsAsync(app), four);
        Assert.Equal(HttpStatusCode.BadRequest, r4.StatusCode);
        Assert.Contains("最多上传3张照片", h4);
        await using var check = await app.SystemDbAsync();
        Assert.Equal(1, await check.Appeals.CountAsync());
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Staff_accept_and_answer_the_resident_reopens_once_and_illegal_steps_are_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (id, code, pin) = await FileAsync(app);

        // Out of scope: another township's community cannot see it; the township above can, but not act for the community.
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => S(sp).GetAsync(id)));
        var above = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(async () => await S(sp).StepAsync(id, "accept", null, await VersionAsync(app, id))));
        Assert.Equal(WorkflowErrors.Denied.Code, above.Code);
        // Answering before accepting, and the resident's own steps taken by staff, are refused.
        var early = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(async () => await S(sp).AnswerAsync(id, "已处理", await VersionAsync(app, id))));
        Assert.Contains("当前为“待受理”，不能答复", early.Message);
        var close = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(async () => await S(sp).StepAsync(id, "close", null, await VersionAsync(app, id))));
        Assert.Equal("action", close.Fields.Keys.Single());

        await app.AsAsync("community", async sp => await S(sp).StepAsync(id, "accept", null, await VersionAsync(app, id)));
        var detail = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal((AppealStatus.Handling, "5个工作日", "未到期"), (detail.Status, detail.TimeLimit, detail.DeadlineState));
        Assert.Contains("answer", detail.Actions);
        Assert.DoesNotContain("close", detail.Actions);
        Assert.NotEmpty(detail.Templates);
        // A template answer still holding its placeholders is refused; the edited one goes out with an SMS naming the code, not the PIN.
        var template = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(async () =>
            await S(sp).AnswerAsync(id, detail.Templates[0], detail.Version)));
        Assert.Equal("answer", template.Fields.Keys.Single());
        await app.AsAsync("community", async sp => await S(sp).AnswerAsync(id, "社区已于11月28日组织清理，并安排网格员每周巡查。", detail.Version));
        // The lists behind the dashboard's 期间收到 and 期间已答复: received in the period, answered among them.
        var received = (await app.AsAsync("community", sp => S(sp).ListAsync(new AppealQuery()))).Items.Single().CreatedUtc;
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(received));
        async Task<int> Listed(AppealQuery q) => (await app.AsAsync("community", sp => S(sp).ListAsync(q))).Total;
        Assert.Equal(1, await Listed(new AppealQuery { From = today, To = today, Answered = true }));
        Assert.Equal(0, await Listed(new AppealQuery { From = today.AddDays(1) }));
        Assert.Equal(0, await Listed(new AppealQuery { To = today.AddDays(-1) }));
        var backwards = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => S(sp).ListAsync(new AppealQuery { From = today, To = today.AddDays(-1) })));
        Assert.Equal("结束日期不能早于开始日期", backwards.Fields!["to"].Single());
        await using (var db = await app.SystemDbAsync())
        {
            var sms = await db.OutboxMessages.SingleAsync();
            Assert.Contains(code, sms.Text);
            Assert.DoesNotContain(pin, sms.Text);
            Assert.Equal("138****8000", sms.RecipientMasked);
        }
        var answered = await P(app).LookupAsync(code, pin, "198.51.100.80");
        Assert.Equal(("已答复", true, true), (answered.StatusText, answered.CanFeedback, answered.CanReopen));
        Assert.Contains("组织清理", answered.Answer);
        Assert.DoesNotContain(answered.Steps, s => s.Text.Contains("community"));

        // 未解决 needs a comment; with one it reopens the appeal, once.
        var bare = await Assert.ThrowsAsync<RuleViolation>(() => P(app).FeedbackAsync(code, pin, false, " ", "198.51.100.80"));
        Assert.Equal("comment", bare.Fields.Keys.Single());
        var reopened = await P(app).FeedbackAsync(code, pin, false, "垃圾又堆起来了", "198.51.100.80");
        Assert.Equal("重办中", reopened.StatusText);
        var again = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal((AppealStatus.Reopened, 1, false), (again.Status, again.ReopenCount, again.Resolved));
        await Assert.ThrowsAsync<RuleViolation>(() => P(app).FeedbackAsync(code, pin, true, null, "198.51.100.80"));
        await app.AsAsync("community", sp => S(sp).AnswerAsync(id, "已联系环卫站每日清运。", again.Version));
        var second = await P(app).FeedbackAsync(code, pin, false, "还是没解决", "198.51.100.80");
        Assert.Equal(("已办结", false), (second.StatusText, second.CanReopen));
        var final = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal((AppealStatus.Closed, 1, false), (final.Status, final.ReopenCount, final.Resolved));
        Assert.Equal(["受理", "答复", "重办", "答复", "办结"], final.Steps.Select(s => s.Verb));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_transfer_waits_for_the_receiver_who_accepts_or_returns_it_with_a_reason_the_sender_reads(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (id, _, _) = await FileAsync(app, phone: null);
        var yangwu = await app.UnitAsync(YangwuFirst);
        var noReason = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(async () =>
            await S(sp).TransferAsync(id, yangwu.Id, null, await VersionAsync(app, id))));
        Assert.Equal("reason", noReason.Fields.Keys.Single());
        var self = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(async () =>
            await S(sp).TransferAsync(id, (await app.UnitAsync(Chengzhong)).Id, "本单位", await VersionAsync(app, id))));
        Assert.Equal("toUnitId", self.Fields.Keys.Single());

        await app.AsAsync("community", async sp => await S(sp).TransferAsync(id, yangwu.Id, "诉求地点属扬武镇辖区", await VersionAsync(app, id)));
        // The receiver sees it waiting and may take it; a third unit does not see it at all.
        var offered = await app.AsAsync("community2", sp => S(sp).ListAsync(new AppealQuery { OfferedToMe = true }));
        Assert.Equal(id, offered.Items.Single().Id);
        Assert.Contains("return", (await app.AsAsync("community2", sp => S(sp).GetAsync(id))).Actions);
        var senderCannotTake = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(async () => await S(sp).StepAsync(id, "take", null, await VersionAsync(app, id))));
        Assert.Equal(WorkflowErrors.Denied.Code, senderCannotTake.Code);

        var noWhy = await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<RuleViolation>(async () => await S(sp).StepAsync(id, "return", " ", await VersionAsync(app, id))));
        Assert.Equal("reason", noWhy.Fields.Keys.Single());
        await app.AsAsync("community2", async sp => await S(sp).StepAsync(id, "return", "该地址属桂山街道城中社区", await VersionAsync(app, id)));
        var back = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal((AppealStatus.Pending, "城中社区", (string?)null), (back.Status, back.UnitName, back.HandoverToName));
        Assert.Equal("该地址属桂山街道城中社区", back.Steps[^1].Reason);
        await using (var db = await app.SystemDbAsync())
        {
            var sender = await db.Users.Where(u => u.UserName == "community").Select(u => u.Id).SingleAsync();
            Assert.Contains(await db.Notifications.Where(n => n.UserId == sender).Select(n => n.Title).ToListAsync(), t => t.Contains("该地址属桂山街道城中社区"));
        }
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => S(sp).GetAsync(id)));

        // Offered again and accepted: the receiver now holds it; the holdings show who held it, and the waits apart.
        await app.AsAsync("community", async sp => await S(sp).TransferAsync(id, yangwu.Id, "经核实确属扬武镇", await VersionAsync(app, id)));
        await app.AsAsync("community2", async sp => await S(sp).StepAsync(id, "take", null, await VersionAsync(app, id)));
        var taken = await app.AsAsync("community2", sp => S(sp).GetAsync(id));
        Assert.Equal((AppealStatus.Handling, yangwu.Name), (taken.Status, taken.UnitName));
        Assert.Equal(["城中社区", yangwu.Name, "城中社区", yangwu.Name, yangwu.Name], taken.Holdings.Select(h => h.UnitName));
        Assert.Equal([false, true, false, true, false], taken.Holdings.Select(h => h.Waiting));
        await app.AsAsync("community", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => S(sp).GetAsync(id)));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Name_and_phone_are_masked_for_non_handlers_revealed_to_the_handler_with_a_purpose_and_repeats_are_flagged(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (first, _, _) = await FileAsync(app, "13912345678", "楼道灯坏了");
        await FileAsync(app, "139 1234 5678", "楼道灯还是坏的");
        var (third, _, _) = await FileAsync(app, "13912345678", "第三次反映楼道灯");
        await FileAsync(app, "13700000000", "别人的诉求");

        var handler = await app.AsAsync("community", sp => S(sp).GetAsync(third));
        Assert.Equal(("马*依", "139****5678", true), (handler.NameMasked, handler.PhoneMasked, handler.CanReveal));
        Assert.Equal(2, handler.Repeats.Count);
        Assert.Contains(handler.Repeats, r => r.Id == first);

        // The township above reads the appeal, masked, with no repeat list and no reveal.
        var township = await app.AsAsync("township", sp => S(sp).GetAsync(third));
        Assert.Equal(("139****5678", false, 0), (township.PhoneMasked, township.CanReveal, township.Repeats.Count));
        var denied = await app.AsAsync("township", sp => Assert.ThrowsAsync<RuleViolation>(() => S(sp).RevealAsync(third, "回访核实情况")));
        Assert.Equal(AppealErrors.Denied.Code, denied.Code);
        Assert.DoesNotContain("5678", denied.Message);

        var noPurpose = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => S(sp).RevealAsync(third, "")));
        Assert.Equal("purpose", noPurpose.Fields.Keys.Single());
        var contact = await app.AsAsync("community", sp => S(sp).RevealAsync(third, "电话回访核实情况"));
        Assert.Equal(("马阿依", "13912345678"), (contact.Name, contact.Phone));
        await using var db = await app.SystemDbAsync();
        var view = await db.AuditEntries.Where(e => e.Event == AuditEvents.PersonalDataView && e.EntityId == third.ToString()).SingleAsync();
        Assert.Contains("电话回访核实情况", view.Summary);
        Assert.DoesNotContain("13912345678", view.Summary + view.Before + view.After);
        Assert.DoesNotContain("马阿依", view.Summary + view.Before + view.After);

        // The ledger carries the masks only.
        var file = await app.AsAsync("community", sp => S(sp).ExportAsync(new AppealQuery()));
        var (bytes, _) = await Exports.ReadAsync(file);
        using var reader = XlsxReader.Open(new MemoryStream(bytes));
        var cells = string.Join("|", reader.Rows().SelectMany(r => r.Cells.Values.Select(c => c.Text)));
        Assert.Contains("139****5678", cells);
        Assert.DoesNotContain("13912345678", cells);
        Assert.DoesNotContain("马阿依", cells);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Statistics_count_real_rows_and_silent_answered_appeals_close_by_themselves(DbProvider kind)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var (a, _, _) = await FileAsync(app);
        var (b, _, _) = await FileAsync(app, null, "第二件");
        foreach (var id in new[] { a, b }) await app.AsAsync("community", async sp => await S(sp).StepAsync(id, "accept", null, await VersionAsync(app, id)));
        await app.AsAsync("community", async sp => await S(sp).AnswerAsync(a, "已处理完毕。", await VersionAsync(app, a)));
        // Five working days for 环境卫生: three weeks later the second answer is late.
        clock.Advance(TimeSpan.FromDays(21));
        Assert.Equal("已逾期", (await app.AsAsync("community", sp => S(sp).GetAsync(b))).DeadlineState);
        await app.AsAsync("community", async sp => await S(sp).AnswerAsync(b, "已处理完毕。", await VersionAsync(app, b)));

        var stats = await app.AsAsync("township", sp => S(sp).StatisticsAsync(2026));
        Assert.Equal((2, 2, 1, 50.0), (stats.Total.Total, stats.Total.Answered, stats.Total.OnTime, stats.Total.OnTimeRate));
        Assert.Equal("环境卫生", stats.ByTopic.Single().Name);
        Assert.Equal("城中社区", stats.ByUnit.Single().Name);
        Assert.Equal("11月", stats.ByMonth.Single().Name);
        Assert.Equal(0, (await app.AsAsync("community2", sp => S(sp).StatisticsAsync(2026))).Total.Total);

        // Seven days after its answer the first appeal closes by itself; the second, answered today, stays. The app's own
        // recurring job sees the same advanced clock and may get there first: then this sweep finds nothing left to close.
        await using (var db = await app.SystemDbAsync()) Assert.InRange(await AppealAutoClose.CloseSilentAsync(db, 7, default), 0, 1);
        await using (var db = await app.SystemDbAsync())
            Assert.Equal(1, await db.WorkflowSteps.CountAsync(s => s.ItemId == a && s.ToState == (int)AppealStatus.Closed));
        Assert.Equal(AppealStatus.Closed, (await app.AsAsync("community", sp => S(sp).GetAsync(a))).Status);
        Assert.Equal(AppealStatus.Answered, (await app.AsAsync("community", sp => S(sp).GetAsync(b))).Status);
    }

    /// <summary>
    /// Stands in for the Services module (built on another branch): opens its "case" by writing an audit row in the
    /// caller's unit of work and answers its reference; refuses a text marked to fail, after writing.
    /// </summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Converting_opens_a_service_case_or_a_dispute_in_the_same_unit_of_work_keeps_the_link_and_tells_the_resident(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (id, code, pin) = await FileAsync(app);
        var (toDispute, _, _) = await FileAsync(app);
        var (bad, _, _) = await FileAsync(app);
        var detail = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal(["转为服务事项", "转为矛盾纠纷"], detail.Targets.Select(t => t.Verb).Order());
        // The township above may read it but not convert for the community.
        Assert.Empty((await app.AsAsync("township", sp => S(sp).GetAsync(id))).Targets);
        var denied = await app.AsAsync("township", sp => Assert.ThrowsAsync<RuleViolation>(() => S(sp).ConvertAsync(id, "service-case", detail.Version)));
        Assert.Equal(WorkflowErrors.Denied.Code, denied.Code);

        var made = await app.AsAsync("community", sp => S(sp).ConvertAsync(id, "service-case", detail.Version));
        var converted = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal((AppealStatus.Converted, "服务事项", made.Number, $"/service-cases/{made.Id}"), (converted.Status, converted.ConvertedName, converted.ConvertedNumber, converted.ConvertedLink));
        Assert.StartsWith("FW", made.Number);
        Assert.Equal("已转为服务事项办理", (await P(app).LookupAsync(code, pin, "198.51.100.90")).StatusText);
        // The service case names the appeal it came from: the link reads both ways.
        var serviceCase = await app.AsAsync("community", sp => sp.GetRequiredService<Shiliu.Core.ServiceCases.ServiceCaseService>().GetAsync(made.Id));
        Assert.Equal(("appeal", id), (serviceCase.SourceCase!.Kind, serviceCase.SourceCase.Id));

        var dispute = await app.AsAsync("community", async sp => await S(sp).ConvertAsync(toDispute, "dispute", (await S(sp).GetAsync(toDispute)).Version));
        Assert.StartsWith("JF", dispute.Number);
        await using (var db = await app.SystemDbAsync())
            Assert.Equal(toDispute, (await db.Disputes.SingleAsync(x => x.Id == dispute.Id)).SourceId);

        // When the other module refuses (the county has switched every service type off), nothing of either side is saved.
        await using (var db = await app.SystemDbAsync())
        {
            await db.ServiceTypes.ExecuteUpdateAsync(t => t.SetProperty(x => x.IsActive, false));
        }
        var badVersion = await VersionAsync(app, bad);
        var refused = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => S(sp).ConvertAsync(bad, "service-case", badVersion)));
        Assert.Contains("服务事项类型", refused.Message);
        Assert.Equal(AppealStatus.Pending, (await app.AsAsync("community", sp => S(sp).GetAsync(bad))).Status);
        await using (var db = await app.SystemDbAsync())
            Assert.Equal(1, await db.ServiceCases.CountAsync());

        // Other modules find appeals through the case kind, in the caller's scope only.
        var found = await app.AsAsync("community", async sp =>
        {
            await using var d = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            var k = sp.GetServices<ICaseKind>().Single(x => x.Kind == "appeal");
            return (await k.SearchAsync(d, code, 10, default), await k.FindAsync(d, id, default));
        });
        Assert.Equal((code, code), (found.Item1.Single().Number, found.Item2!.Number));
        Assert.StartsWith("环境卫生诉求：", found.Item2!.Title);
        var outside = await app.AsAsync("community2", async sp =>
        {
            await using var d = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            return await sp.GetServices<ICaseKind>().Single(x => x.Kind == "appeal").FindAsync(d, id, default);
        });
        Assert.Null(outside);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("name=\"challenge\" value=\"([^\"]+)\"")]
    private static partial Regex ChallengeInput();

    [GeneratedRegex("data-testid=\"appeal-code\">([^<]+)<")]
    private static partial Regex CodeShown();

    [GeneratedRegex("data-testid=\"appeal-pin\">([^<]+)<")]
    private static partial Regex PinShown();
}
