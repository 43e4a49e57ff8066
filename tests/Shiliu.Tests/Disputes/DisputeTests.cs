using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Disputes;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Disputes;

public sealed class DisputeTests
{
    internal const string Chengzhong = "530427001001";

    internal static SaveDispute Case(RiskColour colour = RiskColour.Blue, bool ethnic = false, DisputeTier tier = DisputeTier.Simple, string? leader = null,
        string? idNumber = null, string? phone = null) => new()
    {
        Title = "两户宅基地界址纠纷", Summary = "两户因宅基地界址争执，多次发生口角。", CategoryCode = "D03", EthnicFactors = ethnic, Tier = tier, Colour = colour, Leader = leader,
        Source = DisputeSource.Application, Place = "城中社区三组",
        Parties =
        [
            new SaveParty { Role = PartyRole.Applicant, Name = "者玉兰", Gender = Gender.Female, Ethnicity = "彝族", Age = 46, IdNumber = idNumber, Phone = phone },
            new SaveParty { Role = PartyRole.Respondent, Name = "李国华", Gender = Gender.Male, Ethnicity = "汉族", Age = 52 },
        ],
    };

    static DisputeService S(IServiceProvider sp) => sp.GetRequiredService<DisputeService>();

    internal static Task<Guid> RegisterAsync(ShiliuApp app, string user, SaveDispute req) => app.AsAsync(user, sp => S(sp).RegisterAsync(req));

    static Task StepAsync(ShiliuApp app, string user, Guid id, string action, string? reason = null) =>
        app.AsAsync(user, async sp => await S(sp).StepAsync(id, action, reason, (await S(sp).GetAsync(id)).Version));

    static Task EscalateAsync(ShiliuApp app, string user, Guid id, string reason) =>
        app.AsAsync(user, async sp => await S(sp).EscalateAsync(id, reason, (await S(sp).GetAsync(id)).Version));

