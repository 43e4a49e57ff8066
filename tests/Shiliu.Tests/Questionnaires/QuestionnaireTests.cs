using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Questionnaires;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Questionnaires;

public sealed class QuestionnaireTests
{
    internal const string Chengzhong = "530427001001";
    internal const string YangwuFirst = "530427101001";
    // 2026-11-02 09:00 China time.
    internal static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
    internal static readonly DateOnly Today = new(2026, 11, 2);

    static QuestionnaireService S(IServiceProvider sp) => sp.GetRequiredService<QuestionnaireService>();
    static QuestionnaireResults R(IServiceProvider sp) => sp.GetRequiredService<QuestionnaireResults>();
    internal static PublicQuestionnaireService P(ShiliuApp app) => app.Services.GetRequiredService<PublicQuestionnaireService>();

    internal static async Task<(Guid Questionnaire, Guid Publication, string Slug)> PublishAsync(ShiliuApp app, string unitCode = Chengzhong,
        Distribution distribution = Distribution.Codes, Guid? questionnaire = null, int target = 50)
    {
        var qid = questionnaire ?? await app.AsAsync("county", sp => S(sp).CreateFromTemplateAsync());
        var unit = await app.UnitAsync(unitCode);
        var pid = await app.AsAsync("county", sp => S(sp).PublishAsync(qid, new PublishQuestionnaire
        {
            UnitId = unit.Id, OpensOn = Today.AddDays(-3), ClosesOn = Today.AddDays(10), Target = target, Distribution = distribution,
        }));
        var row = await app.AsAsync("county", sp => S(sp).PublicationAsync(pid));
        return (qid, pid, row.Slug);
    }

    internal static async Task<IReadOnlyList<string>> CodesAsync(ShiliuApp app, Guid publication, int count)
    {
        var batch = await app.AsAsync("county", sp => S(sp).IssueCodesAsync(publication, count));
        return (await app.AsAsync("county", sp => S(sp).CodesAsync(publication, batch))).Codes.Select(c => c.Code).ToList();
    }

    /// <summary>A complete sheet for the template: 满意 or 不满意 overall, with or without an appeal raised.</summary>
    internal static Dictionary<string, IReadOnlyList<string>> Sheet(string overall = "a", bool raised = false, string? handled = "5")
    {
        var d = new Dictionary<string, IReadOnlyList<string>>
        {
            ["age"] = ["c"], ["years"] = ["d"], ["overall"] = [overall], ["channels"] = ["a", "d"], ["raised"] = [raised ? "a" : "b"],
            ["suggest"] = ["希望多办几场民族团结联欢活动"],
        };
        foreach (var r in new[] { "a", "b", "c", "d", "e" }) d[$"items.{r}"] = [overall];
        if (handled is not null) d["handled"] = [handled];
        return d;
    }

    static QuestionForm TwoQuestions(ShowIf? rule, string firstKey = "first") => new()
    {
        Sections =
        [
            new QuestionSection
            {
                Title = "甲", Questions =
                [
                    new Question { Key = firstKey, Kind = QuestionKind.Single, Text = "是否参加过活动", Options = [new() { Label = "是" }, new() { Label = "否" }] },
                    new Question { Key = "second", Kind = QuestionKind.Text, Text = "参加了什么活动", Required = true, ShowIf = rule },
                ],
            },
        ],
    };

    [Fact]
    public void Show_if_rules_may_only_point_back_at_an_earlier_question_with_that_option()
    {
        var ok = TwoQuestions(new ShowIf { Question = "first", AnyOf = ["a"] });
        ok.Normalize();

        var forward = new QuestionForm
        {
            Sections =
            [
                new QuestionSection { Title = "甲", Questions = [new Question { Key = "x", Kind = QuestionKind.Text, Text = "说明", ShowIf = new ShowIf { Question = "y", AnyOf = ["a"] } }] },
                new QuestionSection { Title = "乙", Questions = [new Question { Key = "y", Kind = QuestionKind.Single, Text = "是否", Options = [new() { Label = "是" }, new() { Label = "否" }] }] },
            ],
        };
        var e = Assert.Throws<RuleViolation>(forward.Normalize);
        Assert.Equal(QuestionnaireErrors.Invalid.Code, e.Code);
        Assert.Contains("第1题的显示条件只能依据它前面的题目", e.Message);

        var self = TwoQuestions(new ShowIf { Question = "second", AnyOf = ["a"] });
        Assert.Contains("只能依据它前面的题目", Assert.Throws<RuleViolation>(self.Normalize).Message);

        var missing = TwoQuestions(new ShowIf { Question = "first", AnyOf = ["z"] });
        Assert.Contains("第1题没有的选项", Assert.Throws<RuleViolation>(missing.Normalize).Message);

        var onText = new QuestionForm
        {
            Sections = [new QuestionSection { Title = "甲", Questions =
            [
                new Question { Key = "t", Kind = QuestionKind.Text, Text = "说明" },
                new Question { Key = "u", Kind = QuestionKind.Text, Text = "再说明", ShowIf = new ShowIf { Question = "t", AnyOf = ["a"] } },
            ] }],
        };
        Assert.Contains("单选、多选或评分题", Assert.Throws<RuleViolation>(onText.Normalize).Message);
    }

