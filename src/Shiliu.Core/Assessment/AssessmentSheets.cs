using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.Assessment;

public sealed partial class AssessmentService
{
    sealed record Scorer(Guid UnitId, string Path, string Name, string Key, string? AssessorUserId, string ScoredName);

    /// <summary>The sheets due to the caller: its own unit's 自检自查, the units it is paired to score, the units assigned to it.</summary>
    public async Task<IReadOnlyList<SheetTask>> TasksAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = db.Caller;
        if (!c.Can(AssessmentPermissions.Score) || c.OrgPath is not { } own) return [];
        var rounds = await db.AssessmentRounds.AsNoTracking().Where(r => r.Stage != RoundStage.Draft)
            .Select(r => new { r.Id, r.Name, r.Stage, r.SelfDue, r.MutualDue, r.SupervisionDue }).ToDictionaryAsync(r => r.Id, ct);
        var due = new List<(Guid Round, AssessMode Mode, Guid Unit, string Name, string Key)>();
        if (c.IsInRole(Roles.Assessor))
            due.AddRange((await db.AssessmentAssessors.AsNoTracking().Where(a => a.UserId == c.UserId).Select(a => new { a.RoundId, a.OrgUnitId, a.UnitName }).ToListAsync(ct))
                .Select(a => (a.RoundId, AssessMode.Supervision, a.OrgUnitId, a.UnitName, $"user:{c.UserId}")));
        else
        {
            due.AddRange((await db.AssessmentUnits.AsNoTracking().Where(u => u.OrgPath == own).Select(u => new { u.RoundId, u.OrgUnitId, u.UnitName }).ToListAsync(ct))
                .Select(u => (u.RoundId, AssessMode.Self, u.OrgUnitId, u.UnitName, $"unit:{u.OrgUnitId}")));
            due.AddRange((await db.AssessmentPairs.AsNoTracking().Where(p => p.ScorerPath == own).Select(p => new { p.RoundId, p.ScoredUnitId, p.ScoredName, p.ScorerUnitId }).ToListAsync(ct))
                .Select(p => (p.RoundId, AssessMode.Mutual, p.ScoredUnitId, p.ScoredName, $"unit:{p.ScorerUnitId}")));
        }
        due.RemoveAll(d => !rounds.TryGetValue(d.Round, out var r) || r.Stage < StageOf(d.Mode));
        var roundIds = due.Select(d => d.Round).Distinct().ToList();
        var sheets = await db.AssessmentSheets.AsNoTracking().Where(s => roundIds.Contains(s.RoundId) && s.OrgPath == own)
            .Select(s => new { s.Id, s.RoundId, s.Mode, s.ScoredUnitId, s.ScorerKey, s.Status, Reopened = s.ReopenReason != null }).ToListAsync(ct);
        return due.Select(d =>
        {
            var r = rounds[d.Round];
            var sheet = sheets.FirstOrDefault(s => s.RoundId == d.Round && s.Mode == d.Mode && s.ScoredUnitId == d.Unit && s.ScorerKey == d.Key);
            var dueDate = d.Mode switch { AssessMode.Self => r.SelfDue, AssessMode.Mutual => r.MutualDue, _ => r.SupervisionDue };
            return new SheetTask(d.Round, r.Name, r.Stage, d.Mode, d.Unit, d.Name, sheet?.Id, sheet?.Status, sheet?.Reopened ?? false, dueDate);
        }).OrderBy(t => t.RoundName).ThenBy(t => t.Mode).ThenBy(t => t.ScoredName).ToList();
    }

    /// <summary>The caller's sheet for (round, mode, unit), started with one line per pinned criterion when it has none yet.</summary>
    public async Task<Guid> OpenSheetAsync(Guid roundId, AssessMode mode, Guid scoredUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var round = await RoundAsync(db, roundId, tracking: false, ct);
        var scorer = await ScorerForAsync(db, round, mode, scoredUnitId, ct);
        var existing = await db.AssessmentSheets.Where(s => s.RoundId == roundId && s.ScoredUnitId == scoredUnitId && s.Mode == mode && s.ScorerKey == scorer.Key)
            .Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        if (existing is { } id) return id;
        if (round.Stage != StageOf(mode))
            throw new RuleViolation(AssessmentErrors.Stage, $"考评《{round.Name}》当前为“{StageName(round.Stage)}”阶段，不能填写{ModeName(mode)}评分表");
        var criteria = await db.AssessmentCriteria.AsNoTracking().Where(c => c.RoundId == roundId).OrderBy(c => c.No).Select(c => c.No).ToListAsync(ct);
        var sheet = new Scoresheet
        {
            RoundId = roundId, Mode = mode, ScoredUnitId = scoredUnitId, ScoredName = scorer.ScoredName, OrgUnitId = scorer.UnitId, OrgPath = scorer.Path,
            ScorerName = scorer.Name, ScorerKey = scorer.Key, AssessorUserId = scorer.AssessorUserId, Status = SheetStatus.Draft,
            Lines = criteria.Select(no => new ScoreLine { CriterionNo = no }).ToList(),
        };
        db.AssessmentSheets.Add(sheet);
        await db.SaveChangesAsync(ct);
        return sheet.Id;
    }

    async Task<Scorer> ScorerForAsync(ShiliuDb db, AssessmentRound round, AssessMode mode, Guid scoredUnitId, CancellationToken ct)
    {
        var c = db.Caller;
        c.Require(AssessmentPermissions.Score, AssessmentErrors.Denied, "填写考评评分表");
        var own = c.OrgPath ?? "\u0001";
        switch (mode)
        {
            case AssessMode.Self when !c.IsInRole(Roles.Assessor):
                var unit = await db.AssessmentUnits.AsNoTracking().Where(u => u.RoundId == round.Id && u.OrgUnitId == scoredUnitId && u.OrgPath == own)
                    .Select(u => new { u.OrgUnitId, u.OrgPath, u.UnitName }).FirstOrDefaultAsync(ct)
                    ?? throw new RuleViolation(AssessmentErrors.NotAssigned, "自检自查评分表由参评单位自己填写");
                return new Scorer(unit.OrgUnitId, unit.OrgPath, unit.UnitName, $"unit:{unit.OrgUnitId}", null, unit.UnitName);
            case AssessMode.Mutual when !c.IsInRole(Roles.Assessor):
                var pair = await db.AssessmentPairs.AsNoTracking().Where(p => p.RoundId == round.Id && p.ScoredUnitId == scoredUnitId && p.ScorerPath == own)
                    .FirstOrDefaultAsync(ct) ?? throw new RuleViolation(AssessmentErrors.NotAssigned, "本单位不是该单位的互检互评单位");
                return new Scorer(pair.ScorerUnitId, pair.ScorerPath, pair.ScorerName, $"unit:{pair.ScorerUnitId}", null, pair.ScoredName);
            case AssessMode.Supervision when c.IsInRole(Roles.Assessor):
                var a = await db.AssessmentAssessors.AsNoTracking().Where(x => x.RoundId == round.Id && x.UserId == c.UserId && x.OrgUnitId == scoredUnitId)
                    .FirstOrDefaultAsync(ct) ?? throw new RuleViolation(AssessmentErrors.NotAssigned, "您未被分配测评该单位");
                var home = await db.OrgUnits.AsNoTracking().Where(o => o.Path == own).Select(o => o.Id).SingleAsync(ct);
                return new Scorer(home, own, a.DisplayName, $"user:{c.UserId}", c.UserId, a.UnitName);
            default:
                throw new RuleViolation(AssessmentErrors.NotAssigned,
                    mode == AssessMode.Supervision ? "调研督查评分表由分配的测评人员填写" : "测评人员只填写调研督查评分表");
        }
    }

    public async Task<SheetView> GetSheetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.View, AssessmentErrors.Denied, "查看考评评分表");
        var sheet = await SheetAsync(db, id, tracking: false, ct);
        var round = await RoundAsync(db, sheet.RoundId, tracking: false, ct);
        return await ViewAsync(db, round, sheet, CanEdit(db.Caller, round, sheet), ct);
    }

    static async Task<SheetView> ViewAsync(ShiliuDb db, AssessmentRound round, Scoresheet sheet, bool canEdit, CancellationToken ct)
    {
        var criteria = await CriteriaAsync(db, round.Id, ct);
        var evidenceIds = sheet.Lines.SelectMany(l => l.EvidenceIds).Distinct().ToList();
        var titles = evidenceIds.Count == 0 ? [] : await db.Evidence.IgnoreQueryFilters().AsNoTracking().Where(e => evidenceIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, e => e.Title, ct);
        var lines = criteria.Select(c =>
        {
            var l = sheet.Lines.FirstOrDefault(x => x.CriterionNo == c.No);
            return new LineView(c.No, c.ShortTitle, c.Text, c.Points, c.MethodNames, l?.Tenths / 10m, l?.DeductionReason, l?.Comment,
                (l?.EvidenceIds ?? []).Where(titles.ContainsKey).Select(e => new EvidenceLink(e, titles[e])).ToList());
        }).ToList();
        var due = sheet.Mode switch { AssessMode.Self => round.SelfDue, AssessMode.Mutual => round.MutualDue, _ => round.SupervisionDue };
        return new SheetView(sheet.Id, round.Id, round.Name, sheet.Mode, sheet.ScoredUnitId, sheet.ScoredName, sheet.ScorerName, sheet.Status, sheet.SubmittedUtc,
            sheet.ReopenReason, sheet.Total, sheet.Deductions, sheet.Feedback, lines, canEdit, due, sheet.Version);
    }

    /// <summary>
    /// A sheet in the caller's scope (the scorer's unit and the units above it); an assessor reads only its own sheets,
    /// though its unit (the county) is above every sheet.
    /// </summary>
    static async Task<Scoresheet> SheetAsync(ShiliuDb db, Guid id, bool tracking, CancellationToken ct)
    {
        var q = db.AssessmentSheets.Include(s => s.Lines).Where(s => s.Id == id);
        var sheet = await (tracking ? q : q.AsNoTracking()).SingleOrDefaultAsync(ct);
        if (sheet is null || (db.Caller.IsInRole(Roles.Assessor) && !db.Caller.Can(AssessmentPermissions.Manage) && sheet.AssessorUserId != db.Caller.UserId))
            throw new NotFoundInScope("考评评分表");
        return sheet;
    }

    static bool IsScorer(Caller c, Scoresheet s) =>
        c.OrgPath == s.OrgPath && c.Can(AssessmentPermissions.Score) && (s.AssessorUserId is null ? !c.IsInRole(Roles.Assessor) : s.AssessorUserId == c.UserId);

    static bool CanEdit(Caller c, AssessmentRound round, Scoresheet s) =>
        IsScorer(c, s) && s.Status == SheetStatus.Draft && round.Stage != RoundStage.Published && (round.Stage == StageOf(s.Mode) || s.ReopenReason is not null);

    static void RequireEditable(Caller c, AssessmentRound round, Scoresheet s)
    {
        if (!IsScorer(c, s)) throw new RuleViolation(AssessmentErrors.NotAssigned, "只有评分单位（或分配的测评人员）本人才能填写这张评分表");
        if (s.Status == SheetStatus.Submitted) throw new RuleViolation(AssessmentErrors.Locked, "评分表已提交并锁定；如需修改，请联系县创建办退回");
        if (round.Stage == RoundStage.Published) throw new RuleViolation(AssessmentErrors.Locked, "考评结果已发布，评分表不能再修改");
        if (round.Stage != StageOf(s.Mode) && s.ReopenReason is null)
            throw new RuleViolation(AssessmentErrors.Stage, $"考评当前为“{StageName(round.Stage)}”阶段，{ModeName(s.Mode)}评分已结束");
    }

    /// <summary>
    /// Saves scores, deduction reasons, comments and evidence links. A score is between 0 and the criterion's points with at
    /// most one decimal; below full marks needs the reason; evidence must be the scored unit's own.
    /// </summary>
    public async Task SaveSheetAsync(Guid id, SaveSheet req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var sheet = await SheetAsync(db, id, tracking: true, ct);
        var round = await RoundAsync(db, sheet.RoundId, tracking: false, ct);
        RequireEditable(db.Caller, round, sheet);
        db.Entry(sheet).Property(x => x.Version).OriginalValue = req.Version;
        var criteria = await db.AssessmentCriteria.AsNoTracking().Where(c => c.RoundId == round.Id).ToDictionaryAsync(c => c.No, ct);
        var linked = req.Lines.SelectMany(l => l.EvidenceIds).Distinct().ToList();
        if (linked.Count > 0)
        {
            var scoredPath = await db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == sheet.ScoredUnitId).Select(o => o.Path).SingleAsync(ct);
            var found = await db.Evidence.Under(e => e.OrgPath, scoredPath).Where(e => linked.Contains(e.Id) && e.DeletedUtc == null).Select(e => e.Id).ToListAsync(ct);
            if (linked.Except(found).Any())
            {
                var i = req.Lines.FindIndex(l => l.EvidenceIds.Any(e => !found.Contains(e)));
                throw RuleViolation.ForField(AssessmentErrors.Score, $"lines[{i}].evidenceIds",
                    $"第{req.Lines[i].CriterionNo}条关联的材料不存在、已删除或不是{sheet.ScoredName}的痕迹台账");
            }
        }
        for (var i = 0; i < req.Lines.Count; i++)
        {
            var l = req.Lines[i];
            if (!criteria.TryGetValue(l.CriterionNo, out var c))
                throw RuleViolation.ForField(AssessmentErrors.Score, $"lines[{i}].criterionNo", $"第{l.CriterionNo}条测评标准不在本次考评中");
            var line = sheet.Lines.Single(x => x.CriterionNo == l.CriterionNo);
            line.Tenths = Tenths(l.Score, c, i);
            line.DeductionReason = Text(l.DeductionReason, $"第{c.No}条（{c.ShortTitle}）的扣分原因", 500, $"lines[{i}].deductionReason");
            line.Comment = Text(l.Comment, $"第{c.No}条（{c.ShortTitle}）的评语", 1000, $"lines[{i}].comment");
            if (line.Tenths is { } t && t < c.Points * 10 && line.DeductionReason is null)
                throw RuleViolation.ForField(AssessmentErrors.Score, $"lines[{i}].deductionReason", $"第{c.No}条（{c.ShortTitle}）未得满分，请写明扣分原因");
            if (l.EvidenceIds.Distinct().Count() > 20)
                throw RuleViolation.ForField(AssessmentErrors.Score, $"lines[{i}].evidenceIds", $"第{c.No}条（{c.ShortTitle}）最多关联20份材料");
            line.EvidenceIds = l.EvidenceIds.Distinct().ToList();
        }
        sheet.Feedback = Text(req.Feedback, "总体评价", 2000, "feedback");
        Recount(sheet, criteria);
        sheet.UpdatedUtc = db.UtcNow;
        db.Entry(sheet).State = EntityState.Modified;
        db.Audit(Auditing.AuditEvents.Update, $"填写{sheet.ScoredName}的{ModeName(sheet.Mode)}评分表（{sheet.ScorerName}）：已评 {sheet.Lines.Count(x => x.Tenths is not null)}/{criteria.Count} 条，合计 {Points(sheet.Total)} 分",
            nameof(Scoresheet), sheet.Id.ToString(), sheet.OrgPath);
        await db.SaveOrConflictAsync(sheet, ct);
    }

    static int? Tenths(decimal? score, RoundCriterion c, int i)
    {
        if (score is not { } s) return null;
        var field = $"lines[{i}].score";
        if (s < 0) throw RuleViolation.ForField(AssessmentErrors.Score, field, $"第{c.No}条（{c.ShortTitle}）得分不能为负数");
        if (s > c.Points) throw RuleViolation.ForField(AssessmentErrors.Score, field, $"第{c.No}条（{c.ShortTitle}）得分不能超过该项分值 {c.Points} 分");
        if (s * 10 != decimal.Truncate(s * 10)) throw RuleViolation.ForField(AssessmentErrors.Score, field, $"第{c.No}条（{c.ShortTitle}）得分最多保留一位小数");
        return (int)(s * 10);
    }

    static string? Text(string? value, string label, int max, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        if (v.Length > max) throw RuleViolation.ForField(AssessmentErrors.Score, field, $"{label}不能超过{max}字");
        if (v.Any(ch => (char.IsControl(ch) && ch is not ('\n' or '\r' or '\t')) || Validation.IsBidiControl(ch)))
            throw RuleViolation.ForField(AssessmentErrors.Score, field, $"{label}含有不可见的控制字符，请删除后重新输入");
        return v;
    }

    static void Recount(Scoresheet sheet, IReadOnlyDictionary<int, RoundCriterion> criteria)
    {
        sheet.TotalTenths = sheet.Lines.Sum(l => l.Tenths ?? 0);
        sheet.Deductions = sheet.Lines.Count(l => l.Tenths is { } t && criteria.TryGetValue(l.CriterionNo, out var c) && t < c.Points * 10);
    }

    /// <summary>Submits (and so locks) a sheet: every criterion scored, every deduction explained.</summary>
    public async Task SubmitSheetAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var sheet = await SheetAsync(db, id, tracking: true, ct);
        var round = await RoundAsync(db, sheet.RoundId, tracking: false, ct);
        RequireEditable(db.Caller, round, sheet);
        var criteria = await db.AssessmentCriteria.AsNoTracking().Where(c => c.RoundId == round.Id).OrderBy(c => c.No).ToListAsync(ct);
        foreach (var c in criteria)
        {
            var line = sheet.Lines.FirstOrDefault(l => l.CriterionNo == c.No);
            if (line?.Tenths is null) throw new RuleViolation(AssessmentErrors.Score, $"第{c.No}条（{c.ShortTitle}）尚未评分，全部评分后才能提交");
        }
        await ScoresheetFlow.Definition.ApplyAsync(db, sheet, "submit", version: version, ct: ct);
        await db.SaveOrConflictAsync(sheet, ct);
    }

    /// <summary>The county office reopens a submitted sheet with a reason the scorer (and, after publication, the unit) reads.</summary>
    public async Task ReopenSheetAsync(Guid id, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var sheet = await SheetAsync(db, id, tracking: true, ct);
        var round = await RoundAsync(db, sheet.RoundId, tracking: false, ct);
        if (round.Stage == RoundStage.Published) throw new RuleViolation(AssessmentErrors.Locked, "考评结果已发布，评分表不能再退回");
        await ScoresheetFlow.Definition.ApplyAsync(db, sheet, "reopen", reason, version, ct);
        await db.SaveOrConflictAsync(sheet, ct);
    }

    /// <summary>
    /// What the scored unit's ledgers hold toward each criterion in the round's period, from every registered
    /// <see cref="ICriterionRecordSource"/>, with each suggestion in points and its formula.
    /// </summary>
    public async Task<IReadOnlyList<CriterionHoldings>> HoldingsAsync(Guid sheetId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.View, AssessmentErrors.Denied, "查看考评评分表");
        var sheet = await SheetAsync(db, sheetId, tracking: false, ct);
        var round = await RoundAsync(db, sheet.RoundId, tracking: false, ct);
        var criteria = await CriteriaAsync(db, round.Id, ct);
        var path = await db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == sheet.ScoredUnitId).Select(o => o.Path).SingleAsync(ct);
        var query = new CriterionRecordQuery(sheet.ScoredUnitId, path, round.PeriodFrom, round.PeriodTo, round.CampaignId);
        var records = new List<CriterionRecord>();
        // One context, so the sources run one after another.
        foreach (var source in sources) records.AddRange(await source.ReadAsync(db, query, ct));
        return criteria.Select(c => new CriterionHoldings(c.No, c.Points, records.Where(r => r.CriterionNo == c.No)
            .Select(r => new HoldingLine(r.Source, r.Label, r.Figure, r.Href, r.Suggested?.PointsOf(c.Points), r.Suggested?.Formula(c.Points))).ToList())).ToList();
    }
}
