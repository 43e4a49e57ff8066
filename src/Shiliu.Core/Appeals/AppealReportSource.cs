using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Reporting;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.Appeals;

/// <summary>群众诉求办理: appeals received in the period, answered, answered on time, and the residents' own verdict (counts only).</summary>
sealed class AppealReportSource : IReportSource
{
    public string Permission => AppealPermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var f = await db.Appeals.AsNoTracking().Under(a => a.OrgPath, q.UnitPath)
            .Where(a => a.CreatedUtc >= q.FromUtc && a.CreatedUtc < q.ToUtcExclusive)
            .GroupBy(a => 1)
            .Select(g => new
            {
                All = g.Count(), Answered = g.Count(a => a.AnsweredUtc != null), OnTime = g.Count(a => a.AnsweredOnTime == true),
                Judged = g.Count(a => a.Resolved != null), Resolved = g.Count(a => a.Resolved == true), Converted = g.Count(a => a.Status == AppealStatus.Converted),
            })
            .SingleOrDefaultAsync(ct);
        var all = f?.All ?? 0;
        var text = all == 0
            ? $"{q.Period}平台中没有收到群众诉求。诉求渠道（线上表单、热线、窗口、走访）的公开和宣传情况请补充。"
            : $"畅通群众诉求表达渠道，{q.Period}收到群众诉求{Count(all)}件，已答复{Count(f!.Answered)}件，按时答复率{Share(f.OnTime, f.Answered)}；"
              + $"转为服务事项或矛盾纠纷办理{Count(f.Converted)}件；{Count(f.Judged)}位群众作出评价，其中认为问题已解决的{Count(f.Resolved)}位（{Share(f.Resolved, f.Judged)}）。";
        return new ReportPart(ReportSection.Work, 70, "畅通诉求渠道，及时回应群众关切", [text], $"群众诉求台账，{q.Period}（只计件数，不含诉求人信息）",
            [
                new("群众诉求", "收到（件）", Count(all)),
                new("群众诉求", "已答复（件）", Count(f?.Answered ?? 0)),
                new("群众诉求", "按时答复率", Share(f?.OnTime ?? 0, f?.Answered ?? 0)),
                new("群众诉求", "群众评价已解决", Share(f?.Resolved ?? 0, f?.Judged ?? 0)),
            ]);
    }
}