    [Fact]
    public void Every_kind_is_checked_and_answers_to_hidden_questions_are_dropped()
    {
        var form = new QuestionForm
        {
            Sections = [new QuestionSection { Title = "甲", Questions =
            [
                new Question { Key = "s", Kind = QuestionKind.Single, Text = "单选", Required = true, Options = [new() { Label = "是" }, new() { Label = "否" }] },
                new Question { Key = "m", Kind = QuestionKind.Multiple, Text = "多选", Options = [new() { Label = "甲" }, new() { Label = "乙" }, new() { Label = "丙" }] },
                new Question { Key = "r", Kind = QuestionKind.Rating, Text = "评分", Required = true },
                new Question { Key = "x", Kind = QuestionKind.Matrix, Text = "矩阵", Required = true, Options = [new() { Label = "好" }, new() { Label = "差" }],
                    Rows = [new() { Label = "环境" }, new() { Label = "服务" }] },
                new Question { Key = "n", Kind = QuestionKind.Number, Text = "家庭人口", Min = 1, Max = 20 },
                new Question { Key = "t", Kind = QuestionKind.Text, Text = "为什么不", Required = true, ShowIf = new ShowIf { Question = "s", AnyOf = ["b"] } },
            ] }],
        };
        form.Normalize();
        Assert.Equal(["1", "2", "3", "4", "5"], form.Questions.Single(q => q.Key == "r").Options.Select(o => o.Key));
        Assert.Equal("很不满意", form.Questions.Single(q => q.Key == "r").Options[0].Label);

        // 是: the text question is hidden, its answer dropped and not required.
        var answers = form.Read(new Dictionary<string, IReadOnlyList<string>>
        {
            ["s"] = ["a"], ["m"] = ["a", "c"], ["r"] = ["4"], ["x.a"] = ["a"], ["x.b"] = ["b"], ["n"] = ["3"], ["t"] = ["不该保存"],
        });
        Assert.DoesNotContain(answers, a => a.Question == "t");
        Assert.Equal(2, answers.Count(a => a.Question == "m"));
        Assert.Contains(answers, a => a is { Question: "x", Row: "b", Choice: "b" });
        Assert.Contains(answers, a => a is { Question: "n", Number: 3 });

        // 否: now it is shown and required; every problem is named per question, in Chinese.
        var e = Assert.Throws<RuleViolation>(() => form.Read(new Dictionary<string, IReadOnlyList<string>>
        {
            ["s"] = ["b"], ["r"] = ["9"], ["x.a"] = ["a"], ["n"] = ["30"],
        }));
        Assert.Equal(QuestionnaireErrors.Unanswered.Code, e.Code);
        Assert.Equal(["n", "r", "t", "x"], e.Fields.Keys.Order());
        Assert.Contains("第6题“为什么不”是必答题，请填写", e.Fields["t"][0]);
        Assert.Contains("第3题“评分”的选项无效", e.Fields["r"][0]);
        Assert.Contains("请为“服务”各选一项", e.Fields["x"][0]);
        Assert.Contains("请填写1到20之间的数字", e.Fields["n"][0]);
    }

