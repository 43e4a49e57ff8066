using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.Questionnaires;

public sealed class SaveQuestionnaire
{
    public string? Title { get; set; }
    public string? Intro { get; set; }
    public QuestionForm Form { get; set; } = new();
    public int? CriterionNo { get; set; }
    public string? ScoreQuestion { get; set; }
    public List<string> ScoreOptions { get; set; } = [];
    public int Version { get; set; }
}

public sealed class PublishQuestionnaire
{
    public Guid? UnitId { get; set; }
    public DateOnly? OpensOn { get; set; }
    public DateOnly? ClosesOn { get; set; }
    public int? Target { get; set; }
    public Distribution Distribution { get; set; }
}

public sealed record QuestionnaireRow(Guid Id, string Title, string UnitName, int Revision, int Publications, string? CriterionName, DateTime UpdatedUtc);

public sealed record QuestionnaireDetail(Guid Id, string Title, string? Intro, string UnitName, QuestionForm Form, int Revision, bool RevisionPublished,
    int? CriterionNo, string? CriterionName, string? ScoreQuestion, IReadOnlyList<string> ScoreOptions, int Version);

public sealed record PublicationRow(Guid Id, Guid QuestionnaireId, string Title, Guid UnitId, string UnitName, DateOnly OpensOn, DateOnly ClosesOn, int Target,
    int Responses, Distribution Distribution, string Slug, int Revision, string StateName, int CodesIssued, int CodesUsed, int Version)
{
    public string DistributionName => Distribution == Distribution.Codes ? "一次性答题码" : "公开链接";
    public string PublicPath => $"/public/q/{Slug}";
}

/// <summary>A criterion a questionnaire may report toward: its methods include 问卷调查.</summary>
public sealed record SurveyCriterion(int No, string ShortTitle, string Text, int Score)
{
    public string Label => $"第{No}条 {ShortTitle}";
}

/// <summary>
/// 问卷调查 for staff: build (county office and townships), publish per unit with a frozen copy, issue single-use codes.
/// The county office and a township build for their own tree; anything published belongs to the unit it was published for.
/// </summary>
public sealed class QuestionnaireService(IDbContextFactory<ShiliuDb> dbs, ExportService exports)
{
    public const int MaxCodesPerBatch = 2000;
    const string CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static string StateName(DateOnly today, DateOnly opens, DateOnly closes) =>
        today < opens ? "未开始" : today > closes ? "已截止" : "进行中";

