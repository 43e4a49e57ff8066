using Shiliu.Core.Data;
using Shiliu.Core.Common;
using Shiliu.Core.Reporting;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.ServiceCases;

/// <summary>服务各族群众: cases received and closed in the period, on time, revisited and satisfied, from the service figures.</summary>
sealed class ServiceReportSource(ServiceFigures figures) : IReportSource
{
    public string Permission => ServiceCasePermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var table = await figures.ComputeAsync(new ServiceFigureQuery { OrgUnitId = q.UnitId, From = q.From, To = q.To }, ct);
        var t = table.Total;
        var top = table.Rows.Where(r => r.Received > 0).GroupBy(r => r.TypeName).Select(g => (Name: g.Key, Count: g.Sum(r => r.Received)))
            .OrderByDescending(x => x.Count).Take(4).ToList();
        var text = t.Received == 0
            ? $"{q.Period}平台中尚未受理服务事项，请补充为各族群众办实事的情况。"
            : $"坚持把服务各族群众作为创建工作的落脚点，{q.Period}受理群众服务事项{Count(t.Received)}件"
              + (top.Count > 0 ? $"（{string.Join("、", top.Select(x => $"{x.Name}{Count(x.Count)}件"))}）" : "")
              + $"，办结{Count(t.Closed)}件，按时办结率{Percent(t.OnTimeRate)}；回访{Count(t.Revisited)}件，群众满意率{Percent(t.SatisfactionRate)}。";
        return new ReportPart(ReportSection.Work, 50, "用心用情服务各族群众", [text], $"服务群众台账（受理、办结、回访记录），{q.Period}",
            [
                new("服务群众", "受理（件）", Count(t.Received)),
                new("服务群众", "办结（件）", Count(t.Closed)),
                new("服务群众", "按时办结率", Percent(t.OnTimeRate)),
                new("服务群众", "回访（件）", Count(t.Revisited)),
                new("服务群众", "满意率", Percent(t.SatisfactionRate)),
            ]);
    }
}
