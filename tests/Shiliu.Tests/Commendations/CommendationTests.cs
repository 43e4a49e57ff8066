using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Commendations;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Commendations;

public sealed class CommendationTests
{
    internal const string Chengzhong = "530427001001";
    internal const string Guishan = "530427001000";
    static CommendationService S(IServiceProvider sp) => sp.GetRequiredService<CommendationService>();
    static PublicCommendationService P(ShiliuApp app) => app.Services.GetRequiredService<PublicCommendationService>();

    /// <summary>Monday 2 November 2026, 10:00 China time.</summary>
    internal static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));

    static void At(FakeTimeProvider clock, int month, int day, int hourChina = 10) =>
        clock.SetUtcNow(new DateTimeOffset(2026, month, day, hourChina, 0, 0, TimeSpan.FromHours(8)));

    internal static async Task<Guid> CallAsync(ShiliuApp app, DateOnly deadline, params QuotaLine[] quotas) =>
        await app.AsAsync("county", sp => S(sp).SaveCallAsync(null, new SaveCall
        {
            Title = "2026年度民族团结进步模范评选", Body = "<p>请各单位按名额推荐。</p><script>alert(1)</script>", Deadline = deadline, PublicityDays = 5,
            Quotas = quotas.Length > 0 ? [.. quotas] : [new() { Category = ModelCategory.Family, Count = 3 }, new() { Category = ModelCategory.Person, Count = 2 }],
        }));

    internal static SaveNomination Family(Guid call, string name) => new()
    {
        CallId = call, Category = ModelCategory.Family, NomineeName = name, Ethnicity = "03",
        Summary = "三代同堂的多民族家庭，常年帮扶邻里。", Deeds = "<p>主要事迹：调解邻里纠纷十余起。</p><img src=x onerror=alert(1)>",
    };

    internal static async Task<Guid> NominateAsync(ShiliuApp app, string user, Guid call, string name, bool submit = true)
    {
        var id = await app.AsAsync(user, sp => S(sp).SaveNominationAsync(null, Family(call, name)));
        if (submit) await app.AsAsync(user, async sp => await S(sp).SubmitAsync(id, (await S(sp).GetNominationAsync(id)).Version));
        return id;
    }

    static Task<NominationDetail> GetAsync(ShiliuApp app, Guid id, string user = "county") => app.AsAsync(user, sp => S(sp).GetNominationAsync(id));

    static async Task<RuleViolation> RefusedAsync(ShiliuApp app, string user, Func<CommendationService, Task> work) =>
        await app.AsAsync(user, async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => work(S(sp))));

    static Task Pass(ShiliuApp app, Guid id, int votesFor = 7, bool pass = true, string? reason = null) => app.AsAsync("county", async sp =>
        await S(sp).DecideAsync(id, new DecideNomination
        {
            Pass = pass, VotesFor = votesFor, VotesAgainst = 1, VotesAbstain = 1, MeetingDate = new DateOnly(2026, 11, 2), Reason = reason,
            Version = (await S(sp).GetNominationAsync(id)).Version,
        }));

    static Task Review(ShiliuApp app, Guid id, bool approve = true, string? reason = null, string user = "township") => app.AsAsync(user, async sp =>
        await S(sp).ReviewAsync(id, new ReviewNomination { Approve = approve, Reason = reason, Version = (await S(sp).GetNominationAsync(id)).Version }));

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_call_is_issued_with_a_working_day_deadline_and_quotas_and_units_nominate_within_them(DbProvider kind)
    {
        var clock = Clock();
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var guishan = await app.UnitAsync(Guishan);

        // 14 November 2026 is a Saturday: the office is told which working day to take instead.
        var weekend = await RefusedAsync(app, "county", s => s.SaveCallAsync(null, new SaveCall
            { Title = "评选", Deadline = new DateOnly(2026, 11, 14), Quotas = [new() { Category = ModelCategory.Family, Count = 1 }] }));
        Assert.Equal(CommendationErrors.Deadline, weekend.Error);
        Assert.Equal("申报截止日期 2026年11月14日 不是工作日，请改为 2026年11月16日", Assert.Single(weekend.Fields["deadline"]));
        var onlyTownship = await RefusedAsync(app, "county", s => s.SaveCallAsync(null, new SaveCall
            { Title = "评选", Deadline = new DateOnly(2026, 11, 13), Quotas = [new() { Category = ModelCategory.Family, TownshipId = guishan.Id, Count = 1 }] }));
        Assert.Contains("模范家庭只有乡镇名额", onlyTownship.Message);
        Assert.Equal(CommendationErrors.Denied, (await RefusedAsync(app, "township", s => s.SaveCallAsync(null, new SaveCall
            { Title = "评选", Deadline = new DateOnly(2026, 11, 13), Quotas = [new() { Category = ModelCategory.Family, Count = 1 }] }))).Error);

        // Families: the county approves 2; 桂山街道 may nominate 1, every other township 2 (the county's number).
        var call = await CallAsync(app, new DateOnly(2026, 11, 13),
            new QuotaLine { Category = ModelCategory.Family, Count = 2 }, new QuotaLine { Category = ModelCategory.Family, TownshipId = guishan.Id, Count = 1 });
        var detail = await app.AsAsync("community", sp => S(sp).GetCallAsync(call));
        Assert.Equal(["模范家庭 全县 2", "模范家庭 桂山街道 1"], detail.Quotas.Select(q => $"{q.CategoryName} {q.TownshipName ?? "全县"} {q.Count}"));
        Assert.DoesNotContain("script", detail.Body);

        // A category the call does not name is refused; a person without a work unit too.
        var person = Family(call, "刀玉香");
        person.Category = ModelCategory.Person;
        Assert.Equal("推荐个人须填写工作单位及职务", Assert.Single((await RefusedAsync(app, "community", s => s.SaveNominationAsync(null, person))).Fields["workUnit"]));
        person.WorkUnit = "城中社区网格员";
        Assert.Contains("不评选模范个人", (await RefusedAsync(app, "community", s => s.SaveNominationAsync(null, person))).Message);

        var first = await NominateAsync(app, "community", call, "马永福家庭");
        var n = await GetAsync(app, first, "community");
        Assert.Equal(("已申报", "城中社区", "回族"), (n.StatusName, n.UnitName, n.EthnicityName));
        Assert.DoesNotContain("onerror", n.Deeds);

        // The township's quota is spent: a second family from 桂山街道 is refused at 申报, and stays a draft.
        var second = await NominateAsync(app, "community", call, "李正明家庭", submit: false);
        var full = await RefusedAsync(app, "community", async s => await s.SubmitAsync(second, (await s.GetNominationAsync(second)).Version));
        Assert.Equal(CommendationErrors.Quota, full.Error);
        Assert.Equal("桂山街道推荐模范家庭的名额为1个，已申报1个，名额已满", full.Message);
        Assert.Equal(NominationStatus.Draft, (await GetAsync(app, second, "community")).Status);
        // 扬武镇 has no line of its own: it may nominate up to the county's number.
        await NominateAsync(app, "community2", call, "普国华家庭");
        await NominateAsync(app, "community2", call, "白春兰家庭");
        var third = await NominateAsync(app, "community2", call, "罗志强家庭", submit: false);
        Assert.Equal(CommendationErrors.Quota, (await RefusedAsync(app, "community2", async s => await s.SubmitAsync(third, (await s.GetNominationAsync(third)).Version))).Error);

        // Drafts stay inside their unit; the township sees what its communities submitted.
        Assert.Equal(["马永福家庭"], (await app.AsAsync("township", sp => S(sp).ListNominationsAsync(call))).Select(r => r.NomineeName));
        Assert.Equal(["李正明家庭", "马永福家庭"], (await app.AsAsync("community", sp => S(sp).ListNominationsAsync(call))).Select(r => r.NomineeName).Order());

        // After the deadline day (end of office hours, China time) nothing more is submitted.
        await app.AsAsync("community", async sp => await S(sp).WithdrawAsync(first, "重新推荐", (await S(sp).GetNominationAsync(first)).Version));
        At(clock, 11, 14);
        var late = await RefusedAsync(app, "community", async s => await s.SubmitAsync(second, (await s.GetNominationAsync(second)).Version));
        Assert.Equal(CommendationErrors.Deadline, late.Error);
        Assert.Equal("《2026年度民族团结进步模范评选》的申报已于2026年11月13日截止，不能再申报", late.Message);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_nomination_goes_through_review_vote_publicity_objection_and_commendation(DbProvider kind)
    {
        var clock = Clock();
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var guishan = await app.UnitAsync(Guishan);
        var call = await CallAsync(app, new DateOnly(2026, 11, 13), new QuotaLine { Category = ModelCategory.Family, Count = 1 },
            new QuotaLine { Category = ModelCategory.Family, TownshipId = guishan.Id, Count = 2 });
        var ma = await NominateAsync(app, "community", call, "马永福家庭");
        var pu = await NominateAsync(app, "community2", call, "普国华家庭");

        // Deeds document and a photo go into the evidence archive through its one upload path.
        var back = await NominateAsync(app, "community", call, "李正明家庭", submit: false);
        await app.AsAsync("community", sp => S(sp).AttachAsync(back, NominationFileKind.Photo, "全家福.jpg", new MemoryStream(TestFiles.Jpeg(300, 200))));
        await app.AsAsync("community", sp => S(sp).AttachAsync(back, NominationFileKind.Deeds, "事迹材料.pdf", new MemoryStream(TestFiles.Pdf("deeds"))));
        var notPhoto = await RefusedAsync(app, "community", s => s.AttachAsync(back, NominationFileKind.Photo, "说明.pdf", new MemoryStream(TestFiles.Pdf("other"))));
        Assert.Contains("不是照片", notPhoto.Message);
        var files = (await GetAsync(app, back, "community")).Files;
        Assert.Equal([NominationFileKind.Deeds, NominationFileKind.Photo], files.Select(f => f.Kind).Order());
        await using (var db = await app.SystemDbAsync())
        {
            var photo = files.Single(f => f.Kind == NominationFileKind.Photo).EvidenceId;
            var ev = await db.Evidence.Include(e => e.Refs).SingleAsync(e => e.Id == photo);
            Assert.Equal(("模范评选", 6), (ev.Tags, ev.Refs.Single().No));
        }

        // 乡镇审核: a return needs its reason, and the unit reads it.
        await app.AsAsync("community", async sp => await S(sp).SubmitAsync(back, (await S(sp).GetNominationAsync(back)).Version));
        Assert.Equal(WorkflowErrors.Reason, (await RefusedAsync(app, "township", async s =>
            await s.ReviewAsync(back, new ReviewNomination { Approve = false, Version = (await s.GetNominationAsync(back)).Version }))).Error);
        await Review(app, back, approve: false, reason: "事迹不够具体，请补充");
        Assert.Equal(("已退回", "事迹不够具体，请补充"), ((await GetAsync(app, back, "community")).StatusName, (await GetAsync(app, back, "community")).ReturnReason));
        // The unit corrects it (a stale copy is refused, naming who saved first) and submits again, then withdraws it.
        var fix = Family(call, "李正明家庭");
        fix.Summary = "多民族家庭，热心公益，资助困难学生三名。";
        fix.Version = (await GetAsync(app, back, "community")).Version;
        await app.AsAsync("community", sp => S(sp).SaveNominationAsync(back, fix));
        await app.AsAsync("community", async sp => await Assert.ThrowsAsync<ConcurrencyConflict>(() => S(sp).SaveNominationAsync(back, fix)));
        await app.AsAsync("community", async sp => await S(sp).SubmitAsync(back, (await S(sp).GetNominationAsync(back)).Version));
        Assert.Equal(("已申报", "多民族家庭，热心公益，资助困难学生三名。"), ((await GetAsync(app, back)).StatusName, (await GetAsync(app, back)).Summary));
        await app.AsAsync("community", async sp => await S(sp).WithdrawAsync(back, "材料不全，下次再报", (await S(sp).GetNominationAsync(back)).Version));
        Assert.Equal("已撤回", (await GetAsync(app, back)).StatusName);

        // A community does not review its own; 桂山街道 cannot reach 扬武镇's nomination.
        Assert.Equal(CommendationErrors.Denied, (await RefusedAsync(app, "community", async s =>
            await s.ReviewAsync(ma, new ReviewNomination { Approve = true, Version = (await s.GetNominationAsync(ma)).Version }))).Error);
        Assert.IsType<NotFoundInScope>(await RefusedAsync(app, "township", async s => await s.ReviewAsync(pu, new ReviewNomination { Approve = true })));
        await Review(app, ma);
        await Review(app, pu, user: "county");    // 扬武镇 has no account here: the county reviews in its place

        // 县级审定 records the vote; a majority is needed to pass; the quota holds at 审定.
        var minority = await RefusedAsync(app, "county", async s => await s.DecideAsync(ma, new DecideNomination
            { Pass = true, VotesFor = 4, VotesAgainst = 4, VotesAbstain = 1, MeetingDate = new DateOnly(2026, 11, 2), Version = (await s.GetNominationAsync(ma)).Version }));
        Assert.Equal("赞成4票，未超过表决票数9票的半数，不能审定通过", Assert.Single(minority.Fields["votesFor"]));
        await Pass(app, ma);
        var detail = await GetAsync(app, ma);
        Assert.Equal(("审定通过", 7, 1, 1, new DateOnly(2026, 11, 2)), (detail.StatusName, detail.VotesFor, detail.VotesAgainst, detail.VotesAbstain, detail.MeetingDate));
        var quota = await RefusedAsync(app, "county", async s => await s.DecideAsync(pu, new DecideNomination
            { Pass = true, VotesFor = 9, MeetingDate = new DateOnly(2026, 11, 2), Version = (await s.GetNominationAsync(pu)).Version }));
        Assert.Equal("模范家庭评选名额为1个，已审定通过1个，名额已满", quota.Message);
        await Pass(app, pu, votesFor: 2, pass: false, reason: "事迹与其他推荐对象重复");
        Assert.Equal("未通过", (await GetAsync(app, pu)).StatusName);

        // 公示 opens on the working day the office names (Tuesday) for five working days; the list is frozen.
        var window = await app.AsAsync("county", async sp => await S(sp).OpenPublicityAsync(call, new OpenPublicity { From = new DateOnly(2026, 11, 3), Version = (await S(sp).GetCallAsync(call)).Version }));
        Assert.Equal((new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 9)), window);
        Assert.Equal(CommendationErrors.State, (await RefusedAsync(app, "community", async s => await s.SubmitAsync(back, (await s.GetNominationAsync(back)).Version))).Error);
        var shown = Assert.Single(await P(app).PublicityAsync(), v => v.CallId == call);
        Assert.False(shown.Open);
        var nominee = Assert.Single(shown.Nominees);
        Assert.Equal(("马永福家庭", "模范家庭", "城中社区", "三代同堂的多民族家庭，常年帮扶邻里。"), (nominee.NomineeName, nominee.CategoryName, nominee.UnitName, nominee.Summary));

        Task<ObjectionReceipt> Object(string text, string contact) =>
            P(app).ObjectAsync(new FileObjection { NominationId = ma, Text = text, Contact = contact }, _ => Task.CompletedTask);
        Assert.Equal("公示期自2026年11月3日开始，届时再提出异议", (await Assert.ThrowsAsync<RuleViolation>(() => Object("该户曾有违法行为。", "13812345678"))).Message);
        At(clock, 11, 4);
        Assert.True((await P(app).PublicityAsync()).Single(v => v.CallId == call).Open);
        Assert.Equal("请填写联系电话，便于核实情况", Assert.Single((await Assert.ThrowsAsync<RuleViolation>(() => Object("该户曾有违法行为。", " "))).Fields["contact"]));
        await Object("该户去年曾因邻里纠纷被调解，请核实。", "13812345678");

        // Staff read the contact masked only; the stored value is sealed.
        var objection = Assert.Single(await app.AsAsync("county", sp => S(sp).ObjectionsAsync(call)));
        Assert.Equal(("138****5678", "待答复"), (objection.Contact, objection.OutcomeName));
        await using (var db = await app.SystemDbAsync())
            Assert.DoesNotContain("13812345678", (await db.CommendationObjections.SingleAsync(o => o.Id == objection.Id)).ContactCipher);
        Assert.Equal(CommendationErrors.Denied, (await RefusedAsync(app, "township", s => s.ObjectionsAsync(call))).Error);
        Assert.Equal(1, (await app.AsAsync("county", sp => sp.GetRequiredService<TodoService>().MineAsync())).Single(t => t.Title == "待答复的公示异议").Count);

        // 表彰 waits for the window to close and for every objection to be answered.
        RecordDecision Decision(int version) => new() { DecisionNo = "新民发[2026]5号", DecisionDate = new DateOnly(2026, 11, 10), Version = version };
        Assert.Equal("公示期到2026年11月9日结束，公示期满后才能表彰",
            (await RefusedAsync(app, "county", async s => await s.RecordDecisionAsync(call, Decision((await s.GetCallAsync(call)).Version)))).Message);

        // The window has closed: a page opened before is refused on the server.
        At(clock, 11, 10, hourChina: 0);
        var closed = await Assert.ThrowsAsync<RuleViolation>(() => Object("还有一条异议", "13812345678"));
        Assert.Equal((CommendationErrors.Window, "公示期已于2026年11月9日结束，不再受理异议"), (closed.Error, closed.Message));
        At(clock, 11, 10);
        Assert.Equal("还有1条公示异议未答复，全部答复后才能表彰",
            (await RefusedAsync(app, "county", async s => await s.RecordDecisionAsync(call, Decision((await s.GetCallAsync(call)).Version)))).Message);
        await app.AsAsync("county", sp => S(sp).AnswerObjectionAsync(objection.Id, new AnswerObjection
            { Answer = "经核查，该纠纷已调解结案，双方和好，不影响评选。", Outcome = ObjectionOutcome.Unfounded, Version = objection.Version }));
        Assert.Contains("格式应如", Assert.Single((await RefusedAsync(app, "county", async s => await s.RecordDecisionAsync(call, new RecordDecision
            { DecisionNo = "5号", DecisionDate = new DateOnly(2026, 11, 10), Version = (await s.GetCallAsync(call)).Version }))).Fields["decisionNo"]));
        await app.AsAsync("county", async sp => await S(sp).RecordDecisionAsync(call, Decision((await S(sp).GetCallAsync(call)).Version)));
        var c = await app.AsAsync("county", sp => S(sp).GetCallAsync(call));
        Assert.Equal(("已表彰", "新民发〔2026〕5号"), (c.StatusName, c.DecisionNo));
        var awarded = await GetAsync(app, ma);
        Assert.Equal("已表彰", awarded.StatusName);
        Assert.StartsWith("2026-", awarded.CertificateNo);

        // The certificate is a PDF with real text (a ToUnicode map for its embedded font).
        var (pdf, name) = await app.AsAsync("community", sp => S(sp).CertificateAsync(ma));
        Assert.Equal($"荣誉证书-{awarded.CertificateNo}.pdf", name);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.Contains("/ToUnicode", Encoding.Latin1.GetString(pdf));

        // The roll keeps it; a revoked title is marked and prints no certificate.
        var row = Assert.Single(await P(app).RollAsync(), r => r.NominationId == ma);
        Assert.Equal(("马永福家庭", "城中社区", false), (row.NomineeName, row.UnitName, row.Revoked));
        Assert.Equal("请填写撤销原因", Assert.Single((await RefusedAsync(app, "county", async s => await s.RevokeAsync(ma, new RevokeTitle { Reason = "", Version = awarded.Version }))).Fields["reason"]));
        await app.AsAsync("county", sp => S(sp).RevokeAsync(ma, new RevokeTitle { Reason = "获表彰后发现弄虚作假", Version = awarded.Version }));
        row = Assert.Single(await P(app).RollAsync(), r => r.NominationId == ma);
        Assert.Equal((true, "获表彰后发现弄虚作假"), (row.Revoked, row.RevokeReason));
        Assert.Equal(CommendationErrors.State, (await RefusedAsync(app, "community", s => s.CertificateAsync(ma))).Error);

        // What the assessment round reads for 第6条 (评比表彰模范) for 城中社区 this year.
        var unit = await app.UnitAsync(Chengzhong);
        var lines = await app.AsAsync("assessor", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            var source = sp.GetServices<ICriterionRecordSource>().Single(s => s.GetType().Name == "CommendationRecords");
            return await source.ReadAsync(db, new CriterionRecordQuery(unit.Id, unit.Path, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), null), default);
        });
        Assert.All(lines, l => Assert.Equal(6, l.CriterionNo));
        Assert.Equal(["县级评选通知 1 次", "本单位申报推荐对象 1 个", "本单位获表彰模范 0 个"], lines.Select(l => $"{l.Label} {l.Figure}"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_upheld_objection_drops_the_nominee_and_the_others_are_commended(DbProvider kind)
    {
        var clock = Clock();
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var call = await CallAsync(app, new DateOnly(2026, 11, 13));
        var ma = await NominateAsync(app, "community", call, "马永福家庭");
        var pu = await NominateAsync(app, "community2", call, "普国华家庭");
        await Review(app, ma);
        await Review(app, pu, user: "county");
        await Pass(app, ma);
        await Pass(app, pu);
        // Left empty, 公示 starts today (a Monday, a working day).
        var window = await app.AsAsync("county", async sp => await S(sp).OpenPublicityAsync(call, new OpenPublicity { Version = (await S(sp).GetCallAsync(call)).Version }));
        Assert.Equal((new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 6)), window);
        var receipt = await P(app).ObjectAsync(new FileObjection { NominationId = pu, Text = "该户存在虚报事迹的情况。", Contact = "0877-7011001" }, _ => Task.CompletedTask);
        Assert.Equal("普国华家庭", receipt.NomineeName);
        var o = Assert.Single(await app.AsAsync("county", sp => S(sp).ObjectionsAsync(call)));
        Assert.Equal("087****1001", o.Contact);
        await app.AsAsync("county", sp => S(sp).AnswerObjectionAsync(o.Id, new AnswerObjection { Answer = "经核查，事迹中有两项不实。", Outcome = ObjectionOutcome.Upheld, Version = o.Version }));
        Assert.Equal("未通过", (await GetAsync(app, pu)).StatusName);
        Assert.Contains("公示异议经核查成立", (await GetAsync(app, pu)).History.Last().Reason);
        At(clock, 11, 9);
        await app.AsAsync("county", async sp => await S(sp).RecordDecisionAsync(call, new RecordDecision
            { DecisionNo = "新民发〔2026〕7号", DecisionDate = new DateOnly(2026, 11, 9), Version = (await S(sp).GetCallAsync(call)).Version }));
        Assert.Equal(["马永福家庭"], (await app.AsAsync("county", sp => S(sp).RollAsync(2026))).Select(r => r.NomineeName));
    }
}