    public static DateOnly Today(ShiliuDb db) => DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));

    public async Task<IReadOnlyList<QuestionnaireRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.Build, QuestionnaireErrors.Denied, "制作问卷");
        var rows = await db.Questionnaires.AsNoTracking().OrderByDescending(q => q.UpdatedUtc)
            .Select(q => new { q.Id, q.Title, q.OrgUnitId, q.Revision, q.CriterionNo, q.UpdatedUtc, Pubs = db.Set<Publication>().Count(p => p.QuestionnaireId == q.Id) })
            .Take(500).ToListAsync(ct);
        var names = await db.UnitNamesAsync(rows.Select(r => r.OrgUnitId).Distinct(), ct);
        var criteria = (await CriteriaAsync(db, ct)).ToDictionary(c => c.No);
        return rows.Select(r => new QuestionnaireRow(r.Id, r.Title, names[r.OrgUnitId], r.Revision, r.Pubs,
            r.CriterionNo is { } no && criteria.TryGetValue(no, out var c) ? c.Label : null, r.UpdatedUtc)).ToList();
    }

    public async Task<QuestionnaireDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.Build, QuestionnaireErrors.Denied, "制作问卷");
        var q = await db.Questionnaires.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("问卷");
        var names = await db.UnitNamesAsync([q.OrgUnitId], ct);
        var criteria = (await CriteriaAsync(db, ct)).ToDictionary(c => c.No);
        return new QuestionnaireDetail(q.Id, q.Title, q.Intro, names[q.OrgUnitId], QuestionForm.FromJson(q.FormJson), q.Revision, q.RevisionPublished, q.CriterionNo,
            q.CriterionNo is { } no && criteria.TryGetValue(no, out var c) ? c.Label : null, q.ScoreQuestion, SplitOptions(q.ScoreOptions), q.Version);
    }

    /// <summary>The criteria of the newest published framework whose methods include 问卷调查.</summary>
    public async Task<IReadOnlyList<SurveyCriterion>> CriteriaAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.View, QuestionnaireErrors.Denied, "查看问卷");
        return await CriteriaAsync(db, ct);
    }

    internal static async Task<IReadOnlyList<SurveyCriterion>> CriteriaAsync(ShiliuDb db, CancellationToken ct)
    {
        var framework = await db.IndicatorFrameworks.AsNoTracking().Where(f => f.Status == FrameworkStatus.Published).OrderByDescending(f => f.VersionNo)
            .Include(f => f.Groups).ThenInclude(g => g.Subgroups).ThenInclude(s => s.Criteria).AsSplitQuery().FirstOrDefaultAsync(ct);
        if (framework is null) return [];
        return framework.Groups.SelectMany(g => g.Subgroups).SelectMany(s => s.Criteria).Where(c => c.Methods.HasFlag(AssessMethods.Questionnaire))
            .OrderBy(c => c.No).Select(c => new SurveyCriterion(c.No, c.ShortTitle, c.Text, c.Score)).ToList();
    }

    /// <summary>A new questionnaire of the caller's unit started from the 群众满意度 / 诉求渠道知晓度 template.</summary>
    public async Task<Guid> CreateFromTemplateAsync(CancellationToken ct = default)
    {
        var t = QuestionnaireTemplate.Satisfaction();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var criteria = await CriteriaAsync(db, ct);
        // The template reports toward 畅通群众诉求渠道 when the framework has such a criterion with 问卷调查.
        var no = criteria.FirstOrDefault(c => c.No == QuestionnaireTemplate.CriterionNo)?.No ?? criteria.LastOrDefault()?.No;
        return await SaveAsync(null, new SaveQuestionnaire
        {
            Title = t.Title, Intro = t.Intro, Form = t.Form, CriterionNo = no, ScoreQuestion = no is null ? null : t.ScoreQuestion,
            ScoreOptions = no is null ? [] : [.. t.ScoreOptions],
        }, ct);
    }

    /// <summary>Creates (id null) or edits. The first edit after a publication froze the current questions makes a new revision.</summary>
    public async Task<Guid> SaveAsync(Guid? id, SaveQuestionnaire req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.Build, QuestionnaireErrors.Denied, "制作问卷");
        if (string.IsNullOrWhiteSpace(req.Title)) throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "title", "请填写问卷标题");
        var title = Validation.CleanText(req.Title, "问卷标题");
        if (title.Length > 100) throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "title", "问卷标题不能超过100字");
        var intro = string.IsNullOrWhiteSpace(req.Intro) ? null : Evidence.EvidenceService.CleanMultiline(req.Intro, "问卷说明");
        if (intro?.Length > 1000) throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "intro", "问卷说明不能超过1000字");
        var form = (req.Form ?? new QuestionForm()).Clone();
        form.Normalize();
        var (criterion, scoreQuestion, scoreOptions) = await ScoreRuleAsync(db, form, req, ct);

        Questionnaire q;
        if (id is null)
        {
            var unit = await db.OrgUnits.SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
            if (unit.Level is not (OrgLevel.County or OrgLevel.Township))
                throw new RuleViolation(QuestionnaireErrors.Denied, "问卷由县创建办或乡镇（街道）制作");
            q = new Questionnaire { OrgUnitId = unit.Id, OrgPath = unit.Path, CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow };
            db.Questionnaires.Add(q);
        }
        else
        {
            q = await db.Questionnaires.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("问卷");
            db.Entry(q).Property(x => x.Version).OriginalValue = req.Version;
            if (q.RevisionPublished) (q.Revision, q.RevisionPublished) = (q.Revision + 1, false);
        }
        (q.Title, q.Intro, q.FormJson, q.CriterionNo, q.ScoreQuestion, q.ScoreOptions) = (title, intro, form.ToJson(), criterion, scoreQuestion, scoreOptions);
        await db.SaveOrConflictAsync(q, ct);
        return q.Id;
    }

    static async Task<(int?, string?, string?)> ScoreRuleAsync(ShiliuDb db, QuestionForm form, SaveQuestionnaire req, CancellationToken ct)
    {
        if (req.CriterionNo is not { } no) return (null, null, null);
        var criteria = await CriteriaAsync(db, ct);
        if (criteria.All(c => c.No != no))
            throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "criterionNo", $"第{no}条测评标准的测评方法不含问卷调查，不能关联问卷");
        var q = form.Questions.FirstOrDefault(x => x.Key == req.ScoreQuestion);
        if (q is null || q.Kind is not (QuestionKind.Single or QuestionKind.Rating))
            throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "scoreQuestion", "请选择计算满意率的题目（单选题或评分题）");
        if (q.ShowIf is not null)
            throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "scoreQuestion", "计算满意率的题目要让每位居民都能看到（不能带显示条件）");
        var options = (req.ScoreOptions ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).Distinct().ToList();
        if (options.Count == 0 || options.Any(o => q.Options.All(x => x.Key != o)))
            throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "scoreOptions", $"请选择第{form.NumberOf(q.Key)}题中计为满意的选项");
        if (options.Count == q.Options.Count)
            throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "scoreOptions", "计为满意的选项不能是全部选项");
        return (no, q.Key, string.Join(',', options));
    }

    internal static IReadOnlyList<string> SplitOptions(string? csv) => string.IsNullOrEmpty(csv) ? [] : csv.Split(',');

    /// <summary>
    /// Publishes the current questions for one township or community of the caller's tree and a period. The copy is
    /// frozen: later edits make a new revision and never touch this publication.
    /// </summary>
    public async Task<Guid> PublishAsync(Guid questionnaireId, PublishQuestionnaire req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.Build, QuestionnaireErrors.Denied, "发布问卷");
        var q = await db.Questionnaires.SingleOrDefaultAsync(x => x.Id == questionnaireId, ct) ?? throw new NotFoundInScope("问卷");
        var errors = new Dictionary<string, string[]>();
        OrgUnit? unit = null;
        if (req.UnitId is { } uid)
            // Within the builder's tree (a township publishes for its own communities), besides the caller's scope.
            unit = await db.OrgUnits.AsNoTracking().Under(o => o.Path, q.OrgPath).SingleOrDefaultAsync(o => o.Id == uid && !o.IsDisabled, ct);
        if (unit is null) errors["unitId"] = ["请选择发布的社区或乡镇（街道）"];
        else if (unit.Level is not (OrgLevel.Township or OrgLevel.Community)) errors["unitId"] = ["问卷发布给一个社区或乡镇（街道）"];
        if (req.OpensOn is null) errors["opensOn"] = ["请选择开始日期"];
        if (req.ClosesOn is null) errors["closesOn"] = ["请选择截止日期"];
        else if (req.OpensOn is { } o && req.ClosesOn < o) errors["closesOn"] = ["截止日期不能早于开始日期"];
        else if (req.ClosesOn < Today(db)) errors["closesOn"] = ["截止日期不能早于今天"];
        else if (req.OpensOn is { } o2 && req.ClosesOn.Value.DayNumber - o2.DayNumber > 366) errors["closesOn"] = ["一次发布最长一年"];
        if (req.Target is not (>= 1 and <= 100_000)) errors["target"] = ["目标份数为1到100000之间的整数"];
        if (!Enum.IsDefined(req.Distribution)) errors["distribution"] = ["请选择发放方式：公开链接或一次性答题码"];
        if (errors.Count > 0) throw new RuleViolation(QuestionnaireErrors.Invalid, string.Join("；", errors.Values.SelectMany(v => v))) { Fields = errors };

        var p = new Publication
        {
            QuestionnaireId = q.Id, OrgUnitId = unit!.Id, OrgPath = unit.Path, Slug = NewSlug(), Title = q.Title, Intro = q.Intro, FormJson = q.FormJson,
            Revision = q.Revision, CriterionNo = q.CriterionNo, ScoreQuestion = q.ScoreQuestion, ScoreOptions = q.ScoreOptions, OpensOn = req.OpensOn!.Value,
            ClosesOn = req.ClosesOn!.Value, Target = req.Target!.Value, Distribution = req.Distribution, CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow,
        };
        db.QuestionnairePublications.Add(p);
        q.RevisionPublished = true;
        await db.SaveChangesAsync(ct);
        return p.Id;
    }

    static string NewSlug() => string.Concat(Enumerable.Range(0, 12).Select(_ => CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)])).ToLowerInvariant();

    /// <summary>Publications the caller can see (its tree), of one questionnaire or all, newest first, with their answer counts.</summary>
    public async Task<IReadOnlyList<PublicationRow>> PublicationsAsync(Guid? questionnaireId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.View, QuestionnaireErrors.Denied, "查看问卷");
        return await PublicationsAsync(db, questionnaireId, null, ct);
    }

    public async Task<PublicationRow> PublicationAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.View, QuestionnaireErrors.Denied, "查看问卷");
        return (await PublicationsAsync(db, null, id, ct)).SingleOrDefault() ?? throw new NotFoundInScope("问卷发布");
    }

    internal static async Task<IReadOnlyList<PublicationRow>> PublicationsAsync(ShiliuDb db, Guid? questionnaireId, Guid? id, CancellationToken ct)
    {
        var q = db.QuestionnairePublications.AsNoTracking();
        if (questionnaireId is { } qid) q = q.Where(p => p.QuestionnaireId == qid);
        if (id is { } pid) q = q.Where(p => p.Id == pid);
        var rows = await q.OrderByDescending(p => p.CreatedUtc).Take(500).Select(p => new
        {
            p.Id, p.QuestionnaireId, p.Title, p.OrgUnitId, p.OpensOn, p.ClosesOn, p.Target, p.Distribution, p.Slug, p.Revision, p.Version,
            Responses = db.Set<QuestionnaireResponse>().Count(r => r.PublicationId == p.Id),
            Issued = db.Set<AnswerCode>().Count(c => c.PublicationId == p.Id),
            Used = db.Set<AnswerCode>().Count(c => c.PublicationId == p.Id && c.Used),
        }).ToListAsync(ct);
        var names = await db.UnitNamesAsync(rows.Select(r => r.OrgUnitId).Distinct(), ct);
        var today = Today(db);
        return rows.Select(r => new PublicationRow(r.Id, r.QuestionnaireId, r.Title, r.OrgUnitId, names[r.OrgUnitId], r.OpensOn, r.ClosesOn, r.Target, r.Responses,
            r.Distribution, r.Slug, r.Revision, StateName(today, r.OpensOn, r.ClosesOn), r.Issued, r.Used, r.Version)).ToList();
    }

    /// <summary>Changes the closing date (e.g. to close early or extend), with the version the caller read.</summary>
    public async Task SetClosingAsync(Guid id, DateOnly closesOn, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.Build, QuestionnaireErrors.Denied, "修改问卷截止日期");
        var p = await db.QuestionnairePublications.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("问卷发布");
        if (closesOn < p.OpensOn) throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "closesOn", "截止日期不能早于开始日期");
        db.Entry(p).Property(x => x.Version).OriginalValue = version;
        p.ClosesOn = closesOn;
        await db.SaveOrConflictAsync(p, ct);
    }

    /// <summary>
    /// Issues <paramref name="count"/> new single-use codes for a code publication (a batch per printed household list);
    /// returns the batch number. Codes are random (about 50 bits), unique county-wide.
    /// </summary>
    public async Task<int> IssueCodesAsync(Guid publicationId, int count, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(QuestionnairePermissions.Build, QuestionnaireErrors.Denied, "印制答题码");
        var p = await db.QuestionnairePublications.AsNoTracking().SingleOrDefaultAsync(x => x.Id == publicationId, ct) ?? throw new NotFoundInScope("问卷发布");
        if (p.Distribution != Distribution.Codes) throw new RuleViolation(QuestionnaireErrors.Invalid, "这次发布使用公开链接，不需要答题码");
        if (count is < 1 or > MaxCodesPerBatch) throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "count", $"每次印制1到{MaxCodesPerBatch}个答题码");
        if (Today(db) > p.ClosesOn) throw new RuleViolation(QuestionnaireErrors.Closed, "问卷已截止，不再印制答题码");
        var batch = (await db.QuestionnaireAnswerCodes.Where(c => c.PublicationId == p.Id).MaxAsync(c => (int?)c.Batch, ct) ?? 0) + 1;
        var codes = new HashSet<string>();
        while (codes.Count < count) codes.Add(string.Concat(Enumerable.Range(0, 10).Select(_ => CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)])));
        var taken = await db.QuestionnaireAnswerCodes.IgnoreQueryFilters().Where(c => codes.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
        codes.ExceptWith(taken);
        foreach (var c in codes) db.QuestionnaireAnswerCodes.Add(new AnswerCode { PublicationId = p.Id, Code = c, Batch = batch });
        db.Audit(Auditing.AuditEvents.Create, $"为问卷《{p.Title}》印制第 {batch} 批答题码 {codes.Count} 个", nameof(Publication), p.Id.ToString(), p.OrgPath);
        await db.SaveChangesAsync(ct);
        return batch;
    }

    public sealed record CodeSheet(string Title, string UnitName, DateOnly ClosesOn, string PublicPath, IReadOnlyList<(int Batch, string Code, bool Used)> Codes);

    /// <summary>The publication's codes for printing (all batches or one), with whether each is used.</summary>
    public async Task<CodeSheet> CodesAsync(Guid publicationId, int? batch = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await SheetAsync(db, publicationId, batch, ct);
    }

    async Task<CodeSheet> SheetAsync(ShiliuDb db, Guid publicationId, int? batch, CancellationToken ct)
    {
        db.Caller.Require(QuestionnairePermissions.Build, QuestionnaireErrors.Denied, "印制答题码");
        var p = await db.QuestionnairePublications.AsNoTracking().SingleOrDefaultAsync(x => x.Id == publicationId, ct) ?? throw new NotFoundInScope("问卷发布");
        var q = db.QuestionnaireAnswerCodes.AsNoTracking().Where(c => c.PublicationId == p.Id);
        if (batch is { } b) q = q.Where(c => c.Batch == b);
        var codes = await q.OrderBy(c => c.Batch).ThenBy(c => c.Code).Select(c => new { c.Batch, c.Code, c.Used }).ToListAsync(ct);
        var names = await db.UnitNamesAsync([p.OrgUnitId], ct);
        return new CodeSheet(p.Title, names[p.OrgUnitId], p.ClosesOn, $"/public/q/{p.Slug}", codes.Select(c => (c.Batch, c.Code, c.Used)).ToList());
    }

    /// <summary>The code list as xlsx (through the export service: header, watermark, audit).</summary>
    public async Task<ExportFile> ExportCodesAsync(Guid publicationId, int? batch = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var sheet = await SheetAsync(db, publicationId, batch, ct);
        return await exports.XlsxAsync(db, new ExportSpec($"答题码-{sheet.UnitName}.xlsx", $"问卷《{sheet.Title}》的答题码", nameof(Publication), publicationId.ToString(),
            db.Caller.OrgPath), async book =>
        {
            using var s = book.Sheet("答题码", $"{sheet.Title}（{sheet.UnitName}）答题码", ["序号", "批次", "答题码", "状态"], [8, 8, 18, 10],
                $"每户一个答题码，答完即作废；截止日期 {sheet.ClosesOn:yyyy年M月d日}");
            var i = 0;
            foreach (var c in sheet.Codes) s.Mixed([++i, c.Batch, FormatCode(c.Code), c.Used ? "已使用" : "未使用"]);
            await Task.CompletedTask;
        }, ct);
    }

    /// <summary>
    /// The code sheet in the format the API names it: "xlsx" (the list, the default) or "docx" (cards to cut, which print
    /// the answering page's full address: <paramref name="origin"/>, the site's public origin, before its path).
    /// </summary>
    public Task<ExportFile> ExportCodesAsync(Guid publicationId, int? batch, string? format, string origin, CancellationToken ct = default) => format switch
    {
        null or "" or "xlsx" => ExportCodesAsync(publicationId, batch, ct),
        "docx" => CodeCardsDocxAsync(publicationId, origin, batch, ct),
        _ => throw RuleViolation.ForField(QuestionnaireErrors.Invalid, "format", "format 须为 xlsx（Excel 清单）或 docx（Word 答题码卡片）"),
    };

    /// <summary>
    /// The unused codes as a Word document to print and cut: a grid of three cards a row, the table's lines being the cut
    /// lines, each card naming the unit, the questionnaire, the code, where to answer and the closing date (A4, 公文 margins).
    /// </summary>
    public async Task<ExportFile> CodeCardsDocxAsync(Guid publicationId, string origin, int? batch = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var sheet = await SheetAsync(db, publicationId, batch, ct);
        var unused = sheet.Codes.Where(c => !c.Used).ToList();
        if (unused.Count == 0)
            throw new RuleViolation(QuestionnaireErrors.Invalid, $"{sheet.UnitName}的这份问卷{(batch is { } b ? $"第{b}批" : "")}没有未使用的答题码，请先印制一批");
        var closes = sheet.ClosesOn.ToString("yyyy年M月d日");
        string Card((int Batch, string Code, bool Used) c) =>
            $"{sheet.UnitName}　{sheet.Title}　答题码：{FormatCode(c.Code)}　扫描社区张贴的二维码或打开 {origin}{sheet.PublicPath} 作答　{closes}截止　每户一码，提交后作废，问卷不记名";
        var rows = unused.Chunk(3).Select(r => (IReadOnlyList<string?>)[.. r.Select(Card), .. Enumerable.Repeat<string?>("", 3 - r.Length)]);
        return await exports.DocxAsync(db, new ExportSpec($"答题码-{sheet.UnitName}.docx", $"问卷《{sheet.Title}》的答题码卡片", nameof(Publication), publicationId.ToString(),
            db.Caller.OrgPath), $"{sheet.Title}答题码", doc =>
        {
            doc.Title($"{sheet.Title}答题码", sheet.UnitName);
            doc.Paragraph($"共 {unused.Count} 个未使用的答题码{(batch is { } n ? $"（第{n}批）" : "")}。打印后沿表格线剪开，每户发一张；答题码提交一次即作废，与答案分开保存。");
            doc.Table(["沿线剪开", "每户一张", "答完作废"], rows, [1, 1, 1], GongwenSizes.Wu);
            return Task.CompletedTask;
        }, ct);
    }

    /// <summary>"ABCDE-FGHJK": easier to read aloud and type from paper; the dash is ignored when entered.</summary>
    public static string FormatCode(string code) => code.Length == 10 ? $"{code[..5]}-{code[5..]}" : code;

    public static string NormalizeCode(string? code) =>
        new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).Take(21).ToArray());
}
