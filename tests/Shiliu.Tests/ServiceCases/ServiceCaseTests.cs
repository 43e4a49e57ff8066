using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Notifications;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Residents;
using Shiliu.Core.ServiceCases;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.ServiceCases;

public sealed class ServiceCaseTests
{
    internal const string Chengzhong = "530427001001";
    internal const string Zhongxin = "530427101001";

    static ServiceCaseService S(IServiceProvider sp) => sp.GetRequiredService<ServiceCaseService>();

    internal static async Task<Guid> TypeAsync(ShiliuApp app, string name)
    {
        await using var db = await app.SystemDbAsync();
        return await db.ServiceTypes.Where(t => t.Name == name).Select(t => t.Id).SingleAsync();
    }

    internal static async Task<Guid> OpenAsync(ShiliuApp app, string user = "community", string type = "就业指导", Guid? unit = null, Guid? visit = null) =>
        await app.AsAsync(user, async sp => await S(sp).CreateAsync(new CreateServiceCase
        {
            TypeId = await TypeAsync(app, type), Source = ServiceSource.Window, OrgUnitId = unit, PersonName = "者玉兰", Phone = "13987654321",
            Title = "希望介绍附近的务工岗位", Request = "家中两人待业，希望社区帮助联系务工岗位。", VisitId = visit,
        }));

    static Task<ServiceCaseDetail> GetAsync(ShiliuApp app, string user, Guid id) => app.AsAsync(user, sp => S(sp).GetAsync(id));

    static async Task StepAsync(ShiliuApp app, string user, Guid id, string action, string? reason = null, Guid? to = null, Satisfaction? answer = null)
    {
        var version = (await GetAsync(app, user, id)).Version;
        await app.AsAsync(user, sp => S(sp).StepAsync(id, action, new ServiceStep(reason, version, to, answer)));
    }

