using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Calendar;

namespace Shiliu.Core.Assessment;

/// <summary>
/// The assessment round: the county office declares it (framework, units, period, weights, bands, tie rule), opens it
/// (the criteria are pinned and the framework frozen), draws the 互检互评 pairs, assigns assessors, and moves it through
/// 自检自查 → 互检互评 → 调研督查 → 结果发布. Units and assessors fill the sheets due to them; results are computed from
/// the submitted sheets by aggregate queries.
/// </summary>
public sealed partial class AssessmentService(IDbContextFactory<ShiliuDb> dbs, CalendarCache calendars, IEnumerable<ICriterionRecordSource> sources)
{
    public static string StageName(RoundStage s) => s switch
    {
        RoundStage.Draft => "筹备中",
        RoundStage.SelfCheck => "自检自查",
        RoundStage.Mutual => "互检互评",
        RoundStage.Supervision => "调研督查",
        RoundStage.Published => "结果已发布",
        _ => s.ToString(),
    };

    public static string ModeName(AssessMode m) => m switch
    {
        AssessMode.Self => "自检自查",
        AssessMode.Mutual => "互检互评",
        AssessMode.Supervision => "调研督查",
        _ => m.ToString(),
    };

    public static string SheetStatusName(SheetStatus s) => s == SheetStatus.Submitted ? "已提交" : "填写中";

    public static string TieBreakName(TieBreak t) => t switch
    {
        TieBreak.SupervisionTotal => "调研督查得分高者在前",
        TieBreak.FewerDeductions => "扣分项少者在前",
        TieBreak.MutualTotal => "互检互评得分高者在前",
        TieBreak.SelfTotal => "自检自查得分高者在前",
        _ => t.ToString(),
    };

    public static string TieRuleText(IEnumerable<TieBreak> breaks) =>
        string.Join("，再", breaks.Select(TieBreakName).DefaultIfEmpty("加权总分相同即并列")) + "；仍相同者并列";

    public static RoundStage StageOf(AssessMode m) => m switch
    {
        AssessMode.Self => RoundStage.SelfCheck,
        AssessMode.Mutual => RoundStage.Mutual,
        _ => RoundStage.Supervision,
    };

    static readonly string[] ManageWhat = ["组织督查考评（由县领导小组办公室负责）"];

    static void RequireManage(ShiliuDb db) => db.Caller.Require(AssessmentPermissions.Manage, AssessmentErrors.Denied, ManageWhat[0]);

    // ---- rounds ----