    [Fact]
    public void A_stored_sheet_has_nothing_that_could_point_at_a_person_a_code_or_a_moment()
    {
        Assert.Equal(["AnsweredOn", "Id", "PublicationId"], typeof(QuestionnaireResponse).GetProperties().Select(p => p.Name).Order());
        Assert.Equal(typeof(DateOnly), typeof(QuestionnaireResponse).GetProperty("AnsweredOn")!.PropertyType);
        Assert.Equal(["Choice", "Id", "Number", "PublicationId", "Question", "ResponseId", "Row", "Text"], typeof(QuestionnaireAnswer).GetProperties().Select(p => p.Name).Order());
        Assert.Equal(["Batch", "Code", "Id", "PublicationId", "Used"], typeof(AnswerCode).GetProperties().Select(p => p.Name).Order());
        // The sheet's id is random, not time-ordered (a version 7 id would carry the moment it was made).
        Assert.Equal(4, new QuestionnaireResponse().Id.Version);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_county_builds_from_the_template_ties_it_to_a_survey_criterion_and_edits_after_publishing_make_a_new_revision(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, Clock());
        var (qid, pid, _) = await PublishAsync(app);
        var detail = await app.AsAsync("county", sp => S(sp).GetAsync(qid));
        Assert.Equal(QuestionnaireTemplate.CriterionNo, detail.CriterionNo);
        Assert.Equal("overall", detail.ScoreQuestion);
        Assert.Equal(["a", "b"], detail.ScoreOptions);
        Assert.Equal(1, detail.Revision);
        Assert.Contains("satisfaction".Length > 0 ? "满意" : "", detail.Form.Questions.Single(q => q.Key == "overall").Options.Select(o => o.Label));

        // The builder edits the published questions: a new revision; the publication keeps what residents see.
        var edit = detail.Form;
        edit.Questions.Single(q => q.Key == "overall").Text = "改过的总体评价题";
        await app.AsAsync("county", sp => S(sp).SaveAsync(qid, new SaveQuestionnaire
        {
            Title = detail.Title, Intro = detail.Intro, Form = edit, CriterionNo = detail.CriterionNo, ScoreQuestion = "overall", ScoreOptions = ["a", "b"], Version = detail.Version,
        }));
        var after = await app.AsAsync("county", sp => S(sp).GetAsync(qid));
        Assert.Equal(2, after.Revision);
        var (_, _, slug) = (qid, pid, (await app.AsAsync("county", sp => S(sp).PublicationAsync(pid))).Slug);
        var shown = await P(app).OpenAsync(slug);
        Assert.Equal("您对社区民族团结进步创建工作和服务的总体评价", shown.Form.Questions.Single(q => q.Key == "overall").Text);

        // A stale version is refused with who saved first.
        var stale = await Assert.ThrowsAsync<ConcurrencyConflict>(() => app.AsAsync("county", sp => S(sp).SaveAsync(qid, new SaveQuestionnaire
        {
            Title = "旧版本", Form = edit, Version = detail.Version,
        })));
        Assert.Contains("已被", stale.Message);

        // Criterion 1 is scored by 听取汇报 / 材料审核 only: a questionnaire cannot feed it.
        var bad = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("county", sp => S(sp).SaveAsync(null, new SaveQuestionnaire
        {
            Title = "另一份", Form = edit, CriterionNo = 1, ScoreQuestion = "overall", ScoreOptions = ["a"],
        })));
        Assert.Equal("criterionNo", bad.Fields.Keys.Single());
        Assert.Contains("不含问卷调查", bad.Message);

