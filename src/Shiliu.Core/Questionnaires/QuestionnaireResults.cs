using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.Questionnaires;

public sealed record OptionCount(string Key, string Label, int Count, decimal Share);

public sealed record MatrixRowResult(string Key, string Label, int Answered, IReadOnlyList<OptionCount> Options);

public sealed record NumberSummary(int Answered, double Min, double Max, double Mean);

/// <summary>One unit's (or the folded small units') counts per option of a question, in the question's option order.</summary>
public sealed record UnitSplit(string UnitName, int Answered, IReadOnlyList<int> Counts);

public sealed record QuestionResult(int No, string Key, QuestionKind Kind, string Text, int Answered, IReadOnlyList<OptionCount> Options,
    IReadOnlyList<MatrixRowResult> Rows, NumberSummary? Number, IReadOnlyList<UnitSplit> ByUnit);

/// <summary>Answers against the target per publication (a count only, so shown for every unit).</summary>
public sealed record UnitProgress(Guid PublicationId, string UnitName, DateOnly OpensOn, DateOnly ClosesOn, int Responses, int Target, string StateName)
{
    public decimal Share => Target == 0 ? 0 : Math.Round((decimal)Responses / Target, 3);
}

public sealed record ScoreSummary(string QuestionText, IReadOnlyList<string> Favourable, int Favoured, int Answered, decimal Share, string Basis);

/// <summary>
/// Results of a questionnaire over the caller's visible publications. <see cref="Responses"/> counts the sheets the
/// figures are taken from: units with at least <see cref="QuestionnaireResults.MinApart"/> sheets are shown apart, the
/// others folded together as 其他单位（不足5份） when those add up to five or more, or left out with <see cref="Note"/>.
/// </summary>
public sealed record ResultsView(Guid QuestionnaireId, string Title, int Responses, IReadOnlyList<string> Buckets, IReadOnlyList<QuestionResult> Questions,
    IReadOnlyList<UnitProgress> Progress, ScoreSummary? Score, string? Note)
{
    public bool Hidden => Responses == 0;
}

/// <summary>
/// 问卷结果: counts per question and option from the publications' tallies (<see cref="QuestionnaireTally"/>), per unit with the five-sheet
/// rule, the response count against the target, the share behind the suggested score, and the two Excel exports.
/// </summary>
public sealed class QuestionnaireResults(IDbContextFactory<ShiliuDb> dbs, ExportService exports)
{
    public const int MinApart = 5;
    public const string Folded = "其他单位（不足5份）";

    sealed record Scope(string Title, QuestionForm Form, IReadOnlyDictionary<Guid, string> BucketOf, IReadOnlyList<string> Buckets, int Responses,
        IReadOnlyList<UnitProgress> Progress, string? ScoreQuestion, IReadOnlyList<string> ScoreOptions, string? Note);