    internal static Task AddTownship2Async(ShiliuApp app) => app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("township2",
        "扬武镇民政办", await app.UnitAsync("530427101000"), Db.DemoPassword, Roles.TownshipOfficer, mustChange: false, demo: true));

    /// <summary>Two communities registering at the same moment: every case gets its own number, in one unbroken sequence.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Cases_registered_at_the_same_moment_get_numbers_of_their_own(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RegisterAsync(app, i % 2 == 0 ? "community" : "community2", Case())));
        await using var db = await app.SystemDbAsync();
        var seqs = await db.Disputes.Where(d => ids.Contains(d.Id)).OrderBy(d => d.Seq).Select(d => d.Seq).ToListAsync();
        Assert.Equal(Enumerable.Range(seqs[0], 8), seqs);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_case_goes_registered_accepted_mediating_resolved_visited_closed_and_illegal_steps_are_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await RegisterAsync(app, "community", Case());
        var d = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Matches(@"^JF\d{4}-0001$", d.Number);
        Assert.Equal((DisputeStatus.Registered, "城中社区", "社区（村）"), (d.Status, d.UnitName, d.ExpectedLevel));

        // Closing a case that was only registered, and the township acting for the community, are refused in Chinese.
        var early = await Assert.ThrowsAsync<RuleViolation>(() => StepAsync(app, "community", id, "close"));
        Assert.Equal(WorkflowErrors.State, early.Code);
        Assert.Contains("当前为“登记”，不能结案", early.Message);
        var above = await Assert.ThrowsAsync<RuleViolation>(() => StepAsync(app, "township", id, "accept"));
        Assert.Equal(WorkflowErrors.Denied, above.Code);
        var unknown = await Assert.ThrowsAsync<RuleViolation>(() => StepAsync(app, "community", id, "visit"));
        Assert.Equal("action", Assert.Single(unknown.Fields!).Key);

        await StepAsync(app, "community", id, "accept");
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        await app.AsAsync("community", sp => S(sp).AddMediationAsync(id, new SaveMediation { Date = today, Mediator = "王调解员", Content = "召集双方现场核对界址，双方同意以老石墙为界。" }));
        Assert.Equal(DisputeStatus.Mediating, (await app.AsAsync("community", sp => S(sp).GetAsync(id))).Status);
        var noAgreement = await Assert.ThrowsAsync<RuleViolation>(() => StepAsync(app, "community", id, "succeed"));
        Assert.Equal("outcome", Assert.Single(noAgreement.Fields!).Key);
        var noReason = await Assert.ThrowsAsync<RuleViolation>(() => StepAsync(app, "community", id, "fail"));
        Assert.Equal(WorkflowErrors.Reason, noReason.Code);

        // The agreement is a file of the evidence archive; the case links it.
        var unit = await app.UnitAsync(Chengzhong);
        var up = await app.AsAsync("community", sp => sp.GetRequiredService<Shiliu.Core.Evidence.EvidenceService>().UploadAsync(
            new Shiliu.Core.Evidence.EvidenceMeta { OrgUnitId = unit.Id, Year = today.Year, Title = "调解协议书" }, "协议书.pdf", new MemoryStream(Evidence.TestFiles.Pdf())));
        await app.AsAsync("community", sp => S(sp).LinkAgreementAsync(id, new LinkAgreement { EvidenceId = up.Id, Outcome = "以老石墙为界，李家拆除越界围栏。" }));
        await StepAsync(app, "community", id, "succeed");
        var visitEarly = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() => S(sp).AddMediationAsync(id,
            new SaveMediation { Date = today, Mediator = "王调解员", Content = "再次调解" })));
        Assert.Equal(DisputeErrors.State, visitEarly.Code);

        await app.AsAsync("community", sp => S(sp).AddFollowUpAsync(id, new SaveFollowUp { Date = today, Visitor = "王调解员", AgreementKept = true, Notes = "围栏已拆除，双方和好。" }));
        await StepAsync(app, "community", id, "close");
        d = await app.AsAsync("township", sp => S(sp).GetAsync(id));
        Assert.Equal(DisputeStatus.Closed, d.Status);
        Assert.Equal(["受理", "开始调解", "确认调解成功", "回访", "结案"], d.History.Select(h => h.Verb));
        Assert.Equal(d.Number, d.AgreementNo);
        Assert.Equal(DeadlineState.Paused, d.Clock.State);
        Assert.Single(d.FollowUps);
        Assert.Empty(d.Steps);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_colour_sets_the_reply_deadline_and_which_units_above_are_told(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string> { ["Disputes:YellowDays"] = "2" });
        var blue = await RegisterAsync(app, "community", Case(RiskColour.Blue));
        var yellow = await RegisterAsync(app, "community", Case(RiskColour.Yellow));
        var red = await RegisterAsync(app, "community", Case(RiskColour.Red));
        var get = (Guid id) => app.AsAsync("community", sp => S(sp).GetAsync(id));
        var (b, y, r) = (await get(blue), await get(yellow), await get(red));
        Assert.Equal(("5个工作日", "2个工作日", "1个工作日"), (b.LimitText, y.LimitText, r.LimitText));
        var cal = await app.AsAsync(null, sp => sp.GetRequiredService<CalendarCache>().GetAsync(sp.GetRequiredService<IDbContextFactory<ShiliuDb>>(), default));
        var start = DateOnly.FromDateTime(ChinaTime.ToChina(r.RegisteredUtc));
        Assert.Equal(cal.EndOfDayUtc(cal.AddWorkingDays(start, 1)), r.Clock.DueUtc);
        Assert.Equal(cal.EndOfDayUtc(cal.AddWorkingDays(start, 2)), y.Clock.DueUtc);
        Assert.Equal(cal.EndOfDayUtc(cal.AddWorkingDays(start, 5)), b.Clock.DueUtc);
        Assert.Equal((null, "桂山街道", $"桂山街道、{Shiliu.Core.Seed.Seeder.CountyName}"), (b.ToldUnits, y.ToldUnits, r.ToldUnits));

        await using var db = await app.SystemDbAsync();
        async Task<List<string>> Told(string user)
        {
            var uid = await db.Users.Where(u => u.UserName == user).Select(u => u.Id).SingleAsync();
            return await db.Notifications.Where(n => n.UserId == uid && n.Module == DisputeFlow.Name).Select(n => n.Title).ToListAsync();
        }
        var township = await Told("township");
        Assert.Equal(2, township.Count);
        Assert.Contains(township, t => t.StartsWith("黄色预警") && t.Contains(y.Number));
        Assert.Contains(township, t => t.StartsWith("红色预警") && t.Contains(r.Number));
        var county = Assert.Single(await Told("county"));
        Assert.Contains(r.Number, county);
        Assert.Empty(await Told("community2"));
        // Names of people never go into a notice.
        Assert.DoesNotContain(township.Concat([county]), t => t.Contains("者玉兰"));

        // Raising blue to red tells the township and the county then.
        var form = Case(RiskColour.Red);
        form.Version = b.Version;
        await app.AsAsync("community", sp => S(sp).UpdateAsync(blue, form));
        Assert.Equal(3, (await Told("township")).Count);
        Assert.Equal(2, (await Told("county")).Count);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_difficult_case_needs_a_named_leader_and_bad_parties_are_named_in_chinese(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var refused = await Assert.ThrowsAsync<RuleViolation>(() => RegisterAsync(app, "community", Case(tier: DisputeTier.Difficult)));
        Assert.Equal(DisputeErrors.Leader, refused.Code);
        Assert.Equal("leader", Assert.Single(refused.Fields!).Key);
        Assert.Contains("包案领导", refused.Message);
        var id = await RegisterAsync(app, "community", Case(tier: DisputeTier.Difficult, leader: "张明 扬武镇副镇长"));
        Assert.Equal(("张明 扬武镇副镇长", "县级"), await app.AsAsync("community", async sp => { var d = await S(sp).GetAsync(id); return (d.Leader, d.ExpectedLevel); }));

        var badEthnic = Case();
        badEthnic.Parties[1].Ethnicity = "火星族";
        var e = await Assert.ThrowsAsync<RuleViolation>(() => RegisteredAsync(app, badEthnic));
        Assert.Equal("parties[1].ethnicity", Assert.Single(e.Fields!).Key);
        Assert.StartsWith("第2位当事人：民族须按 GB/T 3304", e.Message);
        var badId = Case(idNumber: "53042719800101001X");
        var i = await Assert.ThrowsAsync<RuleViolation>(() => RegisteredAsync(app, badId));
        Assert.Equal("parties[0].idNumber", Assert.Single(i.Fields!).Key);
        Assert.DoesNotContain("53042719800101001X", i.Message);
        var none = Case();
        none.Parties.Clear();
        Assert.Equal("parties", Assert.Single((await Assert.ThrowsAsync<RuleViolation>(() => RegisteredAsync(app, none))).Fields!).Key);
        var grid = await Assert.ThrowsAsync<RuleViolation>(() => RegisterAsync(app, "grid", Case()));
        Assert.Equal(DisputeErrors.Denied, grid.Code);
    }

    static Task<Guid> RegisteredAsync(ShiliuApp app, SaveDispute req) => RegisterAsync(app, "community", req);

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Escalation_moves_the_case_up_with_accept_or_return_one_number_throughout(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await AddTownship2Async(app);
        var id = await RegisterAsync(app, "community", Case(RiskColour.Yellow, ethnic: true));
        var number = (await app.AsAsync("community", sp => S(sp).GetAsync(id))).Number;

        var noReason = await Assert.ThrowsAsync<RuleViolation>(() => EscalateAsync(app, "community", id, " "));
        Assert.Equal(WorkflowErrors.Reason, noReason.Code);
        await EscalateAsync(app, "community", id, "涉及两个村民小组，社区调解不了");
        // The township sees the offer waiting for it; another township does not see the case at all.
        var incoming = await app.AsAsync("township", sp => S(sp).ListAsync(new DisputeQuery { Incoming = true }));
        Assert.Equal(number, Assert.Single(incoming.Items).Number);
        Assert.Equal("桂山街道", incoming.Items[0].OfferedTo);
        await Assert.ThrowsAsync<NotFoundInScope>(() => app.AsAsync("township2", sp => S(sp).GetAsync(id)));
        Assert.Empty((await app.AsAsync("township2", sp => S(sp).ListAsync(new DisputeQuery()))).Items);
        var todo = await app.AsAsync("township", sp => sp.GetRequiredService<TodoService>().MineAsync());
        Assert.Contains(todo, t => t.Title == "上报待接收的矛盾纠纷" && t.Count == 1);
        // The sender cannot accept its own offer, and steps on the case wait while it is offered.
        var self = await Assert.ThrowsAsync<RuleViolation>(() => StepAsync(app, "community", id, "receive"));
        Assert.Equal(WorkflowErrors.Denied, self.Code);

        var returnNoReason = await Assert.ThrowsAsync<RuleViolation>(() => StepAsync(app, "township", id, "return"));
        Assert.Equal(WorkflowErrors.Reason, returnNoReason.Code);
        await StepAsync(app, "township", id, "return", "属简单纠纷，请社区先行调解");
        var back = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal((DisputeStatus.Accepted, "城中社区", null), (back.Status, back.UnitName, back.OfferedTo));
        Assert.Equal("属简单纠纷，请社区先行调解", back.History[^1].Reason);

        await EscalateAsync(app, "community", id, "调解两次未果，双方情绪激烈");
        await StepAsync(app, "township", id, "receive");
        var atTownship = await app.AsAsync("township", sp => S(sp).GetAsync(id));
        Assert.Equal((DisputeStatus.Accepted, "桂山街道", number), (atTownship.Status, atTownship.UnitName, atTownship.Number));
        // The community no longer holds it: it neither sees nor acts on it.
        await Assert.ThrowsAsync<NotFoundInScope>(() => app.AsAsync("community", sp => S(sp).GetAsync(id)));

        await EscalateAsync(app, "township", id, "涉及民族风俗，须县里协调");
        await StepAsync(app, "county", id, "receive");
        var atCounty = await app.AsAsync("county", sp => S(sp).GetAsync(id));
        Assert.Equal(number, atCounty.Number);
        Assert.Equal(["城中社区", "桂山街道", "城中社区", "桂山街道", "桂山街道", Shiliu.Core.Seed.Seeder.CountyName, Shiliu.Core.Seed.Seeder.CountyName], atCounty.Holdings.Select(h => h.UnitName));
        Assert.Equal([false, true, false, true, false, true, false], atCounty.Holdings.Select(h => h.Waiting));
        var top = await Assert.ThrowsAsync<RuleViolation>(() => EscalateAsync(app, "county", id, "再上报"));
        Assert.Equal(DisputeErrors.Escalate, top.Code);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_case_with_ethnic_factors_is_seen_only_by_the_handling_unit_the_units_above_and_the_roles_that_handle_disputes(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await AddTownship2Async(app);
        var ethnic = await RegisterAsync(app, "community", Case(RiskColour.Red, ethnic: true));
        var plain = await RegisterAsync(app, "community", Case(RiskColour.Blue));
        // user → (sees the ethnic case, sees the plain case, may list at all)
        var expected = new Dictionary<string, (bool Ethnic, bool Plain, bool List)>
        {
            ["county"] = (true, true, true),        // CountyOfficer: above, handles disputes
            ["township"] = (true, true, true),      // TownshipOfficer of 桂山街道: above
            ["community"] = (true, true, true),     // CommunityStaff: the handling unit
            ["township2"] = (false, false, true),   // TownshipOfficer of 扬武镇: outside the subtree
            ["community2"] = (false, false, true),  // CommunityStaff of 中心村: outside
            ["leader"] = (false, true, true),       // Leader: county-wide, but does not handle disputes
            ["grid"] = (false, false, false),       // GridWorker: no dispute permission
            ["assessor"] = (false, false, false),   // Assessor
            ["security"] = (false, false, false),   // SecurityAdmin
            ["auditor"] = (false, false, false),    // AuditAdmin
        };
        foreach (var (user, want) in expected)
        {
            if (!want.List)
            {
                var denied = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync(user, sp => S(sp).ListAsync(new DisputeQuery())));
                Assert.Equal(DisputeErrors.Denied, denied.Code);
                await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync(user, sp => S(sp).GetAsync(ethnic)));
                continue;
            }
            var listed = (await app.AsAsync(user, sp => S(sp).ListAsync(new DisputeQuery()))).Items.Select(r => r.Id).ToList();
            Assert.True(want.Ethnic == listed.Contains(ethnic), $"{user} lists the ethnic case: {!want.Ethnic}");
            Assert.True(want.Plain == listed.Contains(plain), $"{user} lists the plain case: {!want.Plain}");
            if (want.Ethnic) Assert.True((await app.AsAsync(user, sp => S(sp).GetAsync(ethnic))).EthnicFactors);
            else await Assert.ThrowsAsync<NotFoundInScope>(() => app.AsAsync(user, sp => S(sp).GetAsync(ethnic)));
            // Links from other modules find it exactly when the caller may see it.
            var kind2 = await app.AsAsync(user, async sp =>
            {
                var k = sp.GetServices<ICaseKind>().Single(x => x.Kind == "dispute");
                await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
                return (await k.FindAsync(db, ethnic, default), await k.SearchAsync(db, null, 10, default));
            });
            Assert.Equal(want.Ethnic, kind2.Item1 is not null);
            Assert.Equal(want.Ethnic, kind2.Item2.Any(c => c.Id == ethnic));
        }
        // The leader's figures count the ethnic case, de-identified: the veto names the unit, never the case.
        var stats = await app.AsAsync("leader", sp => sp.GetRequiredService<DisputeStatisticsService>().StatsAsync(new DisputeStatsQuery()));
        Assert.Equal((2, 1), (stats.Total, stats.Ethnic));
        var veto = Assert.Single(stats.Veto);
        Assert.Equal(("城中社区", "桂山街道", 1), (veto.UnitName, veto.TownshipName, veto.Cases));
        var json = System.Text.Json.JsonSerializer.Serialize(stats);
        Assert.DoesNotContain("JF", json);
        Assert.DoesNotContain("宅基地界址", json);
        await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("grid", sp => sp.GetRequiredService<DisputeStatisticsService>().StatsAsync(new DisputeStatsQuery())));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_veto_names_units_with_a_red_case_involving_ethnic_factors_in_the_period_only(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await RegisterAsync(app, "community", Case(RiskColour.Yellow, ethnic: true));
        await RegisterAsync(app, "community2", Case(RiskColour.Red, ethnic: false));
        var veto = (DateOnly from, DateOnly to) => app.AsAsync("county", sp => sp.GetRequiredService<DisputeStatisticsService>().VetoAsync(from, to));
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        Assert.Empty(await veto(today.AddDays(-30), today));
        await RegisterAsync(app, "community2", Case(RiskColour.Red, ethnic: true));
        var hit = Assert.Single(await veto(today.AddDays(-30), today));
        Assert.Equal(("中心村", "扬武镇", 1), (hit.UnitName, hit.TownshipName, hit.Cases));
        Assert.Empty(await veto(today.AddDays(-60), today.AddDays(-31)));
        // A township sees only its own subtree's units.
        Assert.Empty(await app.AsAsync("township", sp => sp.GetRequiredService<DisputeStatisticsService>().VetoAsync(today.AddDays(-30), today)));
        var bad = await Assert.ThrowsAsync<RuleViolation>(() => veto(today, today.AddDays(-1)));
        Assert.Equal("to", Assert.Single(bad.Fields!).Key);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Parties_are_masked_in_lists_exports_and_audit_rows_and_revealed_only_with_a_purpose(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var idNumber = Ids.Next(new DateOnly(1979, 3, 8), male: false);
        var id = await RegisterAsync(app, "community", Case(RiskColour.Yellow, idNumber: idNumber, phone: "13987654321"));
        var row = Assert.Single((await app.AsAsync("township", sp => S(sp).ListAsync(new DisputeQuery()))).Items);
        Assert.Equal("者*兰、李*华", row.Parties);
        var leaderView = await app.AsAsync("leader", sp => S(sp).GetAsync(id));
        Assert.Equal("者*兰", leaderView.Parties[0].Name);
        Assert.False(leaderView.CanReveal);
        var d = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal(("者玉兰", IdNumber.Mask(idNumber), "139****4321", "彝族"), (d.Parties[0].Name, d.Parties[0].IdNumberMasked, d.Parties[0].PhoneMasked, d.Parties[0].EthnicityName));

        var noPurpose = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => S(sp).RevealAsync(id, d.Parties[0].Id, "看")));
        Assert.Equal("purpose", Assert.Single(noPurpose.Fields!).Key);
        await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("leader", sp => S(sp).RevealAsync(id, d.Parties[0].Id, "核实当事人身份")));
        var full = await app.AsAsync("community", sp => S(sp).RevealAsync(id, d.Parties[0].Id, "通知当事人参加调解"));
        Assert.Equal((idNumber, "13987654321"), (full.IdNumber, full.Phone));

        var file = await app.AsAsync("community", sp => sp.GetRequiredService<DisputeLedger>().ExportAsync(new DisputeQuery(), "核对调解台账"));
        var (bytes, name) = await Exports.ReadAsync(file);
        Assert.Equal("调解台账-城中社区.xlsx", name);
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            var all = string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".xml")).Select(e => new StreamReader(e.Open()).ReadToEnd()));
            Assert.Contains("者*兰（" + IdNumber.Mask(idNumber) + "）", all);
            Assert.Contains(d.Number, all);
            Assert.DoesNotContain("者玉兰", all);
            Assert.DoesNotContain(idNumber, all);
            Assert.DoesNotContain("13987654321", all);
        }
        var dossier = await app.AsAsync("community", sp => sp.GetRequiredService<DisputeLedger>().DossierAsync(id));
        var (dbytes, _) = await Exports.ReadAsync(dossier);
        using (var zip = new ZipArchive(new MemoryStream(dbytes)))
        {
            var all = string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".xml")).Select(e => new StreamReader(e.Open()).ReadToEnd()));
            Assert.Contains("人调字第 " + d.Number, all);
            Assert.Contains("调解协议书", all);
            Assert.DoesNotContain("者玉兰", all);
        }

        await using var db = await app.SystemDbAsync();
        var audit = await db.AuditEntries.Select(a => new { a.Event, a.Summary, a.Before, a.After }).ToListAsync();
        var text = string.Join("\n", audit.Select(a => $"{a.Summary} {a.Before} {a.After}"));
        Assert.DoesNotContain("者玉兰", text);
        Assert.DoesNotContain(idNumber, text);
        Assert.DoesNotContain("13987654321", text);
        Assert.DoesNotContain("多次发生口角", text);
        Assert.Contains(audit, a => a.Event == AuditEvents.PersonalDataView && a.Summary!.Contains("者*兰") && a.Summary.Contains("用途：通知当事人参加调解"));
        Assert.Contains(audit, a => a.Event == AuditEvents.PersonalDataExport && a.Summary!.Contains("人民调解台账") && a.Summary.Contains("用途：核对调解台账"));
        // At rest the ID number and phone are sealed.
        var stored = await db.DisputeParties.Where(p => p.DisputeId == id && p.Sort == 0).SingleAsync();
        Assert.DoesNotContain(idNumber, stored.IdNumberCipher);
        Assert.DoesNotContain("13987654321", stored.PhoneCipher);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_appeal_converts_into_a_dispute_in_the_callers_unit_of_work_keeping_its_source(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var source = new CaseRef("appeal", Guid.NewGuid(), "SQ2026-0042", "邻居占用通道", "/appeals/x");
        var made = await app.AsAsync("community", async sp =>
        {
            var target = sp.GetServices<ICaseIntakeTarget>().Single(t => t.Kind == "dispute");
            Assert.Equal(("转为矛盾纠纷", DisputePermissions.Handle), (target.Verb, target.Permission));
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            var r = await target.OpenFromAsync(db, new CaseIntake(source, unit.Id, "邻居占用通道", "邻居在通道堆放杂物，多次协商无果。", "王小芳", "13800001111", "三组"), default);
            // Nothing is written until the caller saves its own change with it.
            Assert.Empty(await db.Disputes.AsNoTracking().ToListAsync());
            await db.SaveChangesAsync();
            return r;
        });
        var d = await app.AsAsync("community", sp => S(sp).GetAsync(made.Id));
        Assert.Equal((DisputeSource.Appeal, "SQ2026-0042", "王小芳", "138****1111"), (d.Source, d.SourceCase!.Number, d.Parties[0].Name, d.Parties[0].PhoneMasked));
        Assert.Equal($"/disputes/{d.Id}", made.Link);
        // A grid worker may not open one.
        await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("grid", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            await sp.GetServices<ICaseIntakeTarget>().Single(t => t.Kind == "dispute").OpenFromAsync(db, new CaseIntake(source, unit.Id, "x", "y", null, null, null), default);
        }));
    }
}