    public async Task<IReadOnlyList<RoundRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.View, AssessmentErrors.Denied, "查看督查考评");
        var manage = db.Caller.Can(AssessmentPermissions.Manage);
        var units = db.AssessmentUnits;
        var rounds = await db.AssessmentRounds.AsNoTracking().Where(r => manage || r.Stage != RoundStage.Draft)
            .OrderByDescending(r => r.CreatedUtc)
            .Select(r => new { r.Id, r.Name, r.Stage, r.PeriodFrom, r.PeriodTo, r.SelfDue, r.MutualDue, r.SupervisionDue, r.IsDemo,
                Units = units.Count(u => u.RoundId == r.Id) })
            .ToListAsync(ct);
        return rounds.Select(r => new RoundRow(r.Id, r.Name, r.Stage, r.PeriodFrom, r.PeriodTo, r.Units,
            r.Stage switch { RoundStage.SelfCheck => r.SelfDue, RoundStage.Mutual => r.MutualDue, RoundStage.Supervision => r.SupervisionDue, _ => null }, r.IsDemo)).ToList();
    }

    public async Task<RoundDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.View, AssessmentErrors.Denied, "查看督查考评");
        var r = await RoundAsync(db, id, tracking: false, ct);
        var criteria = r.Stage == RoundStage.Draft ? await DraftCriteriaAsync(db, r.FrameworkId, ct) : await CriteriaAsync(db, id, ct);
        // Units in the caller's scope (the county sees all of them; a community its own).
        var units = await db.AssessmentUnits.AsNoTracking().Where(u => u.RoundId == id).OrderBy(u => u.TownshipName).ThenBy(u => u.UnitName)
            .Select(u => new RoundUnitView(u.OrgUnitId, u.UnitName, u.Level, u.TownshipName, u.VetoReason, u.VetoReference, u.Version)).ToListAsync(ct);
        var campaign = r.CampaignId is { } cid ? await db.Campaigns.Where(c => c.Id == cid).Select(c => c.Title).FirstOrDefaultAsync(ct) : null;
        return new RoundDetail(r.Id, r.Name, r.CampaignId, campaign, r.FrameworkId, r.FrameworkVersionNo, r.PeriodFrom, r.PeriodTo, r.Stage,
            r.WeightSelf, r.WeightMutual, r.WeightSupervision, r.SelfDays, r.MutualDays, r.SupervisionDays, r.SelfDue, r.MutualDue, r.SupervisionDue,
            r.TieBreaks, r.GapThreshold, r.SeparateTownships, r.PairSeed, r.Bands.OrderByDescending(b => b.MinScore).Select(b => new BandView(b.Name, b.MinScore)).ToList(),
            criteria, units, r.Version, r.IsDemo);
    }

    public async Task<Guid> CreateAsync(SaveRound req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var round = new AssessmentRound { CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow, Stage = RoundStage.Draft };
        await ApplyAsync(db, round, req, ct);
        db.AssessmentRounds.Add(round);
        await db.SaveChangesAsync(ct);
        return round.Id;
    }

    /// <summary>Replaces a draft round's declaration; once opened, nothing that decides a result can change.</summary>
    public async Task UpdateAsync(Guid id, SaveRound req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var round = await RoundAsync(db, id, tracking: true, ct);
        if (round.Stage != RoundStage.Draft)
            throw new RuleViolation(AssessmentErrors.Locked, $"考评《{round.Name}》已启动，权重、等次、并列规则、单位和测评标准已锁定，不能修改");
        db.Entry(round).Property(x => x.Version).OriginalValue = req.Version;
        await ApplyAsync(db, round, req, ct);
        round.UpdatedUtc = db.UtcNow;
        db.Entry(round).State = EntityState.Modified;
        await db.SaveOrConflictAsync(round, ct);
    }

    async Task ApplyAsync(ShiliuDb db, AssessmentRound round, SaveRound req, CancellationToken ct)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.Name, "考评名称");
        if (await db.AssessmentRounds.AnyAsync(r => r.Name == name && r.Id != round.Id, ct))
            throw RuleViolation.ForField(AssessmentErrors.Duplicate, "name", $"已有名为“{name}”的考评，请换一个名称");
        if (req.PeriodFrom == default || req.PeriodTo == default || req.PeriodTo < req.PeriodFrom)
            throw RuleViolation.ForField(AssessmentErrors.Invalid, "periodTo", "请填写考评期间，结束日期不能早于开始日期");
        if (req.WeightSelf + req.WeightMutual + req.WeightSupervision != 100)
            throw RuleViolation.ForField(AssessmentErrors.Weights, "weightSupervision",
                $"自检自查、互检互评、调研督查的权重合计应为100%，现为{req.WeightSelf + req.WeightMutual + req.WeightSupervision}%");
        var bands = CheckBands(req.Bands);
        if (req.TieBreaks.Distinct().Count() != req.TieBreaks.Count || req.TieBreaks.Any(t => !Enum.IsDefined(t)))
            throw RuleViolation.ForField(AssessmentErrors.Invalid, "tieBreaks", "并列规则中的每一项只能出现一次");

        var framework = req.FrameworkId is { } fid
            ? await db.IndicatorFrameworks.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fid, ct)
            : await db.IndicatorFrameworks.AsNoTracking().Where(f => f.Status == FrameworkStatus.Published).OrderByDescending(f => f.VersionNo).FirstOrDefaultAsync(ct);
        if (framework is null || framework.Status != FrameworkStatus.Published)
            throw RuleViolation.ForField(AssessmentErrors.Invalid, "frameworkId", "请选择已发布的测评指标版本");
        if (req.CampaignId is { } cid && !await db.Campaigns.AnyAsync(c => c.Id == cid, ct))
            throw RuleViolation.ForField(AssessmentErrors.Invalid, "campaignId", "所选创建活动不存在");

        var ids = req.UnitIds.Distinct().ToList();
        if (ids.Count == 0) throw RuleViolation.ForField(AssessmentErrors.Invalid, "unitIds", "请选择参加考评的社区或乡镇（街道）");
        var units = await db.OrgUnits.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync(ct);
        if (units.Count != ids.Count) throw RuleViolation.ForField(AssessmentErrors.Invalid, "unitIds", "所选单位中有不存在或不在您管辖范围内的单位");
        if (units.FirstOrDefault(u => u.Level is not (OrgLevel.Community or OrgLevel.Township) || u.IsDisabled) is { } bad)
            throw RuleViolation.ForField(AssessmentErrors.Invalid, "unitIds", $"{bad.Name}不能参加考评：考评对象为在用的社区（村）或乡镇（街道）");
        if (req.WeightMutual > 0 && units.Count < 2)
            throw RuleViolation.ForField(AssessmentErrors.Invalid, "unitIds", "互检互评至少需要两个单位");
        var parentIds = units.Where(u => u.Level == OrgLevel.Community).Select(u => u.ParentId!.Value).Distinct().ToList();
        var parents = await db.UnitNamesAsync(parentIds, ct);

        round.Name = name;
        round.CampaignId = req.CampaignId;
        round.FrameworkId = framework.Id;
        round.FrameworkVersionNo = framework.VersionNo;
        (round.PeriodFrom, round.PeriodTo) = (req.PeriodFrom, req.PeriodTo);
        (round.WeightSelf, round.WeightMutual, round.WeightSupervision) = (req.WeightSelf, req.WeightMutual, req.WeightSupervision);
        (round.SelfDays, round.MutualDays, round.SupervisionDays) = (req.SelfDays, req.MutualDays, req.SupervisionDays);
        round.TieRule = string.Join(',', req.TieBreaks);
        round.GapThreshold = req.GapThreshold;
        round.SeparateTownships = req.SeparateTownships;

        // Bands and units are replaced whole (children added explicitly: their keys are made here, not by the database).
        if (db.Entry(round).State != EntityState.Detached)
        {
            db.RemoveRange(round.Bands);
            var kept = await db.AssessmentUnits.Where(u => u.RoundId == round.Id).ToListAsync(ct);
            db.RemoveRange(kept.Where(k => !ids.Contains(k.OrgUnitId)));
            ids.RemoveAll(i => kept.Any(k => k.OrgUnitId == i));
            // Pairs are drawn over the whole set of units: a changed set needs a new draw.
            await db.AssessmentPairs.Where(p => p.RoundId == round.Id).ExecuteDeleteAsync(ct);
            round.PairSeed = null;
            await db.AssessmentAssessors.Where(a => a.RoundId == round.Id && !req.UnitIds.Contains(a.OrgUnitId)).ExecuteDeleteAsync(ct);
        }
        var newBands = bands.Select(b => new RoundBand { RoundId = round.Id, Name = b.Name, MinScore = b.MinScore }).ToList();
        db.AddRange(newBands);
        round.Bands = newBands;
        foreach (var u in units.Where(u => ids.Contains(u.Id)))
        {
            var township = u.Level == OrgLevel.Township ? (u.Id, u.Name) : (u.ParentId!.Value, parents[u.ParentId!.Value]);
            db.AssessmentUnits.Add(new RoundUnit
            {
                RoundId = round.Id, OrgUnitId = u.Id, OrgPath = u.Path, UnitName = u.Name, Level = u.Level, TownshipId = township.Item1, TownshipName = township.Item2,
            });
        }
    }

    static List<SaveBand> CheckBands(List<SaveBand> bands)
    {
        if (bands.Count is < 1 or > 8) throw RuleViolation.ForField(AssessmentErrors.Bands, "bands", "请设置1至8个等次");
        for (var i = 0; i < bands.Count; i++)
        {
            var b = bands[i];
            if (string.IsNullOrWhiteSpace(b.Name) || b.Name.Trim().Length > 20)
                throw RuleViolation.ForField(AssessmentErrors.Bands, $"bands[{i}].name", $"第{i + 1}个等次须有名称（不超过20字）");
            if (b.Name.Any(c => char.IsControl(c) || Validation.IsBidiControl(c)))
                throw RuleViolation.ForField(AssessmentErrors.Bands, $"bands[{i}].name", $"第{i + 1}个等次的名称含有不可见的控制字符，请删除后重新输入");
            if (b.MinScore is < 0 or > 100)
                throw RuleViolation.ForField(AssessmentErrors.Bands, $"bands[{i}].minScore", $"等次“{b.Name.Trim()}”的最低分应在0到100分之间");
        }
        if (bands.Select(b => b.Name.Trim()).Distinct().Count() != bands.Count || bands.Select(b => b.MinScore).Distinct().Count() != bands.Count)
            throw RuleViolation.ForField(AssessmentErrors.Bands, "bands", "等次的名称和最低分都不能重复");
        if (bands.Min(b => b.MinScore) != 0)
            throw RuleViolation.ForField(AssessmentErrors.Bands, "bands", "最低一个等次的最低分应为0，使每个得分都有等次");
        return bands.Select(b => new SaveBand { Name = b.Name.Trim(), MinScore = b.MinScore }).OrderByDescending(b => b.MinScore).ToList();
    }

    /// <summary>
    /// Opens the round (自检自查 begins): the framework version is marked as used by an assessment, so it can never change,
    /// and its criteria are copied into the round; the stage's due date is counted on the working calendar.
    /// </summary>
    public async Task OpenAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var round = await RoundAsync(db, id, tracking: true, ct);
        if (round.Stage != RoundStage.Draft) throw new RuleViolation(AssessmentErrors.Stage, $"考评《{round.Name}》已启动");
        db.Entry(round).Property(x => x.Version).OriginalValue = version;
        var framework = await db.IndicatorFrameworks.Include(f => f.Groups).ThenInclude(g => g.Subgroups).ThenInclude(s => s.Criteria)
            .AsSplitQuery().SingleAsync(f => f.Id == round.FrameworkId, ct);
        if (framework.Status != FrameworkStatus.Published) throw new RuleViolation(AssessmentErrors.Invalid, "所选测评指标版本尚未发布，不能启动考评");
        if (!framework.UsedByAssessment)
        {
            framework.UsedByAssessment = true;
            framework.UpdatedUtc = db.UtcNow;
        }
        foreach (var g in framework.Groups.OrderBy(g => g.SortOrder))
        foreach (var s in g.Subgroups.OrderBy(s => s.SortOrder))
        foreach (var c in s.Criteria)
            db.AssessmentCriteria.Add(new RoundCriterion
            {
                RoundId = round.Id, No = c.No, GroupName = g.Name, ShortTitle = c.ShortTitle, Text = c.Text, Points = c.Score, Methods = c.Methods,
            });
        var calendar = await calendars.GetAsync(dbs, ct);
        round.Stage = RoundStage.SelfCheck;
        round.OpenedUtc = db.UtcNow;
        round.SelfDue = calendar.AddWorkingDays(Today(db), round.SelfDays);
        round.UpdatedUtc = db.UtcNow;
        db.Audit(Auditing.AuditEvents.Update, $"启动考评《{round.Name}》：锁定测评指标第 {framework.VersionNo} 版（{framework.Groups.Sum(g => g.Subgroups.Sum(s => s.Criteria.Count))} 条标准），自检自查截止 {DateText(round.SelfDue.Value)}",
            nameof(AssessmentRound), round.Id.ToString());
        await db.SaveOrConflictAsync(round, ct);
    }

    /// <summary>
    /// Moves the round to its next stage: 互检互评 needs every unit paired, 调研督查 every unit with an assessor, and
    /// publishing makes the results and every unit's own sheets readable by the unit.
    /// </summary>
    public async Task AdvanceAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var round = await RoundAsync(db, id, tracking: true, ct);
        db.Entry(round).Property(x => x.Version).OriginalValue = version;
        var calendar = await calendars.GetAsync(dbs, ct);
        var units = await db.AssessmentUnits.Where(u => u.RoundId == id).Select(u => new { u.OrgUnitId, u.UnitName }).ToListAsync(ct);
        switch (round.Stage)
        {
            case RoundStage.SelfCheck:
                if (round.WeightMutual > 0)
                {
                    var pairs = await db.AssessmentPairs.Where(p => p.RoundId == id).Select(p => new { p.ScorerUnitId, p.ScoredUnitId }).ToListAsync(ct);
                    if (units.FirstOrDefault(u => !pairs.Any(p => p.ScoredUnitId == u.OrgUnitId) || !pairs.Any(p => p.ScorerUnitId == u.OrgUnitId)) is { } lonely)
                        throw new RuleViolation(AssessmentErrors.Pairing, $"{lonely.UnitName}尚未分组：请先抽取或编排互检互评分组，使每个单位都评别人、也被别人评");
                }
                round.Stage = RoundStage.Mutual;
                round.MutualDue = calendar.AddWorkingDays(Today(db), round.MutualDays);
                break;
            case RoundStage.Mutual:
                if (round.WeightSupervision > 0)
                {
                    var assigned = await db.AssessmentAssessors.Where(a => a.RoundId == id).Select(a => a.OrgUnitId).Distinct().ToListAsync(ct);
                    if (units.FirstOrDefault(u => !assigned.Contains(u.OrgUnitId)) is { } none)
                        throw new RuleViolation(AssessmentErrors.Stage, $"{none.UnitName}尚未分配测评人员：请先为每个单位分配调研督查的测评人员");
                }
                round.Stage = RoundStage.Supervision;
                round.SupervisionDue = calendar.AddWorkingDays(Today(db), round.SupervisionDays);
                break;
            case RoundStage.Supervision:
                round.Stage = RoundStage.Published;
                round.PublishedUtc = db.UtcNow;
                break;
            default:
                throw new RuleViolation(AssessmentErrors.Stage, round.Stage == RoundStage.Draft ? "考评尚未启动" : "考评结果已发布，不能再推进");
        }
        round.UpdatedUtc = db.UtcNow;
        db.Audit(Auditing.AuditEvents.Update, $"考评《{round.Name}》进入“{StageName(round.Stage)}”", nameof(AssessmentRound), round.Id.ToString());
        await db.SaveOrConflictAsync(round, ct);
    }

    // ---- 互检互评 pairs ----

    public async Task<IReadOnlyList<PairView>> PairsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.View, AssessmentErrors.Denied, "查看督查考评");
        await RoundAsync(db, id, tracking: false, ct);
        // The county sees every pair; a unit only the pairs it scores in (never who scores it).
        var q = db.AssessmentPairs.AsNoTracking().Where(p => p.RoundId == id);
        if (!db.Caller.Can(AssessmentPermissions.Manage)) q = q.Under(p => p.ScorerPath, db.Caller.ScopePrefix);
        return await q.OrderBy(p => p.ScorerName).ThenBy(p => p.ScoredName)
            .Select(p => new PairView(p.ScorerUnitId, p.ScorerName, p.ScoredUnitId, p.ScoredName)).ToListAsync(ct);
    }

    /// <summary>
    /// Draws the pairs from <paramref name="seed"/> (a new random one when absent, stored on the round): the same seed and
    /// units always draw the same pairs. Each unit scores one and is scored by one, never itself, and with
    /// <see cref="AssessmentRound.SeparateTownships"/> never a unit of its own township.
    /// </summary>
    public async Task<IReadOnlyList<PairView>> DrawPairsAsync(Guid id, int? seed, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var round = await RoundAsync(db, id, tracking: true, ct);
        RequireBeforeMutual(round);
        db.Entry(round).Property(x => x.Version).OriginalValue = version;
        var units = await db.AssessmentUnits.AsNoTracking().Where(u => u.RoundId == id).ToListAsync(ct);
        var s = seed ?? RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var pairs = Draw(units, s, round.SeparateTownships);
        await ReplacePairsAsync(db, round, units, pairs, ct);
        round.PairSeed = s;
        round.UpdatedUtc = db.UtcNow;
        db.Audit(Auditing.AuditEvents.Update, $"抽取考评《{round.Name}》互检互评分组（随机种子 {s}，{pairs.Count} 组）", nameof(AssessmentRound), round.Id.ToString());
        await db.SaveOrConflictAsync(round, ct);
        return pairs.Select(p => new PairView(p.Scorer.OrgUnitId, p.Scorer.UnitName, p.Scored.OrgUnitId, p.Scored.UnitName)).ToList();
    }

    /// <summary>Replaces the pairs with the county office's own arrangement, checked by the same rules as a draw.</summary>
    public async Task SavePairsAsync(Guid id, IReadOnlyList<SavePair> pairs, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var round = await RoundAsync(db, id, tracking: true, ct);
        RequireBeforeMutual(round);
        db.Entry(round).Property(x => x.Version).OriginalValue = version;
        var units = await db.AssessmentUnits.AsNoTracking().Where(u => u.RoundId == id).ToListAsync(ct);
        var byId = units.ToDictionary(u => u.OrgUnitId);
        var list = new List<(RoundUnit Scorer, RoundUnit Scored)>();
        for (var i = 0; i < pairs.Count; i++)
        {
            if (!byId.TryGetValue(pairs[i].ScorerUnitId, out var a) || !byId.TryGetValue(pairs[i].ScoredUnitId, out var b))
                throw RuleViolation.ForField(AssessmentErrors.Pairing, $"pairs[{i}]", $"第{i + 1}组含有未参加本次考评的单位");
            list.Add((a, b));
        }
        CheckPairs(units, list, round.SeparateTownships);
        await ReplacePairsAsync(db, round, units, list, ct);
        // Arranged by hand: no seed reproduces them any more, so none is shown as theirs.
        round.PairSeed = null;
        round.UpdatedUtc = db.UtcNow;
        db.Audit(Auditing.AuditEvents.Update, $"编排考评《{round.Name}》互检互评分组（{list.Count} 组）：" + string.Join("；", list.Select(p => $"{p.Scorer.UnitName}评{p.Scored.UnitName}")),
            nameof(AssessmentRound), round.Id.ToString());
        await db.SaveOrConflictAsync(round, ct);
    }

    static void RequireBeforeMutual(AssessmentRound round)
    {
        if (round.Stage >= RoundStage.Mutual)
            throw new RuleViolation(AssessmentErrors.Locked, "互检互评已开始，分组不能再修改");
    }

    async Task ReplacePairsAsync(ShiliuDb db, AssessmentRound round, List<RoundUnit> units, List<(RoundUnit Scorer, RoundUnit Scored)> pairs, CancellationToken ct)
    {
        await db.AssessmentPairs.Where(p => p.RoundId == round.Id).ExecuteDeleteAsync(ct);
        db.AssessmentPairs.AddRange(pairs.Select(p => new MutualPair
        {
            RoundId = round.Id, ScorerUnitId = p.Scorer.OrgUnitId, ScorerPath = p.Scorer.OrgPath, ScorerName = p.Scorer.UnitName,
            ScoredUnitId = p.Scored.OrgUnitId, ScoredName = p.Scored.UnitName,
        }));
    }

    /// <summary>
    /// A cycle over the units grouped by township (groups and members shuffled by the seed), shifted by the largest
    /// group's size: with contiguous groups no shift of that length lands in the same group, so nobody scores itself or,
    /// when asked, its own township; everyone scores exactly one unit and is scored by exactly one.
    /// </summary>
    public static List<(RoundUnit Scorer, RoundUnit Scored)> Draw(IReadOnlyList<RoundUnit> units, int seed, bool separateTownships)
    {
        if (units.Count < 2) throw new RuleViolation(AssessmentErrors.Pairing, "互检互评至少需要两个单位");
        var rng = new Random(seed);
        var ordered = units.OrderBy(u => u.OrgUnitId).ToList(); // a stable start, whatever order the database returned
        List<RoundUnit> line;
        int shift;
        if (separateTownships)
        {
            var groups = ordered.GroupBy(u => u.TownshipId).Select(g => g.ToList()).ToList();
            var largest = groups.Max(g => g.Count);
            if (largest * 2 > units.Count)
                throw new RuleViolation(AssessmentErrors.Pairing,
                    $"{groups.First(g => g.Count == largest)[0].TownshipName}的单位超过参评单位的一半，无法做到互评不在同一乡镇：请增加其他乡镇的单位或允许同乡镇互评");
            foreach (var g in groups) Shuffle(g, rng);
            Shuffle(groups, rng);
            line = groups.SelectMany(g => g).ToList();
            shift = largest;
        }
        else
        {
            line = [.. ordered];
            Shuffle(line, rng);
            shift = 1;
        }
        return line.Select((u, i) => (u, line[(i + shift) % line.Count])).ToList();
    }

    static void Shuffle<T>(List<T> list, Random rng)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    static void CheckPairs(List<RoundUnit> units, List<(RoundUnit Scorer, RoundUnit Scored)> pairs, bool separateTownships)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            var (a, b) = pairs[i];
            if (a.OrgUnitId == b.OrgUnitId)
                throw RuleViolation.ForField(AssessmentErrors.Pairing, $"pairs[{i}]", $"第{i + 1}组：{a.UnitName}不能评自己");
            if (separateTownships && a.TownshipId == b.TownshipId)
                throw RuleViolation.ForField(AssessmentErrors.Pairing, $"pairs[{i}]", $"第{i + 1}组：{a.UnitName}和{b.UnitName}同属{a.TownshipName}，本次考评规定不在同一乡镇内互评");
            if (pairs.Take(i).Any(p => p.Scorer.OrgUnitId == a.OrgUnitId && p.Scored.OrgUnitId == b.OrgUnitId))
                throw RuleViolation.ForField(AssessmentErrors.Pairing, $"pairs[{i}]", $"第{i + 1}组：{a.UnitName}评{b.UnitName}重复");
        }
        foreach (var u in units)
        {
            if (!pairs.Any(p => p.Scored.OrgUnitId == u.OrgUnitId))
                throw RuleViolation.ForField(AssessmentErrors.Pairing, "pairs", $"{u.UnitName}没有单位给它评分：每个单位至少由一个单位评分");
            if (!pairs.Any(p => p.Scorer.OrgUnitId == u.OrgUnitId))
                throw RuleViolation.ForField(AssessmentErrors.Pairing, "pairs", $"{u.UnitName}没有评分对象：每个单位至少为一个单位评分");
        }
    }

    // ---- 调研督查 assessors ----

    public async Task<IReadOnlyList<AssignmentView>> AssignmentsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.View, AssessmentErrors.Denied, "查看督查考评");
        var q = db.AssessmentAssessors.AsNoTracking().Where(a => a.RoundId == id);
        if (!db.Caller.Can(AssessmentPermissions.Manage)) q = q.Where(a => a.UserId == db.Caller.UserId);
        return await q.OrderBy(a => a.UserName).ThenBy(a => a.UnitName).Select(a => new AssignmentView(a.UserName, a.DisplayName, a.OrgUnitId, a.UnitName)).ToListAsync(ct);
    }

    /// <summary>Sets the units an assessor (an account with the 测评人员 role) scores in the round; an empty list removes them.</summary>
    public async Task AssignAsync(Guid id, string userName, IReadOnlyList<Guid> unitIds, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var round = await RoundAsync(db, id, tracking: true, ct);
        if (round.Stage == RoundStage.Published) throw new RuleViolation(AssessmentErrors.Locked, "考评结果已发布，不能再分配测评人员");
        var role = await db.Roles.Where(r => r.Name == Roles.Assessor).Select(r => r.Id).SingleAsync(ct);
        var user = await db.ScopedUsers.Where(u => u.UserName == userName && !u.IsDisabled && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == role))
            .Select(u => new { u.Id, u.UserName, u.DisplayName }).SingleOrDefaultAsync(ct)
            ?? throw RuleViolation.ForField(AssessmentErrors.Invalid, "userName", $"账号 {userName} 不存在、已停用或不是测评人员");
        var units = await db.AssessmentUnits.AsNoTracking().Where(u => u.RoundId == id && unitIds.Contains(u.OrgUnitId)).ToListAsync(ct);
        if (units.Count != unitIds.Distinct().Count()) throw RuleViolation.ForField(AssessmentErrors.Invalid, "unitIds", "所选单位中有未参加本次考评的单位");
        var uid = user.Id.ToString();
        await db.AssessmentAssessors.Where(a => a.RoundId == id && a.UserId == uid).ExecuteDeleteAsync(ct);
        db.AssessmentAssessors.AddRange(units.Select(u => new AssessorAssignment
        {
            RoundId = id, UserId = uid, UserName = user.UserName!, DisplayName = user.DisplayName, OrgUnitId = u.OrgUnitId, UnitName = u.UnitName,
        }));
        round.UpdatedUtc = db.UtcNow;
        db.Audit(Auditing.AuditEvents.Update, $"考评《{round.Name}》测评人员 {user.DisplayName} 负责：{(units.Count == 0 ? "（无）" : string.Join("、", units.Select(u => u.UnitName)))}",
            nameof(AssessmentRound), round.Id.ToString());
        await db.SaveChangesAsync(ct);
    }

    // ---- 一票否决 ----

    public async Task SetVetoAsync(Guid id, Guid unitId, SaveVeto req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var (round, unit) = await VetoTargetAsync(db, id, unitId, req.Version, ct);
        unit.VetoReason = Validation.CleanText(req.Reason, "否决事由");
        unit.VetoReference = Validation.CleanText(req.Reference, "否决依据");
        (unit.VetoBy, unit.VetoUtc) = (db.Caller.UserName, db.UtcNow);
        db.Audit(Auditing.AuditEvents.Update, $"考评《{round.Name}》对{unit.UnitName}一票否决：{unit.VetoReason}（{unit.VetoReference}）", nameof(RoundUnit), unit.Id.ToString(), unit.OrgPath);
        await db.SaveOrConflictAsync(unit, ct);
    }

    /// <summary>
    /// Lifts a 一票否决 (e.g. the incident turned out not to involve ethnic factors): the reason is required and kept in
    /// the audit log with the veto it lifts, so the unit's record shows both.
    /// </summary>
    public async Task ClearVetoAsync(Guid id, Guid unitId, ClearVeto req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        RequireManage(db);
        var (round, unit) = await VetoTargetAsync(db, id, unitId, req.Version, ct);
        if (unit.VetoReason is null) throw new RuleViolation(AssessmentErrors.Invalid, $"{unit.UnitName}没有被一票否决，无需撤销");
        var why = Validation.CleanText(req.Reason, "撤销原因");
        var lifted = $"{unit.VetoReason}（{unit.VetoReference}）";
        (unit.VetoReason, unit.VetoReference, unit.VetoBy, unit.VetoUtc) = (null, null, null, null);
        db.Audit(Auditing.AuditEvents.Update, $"考评《{round.Name}》撤销对{unit.UnitName}的一票否决“{lifted}”，原因：{why}", nameof(RoundUnit), unit.Id.ToString(), unit.OrgPath);
        await db.SaveOrConflictAsync(unit, ct);
    }

    static async Task<(AssessmentRound, RoundUnit)> VetoTargetAsync(ShiliuDb db, Guid id, Guid unitId, int version, CancellationToken ct)
    {
        var round = await RoundAsync(db, id, tracking: false, ct);
        if (round.Stage == RoundStage.Published) throw new RuleViolation(AssessmentErrors.Locked, "考评结果已发布，一票否决不能再更改");
        var unit = await db.AssessmentUnits.SingleOrDefaultAsync(u => u.RoundId == id && u.OrgUnitId == unitId, ct) ?? throw new NotFoundInScope("参评单位");
        db.Entry(unit).Property(x => x.Version).OriginalValue = version;
        return (round, unit);
    }

    // ---- helpers ----

    internal static async Task<AssessmentRound> RoundAsync(ShiliuDb db, Guid id, bool tracking, CancellationToken ct)
    {
        var q = db.AssessmentRounds.Include(r => r.Bands).Where(r => r.Id == id);
        var round = await (tracking ? q : q.AsNoTracking()).SingleOrDefaultAsync(ct);
        // A draft round is the county office's own until it opens.
        if (round is null || (round.Stage == RoundStage.Draft && !db.Caller.Can(AssessmentPermissions.Manage))) throw new NotFoundInScope("考评");
        return round;
    }

    internal static Task<List<CriterionView>> CriteriaAsync(ShiliuDb db, Guid roundId, CancellationToken ct) =>
        db.AssessmentCriteria.AsNoTracking().Where(c => c.RoundId == roundId).OrderBy(c => c.No)
            .Select(c => new CriterionView(c.No, c.GroupName, c.ShortTitle, c.Text, c.Points, c.Methods)).ToListAsync(ct);

    static async Task<List<CriterionView>> DraftCriteriaAsync(ShiliuDb db, Guid frameworkId, CancellationToken ct)
    {
        var groups = await db.Set<IndicatorGroup>().AsNoTracking().Where(g => g.FrameworkId == frameworkId).Include(g => g.Subgroups).ThenInclude(s => s.Criteria)
            .AsSplitQuery().ToListAsync(ct);
        return groups.OrderBy(g => g.SortOrder).SelectMany(g => g.Subgroups.OrderBy(s => s.SortOrder)
            .SelectMany(s => s.Criteria.Select(c => new CriterionView(c.No, g.Name, c.ShortTitle, c.Text, c.Score, c.Methods)))).OrderBy(c => c.No).ToList();
    }

    static DateOnly Today(ShiliuDb db) => DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));

    public static string DateText(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public static string Points(decimal d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