    static async Task<RuleViolation> RefusedAsync(ShiliuApp app, string user, Guid id, string action, string? reason = null, Guid? to = null, Satisfaction? answer = null)
    {
        var version = await app.AsAsync(null, async sp => (await S(sp).GetAsync(id)).Version);
        return await app.AsAsync(user, async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => S(sp).StepAsync(id, action, new ServiceStep(reason, version, to, answer))));
    }

    /// <summary>A township office of a third branch (neither the sender's nor the receiver's): it must see nothing.</summary>
    internal static async Task<string> OutsiderAsync(ShiliuApp app)
    {
        string third;
        await using (var db = await app.SystemDbAsync())
            third = await db.OrgUnits.Where(o => o.Level == Shiliu.Core.Organizations.OrgLevel.Township && o.Code != "530427001000" && o.Code != "530427101000")
                .OrderBy(o => o.Code).Select(o => o.Code).FirstAsync();
        var unit = await app.UnitAsync(third);
        await app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("outsider", "第三乡镇民政办", unit, Db.DemoPassword,
            Roles.TownshipOfficer, mustChange: false, demo: true));
        return "outsider";
    }

    /// <summary>Two communities opening cases at the same moment: every case gets its own number, in one unbroken sequence.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Cases_opened_at_the_same_moment_get_numbers_of_their_own(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => OpenAsync(app, i % 2 == 0 ? "community" : "community2")));
        await using var db = await app.SystemDbAsync();
        var numbers = await db.ServiceCases.Where(c => ids.Contains(c.Id)).Select(c => c.Number).ToListAsync();
        var seqs = numbers.Select(n => int.Parse(n[(n.IndexOf('-') + 1)..])).Order().ToList();
        Assert.Equal(Enumerable.Range(seqs[0], 8), seqs);
    }

    /// <summary>
    /// The county's plain list reads its page from the date index (on SQLite by a hint): the same cases, newest first, as
    /// a township's and a community's lists that take the path indexes, and a page of it is the same slice.
    /// </summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_county_s_list_is_every_case_newest_first_whichever_index_serves_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var zhongxin = await app.UnitAsync(Zhongxin);
        var opened = new List<Guid>();
        for (var i = 0; i < 3; i++) opened.Add(await OpenAsync(app));
        for (var i = 0; i < 2; i++) opened.Add(await OpenAsync(app, "community2"));
        await StepAsync(app, "community", opened[0], "transfer", "当事人已搬到中心村居住", zhongxin.Id);

        var county = await app.AsAsync("county", sp => S(sp).ListAsync(new ServiceCaseQuery { PageSize = 100 }));
        List<Guid> expected;
        await using (var db = await app.SystemDbAsync())
            expected = await db.ServiceCases.OrderByDescending(c => c.AcceptedUtc).ThenByDescending(c => c.Id).Select(c => c.Id).ToListAsync();
        Assert.Equal(expected, county.Items.Select(r => r.Id).ToList());
        Assert.Equal(5, county.Total);
        var second = await app.AsAsync("county", sp => S(sp).ListAsync(new ServiceCaseQuery { Page = 2, PageSize = 2 }));
        Assert.Equal(expected.Skip(2).Take(2), second.Items.Select(r => r.Id));
        var community = await app.AsAsync("community", sp => S(sp).ListAsync(new ServiceCaseQuery { PageSize = 100 }));
        Assert.Equal(expected.Where(opened.Take(3).Contains), community.Items.Select(r => r.Id));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_case_is_handled_transferred_returned_accepted_closed_reopened_once_and_archived(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var zhongxin = await app.UnitAsync(Zhongxin);
        var outsider = await OutsiderAsync(app);
        var id = await OpenAsync(app);
        var opened = await GetAsync(app, "community", id);
        Assert.Matches(@"^FW\d{4}-\d{6}$", opened.Number);
        Assert.Equal((ServiceCaseStatus.Accepted, "城中社区", 5, "139****4321"), (opened.Status, opened.UnitName, opened.TimeLimitDays, opened.PhoneMasked));
        Assert.NotNull(opened.DueUtc);

        // Illegal steps say why, in Chinese.
        var early = await RefusedAsync(app, "community", id, "archive");
        Assert.Equal(WorkflowErrors.State, early.Code);
        Assert.Contains($"服务事项 {opened.Number}当前为“已受理”，不能归档", early.Message);
        var noReason = await RefusedAsync(app, "community", id, "suspend");
        Assert.Equal(("reason", "挂起须写明挂起原因"), (noReason.Fields.Keys.Single(), noReason.Message));
        var notMine = await RefusedAsync(app, "township", id, "close", "已办理");
        Assert.Equal(WorkflowErrors.Denied, notMine.Code);

        await StepAsync(app, "community", id, "handle");
        await StepAsync(app, "community", id, "suspend", "等待群众补充身份证复印件");
        var paused = await GetAsync(app, "community", id);
        Assert.Equal(("已暂停计时", (DateTime?)null), (paused.ClockState, paused.DueUtc));
        await StepAsync(app, "community", id, "resume");

        // 转办 needs a reason and a receiving unit other than its own.
        var noTarget = await RefusedAsync(app, "community", id, "transfer", "属中心村辖区");
        Assert.Equal("toUnitId", noTarget.Fields.Keys.Single());
        var self = await RefusedAsync(app, "community", id, "transfer", "转给自己", (await app.UnitAsync(Chengzhong)).Id);
        Assert.Contains("不能转给本单位", self.Message);
        await StepAsync(app, "community", id, "transfer", "当事人已搬到中心村居住", zhongxin.Id);

        // The receiver sees the waiting case; a third branch does not; the sender may not accept it for the receiver.
        var incoming = await app.AsAsync("community2", sp => S(sp).ListAsync(new ServiceCaseQuery { Incoming = true }));
        Assert.Equal((opened.Number, "中心村", "城中社区"), (incoming.Items.Single().Number, incoming.Items.Single().WaitingUnitName, incoming.Items.Single().UnitName));
        Assert.Empty((await app.AsAsync(outsider, sp => S(sp).ListAsync(new ServiceCaseQuery()))).Items);
        await app.AsAsync(outsider, async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => S(sp).GetAsync(id)));
        Assert.IsType<NotFoundInScope>(await RefusedAsync(app, outsider, id, "receive"));
        Assert.Equal(WorkflowErrors.Denied, (await RefusedAsync(app, "community", id, "receive")).Code);

        // Returned with a reason, which the sender reads in a notification and on the case.
        Assert.Equal("reason", (await RefusedAsync(app, "community2", id, "send-back")).Fields.Keys.Single());
        await StepAsync(app, "community2", id, "send-back", "当事人户籍仍在城中社区，请原单位办理");
        var back = await GetAsync(app, "community", id);
        Assert.Equal((ServiceCaseStatus.InProgress, "城中社区", (string?)null, "当事人户籍仍在城中社区，请原单位办理"), (back.Status, back.UnitName, back.WaitingUnitName, back.SentBackReason));
        var news = await app.AsAsync("community", sp => sp.GetRequiredService<NotificationService>().ListAsync());
        Assert.Contains(news.Items, n => n.Title.Contains("退回了服务事项") && n.Title.Contains("当事人户籍仍在城中社区") && n.Href == $"/service-cases/{id}");
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => S(sp).GetAsync(id)));

        // Offered again and accepted: the receiver holds it now, the sender no longer sees it.
        await StepAsync(app, "community", id, "transfer", "经核实当事人已迁入中心村", zhongxin.Id);
        await StepAsync(app, "community2", id, "receive");
        var moved = await GetAsync(app, "community2", id);
        Assert.Equal((ServiceCaseStatus.Accepted, "中心村", opened.Number), (moved.Status, moved.UnitName, moved.Number));
        Assert.Equal([("城中社区", false), ("中心村", true), ("城中社区", false), ("中心村", true), ("中心村", false)],
            moved.Holdings.Select(h => (h.UnitName, h.Waiting)));
        await app.AsAsync("community", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => S(sp).GetAsync(id)));

        await StepAsync(app, "community2", id, "close", "已推荐到县人社局招聘会，两人均已登记");
        var closed = await GetAsync(app, "community2", id);
        Assert.Equal((ServiceCaseStatus.Closed, true), (closed.Status, closed.ClosedOnTime));
        Assert.Contains("须先回访再归档", (await RefusedAsync(app, "community2", id, "archive")).Message);
        Assert.Equal("satisfaction", (await RefusedAsync(app, "community2", id, "revisit")).Fields.Keys.Single());

        // 不满意 the first time: 重办, counted.
        await StepAsync(app, "community2", id, "revisit", "岗位离家太远", answer: Satisfaction.Unsatisfied);
        var reopened = await GetAsync(app, "community2", id);
        Assert.Equal((ServiceCaseStatus.InProgress, 1, Satisfaction.Unsatisfied, (DateTime?)null), (reopened.Status, reopened.ReopenCount, reopened.Satisfaction, reopened.ClosedUtc));
        await StepAsync(app, "community2", id, "close", "另行推荐镇上的食品厂岗位");
        // The second 不满意 closes it as 不满意; no second 重办.
        await StepAsync(app, "community2", id, "revisit", "仍不满意", answer: Satisfaction.Unsatisfied);
        var final = await GetAsync(app, "community2", id);
        Assert.Equal((ServiceCaseStatus.Revisited, 1, Satisfaction.Unsatisfied), (final.Status, final.ReopenCount, final.Satisfaction));
        await StepAsync(app, "community2", id, "archive");
        var history = await GetAsync(app, "community2", id);
        Assert.Equal(["受理", "开始办理", "挂起", "恢复办理", "转办", "退回", "转办", "接收", "办结", "重办", "办结", "回访", "归档"], history.History.Select(h => h.Verb));
        Assert.Equal(ServiceCaseStatus.Archived, history.Status);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_pause_stops_the_clock_keeps_the_time_used_and_pushes_the_deadline_on_resume(DbProvider kind)
    {
        // Monday 2026-11-02 10:00 in China: a week without holidays.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var id = await OpenAsync(app, type: "就业指导");
        var due = (await GetAsync(app, "community", id)).DueUtc!.Value;
        Assert.Equal(new DateTime(2026, 11, 9, 10, 0, 0, DateTimeKind.Utc), due);       // 5 working days: Monday 9 November, 18:00 China

        clock.Advance(TimeSpan.FromDays(1));                                            // Tuesday 10:00: one working day used
        await StepAsync(app, "community", id, "suspend", "等待群众补充材料");
        var used = (await GetAsync(app, "community", id)).UsedText;
        Assert.Equal("1个工作日", used);
        clock.Advance(TimeSpan.FromDays(3));                                            // Friday: paused all the while
        var paused = await GetAsync(app, "community", id);
        Assert.Equal(("已暂停计时", used), (paused.ClockState, paused.UsedText));
        await StepAsync(app, "community", id, "resume");
        var resumed = await GetAsync(app, "community", id);
        // Three working days paused (Tue–Fri 10:00) push the deadline by three working days.
        Assert.Equal(new DateTime(2026, 11, 12, 10, 0, 0, DateTimeKind.Utc), resumed.DueUtc);
        Assert.Equal("1个工作日", resumed.UsedText);

        // Past the deadline: overdue in the list and in 我的待办.
        clock.Advance(TimeSpan.FromDays(7));
        Assert.Single((await app.AsAsync("community", sp => S(sp).ListAsync(new ServiceCaseQuery { Overdue = true }))).Items);
        var todos = await app.AsAsync("community", sp => sp.GetRequiredService<TodoService>().MineAsync());
        Assert.Contains(todos, t => t.Kind == TodoKind.Overdue && t.Title == "已逾期的服务事项" && t.Count == 1);
        await StepAsync(app, "community", id, "close", "已办结");
        Assert.False((await GetAsync(app, "community", id)).ClosedOnTime);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Figures_count_real_rows_by_unit_and_type_in_the_callers_scope(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var a = await OpenAsync(app, type: "就业指导");
        var b = await OpenAsync(app, type: "就业指导");
        var c = await OpenAsync(app, type: "民族语文翻译");
        await OpenAsync(app, "community2", type: "就业指导");
        await StepAsync(app, "community", a, "close", "已推荐岗位");
        await StepAsync(app, "community", a, "revisit", answer: Satisfaction.Satisfied);
        await StepAsync(app, "community", b, "close", "已推荐岗位");
        await StepAsync(app, "community", b, "revisit", "不合适", answer: Satisfaction.Unsatisfied);
        await StepAsync(app, "community", b, "close", "再次推荐");
        // Reopened and closed again, it waits for its next 回访: not counted as revisited yet.
        var waiting = await app.AsAsync("community", sp => sp.GetRequiredService<ServiceFigures>().ComputeAsync(new ServiceFigureQuery()));
        Assert.Equal((2, 1), (waiting.Rows.Single(r => r.TypeName == "就业指导").RevisitDue, waiting.Rows.Single(r => r.TypeName == "就业指导").Revisited));
        await StepAsync(app, "community", b, "revisit", answer: Satisfaction.Basic);
        await StepAsync(app, "community", c, "close", "已翻译");
        Assert.Contains("不需要回访", (await RefusedAsync(app, "community", c, "revisit", answer: Satisfaction.Satisfied)).Message);
        await StepAsync(app, "community", c, "archive");

        var mine = await app.AsAsync("community", sp => sp.GetRequiredService<ServiceFigures>().ComputeAsync(new ServiceFigureQuery()));
        var jobs = mine.Rows.Single(r => r.TypeName == "就业指导");
        Assert.Equal(("城中社区", 2, 2, 2, 2, 2, 2, 1), (jobs.UnitName, jobs.Received, jobs.Closed, jobs.ClosedOnTime, jobs.RevisitDue, jobs.Revisited, jobs.Satisfied, jobs.Reopened));
        Assert.Equal((1.0, 1.0, 1.0), (jobs.OnTimeRate, jobs.RevisitRate, jobs.SatisfactionRate));
        var words = mine.Rows.Single(r => r.TypeName == "民族语文翻译");
        Assert.Equal((1, 1, 0, (double?)null), (words.Received, words.Closed, words.RevisitDue, words.RevisitRate));
        Assert.Equal((3, 3, 1), (mine.Total.Received, mine.Total.Closed, mine.Total.Reopened));

        // The township sees its communities only; the county all; a period before the cases finds none.
        var township = await app.AsAsync("township", sp => sp.GetRequiredService<ServiceFigures>().ComputeAsync(new ServiceFigureQuery()));
        Assert.Equal(3, township.Total.Received);
        var county = await app.AsAsync("county", sp => sp.GetRequiredService<ServiceFigures>().ComputeAsync(new ServiceFigureQuery()));
        Assert.Equal(4, county.Total.Received);
        Assert.Equal(2, county.Rows.Select(r => r.UnitName).Distinct().Count());
        var before = await app.AsAsync("county", sp => sp.GetRequiredService<ServiceFigures>().ComputeAsync(new ServiceFigureQuery { To = new DateOnly(2020, 1, 1) }));
        Assert.Equal(0, before.Total.Received);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_visits_finding_becomes_a_case_linked_both_ways_once(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var rid = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(ResidentTests.Floating(unit.Id, Ids.Next())));
        var visit = await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit
        {
            ResidentId = rid, VisitDate = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow)), Visitor = "李网格", Findings = "孩子今年秋季入学，缺少居住证明",
        }));
        Assert.Null(await app.AsAsync("community", sp => S(sp).ForVisitAsync(visit)));
        var id = await OpenAsync(app, type: "子女入学", visit: visit);
        var c = await GetAsync(app, "community", id);
        Assert.Equal((visit, ServiceSource.Visit, rid, "者玉兰", "139****4321"), (c.VisitId!.Value, c.Source, c.ResidentId!.Value, c.PersonName, c.PhoneMasked));
        Assert.Contains("李网格", c.VisitText);
        var back = await app.AsAsync("community", sp => S(sp).ForVisitAsync(visit));
        Assert.Equal((c.Number, $"/service-cases/{id}"), (back!.Number, back.Link));
        Assert.Single((await app.AsAsync("community", sp => S(sp).ListAsync(new ServiceCaseQuery { VisitId = visit }))).Items);
        var twice = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => OpenAsync(app, type: "子女入学", visit: visit)));
        Assert.Equal((ServiceCaseErrors.Duplicate.Code, "visitId"), (twice.Code, twice.Fields.Keys.Single()));
        // Another branch cannot turn this visit into a case of its own.
        var foreign = await app.AsAsync("community2", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => OpenAsync(app, "community2", type: "子女入学", visit: visit)));
        Assert.Equal("visitId", foreign.Fields.Keys.Single());
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Another_module_opens_a_case_from_its_record_in_one_unit_of_work_and_the_source_stays_on_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var appealId = Guid.CreateVersion7();
        var source = new CaseRef("appeal", appealId, "SQ2026-000042", "孩子入学需要翻译帮助", $"/appeals/{appealId}");
        var made = await app.AsAsync("community", async sp =>
        {
            var target = sp.GetRequiredService<IEnumerable<ICaseIntakeTarget>>().Single(t => t.Kind == "service-case");
            Assert.Equal(("转为服务事项", ServiceCasePermissions.Manage), (target.Verb, target.Permission));
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            var r = await target.OpenFromAsync(db, new CaseIntake(source, unit.Id, "子女入学咨询", "孩子今年入学，家长只会彝语，需要民族语文翻译", "者玉兰", "13987654321", "城中社区3组"), default);
            // Nothing is written until the caller saves its own change with it.
            Assert.Equal(0, await db.ServiceCases.CountAsync());
            await db.SaveChangesAsync();
            return r;
        });
        Assert.Equal(("service-case", "子女入学咨询"), (made.Kind, made.Title));
        var c = await GetAsync(app, "community", made.Id);
        Assert.Equal((ServiceSource.Appeal, "子女入学", "SQ2026-000042", $"/appeals/{appealId}", "139****4321"),
            (c.Source, c.TypeName, c.SourceCase!.Number, c.SourceCase.Link, c.PhoneMasked));
        Assert.Contains("地点：城中社区3组", c.Request);

        var kindOf = (IServiceProvider sp) => sp.GetRequiredService<IEnumerable<ICaseKind>>().Single(k => k.Kind == "service-case");
        Assert.Equal(c.Number, (await app.AsAsync("township", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            return await kindOf(sp).FindAsync(db, made.Id, default);
        }))!.Number);
        Assert.Null(await app.AsAsync("community2", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            return await kindOf(sp).FindAsync(db, made.Id, default);
        }));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Hostile_and_oversize_input_is_refused_naming_the_field_and_the_phone_is_sealed(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var type = await TypeAsync(app, "社会救助");
        async Task<RuleViolation> Bad(Action<CreateServiceCase> change)
        {
            var req = new CreateServiceCase { TypeId = type, Title = "申请临时救助", Request = "家中遭遇火灾" };
            change(req);
            return await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => S(sp).CreateAsync(req)));
        }
        Assert.Equal("title", (await Bad(r => r.Title = new string('救', 61))).Fields.Keys.Single());
        Assert.Equal("request", (await Bad(r => r.Request = new string('火', 2001))).Fields.Keys.Single());
        Assert.Contains("控制字符", (await Bad(r => r.Request = "家中\u202E遭遇火灾")).Fields["request"][0]);
        Assert.Equal("title", (await Bad(r => r.Title = "申请\u0000救助")).Fields.Keys.Single());
        Assert.Equal("phone", (await Bad(r => r.Phone = "12345")).Fields.Keys.Single());
        Assert.Equal("typeId", (await Bad(r => r.TypeId = Guid.NewGuid())).Fields.Keys.Single());
        Assert.Equal("orgUnitId", (await Bad(r => r.OrgUnitId = Guid.NewGuid())).Fields.Keys.Single());
        var id = await OpenAsync(app);
        Assert.Equal("reason", (await RefusedAsync(app, "community", id, "close", new string('结', 501))).Fields.Keys.Single());
        Assert.Equal("action", (await RefusedAsync(app, "community", id, "reopen", "直接重办")).Fields.Keys.Single());
        var script = "<script>alert(1)</script>";
        var xss = await app.AsAsync("community", async sp => await S(sp).CreateAsync(new CreateServiceCase { TypeId = type, Title = script, Request = script }));
        Assert.Equal(script, (await GetAsync(app, "community", xss)).Title);   // stored as text, shown encoded

        await using var db = await app.SystemDbAsync();
        var row = await db.ServiceCases.SingleAsync(c => c.Id == id);
        Assert.DoesNotContain("13987654321", row.PhoneCipher);
        Assert.Equal("139****4321", row.PhoneMasked);
        var audit = await db.AuditEntries.Where(a => a.EntityId == id.ToString()).Select(a => (a.After ?? "") + (a.Summary ?? "")).ToListAsync();
        Assert.DoesNotContain(audit, a => a.Contains("13987654321") || a.Contains("家中两人待业"));
        var phone = await app.AsAsync("community", sp => S(sp).RevealPhoneAsync(id, "电话回访群众"));
        Assert.Equal("13987654321", phone);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == Shiliu.Core.Auditing.AuditEvents.PersonalDataView && a.EntityId == id.ToString()));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_county_keeps_the_types_legal_aid_links_its_units_legal_publicity_and_the_guide_is_public(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var denied = await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<ServiceTypeService>().SaveAsync(null, new SaveServiceType { Name = "老年服务", TimeLimitDays = 5 })));
        Assert.Equal(ServiceCaseErrors.Denied.Code, denied.Code);
        var dup = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<ServiceTypeService>().SaveAsync(null, new SaveServiceType { Name = "法律援助", TimeLimitDays = 5 })));
        Assert.Equal("name", dup.Fields.Keys.Single());
        var all = await app.AsAsync("county", sp => sp.GetRequiredService<ServiceTypeService>().ListAsync());
        Assert.Contains(all, t => t.Name == "民族语文翻译" && !t.NeedsRevisit);

        // 法律援助 names the unit's 法律宣传 activities; others are refused.
        var unit = await app.UnitAsync(Chengzhong);
        Guid legal, other;
        await using (var db = await app.SystemDbAsync())
        {
            var code = await db.DictionaryItems.Where(d => d.Kind == Shiliu.Core.Dictionaries.DictionaryKinds.ActivityType && d.Name == "法律宣传").Select(d => d.Code).SingleAsync();
            var a1 = new Shiliu.Core.Activities.Activity { OrgUnitId = unit.Id, OrgPath = unit.Path, TypeCode = code, Title = "宪法宣传日进社区", Date = new DateOnly(2026, 12, 4), Place = "城中社区广场", Organiser = "城中社区", Criteria = "" };
            var a2 = new Shiliu.Core.Activities.Activity { OrgUnitId = unit.Id, OrgPath = unit.Path, TypeCode = "A04", Title = "广场舞比赛", Date = new DateOnly(2026, 10, 1), Place = "城中社区广场", Organiser = "城中社区", Criteria = "" };
            db.AddRange(a1, a2);
            await db.SaveChangesAsync();
            (legal, other) = (a1.Id, a2.Id);
        }
        var aid = await OpenAsync(app, type: "法律援助");
        var offered = await app.AsAsync("community", sp => S(sp).LegalActivitiesAsync(aid));
        Assert.Equal([legal], offered.Select(a => a.Id));
        var v = (await GetAsync(app, "community", aid)).Version;
        var wrong = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => S(sp).LinkActivitiesAsync(aid, [other], v)));
        Assert.Equal("activityIds", wrong.Fields.Keys.Single());
        await app.AsAsync("community", sp => S(sp).LinkActivitiesAsync(aid, [legal], v));
        Assert.Equal("宪法宣传日进社区", (await GetAsync(app, "community", aid)).Activities.Single().Title);
        Assert.Equal(aid, (await app.AsAsync("community", sp => S(sp).ForActivityAsync(legal))).Single().Id);
        var job = await OpenAsync(app);
        Assert.Contains("只有法律援助", (await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            S(sp).LinkActivitiesAsync(job, [legal], 1)))).Message);

        // The guide: staff write it, residents read it on the public home without an account.
        await app.AsAsync("community", sp => sp.GetRequiredService<ServiceGuideService>().SaveEntryAsync(null, new SaveGuideEntry
        {
            OrgUnitId = unit.Id, Name = "居住证明开具", Materials = "身份证\n户口簿", Place = "城中社区便民服务站", Hours = "工作日 9:00-12:00，14:30-18:00", Phone = "0877-7012345",
            Steps = "1. 提交材料\n2. 当场开具",
        }));
        await app.AsAsync("community", sp => sp.GetRequiredService<ServiceGuideService>().SaveWindowAsync(null, new SaveServiceWindow
            { OrgUnitId = unit.Id, Kind = WindowKind.Hotline, Name = "社区服务热线", Phone = "0877-7012345" }));
        var bad = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => sp.GetRequiredService<ServiceGuideService>()
            .SaveEntryAsync(null, new SaveGuideEntry { OrgUnitId = unit.Id, Name = "x", Materials = new string('材', 1001), Place = "p", Hours = "h", Phone = "1", Steps = "s" })));
        Assert.Equal("materials", bad.Fields.Keys.Single());
        using var anonymous = app.BrowserClient();
        var home = await anonymous.GetStringAsync("/public");
        Assert.Contains("办事指南", home);
        Assert.Contains("居住证明开具", home);
        var guide = await anonymous.GetStringAsync("/public/guide");
        Assert.Contains("户口簿", guide);
        Assert.Contains("社区服务热线", guide);
    }
}
