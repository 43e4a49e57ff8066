using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Reporting;

namespace Shiliu.Core.Questionnaires;

/// <summary>
/// 群众满意度: the questionnaires tied to criteria, as the assessor sees them (the same figures and the same five-sheet
/// rule as <see cref="QuestionnaireCriterionRecords"/>), told in a sentence each.
/// </summary>
sealed class QuestionnaireReportSource : IReportSource
{
    public string Permission => QuestionnairePermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var lines = await new QuestionnaireCriterionRecords().ReadAsync(db, new CriterionRecordQuery(q.UnitId, q.UnitPath, q.From, q.To, q.CampaignId), ct);
        if (lines.Count == 0) return null;
        var text = $"坚持问需于民、问计于民，{q.Period}组织开展群众问卷调查：" + string.Join("；", lines.Select(l => $"{l.Label}{l.Figure.Replace("问卷 ", "回收")}")) + "。";
        return new ReportPart(ReportSection.Work, 90, "开展问卷调查，倾听群众评价", [text], $"问卷调查结果（匿名，不足5份的单位不单列），{q.Period}",
            lines.Select(l => new ReportFigure("问卷调查", l.Label, l.Figure)).ToList());
    }
}
