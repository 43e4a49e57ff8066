using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Assessment;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Indicators;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Tests.Infrastructure;
using static Shiliu.Tests.Assessment.AssessmentFixtures;

namespace Shiliu.Tests.Assessment;

public sealed class AssessmentTests
{
    static async Task<RuleViolation> Refused(ShiliuApp app, string user, Func<IServiceProvider, Task> act) =>
        await app.AsAsync(user, async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => act(sp)));

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_round_is_declared_in_full_then_opening_freezes_the_framework_and_locks_the_declaration(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var units = await CommunitiesAsync(app, 4);
        var ids = units.Select(u => u.Id).ToList();

        var weights = Round("2026年12月综合考核", ids);
        weights.WeightSupervision = 40;
        var e = await Refused(app, "county", sp => A(sp).CreateAsync(weights));
        Assert.Equal(AssessmentErrors.Weights, e.Error);
        Assert.Equal("自检自查、互检互评、调研督查的权重合计应为100%，现为90%", e.Message);

        var bands = Round("2026年12月综合考核", ids);
        bands.Bands = [new() { Name = "示范", MinScore = 90 }, new() { Name = "达标", MinScore = 80 }];
        Assert.Equal("最低一个等次的最低分应为0，使每个得分都有等次", (await Refused(app, "county", sp => A(sp).CreateAsync(bands))).Message);

        var grid = await app.UnitAsync(Chengzhong + "-G01");
        var withGrid = Round("2026年12月综合考核", [.. ids, grid.Id]);
        Assert.Contains("考评对象为在用的社区（村）或乡镇（街道）", (await Refused(app, "county", sp => A(sp).CreateAsync(withGrid))).Message);

        // Only the county office runs rounds.
        Assert.Equal(AssessmentErrors.Denied, (await Refused(app, "township", sp => A(sp).CreateAsync(Round("乡镇自办考核", ids)))).Error);

        var id = await app.AsAsync("county", sp => A(sp).CreateAsync(Round("2026年12月综合考核", ids)));
        var draft = await app.AsAsync("county", sp => A(sp).GetAsync(id));
        Assert.Equal((RoundStage.Draft, 20, 30, 50, 4), (draft.Stage, draft.WeightSelf, draft.WeightMutual, draft.WeightSupervision, draft.Units.Count));
        Assert.Equal(["示范 90", "达标 80", "基本达标 60", "未达标 0"], draft.Bands.Select(b => $"{b.Name} {b.MinScore:0}"));
        Assert.Equal("调研督查得分高者在前，再扣分项少者在前；仍相同者并列", draft.TieRuleText);
        // A draft is the county office's own.
        Assert.Equal(CommonErrors.NotFound, (await Refused(app, "community", sp => A(sp).GetAsync(id))).Error);

        await app.AsAsync("county", sp => A(sp).OpenAsync(id, draft.Version));
        var open = await app.AsAsync("community", sp => A(sp).GetAsync(id));
        Assert.Equal(RoundStage.SelfCheck, open.Stage);
        Assert.Equal(13, open.Criteria.Count);
        Assert.Equal(100, open.Criteria.Sum(c => c.Points));
        Assert.NotNull(open.SelfDue);
        // A community sees only itself among the units.
        Assert.Equal(["城中社区"], open.Units.Select(u => u.UnitName));

        await using (var db = await app.SystemDbAsync())
            Assert.True(await db.IndicatorFrameworks.Where(f => f.Id == open.FrameworkId).Select(f => f.UsedByAssessment).SingleAsync());

        // The framework's next version changes nothing in the round: its criteria were copied when it opened.
        var framework = open.FrameworkId;
        var draftId = await app.AsAsync("county", sp => sp.GetRequiredService<IndicatorService>().CreateDraftAsync(framework));
        var tree = await app.AsAsync("county", sp => sp.GetRequiredService<IndicatorService>().GetAsync(draftId));
        tree.Groups[0].Subgroups[0].Criteria[0].ShortTitle = "改过的标题";
        await app.AsAsync("county", sp => sp.GetRequiredService<IndicatorService>().SaveDraftAsync(draftId, tree));
        Assert.NotEqual("改过的标题", (await app.AsAsync("county", sp => A(sp).GetAsync(id))).Criteria[0].ShortTitle);

        var late = Round("2026年12月综合考核", ids);
        late.WeightSelf = 10;
        late.WeightSupervision = 60;
        late.Version = open.Version;
        var locked = await Refused(app, "county", sp => A(sp).UpdateAsync(id, late));
        Assert.Equal(AssessmentErrors.Locked, locked.Error);
        Assert.Contains("权重、等次、并列规则、单位和测评标准已锁定", locked.Message);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_self_check_sheet_is_scored_within_the_points_with_reasons_and_own_evidence_and_locks_on_submit(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (id, units) = await OpenRoundAsync(app);
        var chengzhong = units.Single(u => u.Code == Chengzhong);

        // 中心村 cannot fill 城中社区's self-check, nor can the assessor.
        Assert.Equal(AssessmentErrors.NotAssigned, (await Refused(app, "community2", sp => A(sp).OpenSheetAsync(id, AssessMode.Self, chengzhong.Id))).Error);
        Assert.Equal(AssessmentErrors.NotAssigned, (await Refused(app, "assessor", sp => A(sp).OpenSheetAsync(id, AssessMode.Self, chengzhong.Id))).Error);

        var tasks = await app.AsAsync("community", sp => A(sp).TasksAsync());
        var task = Assert.Single(tasks);
        Assert.Equal((AssessMode.Self, "城中社区", true), (task.Mode, task.ScoredName, task.Open));

        var sheetId = await app.AsAsync("community", sp => A(sp).OpenSheetAsync(id, AssessMode.Self, chengzhong.Id));
        Assert.Equal(sheetId, await app.AsAsync("community", sp => A(sp).OpenSheetAsync(id, AssessMode.Self, chengzhong.Id)));
        var sheet = await app.AsAsync("community", sp => A(sp).GetSheetAsync(sheetId));
        Assert.True(sheet.CanEdit);
        Assert.Equal(13, sheet.Lines.Count);
        var first = sheet.Lines[0];

        var over = Scores(sheet, 0);
        over.Lines[0].Score = first.Points + 0.5m;
        var tooHigh = await Refused(app, "community", sp => A(sp).SaveSheetAsync(sheetId, over));
        Assert.Equal(AssessmentErrors.Score, tooHigh.Error);
        Assert.Equal($"第1条（{first.ShortTitle}）得分不能超过该项分值 {first.Points} 分", tooHigh.Message);
        Assert.Equal(["lines[0].score"], tooHigh.Fields.Keys);

        var noReason = Scores(sheet);
        noReason.Lines[0].DeductionReason = " ";
        Assert.Equal($"第1条（{first.ShortTitle}）未得满分，请写明扣分原因", (await Refused(app, "community", sp => A(sp).SaveSheetAsync(sheetId, noReason))).Message);

        var fine = Scores(sheet);
        fine.Lines[1].Score = 0.25m;
        Assert.Contains("最多保留一位小数", (await Refused(app, "community", sp => A(sp).SaveSheetAsync(sheetId, fine))).Message);

        // Evidence: the unit's own, not another unit's.
        var own = await EvidenceAsync(app, "community", chengzhong.Id, "领导小组成立文件");
        var zhongxin = units.Single(u => u.Code == Zhongxin);
        var foreign = await EvidenceAsync(app, "community2", zhongxin.Id, "中心村活动照片");
        var linked = Scores(sheet);
        linked.Lines[0].EvidenceIds = [own];
        linked.Lines[0].Comment = "见领导小组成立文件";
        await app.AsAsync("community", sp => A(sp).SaveSheetAsync(sheetId, linked));
        sheet = await app.AsAsync("community", sp => A(sp).GetSheetAsync(sheetId));
        Assert.Equal(["领导小组成立文件"], sheet.Lines[0].Evidence.Select(x => x.Title));
        Assert.Equal((99m, 1), (sheet.Total, sheet.Deductions));
        var stolen = Scores(sheet);
        stolen.Lines[2].EvidenceIds = [foreign];
        Assert.Equal(["lines[2].evidenceIds"], (await Refused(app, "community", sp => A(sp).SaveSheetAsync(sheetId, stolen))).Fields.Keys);

        // A stale save is refused naming who saved first.
        await app.AsAsync("community", async sp => await Assert.ThrowsAsync<ConcurrencyConflict>(() => A(sp).SaveSheetAsync(sheetId, linked)));

        await app.AsAsync("community", sp => A(sp).SubmitSheetAsync(sheetId, sheet.Version));
        sheet = await app.AsAsync("community", sp => A(sp).GetSheetAsync(sheetId));
        Assert.Equal((SheetStatus.Submitted, false), (sheet.Status, sheet.CanEdit));
        var relock = Scores(sheet);
        Assert.Equal(AssessmentErrors.Locked, (await Refused(app, "community", sp => A(sp).SaveSheetAsync(sheetId, relock))).Error);
        Assert.Equal(0, (await app.AsAsync("community", sp => A(sp).TasksAsync())).Count(t => t.Open));

        // Only the county office reopens it, with a reason the unit reads.
        Assert.Equal(AssessmentErrors.Denied, (await Refused(app, "community", sp => A(sp).ReopenSheetAsync(sheetId, "自己想改", sheet.Version))).Error);
        Assert.Equal(WorkflowErrors.Reason, (await Refused(app, "county", sp => A(sp).ReopenSheetAsync(sheetId, " ", sheet.Version))).Error);
        await app.AsAsync("county", sp => A(sp).ReopenSheetAsync(sheetId, "第1条扣分原因请写具体", sheet.Version));
        sheet = await app.AsAsync("community", sp => A(sp).GetSheetAsync(sheetId));
        Assert.Equal((SheetStatus.Draft, "第1条扣分原因请写具体", true), (sheet.Status, sheet.ReopenReason, sheet.CanEdit));
        Assert.True(Assert.Single(await app.AsAsync("community", sp => A(sp).TasksAsync())).Reopened);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Mutual_pairs_are_drawn_reproducibly_never_self_or_same_township_and_editable_only_before_the_stage(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        // Two communities in each of three townships.
        var units = (await CommunitiesAsync(app, 36)).GroupBy(u => u.ParentId).Take(3).SelectMany(g => g.Take(2)).ToList();
        var id = await app.AsAsync("county", sp => A(sp).CreateAsync(Round("2026年互评抽签", units.Select(u => u.Id))));
        await app.AsAsync("county", async sp => await A(sp).OpenAsync(id, await VersionAsync(app, id)));

        var drawn = await app.AsAsync("county", async sp => await A(sp).DrawPairsAsync(id, 20190301, await VersionAsync(app, id)));
        Assert.Equal(6, drawn.Count);
        var township = units.ToDictionary(u => u.Id, u => u.ParentId);
        Assert.All(drawn, p => Assert.NotEqual(township[p.ScorerUnitId], township[p.ScoredUnitId]));
        Assert.Equal(units.Select(u => u.Id).Order(), drawn.Select(p => p.ScorerUnitId).Order());
        Assert.Equal(units.Select(u => u.Id).Order(), drawn.Select(p => p.ScoredUnitId).Order());
        Assert.Equal(20190301, (await app.AsAsync("county", sp => A(sp).GetAsync(id))).PairSeed);

        // The same seed draws the same pairs; another seed (here) draws others.
        var again = await app.AsAsync("county", async sp => await A(sp).DrawPairsAsync(id, 20190301, await VersionAsync(app, id)));
        Assert.Equal(drawn.Select(p => (p.ScorerUnitId, p.ScoredUnitId)).Order(), again.Select(p => (p.ScorerUnitId, p.ScoredUnitId)).Order());

        var (a, b) = (units[0], units[1]); // the same township
        var self = units.Select(u => new SavePair { ScorerUnitId = u.Id, ScoredUnitId = u.Id }).ToList();
        Assert.Equal($"第1组：{a.Name}不能评自己", (await Refused(app, "county", async sp => await A(sp).SavePairsAsync(id, self, await VersionAsync(app, id)))).Message);
        List<SavePair> sameTown = [new() { ScorerUnitId = a.Id, ScoredUnitId = b.Id }];
        Assert.Contains("本次考评规定不在同一乡镇内互评", (await Refused(app, "county", async sp => await A(sp).SavePairsAsync(id, sameTown, await VersionAsync(app, id)))).Message);
        // A hand-made ring across townships is fine, but everyone must score and be scored.
        var ring = units.Select((u, i) => new SavePair { ScorerUnitId = u.Id, ScoredUnitId = units[(i + 2) % units.Count].Id }).ToList();
        var missing = ring.Skip(1).ToList();
        Assert.Equal(AssessmentErrors.Pairing, (await Refused(app, "county", async sp => await A(sp).SavePairsAsync(id, missing, await VersionAsync(app, id)))).Error);
        await app.AsAsync("county", async sp => await A(sp).SavePairsAsync(id, ring, await VersionAsync(app, id)));
        var saved = await app.AsAsync("county", sp => A(sp).PairsAsync(id));
        Assert.Equal(ring.Select(p => (p.ScorerUnitId, p.ScoredUnitId)).Order(), saved.Select(p => (p.ScorerUnitId, p.ScoredUnitId)).Order());
        Assert.Null((await app.AsAsync("county", sp => A(sp).GetAsync(id))).PairSeed);

        await app.AsAsync("county", async sp => await A(sp).AdvanceAsync(id, await VersionAsync(app, id)));
        Assert.Equal(AssessmentErrors.Locked, (await Refused(app, "county", async sp => await A(sp).DrawPairsAsync(id, 1, await VersionAsync(app, id)))).Error);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_draft_round_is_edited_until_it_opens_and_a_veto_is_lifted_only_with_a_reason_kept_in_the_audit_log(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var units = await CommunitiesAsync(app, 4);
        var ids = units.Select(u => u.Id).ToList();
        var id = await app.AsAsync("county", sp => A(sp).CreateAsync(Round("2026年12月综合考核", ids.Take(3))));

        // While 筹备中 the county changes weights, units and the tie rule; a stale version is refused (409).
        var edit = Round("2026年12月综合考核（调整）", ids);
        (edit.WeightSelf, edit.WeightMutual, edit.WeightSupervision, edit.TieBreaks, edit.Version) = (10, 30, 60, [TieBreak.FewerDeductions], await VersionAsync(app, id));
        await app.AsAsync("county", sp => A(sp).UpdateAsync(id, edit));
        var draft = await app.AsAsync("county", sp => A(sp).GetAsync(id));
        Assert.Equal(("2026年12月综合考核（调整）", 10, 60, 4), (draft.Name, draft.WeightSelf, draft.WeightSupervision, draft.Units.Count));
        Assert.Equal([TieBreak.FewerDeductions], draft.TieBreaks);
        Assert.Equal(ErrorKind.Conflict, (await Refused(app, "county", sp => A(sp).UpdateAsync(id, edit))).Error.Kind);
        Assert.Equal(AssessmentErrors.Denied, (await Refused(app, "township", sp => A(sp).UpdateAsync(id, edit))).Error);

        await app.AsAsync("county", async sp => await A(sp).OpenAsync(id, await VersionAsync(app, id)));
        var unit = units[0];
        async Task<int> UnitVersion() => (await app.AsAsync("county", sp => A(sp).GetAsync(id))).Units.Single(u => u.OrgUnitId == unit.Id).Version;
        await app.AsAsync("county", async sp => await A(sp).SetVetoAsync(id, unit.Id, new SaveVeto
            { Reason = "发生涉及民族因素的群体性事件", Reference = "县委办通报〔2026〕1号", Version = await UnitVersion() }));

        // Lifting it needs a reason; without one nothing changes.
        var bare = await Refused(app, "county", async sp => await A(sp).ClearVetoAsync(id, unit.Id, new ClearVeto { Reason = " ", Version = await UnitVersion() }));
        Assert.Contains("请填写撤销一票否决的原因", bare.Message);
        Assert.NotNull((await app.AsAsync("county", sp => A(sp).GetAsync(id))).Units.Single(u => u.OrgUnitId == unit.Id).VetoReason);
        Assert.Equal(AssessmentErrors.Denied, (await Refused(app, "township", async sp => await A(sp).ClearVetoAsync(id, unit.Id,
            new ClearVeto { Reason = "经核实不涉及民族因素", Version = await UnitVersion() }))).Error);

        await app.AsAsync("county", async sp => await A(sp).ClearVetoAsync(id, unit.Id, new ClearVeto { Reason = "经核实该事件不涉及民族因素", Version = await UnitVersion() }));
        Assert.Null((await app.AsAsync("county", sp => A(sp).GetAsync(id))).Units.Single(u => u.OrgUnitId == unit.Id).VetoReason);
        await using (var db = await app.SystemDbAsync())
        {
            var summary = await db.AuditEntries.Where(a => a.EntityType == nameof(RoundUnit) && a.Summary!.Contains("撤销")).Select(a => a.Summary).SingleAsync();
            Assert.Contains($"撤销对{unit.Name}的一票否决“发生涉及民族因素的群体性事件（县委办通报〔2026〕1号）”，原因：经核实该事件不涉及民族因素", summary);
        }
        Assert.Contains("没有被一票否决", (await Refused(app, "county", async sp => await A(sp).ClearVetoAsync(id, unit.Id,
            new ClearVeto { Reason = "再次撤销", Version = await UnitVersion() }))).Message);
        // Once opened, the declaration stays as it was.
        edit.Version = await VersionAsync(app, id);
        Assert.Equal(AssessmentErrors.Locked, (await Refused(app, "county", sp => A(sp).UpdateAsync(id, edit))).Error);
    }

    [Fact]
    public void A_draw_without_the_township_rule_still_never_pairs_a_unit_with_itself()
    {
        var units = Enumerable.Range(0, 7).Select(i => new RoundUnit { OrgUnitId = Guid.CreateVersion7(), UnitName = $"单位{i}", TownshipId = Guid.Empty }).ToList();
        foreach (var seed in Enumerable.Range(1, 50))
        {
            var pairs = AssessmentService.Draw(units, seed, separateTownships: false);
            Assert.All(pairs, p => Assert.NotEqual(p.Scorer.OrgUnitId, p.Scored.OrgUnitId));
            Assert.Equal(7, pairs.Select(p => p.Scored.OrgUnitId).Distinct().Count());
        }
        Assert.Contains("无法做到互评不在同一乡镇", Assert.Throws<RuleViolation>(() => AssessmentService.Draw(units, 1, separateTownships: true)).Message);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_unit_never_sees_its_pairs_draft_and_the_assessor_sees_only_assigned_units(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (id, units) = await OpenRoundAsync(app, "2026年互评与督查");
        var chengzhong = units.Single(u => u.Code == Chengzhong);
        var zhongxin = units.Single(u => u.Code == Zhongxin);
        // 中心村 scores 城中社区 and the other way round; the other two score each other.
        var (c, d) = (units.Single(u => u.Code == "530427002001"), units.Single(u => u.Code == "530427102001"));
        List<SavePair> pairs =
        [
            new() { ScorerUnitId = zhongxin.Id, ScoredUnitId = chengzhong.Id }, new() { ScorerUnitId = chengzhong.Id, ScoredUnitId = zhongxin.Id },
            new() { ScorerUnitId = c.Id, ScoredUnitId = d.Id }, new() { ScorerUnitId = d.Id, ScoredUnitId = c.Id },
        ];
        await app.AsAsync("county", async sp => await A(sp).SavePairsAsync(id, pairs, await VersionAsync(app, id)));
        await app.AsAsync("county", async sp => await A(sp).AdvanceAsync(id, await VersionAsync(app, id)));

        // A unit sees whom it scores, never who scores it.
        Assert.Equal(["中心村"], (await app.AsAsync("community", sp => A(sp).PairsAsync(id))).Select(p => p.ScoredName));
        var mutual = await app.AsAsync("community2", sp => A(sp).OpenSheetAsync(id, AssessMode.Mutual, chengzhong.Id));
        Assert.Equal(AssessmentErrors.NotAssigned, (await Refused(app, "community2", sp => A(sp).OpenSheetAsync(id, AssessMode.Mutual, c.Id))).Error);
        var draft = await app.AsAsync("community2", sp => A(sp).GetSheetAsync(mutual));
        await app.AsAsync("community2", sp => A(sp).SaveSheetAsync(mutual, Scores(draft, 2)));
        Assert.Equal(CommonErrors.NotFound, (await Refused(app, "community", sp => A(sp).GetSheetAsync(mutual))).Error);
        Assert.Equal(AssessmentErrors.NotPublished, (await Refused(app, "community", sp => A(sp).UnitResultAsync(id, chengzhong.Id))).Error);

        // The assessor is assigned 城中社区 only: it sees that unit and its own sheets, nothing else — not even the county-wide mutual sheets.
        await app.AsAsync("county", sp => A(sp).AssignAsync(id, "assessor", [chengzhong.Id]));
        Assert.Equal(AssessmentErrors.Invalid, (await Refused(app, "county", sp => A(sp).AssignAsync(id, "community", [chengzhong.Id]))).Error);
        Assert.Equal(CommonErrors.NotFound, (await Refused(app, "assessor", sp => A(sp).GetSheetAsync(mutual))).Error);
        Assert.Equal(["城中社区"], (await app.AsAsync("assessor", sp => A(sp).AssignmentsAsync(id))).Select(a => a.UnitName));
        // Advancing needs an assessor for every unit.
        Assert.Contains("尚未分配测评人员", (await Refused(app, "county", async sp => await A(sp).AdvanceAsync(id, await VersionAsync(app, id)))).Message);
        await app.AsAsync("county", sp => A(sp).AssignAsync(id, "assessor", units.Select(u => u.Id).ToList()));
        await app.AsAsync("county", async sp => await A(sp).AdvanceAsync(id, await VersionAsync(app, id)));
        await app.AsAsync("county", sp => A(sp).AssignAsync(id, "assessor", [chengzhong.Id]));
        var tasks = await app.AsAsync("assessor", sp => A(sp).TasksAsync());
        Assert.Equal([(AssessMode.Supervision, "城中社区")], tasks.Select(t => (t.Mode, t.ScoredName)));
        Assert.Equal(AssessmentErrors.NotAssigned, (await Refused(app, "assessor", sp => A(sp).OpenSheetAsync(id, AssessMode.Supervision, zhongxin.Id))).Error);
        // The mutual stage is over: 中心村's unsubmitted draft can no longer change.
        Assert.Equal(AssessmentErrors.Stage, (await Refused(app, "community2", async sp => await A(sp).SaveSheetAsync(mutual, Scores(await A(sp).GetSheetAsync(mutual), 2)))).Error);

        var sup = await app.AsAsync("assessor", sp => A(sp).OpenSheetAsync(id, AssessMode.Supervision, chengzhong.Id));
        var supSheet = await app.AsAsync("assessor", sp => A(sp).GetSheetAsync(sup));
        Assert.True(supSheet.CanEdit);
        await app.AsAsync("assessor", sp => A(sp).SaveSheetAsync(sup, Scores(supSheet, 3)));
        await app.AsAsync("assessor", async sp => await A(sp).SubmitSheetAsync(sup, (await A(sp).GetSheetAsync(sup)).Version));

        await app.AsAsync("county", async sp => await A(sp).AdvanceAsync(id, await VersionAsync(app, id)));
        var mine = await app.AsAsync("community", sp => A(sp).UnitResultAsync(id, chengzhong.Id));
        // Only submitted sheets count and show: 中心村's draft never reached 城中社区.
        var shown = Assert.Single(mine.Sheets);
        Assert.Equal((AssessMode.Supervision, "调研督查组", 97m), (shown.Mode, shown.ScorerName, shown.Total));
        Assert.Equal("会议记录不全", shown.Lines[0].DeductionReason);
        Assert.Equal(CommonErrors.NotFound, (await Refused(app, "community", sp => A(sp).UnitResultAsync(id, zhongxin.Id))).Error);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_scoring_page_shows_what_each_ledger_holds_per_criterion_with_the_suggestion_and_its_formula(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (id, units) = await OpenRoundAsync(app, "2026年督查台账");
        var chengzhong = units.Single(u => u.Code == Chengzhong);
        await EvidenceAsync(app, "community", chengzhong.Id, "民族工作领导小组名单", criteria: [2]);
        await EvidenceAsync(app, "community", chengzhong.Id, "2026年民族工作计划", criteria: [2]);
        var sheetId = await app.AsAsync("community", sp => A(sp).OpenSheetAsync(id, AssessMode.Self, chengzhong.Id));
        var holdings = await app.AsAsync("community", sp => A(sp).HoldingsAsync(sheetId));
        Assert.Equal(13, holdings.Count);

        var evidence = Assert.Single(holdings.Single(h => h.CriterionNo == 2).Lines, l => l.Source == "痕迹台账");
        Assert.StartsWith("2 份：", evidence.Figure);
        Assert.Contains("《民族工作领导小组名单》", evidence.Figure);
        Assert.Equal("/evidence", evidence.Href);

        // The 十个一 that bear on 第 2 条 (领导小组, 工作方案), counted here independently of the source.
        int total, approved;
        await using (var db = await app.SystemDbAsync())
        {
            var items = db.Deliverables.Where(d => d.OrgUnitId == chengzhong.Id && (d.ItemNo == 1 || d.ItemNo == 2));
            (total, approved) = (await items.CountAsync(), await items.CountAsync(d => d.Status == Shiliu.Core.Deliverables.DeliverableStatus.Approved));
        }
        Assert.True(total > 0);
        var ten = Assert.Single(holdings.Single(h => h.CriterionNo == 2).Lines, l => l.Source == "十个一");
        Assert.Equal($"审核通过 {approved}/{total} 项", ten.Figure);
        var points = Math.Round((decimal)approved / total * 8, 1, MidpointRounding.AwayFromZero);
        Assert.Equal(points, ten.SuggestedPoints);
        Assert.StartsWith($"“十个一”审核通过 {approved} / 相关事项 {total} = ", ten.Formula);
        Assert.EndsWith($"× 8 分 = {points:0.#} 分", ten.Formula);
    }

    static async Task<Guid> EvidenceAsync(ShiliuApp app, string user, Guid unit, string title, List<int>? criteria = null) =>
        (await app.AsAsync(user, sp => sp.GetRequiredService<EvidenceService>().UploadAsync(new EvidenceMeta { OrgUnitId = unit, Year = 2026, Title = title, Criteria = criteria ?? [] },
            "证明材料.jpg", new MemoryStream(Evidence.TestFiles.Jpeg(40, 30, new SkiaSharp.SKColor((byte)Random.Shared.Next(256), 80, 120)))))).Id;
}
