using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.Assessment;

/// <summary>The round's workbooks, through the one export service: the ranking, a unit's 考评评分表 and the 命名 recommendation list.</summary>
public sealed class AssessmentExportService(IDbContextFactory<ShiliuDb> dbs, AssessmentService assessments, ExportService exports)
{
    public async Task<ExportFile> RankingAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AssessmentPermissions.Results, AssessmentErrors.Denied, "导出考评排名");
        var round = await AssessmentService.RoundAsync(db, id, tracking: false, ct);
        var ranking = await AssessmentService.RankingAsync(db, round, ct);
        return await exports.XlsxAsync(db, new ExportSpec($"{round.Name}-排名.xlsx", $"考评《{round.Name}》排名", nameof(AssessmentRound), round.Id.ToString(), db.Caller.OrgPath),
            book =>
            {
                using var sheet = book.Sheet("排名", $"{round.Name}考评结果排名",
                    ["名次", "单位", "所属乡镇（街道）", $"自检自查（{round.WeightSelf}%）", $"互检互评（{round.WeightMutual}%）", $"调研督查（{round.WeightSupervision}%）", "加权总分", "扣分项", "等次", "分差提示"],
                    [8, 18, 16, 14, 14, 14, 10, 8, 10, 40],
                    $"{(round.Stage == RoundStage.Published ? "已发布" : "未发布（预览）")}　并列规则：{AssessmentService.TieRuleText(round.TieBreaks)}");
                foreach (var r in ranking)
                    sheet.Mixed([r.RankText, r.UnitName, r.TownshipName, r.Self, r.Mutual, r.Supervision, r.Vetoed ? RoundScoring.VetoGrade : r.Weighted, r.Deductions,
                        r.Grade, r.Vetoed ? $"一票否决：{r.VetoReason}" : string.Join("；", r.Gaps)]);
                return Task.CompletedTask;
            }, ct);
    }

    /// <summary>
    /// A unit's 考评评分表: one row per criterion under its 一级指标, with the points, the methods, each mode's mean score and
    /// the deduction reasons; the totals, the weighted total and the grade below. The county at any time, the unit once
    /// published. As a workbook, or (<paramref name="word"/>) as a Word form in the 公文 layout with lines for signatures.
    /// </summary>
    /// <summary>As below, the format named as the API takes it: "xlsx" (the default) or "docx".</summary>
    public Task<ExportFile> UnitSheetAsync(Guid id, Guid unitId, string? format, CancellationToken ct = default) => format switch
    {
        null or "xlsx" => UnitSheetAsync(id, unitId, ct),
        "docx" => UnitSheetAsync(id, unitId, ct, word: true),
        _ => throw RuleViolation.ForField(AssessmentErrors.Invalid, "format", "format 须为 xlsx（Excel）或 docx（Word）"),
    };

    public async Task<ExportFile> UnitSheetAsync(Guid id, Guid unitId, CancellationToken ct = default, bool word = false)
    {
        var result = await assessments.UnitResultAsync(id, unitId, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var round = await AssessmentService.RoundAsync(db, id, tracking: false, ct);
        var criteria = await AssessmentService.CriteriaAsync(db, id, ct);
        var path = await db.AssessmentUnits.Where(u => u.RoundId == id && u.OrgUnitId == unitId).Select(u => u.OrgPath).SingleAsync(ct);
        var row = result.Row;
        var lines = criteria.Select(c =>
        {
            decimal? Mean(AssessMode m)
            {
                var scores = result.Sheets.Where(s => s.Mode == m).Select(s => s.Lines.First(l => l.CriterionNo == c.No).Score).OfType<decimal>().ToList();
                return scores.Count == 0 ? null : Math.Round(scores.Average(), 2, MidpointRounding.AwayFromZero);
            }
            var notes = result.Sheets.Select(s => (s, l: s.Lines.First(l => l.CriterionNo == c.No)))
                .Where(x => x.l.DeductionReason is not null || x.l.Comment is not null)
                .Select(x => $"{x.s.ModeName}（{x.s.ScorerName}）：{string.Join("；", new[] { x.l.DeductionReason, x.l.Comment }.OfType<string>())}").ToList();
            return (Criterion: c, Self: Mean(AssessMode.Self), Mutual: Mean(AssessMode.Mutual), Supervision: Mean(AssessMode.Supervision), Notes: notes);
        }).ToList();
        var weights = $"自检自查 {round.WeightSelf}% + 互检互评 {round.WeightMutual}% + 调研督查 {round.WeightSupervision}%";
        var grade = row.Vetoed ? $"一票否决：{row.VetoReason}（{result.VetoReference}）" : $"{row.Grade}　名次：{row.RankText}";
        var title = $"{row.UnitName}民族团结进步创建考核评分表";
        var spec = new ExportSpec($"{round.Name}-{row.UnitName}-考核评分表.{(word ? "docx" : "xlsx")}", $"{row.UnitName}考核评分表（{round.Name}）",
            nameof(AssessmentRound), round.Id.ToString(), path);
        if (word)
            return await exports.DocxAsync(db, spec, title, doc =>
            {
                doc.Title(title, $"（{round.Name}）");
                doc.Paragraph(new Span("被考评单位：", GongwenFonts.HeiTi), new Span($"{row.UnitName}（{row.TownshipName}）"));
                static string N(decimal? d) => d?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) ?? "—";
                doc.Table(["序号", "测评标准", "分值", "自检", "互检", "督查", "扣分原因及评语"],
                    [
                        .. lines.Select(l => (IReadOnlyList<string?>)[l.Criterion.No.ToString(), l.Criterion.ShortTitle, l.Criterion.Points.ToString(),
                            N(l.Self), N(l.Mutual), N(l.Supervision), string.Join("；", l.Notes)]),
                        ["", "合计", criteria.Sum(c => c.Points).ToString(), N(row.Self), N(row.Mutual), N(row.Supervision), ""],
                    ],
                    [0.9, 2.6, 0.7, 0.8, 0.8, 0.8, 3.1], GongwenSizes.Wu);
                doc.Paragraph(new Span("加权总分：", GongwenFonts.HeiTi), new Span(row.Vetoed ? $"不计（一票否决；权重为{weights}）" : $"{N(row.Weighted)} 分（{weights}）"));
                doc.Paragraph(new Span("考评等次：", GongwenFonts.HeiTi), new Span(grade));
                doc.Blank();
                doc.Paragraph("考评组成员（签字）：");
                doc.Paragraph("被考评单位负责人（签字）：");
                doc.Signature("县民族团结进步创建工作领导小组办公室", DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow)));
                return Task.CompletedTask;
            }, ct);
        return await exports.XlsxAsync(db, spec,
            book =>
            {
                using var sheet = book.Sheet("考核评分表", title,
                    ["一级指标", "序号", "测评标准", "分值", "测评方法", "自检自查", "互检互评", "调研督查", "扣分原因及评语"],
                    [12, 6, 50, 6, 14, 10, 10, 10, 40], $"{round.Name}　所属：{row.TownshipName}");
                foreach (var l in lines)
                    sheet.Mixed([l.Criterion.GroupName, l.Criterion.No, l.Criterion.Text, l.Criterion.Points, l.Criterion.MethodNames, l.Self, l.Mutual, l.Supervision,
                        string.Join("\n", l.Notes)]);
                sheet.Total(["合计", "", "", criteria.Sum(c => c.Points), "", row.Self, row.Mutual, row.Supervision, ""]);
                sheet.Total(["加权总分", "", weights, "", "", "", "", row.Weighted, ""]);
                sheet.Total(["等次", "", grade, "", "", "", "", "", ""]);
                return Task.CompletedTask;
            }, ct);
    }

    /// <summary>The units in the top band and not vetoed, in rank order: the list recommended for higher-level 命名.</summary>
    public async Task<ExportFile> RecommendationAsync(Guid id, CancellationToken ct = default)
    {
        var results = await assessments.ResultsAsync(id, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var list = Recommended(results);
        return await exports.XlsxAsync(db, new ExportSpec($"{results.Name}-推荐命名名单.xlsx", $"考评《{results.Name}》推荐命名名单", nameof(AssessmentRound), id.ToString(), db.Caller.OrgPath),
            book =>
            {
                using var sheet = book.Sheet("推荐名单", $"{results.Name}民族团结进步示范单位推荐名单", ["序号", "单位", "所属乡镇（街道）", "加权总分", "名次", "等次"],
                    [6, 20, 18, 10, 10, 10], $"推荐条件：等次为“{results.TopBand}”且未被一票否决{(results.Published ? "" : "（结果未发布，仅供预览）")}");
                var n = 0;
                foreach (var r in list) sheet.Mixed([++n, r.UnitName, r.TownshipName, r.Weighted, r.RankText, r.Grade]);
                return Task.CompletedTask;
            }, ct);
    }

    public static IReadOnlyList<RankingRow> Recommended(RoundResults results) =>
        results.Ranking.Where(r => !r.Vetoed && r.Grade == results.TopBand).ToList();
}