        // Community staff neither build nor publish.
        await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => S(sp).CreateFromTemplateAsync()));
        // A township publishes only inside its tree.
        var tq = await app.AsAsync("township", sp => S(sp).CreateFromTemplateAsync());
        var outside = await app.UnitAsync(YangwuFirst);
        var refused = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("township", sp => S(sp).PublishAsync(tq, new PublishQuestionnaire
        {
            UnitId = outside.Id, OpensOn = Today, ClosesOn = Today.AddDays(5), Target = 10,
        })));
        Assert.Equal("unitId", refused.Fields.Keys.Single());
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_code_is_used_up_only_by_a_finished_sheet_and_two_simultaneous_sheets_with_one_code_give_exactly_one_answer(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, Clock());
        var (_, pid, slug) = await PublishAsync(app);
        var codes = await CodesAsync(app, pid, 3);
        Assert.Equal(3, codes.Distinct().Count());

        // An unfinished sheet does not use the code.
        var incomplete = Sheet();
        incomplete.Remove("overall");
        var e = await Assert.ThrowsAsync<RuleViolation>(() => P(app).SubmitAsync(slug, incomplete, codes[0], null, _ => Task.CompletedTask));
        Assert.Equal(QuestionnaireErrors.Unanswered.Code, e.Code);
        Assert.Contains("第3题", e.Fields["overall"][0]);

        await P(app).SubmitAsync(slug, Sheet(), QuestionnaireService.FormatCode(codes[0]).ToLowerInvariant(), null, _ => Task.CompletedTask);
        var again = await Assert.ThrowsAsync<RuleViolation>(() => P(app).SubmitAsync(slug, Sheet(), codes[0], null, _ => Task.CompletedTask));
        Assert.Equal(QuestionnaireErrors.AlreadyAnswered.Code, again.Code);
        await Assert.ThrowsAsync<RuleViolation>(() => P(app).SubmitAsync(slug, Sheet(), "NOTACODE22", null, _ => Task.CompletedTask));
        var none = await Assert.ThrowsAsync<RuleViolation>(() => P(app).SubmitAsync(slug, Sheet(), null, null, _ => Task.CompletedTask));
        Assert.Equal("code", none.Fields.Keys.Single());

        // Eight sheets race for one code: one is stored.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try { await P(app).SubmitAsync(slug, Sheet(), codes[1], null, _ => Task.CompletedTask); return true; }
            catch (RuleViolation v) when (v.Error == QuestionnaireErrors.AlreadyAnswered) { return false; }
        })));
        Assert.Equal(1, results.Count(x => x));

        await using var db = await app.SystemDbAsync();
        Assert.Equal(2, await db.QuestionnaireResponses.CountAsync(r => r.PublicationId == pid));
        Assert.Equal(2, await db.QuestionnaireAnswerCodes.CountAsync(c => c.PublicationId == pid && c.Used));
        var sheets = await db.QuestionnaireResponses.Where(r => r.PublicationId == pid).ToListAsync();
        Assert.All(sheets, s => Assert.Equal(Today, s.AnsweredOn));
        // No audit row per sheet or code (its time and caller would join a sheet to a moment).
        Assert.False(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(QuestionnaireResponse) || a.EntityType == nameof(AnswerCode)));
        // The suggestion text stored as typed, the hidden rating dropped (raised = 没有反映过).
        Assert.False(await db.QuestionnaireAnswers.AnyAsync(a => a.PublicationId == pid && a.Question == "handled"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_open_link_takes_one_sheet_per_browser_and_nothing_after_the_closing_date(DbProvider kind)
    {
        var clock = Clock();
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var (_, pid, slug) = await PublishAsync(app, distribution: Distribution.OpenLink);
        await P(app).SubmitAsync(slug, Sheet(), null, "browser-one-token", _ => Task.CompletedTask);
        var twice = await Assert.ThrowsAsync<RuleViolation>(() => P(app).SubmitAsync(slug, Sheet("b"), null, "browser-one-token", _ => Task.CompletedTask));
        Assert.Equal(QuestionnaireErrors.AlreadyAnswered.Code, twice.Code);
        await P(app).SubmitAsync(slug, Sheet("b"), null, "browser-two-token", _ => Task.CompletedTask);
        var cookieless = await Assert.ThrowsAsync<RuleViolation>(() => P(app).SubmitAsync(slug, Sheet(), null, null, _ => Task.CompletedTask));
        Assert.Contains("Cookie", cookieless.Message);

        await using (var db = await app.SystemDbAsync())
        {
            var marks = await db.QuestionnaireBrowserMarks.Where(m => m.PublicationId == pid).Select(m => m.TokenHash).ToListAsync();
            Assert.Equal(2, marks.Count);
            Assert.DoesNotContain(marks, m => m.Contains("browser"));
        }

        // After the closing date the server refuses, whatever page is still open.
        clock.Advance(TimeSpan.FromDays(11));
        Assert.Equal(PublicState.Closed, (await P(app).OpenAsync(slug)).State);
        var closed = await Assert.ThrowsAsync<RuleViolation>(() => P(app).SubmitAsync(slug, Sheet(), null, "browser-three-token", _ => Task.CompletedTask));
        Assert.Equal(QuestionnaireErrors.Closed.Code, closed.Code);
        Assert.Contains("已于2026年11月12日截止", closed.Message);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Results_count_in_sql_and_units_under_five_sheets_are_never_shown_apart(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, Clock());
        var (qid, chengzhong, slugA) = await PublishAsync(app, target: 10);
        var (_, yangwu, slugB) = await PublishAsync(app, YangwuFirst, questionnaire: qid, target: 8);
        var codesA = await CodesAsync(app, chengzhong, 6);
        var codesB = await CodesAsync(app, yangwu, 3);
        // 城中社区: 3 满意, 2 基本满意, 1 不满意 (one raised an appeal and rated its handling 4).
        string[] overallA = ["a", "a", "a", "b", "b", "d"];
        for (var i = 0; i < 6; i++) await P(app).SubmitAsync(slugA, Sheet(overallA[i], raised: i == 0, handled: "4"), codesA[i], null, _ => Task.CompletedTask);
        // 扬武: 3 sheets only.
        for (var i = 0; i < 3; i++) await P(app).SubmitAsync(slugB, Sheet("c"), codesB[i], null, _ => Task.CompletedTask);

        var r = await app.AsAsync("county", sp => R(sp).ResultsAsync(qid));
        Assert.Equal(6, r.Responses);
        Assert.Equal(["城中社区"], r.Buckets);
        Assert.Contains("不足5份", r.Note);
        var overall = r.Questions.Single(q => q.Key == "overall");
        Assert.Equal(6, overall.Answered);
        Assert.Equal([3, 2, 0, 1], overall.Options.Select(o => o.Count));
        Assert.Equal(0.5m, overall.Options[0].Share);
        Assert.Equal(1, r.Questions.Single(q => q.Key == "handled").Answered);
        Assert.Equal(6, r.Questions.Single(q => q.Key == "channels").Answered);
        Assert.Equal(6, r.Questions.Single(q => q.Key == "channels").Options[0].Count);
        Assert.Equal(6, r.Questions.Single(q => q.Key == "items").Rows[0].Answered);
        Assert.Equal(6, r.Questions.Single(q => q.Key == "suggest").Answered);
        Assert.Equal(5, r.Score!.Favoured);
        Assert.Equal("满意 3 + 基本满意 2 / 有效答卷 6", r.Score.Basis);
        // Progress is a count against the target, shown for every unit.
        Assert.Equal([(6, 10), (3, 8)], r.Progress.OrderByDescending(p => p.Responses).Select(p => (p.Responses, p.Target)));

        // 扬武 on its own has 3 sheets: nothing to show its staff.
        var alone = await app.AsAsync("community2", sp => R(sp).ResultsAsync(qid));
        Assert.Equal(0, alone.Responses);
        Assert.Empty(alone.Questions);
        Assert.Equal("答卷不足5份，为保护答卷人，暂不显示结果。", alone.Note);

        // Two more for 扬武: 5 sheets, shown apart.
        var more = await CodesAsync(app, yangwu, 2);
        foreach (var c in more) await P(app).SubmitAsync(slugB, Sheet("c"), c, null, _ => Task.CompletedTask);
        r = await app.AsAsync("county", sp => R(sp).ResultsAsync(qid));
        Assert.Equal(11, r.Responses);
        Assert.Equal(2, r.Buckets.Count);
        var split = r.Questions.Single(q => q.Key == "overall").ByUnit.Single(u => u.UnitName != "城中社区");
        Assert.Equal([0, 0, 5, 0], split.Counts);

        // The raw sheets carry no identifier: no id, no date, no code.
        var (bytes, _) = await Exports.ReadAsync(await app.AsAsync("county", sp => R(sp).ExportRawAsync(qid)));
        using var reader = XlsxReader.Open(new MemoryStream(bytes));
        var text = string.Join("|", reader.Rows().SelectMany(x => x.Cells.Values.Select(c => c.Text)));
        Assert.Contains("希望多办几场民族团结联欢活动", text);
        Assert.DoesNotContain("2026-11-02", text);
        Assert.DoesNotContain(codesA[0], text);
        await using var db = await app.SystemDbAsync();
        foreach (var id in await db.QuestionnaireResponses.Where(x => x.PublicationId == chengzhong).Select(x => x.Id).ToListAsync())
            Assert.DoesNotContain(id.ToString(), text, StringComparison.OrdinalIgnoreCase);
        var (summary, _) = await Exports.ReadAsync(await app.AsAsync("county", sp => R(sp).ExportAsync(qid)));
        Assert.True(summary.Length > 0);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Results_are_added_up_from_tallies_kept_in_step_with_simultaneous_sheets_and_a_rebuild_gives_the_same_counts(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, Clock());
        var (qid, pid, slug) = await PublishAsync(app, distribution: Distribution.OpenLink);
        string[] overall = ["a", "a", "b", "c", "d", "a", "b", "a", "c", "a", "b", "a"];
        // Twelve browsers hand in at once: each save recounts the same keys, none may be lost or counted twice.
        await Task.WhenAll(overall.Select((o, i) =>
        {
            var sheet = Sheet(o, raised: i % 3 == 0, handled: i % 3 == 0 ? "4" : null);
            sheet["channels"] = i % 2 == 0 ? ["a"] : ["a", "b", "d"];
            return P(app).SubmitAsync(slug, sheet, null, $"browser-{i}-token", _ => Task.CompletedTask);
        }));

        async Task<List<string>> TalliesAsync()
        {
            await using var db = await app.SystemDbAsync();
            return (await db.QuestionnaireTallies.Where(t => t.PublicationId == pid).ToListAsync())
                .Select(t => $"{t.Question}|{t.Row}|{t.Choice}={t.Count}").Order(StringComparer.Ordinal).ToList();
        }
        var kept = await TalliesAsync();
        await using (var db = await app.SystemDbAsync())
        {
            // What a recount of the stored sheets says, grouped in SQL here for the comparison.
            var direct = (await db.QuestionnaireAnswers.Where(a => a.PublicationId == pid && a.Choice != "")
                    .GroupBy(a => new { a.Question, a.Row, a.Choice }).Select(g => new { g.Key.Question, g.Key.Row, g.Key.Choice, Count = g.Count() }).ToListAsync())
                .Select(g => $"{g.Question}|{g.Row}|{g.Choice}={g.Count}").ToList();
            direct.Add("||=12");
            direct.Add("channels||=12");
            direct.Add("suggest||=12");
            Assert.Equal(direct.Order(StringComparer.Ordinal), kept);
        }

        var r = await app.AsAsync("county", sp => R(sp).ResultsAsync(qid));
        Assert.Equal(12, r.Responses);
        var channels = r.Questions.Single(q => q.Key == "channels");
        Assert.Equal(12, channels.Answered);
        Assert.Equal([12, 6, 0, 6], channels.Options.Select(o => o.Count).Take(4));
        Assert.Equal([6, 3, 2, 1], r.Questions.Single(q => q.Key == "overall").Options.Select(o => o.Count).Take(4));
        Assert.Equal(4, r.Questions.Single(q => q.Key == "handled").Answered);
        Assert.Equal(12, r.Questions.Single(q => q.Key == "suggest").Answered);
        Assert.Equal(12, r.Progress.Single().Responses);

        // After a restore or a bulk load the operator's rebuild counts the same from the sheets.
        await using (var db = await app.SystemDbAsync())
        {
            await db.QuestionnaireTallies.ExecuteDeleteAsync();
            Assert.True(await Shiliu.Core.ShiliuModules.Catalog.Tallies.First(t => t.Source == typeof(QuestionnaireAnswer)).MissingAsync(db, default));
            foreach (var hook in Shiliu.Core.ShiliuModules.Catalog.Tallies.Where(t => t.Source == typeof(QuestionnaireAnswer) || t.Source == typeof(QuestionnaireResponse))) await hook.RebuildAllAsync(db, default);
        }
        Assert.Equal(kept, await TalliesAsync());
        var again = await app.AsAsync("county", sp => R(sp).ResultsAsync(qid));
        Assert.Equal(r.Questions.Select(q => (q.Key, q.Answered)), again.Questions.Select(q => (q.Key, q.Answered)));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_tied_questionnaire_tells_the_assessor_its_sheets_and_suggests_the_share_of_favourable_answers(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, Clock());
        var (qid, pid, slug) = await PublishAsync(app);
        var codes = await CodesAsync(app, pid, 8);
        string[] overall = ["a", "a", "a", "a", "b", "b", "c", "d"];
        for (var i = 0; i < 8; i++) await P(app).SubmitAsync(slug, Sheet(overall[i]), codes[i], null, _ => Task.CompletedTask);

        var unit = await app.UnitAsync(Chengzhong);
        var lines = await app.AsAsync("county", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            var source = sp.GetServices<ICriterionRecordSource>().Single(s => s.GetType().Name == "QuestionnaireCriterionRecords");
            return await source.ReadAsync(db, new CriterionRecordQuery(unit.Id, unit.Path, Today.AddDays(-30), Today, null), default);
        });
        var line = lines.Single(l => l.Href == $"/questionnaires/{qid}/results");
        Assert.Equal(QuestionnaireTemplate.CriterionNo, line.CriterionNo);
        Assert.Equal("问卷 8 份，满意+基本满意 75.0%", line.Figure);
        Assert.Equal(0.75m, line.Suggested!.Share);
        Assert.Equal("满意 4 + 基本满意 2 / 有效答卷 8 = 75% × 8 分 = 6 分", line.Suggested.Formula(8));

        // Outside the period: nothing answered then, no suggestion.
        var before = await app.AsAsync("county", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            var source = sp.GetServices<ICriterionRecordSource>().Single(s => s.GetType().Name == "QuestionnaireCriterionRecords");
            return await source.ReadAsync(db, new CriterionRecordQuery(unit.Id, unit.Path, Today.AddDays(-3), Today.AddDays(-1), null), default);
        });
        var empty = before.Single(l => l.Href == $"/questionnaires/{qid}/results");
        Assert.Null(empty.Suggested);
        Assert.Contains("不足5份", empty.Figure);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Publications_closing_within_three_days_below_target_are_a_to_do_and_the_qr_poster_names_the_unit(DbProvider kind)
    {
        var clock = Clock();
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var (_, pid, _) = await PublishAsync(app);
        clock.Advance(TimeSpan.FromDays(8));
        var todos = await app.AsAsync("community", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            return await sp.GetServices<Shiliu.Core.Platform.Todos.ITodoSource>().Single(s => s is not null && s.GetType().Name == "QuestionnaireTodos").ForCallerAsync(db, default);
        });
        Assert.True(todos.Single().Count >= 1);

        var png = QrPoster.Png("https://shiliu.example/public/q/abc", "城中社区", "满意度调查");
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        var svg = QrPoster.Svg("https://shiliu.example/public/q/abc", "城中社区", "满意度调查");
        Assert.Contains(">城中社区</text>", svg);
        Assert.NotNull(System.Xml.Linq.XDocument.Parse(svg));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_code_sheet_comes_as_word_cards_three_a_row_naming_the_unit_with_only_the_unused_codes(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, Clock());
        var (_, pid, slug) = await PublishAsync(app);
        var codes = await CodesAsync(app, pid, 7);
        await P(app).SubmitAsync(slug, Sheet(), codes[0], null, _ => Task.CompletedTask);

        await using var file = await app.AsAsync("county", sp => S(sp).ExportCodesAsync(pid, null, "docx", "https://mzzj.example.gov.cn"));
        Assert.Equal(Shiliu.Core.Platform.Exports.ExportFile.DocxType, file.ContentType);
        using var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(file.Content, false);
        var body = word.MainDocumentPart!.Document.Body!;
        var table = body.Elements<DocumentFormat.OpenXml.Wordprocessing.Table>().Single();
        var rows = table.Elements<DocumentFormat.OpenXml.Wordprocessing.TableRow>().ToList();
        // A header row, then six unused codes three a row: two rows of cards, the used one left out.
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(3, r.Elements<DocumentFormat.OpenXml.Wordprocessing.TableCell>().Count()));
        var text = body.InnerText;
        Assert.Contains("城中社区", text);
        foreach (var c in codes.Skip(1)) Assert.Contains(QuestionnaireService.FormatCode(c), text);
        Assert.DoesNotContain(QuestionnaireService.FormatCode(codes[0]), text);
        Assert.Contains("2026年11月12日截止", text);
        // A resident types the address from the card: the whole of it, on the site's public origin.
        Assert.Contains($"打开 https://mzzj.example.gov.cn/public/q/{slug} 作答", text);
        Assert.Contains("共 6 个未使用的答题码", text);

        var bad = await app.AsAsync("county", async sp => await Assert.ThrowsAsync<RuleViolation>(() => S(sp).ExportCodesAsync(pid, null, "pdf", "https://mzzj.example.gov.cn")));
        Assert.Equal(QuestionnaireErrors.Invalid.Code, bad.Code);
        Assert.Contains("format 须为 xlsx", bad.Message);
        Assert.Equal(QuestionnaireErrors.Denied.Code, (await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => S(sp).ExportCodesAsync(pid, null, "docx", "https://mzzj.example.gov.cn")))).Code);
    }
}