    public async Task<ResultsView> ResultsAsync(Guid questionnaireId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.View, QuestionnaireErrors.Denied, "查看问卷结果");
        var s = await ScopeAsync(db, questionnaireId, ct);
        var included = s.BucketOf.Keys.ToList();
        var questions = new List<QuestionResult>();
        ScoreSummary? score = null;
        if (included.Count > 0)
        {
            // The counts: the publications' tally rows (kept in step with every sheet), a few dozen rows whatever the sheets.
            var counted = await db.QuestionnaireTallies.AsNoTracking().Where(t => included.Contains(t.PublicationId) && t.Question != "")
                .Select(t => new { t.PublicationId, t.Question, t.Row, t.Choice, t.Count, t.Min, t.Max, t.Sum }).ToListAsync(ct);
            var tally = counted.Where(t => t.Choice != "").ToList();
            // (publication, question, "", ""): the sheets answering a multiple choice, or a number / text question's answers.
            var answeredRows = counted.Where(t => t.Choice == "" && t.Row == "").ToList();
            var multiAnswered = answeredRows;
            var numbers = answeredRows.Where(t => t.Min != null).GroupBy(t => t.Question)
                .Select(g => new { Question = g.Key, Count = g.Sum(t => t.Count), Min = g.Min(t => t.Min!.Value), Max = g.Max(t => t.Max!.Value), Sum = g.Sum(t => t.Sum ?? 0) })
                .ToList();
            var texts = answeredRows.GroupBy(t => t.Question).Select(g => new { Question = g.Key, Count = g.Sum(t => t.Count) }).ToList();

            var no = 0;
            foreach (var q in s.Form.Questions)
            {
                no++;
                var mine = tally.Where(t => t.Question == q.Key).ToList();
                int Answered(IEnumerable<Guid>? pubs = null) => q.Kind == QuestionKind.Multiple
                    ? multiAnswered.Where(m => m.Question == q.Key && (pubs is null || pubs.Contains(m.PublicationId))).Sum(m => m.Count)
                    : mine.Where(t => pubs is null || pubs.Contains(t.PublicationId)).Sum(t => t.Count);
                switch (q.Kind)
                {
                    case QuestionKind.Single or QuestionKind.Multiple or QuestionKind.Rating:
                    {
                        var answered = Answered();
                        var options = q.Options.Select(o => Count(o, mine.Where(t => t.Choice == o.Key).Sum(t => t.Count), answered)).ToList();
                        var byUnit = s.Buckets.Select(b =>
                        {
                            var pubs = s.BucketOf.Where(x => x.Value == b).Select(x => x.Key).ToHashSet();
                            return new UnitSplit(b, Answered(pubs), q.Options.Select(o => mine.Where(t => t.Choice == o.Key && pubs.Contains(t.PublicationId)).Sum(t => t.Count)).ToList());
                        }).ToList();
                        questions.Add(new QuestionResult(no, q.Key, q.Kind, q.Text, answered, options, [], null, byUnit));
                        if (q.Key == s.ScoreQuestion)
                        {
                            var fav = options.Where(o => s.ScoreOptions.Contains(o.Key)).ToList();
                            var favoured = fav.Sum(o => o.Count);
                            var share = answered == 0 ? 0 : (decimal)favoured / answered;
                            score = new ScoreSummary(q.Text, fav.Select(o => o.Label).ToList(), favoured, answered, share,
                                $"{string.Join(" + ", fav.Select(o => $"{o.Label} {o.Count}"))} / 有效答卷 {answered}");
                        }
                        break;
                    }
                    case QuestionKind.Matrix:
                    {
                        var rows = q.Rows.Select(r =>
                        {
                            var inRow = mine.Where(t => t.Row == r.Key).ToList();
                            var answered = inRow.Sum(t => t.Count);
                            return new MatrixRowResult(r.Key, r.Label, answered, q.Options.Select(o => Count(o, inRow.Where(t => t.Choice == o.Key).Sum(t => t.Count), answered)).ToList());
                        }).ToList();
                        questions.Add(new QuestionResult(no, q.Key, q.Kind, q.Text, rows.Count == 0 ? 0 : rows.Max(r => r.Answered), [], rows, null, []));
                        break;
                    }
                    case QuestionKind.Number:
                    {
                        var n = numbers.FirstOrDefault(x => x.Question == q.Key);
                        questions.Add(new QuestionResult(no, q.Key, q.Kind, q.Text, n?.Count ?? 0, [], [],
                            n is null || n.Count == 0 ? null : new NumberSummary(n.Count, n.Min, n.Max, Math.Round(n.Sum / n.Count, 2)), []));
                        break;
                    }
                    default:
                        questions.Add(new QuestionResult(no, q.Key, q.Kind, q.Text, texts.FirstOrDefault(x => x.Question == q.Key)?.Count ?? 0, [], [], null, []));
                        break;
                }
            }
        }
        return new ResultsView(questionnaireId, s.Title, s.Responses, s.Buckets, questions, s.Progress, score, s.Note);
    }

    static OptionCount Count(QuestionOption o, int count, int answered) =>
        new(o.Key, o.Label, count, answered == 0 ? 0 : Math.Round((decimal)count / answered, 4));

    /// <summary>
    /// The caller's publications of the questionnaire, their sheets per unit, and which are shown: apart (5+), folded,
    /// or left out. The questions are the newest published revision's (keys stay across revisions).
    /// </summary>
    static async Task<Scope> ScopeAsync(ShiliuDb db, Guid questionnaireId, CancellationToken ct)
    {
        var pubs = await db.QuestionnairePublications.AsNoTracking().Where(p => p.QuestionnaireId == questionnaireId)
            .Select(p => new { p.Id, p.OrgUnitId, p.Title, p.Revision, p.OpensOn, p.ClosesOn, p.Target, p.ScoreQuestion, p.ScoreOptions, p.CreatedUtc }).ToListAsync(ct);
        if (pubs.Count == 0) throw new NotFoundInScope("问卷发布");
        var ids = pubs.Select(p => p.Id).ToList();
        var counts = await db.QuestionnaireTallies.AsNoTracking().Where(t => ids.Contains(t.PublicationId) && t.Question == "")
            .ToDictionaryAsync(t => t.PublicationId, t => t.Count, ct);
        var names = await db.UnitNamesAsync(pubs.Select(p => p.OrgUnitId).Distinct(), ct);
        var today = QuestionnaireService.Today(db);
        var progress = pubs.OrderBy(p => names[p.OrgUnitId], StringComparer.Ordinal).ThenBy(p => p.OpensOn)
            .Select(p => new UnitProgress(p.Id, names[p.OrgUnitId], p.OpensOn, p.ClosesOn, counts.GetValueOrDefault(p.Id), p.Target,
                QuestionnaireService.StateName(today, p.OpensOn, p.ClosesOn))).ToList();

        var perUnit = pubs.GroupBy(p => p.OrgUnitId).Select(g => (Unit: g.Key, Name: names[g.Key], Pubs: g.Select(p => p.Id).ToList(),
            Count: g.Sum(p => counts.GetValueOrDefault(p.Id)))).Where(u => u.Count > 0).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        var bucketOf = new Dictionary<Guid, string>();
        var buckets = new List<string>();
        foreach (var u in perUnit.Where(u => u.Count >= MinApart))
        {
            buckets.Add(u.Name);
            foreach (var p in u.Pubs) bucketOf[p] = u.Name;
        }
        var small = perUnit.Where(u => u.Count < MinApart).ToList();
        string? note = null;
        if (small.Sum(u => u.Count) >= MinApart)
        {
            buckets.Add(Folded);
            foreach (var p in small.SelectMany(u => u.Pubs)) bucketOf[p] = Folded;
            note = $"{small.Count} 个单位答卷不足5份，合并为“{Folded}”显示。";
        }
        else if (small.Count > 0)
            // Left out of every figure, also the totals: a total minus the units shown would give them back.
            note = buckets.Count == 0
                ? "答卷不足5份，为保护答卷人，暂不显示结果。"
                : $"{small.Count} 个单位答卷不足5份且合计不足5份，为保护答卷人，未计入以下结果。";
        var newest = pubs.OrderByDescending(p => p.Revision).ThenByDescending(p => p.CreatedUtc).First();
        var form = QuestionForm.FromJson(await db.QuestionnairePublications.AsNoTracking().Where(p => p.Id == newest.Id).Select(p => p.FormJson).SingleAsync(ct));
        return new Scope(newest.Title, form, bucketOf, buckets, bucketOf.Keys.Sum(p => counts.GetValueOrDefault(p)), progress, newest.ScoreQuestion,
            QuestionnaireService.SplitOptions(newest.ScoreOptions), note);
    }

    static string Percent(decimal share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>The results as a workbook: counts and shares per question, the cross-tab by unit, the answers against the target.</summary>
    public async Task<ExportFile> ExportAsync(Guid questionnaireId, CancellationToken ct = default)
    {
        var r = await ResultsAsync(questionnaireId, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await exports.XlsxAsync(db, new ExportSpec($"问卷结果-{r.Title}.xlsx", $"问卷《{r.Title}》的统计结果", nameof(Questionnaire), questionnaireId.ToString(),
            db.Caller.OrgPath), async book =>
        {
            using (var s = book.Sheet("统计结果", $"{r.Title} 统计结果（有效答卷 {r.Responses} 份）", ["题号", "题目", "选项", "人数", "比例"], [6, 40, 30, 10, 10], r.Note))
            {
                foreach (var q in r.Questions)
                {
                    if (q.Kind == QuestionKind.Matrix)
                        foreach (var row in q.Rows)
                        foreach (var o in row.Options) s.Mixed([q.No, $"{q.Text}：{row.Label}", o.Label, o.Count, Percent(o.Share)]);
                    else if (q.Number is { } n) s.Mixed([q.No, q.Text, $"平均 {n.Mean:0.##}，最小 {n.Min:0.##}，最大 {n.Max:0.##}", n.Answered, null]);
                    else if (q.Kind == QuestionKind.Text) s.Mixed([q.No, q.Text, "文字回答（见原始答卷）", q.Answered, null]);
                    else foreach (var o in q.Options) s.Mixed([q.No, q.Text, o.Label, o.Count, Percent(o.Share)]);
                }
            }
            if (r.Buckets.Count > 0)
            {
                using var x = book.Sheet("分单位", "分单位统计（人数）", ["题号", "题目", "单位", "作答人数", .. MaxOptions(r)], [6, 30, 20, 10, .. Enumerable.Repeat(12d, MaxOptions(r).Count)], r.Note);
                foreach (var q in r.Questions.Where(q => q.ByUnit.Count > 0))
                {
                    x.Row(["", q.Text, "选项", "", .. q.Options.Select(o => o.Label)]);
                    foreach (var u in q.ByUnit) x.Mixed([q.No, q.Text, u.UnitName, u.Answered, .. u.Counts.Cast<object?>()]);
                }
            }
            using (var p = book.Sheet("回收进度", "各单位回收进度", ["单位", "开始日期", "截止日期", "状态", "已收答卷", "目标份数", "完成比例"], [20, 14, 14, 10, 10, 10, 10]))
                foreach (var u in r.Progress)
                    p.Mixed([u.UnitName, u.OpensOn.ToString("yyyy年M月d日"), u.ClosesOn.ToString("yyyy年M月d日"), u.StateName, u.Responses, u.Target, Percent(u.Share)]);
            await Task.CompletedTask;
        }, ct);
    }

    static List<string> MaxOptions(ResultsView r) =>
        Enumerable.Range(1, r.Questions.Where(q => q.ByUnit.Count > 0).Select(q => q.Options.Count).DefaultIfEmpty(0).Max()).Select(i => $"选项{i}").ToList();

    /// <summary>
    /// The raw sheets without any identifier: no id, no date, no time, no code, the unit (or the folded group) only;
    /// rows in the order of the sheets' random ids, which is a shuffle independent of when they came in. Read as a stream.
    /// </summary>
    public async Task<ExportFile> ExportRawAsync(Guid questionnaireId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.View, QuestionnaireErrors.Denied, "导出问卷原始答卷");
        var s = await ScopeAsync(db, questionnaireId, ct);
        var included = s.BucketOf.Keys.ToList();
        var questions = s.Form.Questions.ToList();
        var headers = new List<string> { "单位" };
        foreach (var q in questions)
            if (q.Kind == QuestionKind.Matrix) headers.AddRange(q.Rows.Select(r => $"{q.Text}：{r.Label}"));
            else headers.Add(q.Text);
        var labels = questions.ToDictionary(q => q.Key, q => q.Options.ToDictionary(o => o.Key, o => o.Label));
        return await exports.XlsxAsync(db, new ExportSpec($"问卷原始答卷-{s.Title}.xlsx", $"问卷《{s.Title}》的原始答卷（不含任何标识）", nameof(Questionnaire),
            questionnaireId.ToString(), db.Caller.OrgPath), async book =>
        {
            using var sheet = book.Sheet("原始答卷", $"{s.Title} 原始答卷", headers, headers.Select(_ => 16d).ToArray(),
                "不含编号、日期、时间和答题码；行顺序已打乱" + (s.Note is null ? "" : "；" + s.Note));
            if (included.Count == 0) return;
            Guid? current = null;
            var cells = new Dictionary<string, List<string>>();
            string bucket = "";
            void Flush()
            {
                if (current is null) return;
                var row = new List<string?> { bucket };
                foreach (var q in questions)
                    if (q.Kind == QuestionKind.Matrix) row.AddRange(q.Rows.Select(r => cells.TryGetValue($"{q.Key}.{r.Key}", out var v) ? string.Join("、", v) : null));
                    else row.Add(cells.TryGetValue(q.Key, out var v) ? string.Join("、", v) : null);
                sheet.Row(row);
                cells.Clear();
            }
            // Streamed in the sheets' order (the database sorts): only one sheet's answers are held here at a time. An index on
            // (publication, sheet) made it 5x slower at 10^5 sheets on SQLite (a table lookup per answer instead of one pass).
            var stream = db.QuestionnaireAnswers.AsNoTracking().Where(a => included.Contains(a.PublicationId)).OrderBy(a => a.ResponseId)
                .Select(a => new { a.ResponseId, a.PublicationId, a.Question, a.Row, a.Choice, a.Number, a.Text }).AsAsyncEnumerable();
            await foreach (var a in stream.WithCancellation(ct))
            {
                if (a.ResponseId != current) { Flush(); (current, bucket) = (a.ResponseId, s.BucketOf[a.PublicationId]); }
                var key = a.Row == "" ? a.Question : $"{a.Question}.{a.Row}";
                var value = a.Choice != "" ? (labels.TryGetValue(a.Question, out var l) && l.TryGetValue(a.Choice, out var lab) ? lab : a.Choice)
                    : a.Number?.ToString(CultureInfo.InvariantCulture) ?? a.Text ?? "";
                if (!cells.TryGetValue(key, out var list)) cells[key] = list = [];
                list.Add(value);
            }
            Flush();
        }, ct);
    }
}
