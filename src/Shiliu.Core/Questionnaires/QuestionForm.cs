using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shiliu.Core.Common;

namespace Shiliu.Core.Questionnaires;

public sealed class QuestionOption
{
    public string Key { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>Show the question only when the earlier question <see cref="Question"/> was answered with one of <see cref="AnyOf"/>.</summary>
public sealed class ShowIf
{
    public string Question { get; set; } = "";
    public List<string> AnyOf { get; set; } = [];
}

public sealed class Question
{
    public string Key { get; set; } = "";
    public QuestionKind Kind { get; set; }
    public string Text { get; set; } = "";
    public bool Required { get; set; }
    /// <summary>Choices; the rating's five labels; the matrix's shared scale.</summary>
    public List<QuestionOption> Options { get; set; } = [];
    /// <summary>The matrix's rows.</summary>
    public List<QuestionOption> Rows { get; set; } = [];
    public double? Min { get; set; }
    public double? Max { get; set; }
    public int? MaxLength { get; set; }
    public ShowIf? ShowIf { get; set; }

    [JsonIgnore] public bool HasChoices => Kind is QuestionKind.Single or QuestionKind.Multiple or QuestionKind.Rating or QuestionKind.Matrix;
}

public sealed class QuestionSection
{
    public string Title { get; set; } = "";
    public string? Note { get; set; }
    public List<Question> Questions { get; set; } = [];
}

/// <summary>The questions of a questionnaire, in sections; stored as JSON and copied whole at publication.</summary>
public sealed class QuestionForm
{
    public List<QuestionSection> Sections { get; set; } = [];

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static QuestionForm FromJson(string json) => JsonSerializer.Deserialize<QuestionForm>(json, Json) ?? new QuestionForm();

    public QuestionForm Clone() => FromJson(ToJson());

    [JsonIgnore] public IEnumerable<Question> Questions => Sections.SelectMany(s => s.Questions);

    /// <summary>The question's number as residents read it (第 N 题), 1-based across sections.</summary>
    public int NumberOf(string key) => Questions.Select((q, i) => (q, i)).FirstOrDefault(x => x.q.Key == key).i + 1;

    public static readonly string[] DefaultRatingLabels = ["很不满意", "不满意", "一般", "满意", "很满意"];

    /// <summary>
    /// Checks the whole form and fills what the builder may leave out (keys, the rating's labels). Every refusal names
    /// the section and question it is about. A show-if rule may only look back: at an earlier question with choices.
    /// </summary>
    public void Normalize()
    {
        // A posted document may carry nulls anywhere (an API client's "questions": null): read them as empty.
        Sections = (Sections ?? []).Where(x => x is not null).ToList();
        foreach (var s in Sections)
        {
            s.Questions = (s.Questions ?? []).Where(x => x is not null).ToList();
            foreach (var q in s.Questions)
            {
                (q.Key, q.Text) = (q.Key ?? "", q.Text ?? "");
                q.Options = (q.Options ?? []).Where(x => x is not null).ToList();
                q.Rows = (q.Rows ?? []).Where(x => x is not null).ToList();
                foreach (var o in q.Options.Concat(q.Rows)) (o.Key, o.Label) = (o.Key ?? "", o.Label ?? "");
                if (q.ShowIf is { } r) (r.Question, r.AnyOf) = (r.Question ?? "", (r.AnyOf ?? []).Where(x => x is not null).ToList());
                if (!Enum.IsDefined(q.Kind)) throw Bad("form.sections", "题型无效（单选、多选、评分、矩阵、数字、文字）");
            }
        }
        if (Sections.Count == 0) throw Bad("form.sections", "问卷至少要有一个部分");
        var seen = new Dictionary<string, Question>();
        var used = new HashSet<string>(Questions.Select(q => q.Key).Where(k => !string.IsNullOrWhiteSpace(k)));
        var next = 1;
        string NewKey()
        {
            while (used.Contains($"q{next}")) next++;
            used.Add($"q{next}");
            return $"q{next}";
        }
        var n = 0;
        for (var si = 0; si < Sections.Count; si++)
        {
            var s = Sections[si];
            var where = $"第{si + 1}部分";
            var sp = $"form.sections[{si}]";
            s.Title = string.IsNullOrWhiteSpace(s.Title) ? where : Validation.CleanText(s.Title, $"{where}的标题");
            if (s.Title.Length > 60) throw Bad($"{sp}.title", $"{where}的标题不能超过60字");
            s.Note = string.IsNullOrWhiteSpace(s.Note) ? null : Validation.CleanText(s.Note, $"{where}的说明");
            if (s.Note?.Length > 300) throw Bad($"{sp}.note", $"{where}的说明不能超过300字");
            if (s.Questions.Count == 0) throw Bad($"{sp}.questions", $"{where}“{s.Title}”还没有题目");
            for (var qi = 0; qi < s.Questions.Count; qi++)
            {
                var q = s.Questions[qi];
                var at = $"{sp}.questions[{qi}]";
                n++;
                var label = $"第{n}题";
                q.Key = string.IsNullOrWhiteSpace(q.Key) ? NewKey() : q.Key.Trim();
                if (q.Key.Length > 20 || !q.Key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) throw Bad($"{at}.key", $"{label}的编号只能用字母、数字和下划线，不超过20位");
                if (seen.ContainsKey(q.Key)) throw Bad($"{at}.key", $"{label}的编号 {q.Key} 与前面的题目重复");
                if (string.IsNullOrWhiteSpace(q.Text)) throw Bad($"{at}.text", $"请填写{label}的题目");
                q.Text = Validation.CleanText(q.Text, $"{label}的题目");
                if (q.Text.Length > 200) throw Bad($"{at}.text", $"{label}的题目不能超过200字");
                if (q.Kind == QuestionKind.Rating)
                {
                    if (q.Options.Count == 0) q.Options = DefaultRatingLabels.Select(l => new QuestionOption { Label = l }).ToList();
                    if (q.Options.Count != 5) throw Bad($"{at}.options", $"{label}是1–5分评分题，要有5个等级");
                    for (var i = 0; i < 5; i++) q.Options[i].Key = (i + 1).ToString(CultureInfo.InvariantCulture);
                }
                if (q.HasChoices) Options(q.Options, label, "选项", q.Kind == QuestionKind.Rating, $"{at}.options");
                else q.Options = [];
                if (q.Kind == QuestionKind.Matrix) Options(q.Rows, label, "行", false, $"{at}.rows");
                else q.Rows = [];
                if (q.Kind == QuestionKind.Number)
                {
                    if (q.Min > q.Max) throw Bad($"{at}.min", $"{label}的最小值不能大于最大值");
                }
                else (q.Min, q.Max) = (null, null);
                if (q.Kind == QuestionKind.Text) q.MaxLength = Math.Clamp(q.MaxLength ?? 500, 1, 1000);
                else q.MaxLength = null;
                if (q.ShowIf is { } rule)
                {
                    if (string.IsNullOrWhiteSpace(rule.Question)) q.ShowIf = null;
                    else
                    {
                        // Only backwards: a rule on this or a later question could hide a question on an answer not yet given (or loop).
                        if (!seen.TryGetValue(rule.Question, out var on))
                            throw Bad($"{at}.showIf.question", $"{label}的显示条件只能依据它前面的题目");
                        if (on.Kind is not (QuestionKind.Single or QuestionKind.Multiple or QuestionKind.Rating))
                            throw Bad($"{at}.showIf.question", $"{label}的显示条件要依据前面的单选、多选或评分题（第{NumberOf(on.Key)}题不是）");
                        rule.AnyOf = rule.AnyOf.Where(k => !string.IsNullOrWhiteSpace(k)).Distinct().ToList();
                        if (rule.AnyOf.Count == 0) throw Bad($"{at}.showIf.anyOf", $"请为{label}的显示条件选择至少一个选项");
                        if (rule.AnyOf.FirstOrDefault(k => on.Options.All(o => o.Key != k)) is { } missing)
                            throw Bad($"{at}.showIf.anyOf", $"{label}的显示条件用到了第{NumberOf(on.Key)}题没有的选项（{missing}）");
                    }
                }
                seen[q.Key] = q;
            }
        }
        if (n > 100) throw Bad("form.sections", "一份问卷不能超过100题");
    }

    static void Options(List<QuestionOption> options, string label, string what, bool keysGiven, string path)
    {
        if (options.Count < 2) throw Bad(path, $"{label}至少要有两个{what}");
        if (options.Count > 30) throw Bad(path, $"{label}的{what}不能超过30个");
        var keys = new HashSet<string>();
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            if (string.IsNullOrWhiteSpace(o.Label)) throw Bad($"{path}[{i}].label", $"{label}的第{i + 1}个{what}没有填写文字");
            o.Label = Validation.CleanText(o.Label, $"{label}的{what}");
            if (o.Label.Length > 60) throw Bad($"{path}[{i}].label", $"{label}的{what}“{o.Label[..10]}…”不能超过60字");
            if (!keysGiven)
            {
                o.Key = string.IsNullOrWhiteSpace(o.Key) ? ((char)('a' + i)).ToString() : o.Key.Trim();
                if (i >= 26 && o.Key.Length == 1) o.Key = $"o{i + 1}";
            }
            if (o.Key.Length > 20 || !o.Key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) throw Bad($"{path}[{i}].key", $"{label}的{what}编号只能用字母、数字和下划线");
            if (!keys.Add(o.Key)) throw Bad($"{path}[{i}].key", $"{label}的{what}“{o.Label}”与前面的{what}编号重复");
        }
    }

    static RuleViolation Bad(string field, string message) => RuleViolation.ForField(QuestionnaireErrors.Invalid, field, message);

    /// <summary>
    /// Reads a resident's answers (field name → values, as a form posts them: "q1", and "q5.r2" for matrix rows) against
    /// this frozen form: questions hidden by their rule are dropped, required ones are required only when shown, and
    /// every problem is named per question. Returns the answers to store.
    /// </summary>
    public IReadOnlyList<QuestionnaireAnswer> Read(IReadOnlyDictionary<string, IReadOnlyList<string>> posted)
    {
        var errors = new Dictionary<string, string[]>();
        var answers = new List<QuestionnaireAnswer>();
        var chosen = new Dictionary<string, IReadOnlyList<string>>();
        var n = 0;
        foreach (var q in Questions)
        {
            n++;
            if (!Visible(q, chosen)) continue;
            var label = $"第{n}题“{Short(q.Text)}”";
            IReadOnlyList<string> Values(string field) =>
                posted.TryGetValue(field, out var v) ? v.Select(x => x.Trim()).Where(x => x.Length > 0).ToList() : [];
            var values = Values(q.Key);
            switch (q.Kind)
            {
                case QuestionKind.Single or QuestionKind.Rating:
                    if (values.Count == 0) { if (q.Required) errors[q.Key] = [$"{label}是必答题，请选择一项"]; break; }
                    if (values.Count > 1 || q.Options.All(o => o.Key != values[0])) { errors[q.Key] = [$"{label}的选项无效，请重新选择"]; break; }
                    chosen[q.Key] = values;
                    answers.Add(new QuestionnaireAnswer { Question = q.Key, Choice = values[0] });
                    break;
                case QuestionKind.Multiple:
                    if (values.Count == 0) { if (q.Required) errors[q.Key] = [$"{label}是必答题，请至少选择一项"]; break; }
                    if (values.Any(v => q.Options.All(o => o.Key != v))) { errors[q.Key] = [$"{label}的选项无效，请重新选择"]; break; }
                    chosen[q.Key] = values.Distinct().ToList();
                    answers.AddRange(chosen[q.Key].Select(v => new QuestionnaireAnswer { Question = q.Key, Choice = v }));
                    break;
                case QuestionKind.Matrix:
                    var missing = new List<string>();
                    foreach (var r in q.Rows)
                    {
                        var rv = Values($"{q.Key}.{r.Key}");
                        if (rv.Count == 0) { missing.Add(r.Label); continue; }
                        if (rv.Count > 1 || q.Options.All(o => o.Key != rv[0])) { errors[q.Key] = [$"{label}的“{r.Label}”选项无效，请重新选择"]; continue; }
                        answers.Add(new QuestionnaireAnswer { Question = q.Key, Row = r.Key, Choice = rv[0] });
                    }
                    if (q.Required && missing.Count > 0 && !errors.ContainsKey(q.Key))
                        errors[q.Key] = [$"{label}是必答题，请为“{string.Join("”“", missing)}”各选一项"];
                    break;
                case QuestionKind.Number:
                    if (values.Count == 0) { if (q.Required) errors[q.Key] = [$"{label}是必答题，请填写数字"]; break; }
                    if (!double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var num) || double.IsNaN(num) || double.IsInfinity(num))
                    { errors[q.Key] = [$"{label}请填写数字"]; break; }
                    if (num < q.Min || num > q.Max)
                    { errors[q.Key] = [$"{label}请填写{q.Min?.ToString(CultureInfo.InvariantCulture) ?? "不限"}到{q.Max?.ToString(CultureInfo.InvariantCulture) ?? "不限"}之间的数字"]; break; }
                    answers.Add(new QuestionnaireAnswer { Question = q.Key, Number = num });
                    break;
                default:
                    if (values.Count == 0) { if (q.Required) errors[q.Key] = [$"{label}是必答题，请填写"]; break; }
                    string text;
                    try { text = Validation.CleanText(values[0], label); }
                    catch (RuleViolation v) { errors[q.Key] = [v.Message]; break; }
                    if (text.Length > (q.MaxLength ?? 500)) { errors[q.Key] = [$"{label}不能超过{q.MaxLength ?? 500}字"]; break; }
                    answers.Add(new QuestionnaireAnswer { Question = q.Key, Text = text });
                    break;
            }
        }
        if (errors.Count > 0)
            throw new RuleViolation(QuestionnaireErrors.Unanswered, $"还有 {errors.Count} 题需要填写或修改：{string.Join("；", errors.Values.SelectMany(v => v))}") { Fields = errors };
        return answers;
    }

    /// <summary>Shown when it has no rule, or its rule's question is itself shown and was answered with one of the options.</summary>
    public bool Visible(Question q, IReadOnlyDictionary<string, IReadOnlyList<string>> chosen) =>
        q.ShowIf is not { } rule || (chosen.TryGetValue(rule.Question, out var got) && got.Any(rule.AnyOf.Contains));

    public static string Short(string text) => text.Length <= 16 ? text : text[..15] + "…";
}
