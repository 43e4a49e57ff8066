using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Reporting;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.Disputes;

/// <summary>矛盾纠纷排查化解: screenings held, disputes registered and concluded in the period, and what is still open by colour (counts only).</summary>
sealed class DisputeReportSource : IReportSource
{
    public string Permission => DisputePermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var screenings = await db.DisputeScreenings.AsNoTracking().Under(s => s.OrgPath, q.UnitPath).Where(s => s.Date >= q.From && s.Date <= q.To)
            .GroupBy(s => 1).Select(g => new { All = g.Count(), Nil = g.Count(s => s.Nil), Factors = g.Sum(s => s.FactorCount) }).SingleOrDefaultAsync(ct);
        var registered = await db.Disputes.AsNoTracking().Under(d => d.OrgPath, q.UnitPath)
            .Where(d => d.RegisteredUtc >= q.FromUtc && d.RegisteredUtc < q.ToUtcExclusive)
            .GroupBy(d => 1).Select(g => new { All = g.Count(), Concluded = g.Count(d => d.ConcludedUtc != null), Ethnic = g.Count(d => d.EthnicFactors) })
            .SingleOrDefaultAsync(ct);
        var open = await db.Disputes.AsNoTracking().Under(d => d.OrgPath, q.UnitPath).Where(d => d.ConcludedUtc == null && d.Status != DisputeStatus.Closed)
            .GroupBy(d => d.Colour).Select(g => new { Colour = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Open(RiskColour c) => open.Where(o => o.Colour == c).Sum(o => o.Count);
        var all = registered?.All ?? 0;
        var concluded = registered?.Concluded ?? 0;
        var text = $"坚持常态化排查矛盾纠纷，{q.Period}开展排查{Count(screenings?.All ?? 0)}次（其中无异常{Count(screenings?.Nil ?? 0)}次），"
            + $"排查出不稳定因素{Count(screenings?.Factors ?? 0)}条；登记矛盾纠纷{Count(all)}件"
            + ((registered?.Ethnic ?? 0) > 0 ? $"（其中涉及民族因素{Count(registered!.Ethnic)}件）" : "")
            + $"，已化解办结{Count(concluded)}件，办结率{Share(concluded, all)}。"
            + (open.Count == 0 ? "目前没有在办的矛盾纠纷。" : $"目前在办{Count(open.Sum(o => o.Count))}件，其中红色{Open(RiskColour.Red)}件、黄色{Open(RiskColour.Yellow)}件、蓝色{Open(RiskColour.Blue)}件，均已落实包案责任。");
        return new ReportPart(ReportSection.Work, 60, "排查化解矛盾纠纷，维护和谐稳定", [text],
            $"矛盾纠纷排查和调处台账，{q.Period}；在办件数截至{q.Today:yyyy年M月d日}（只计件数，不含当事人信息）",
            [
                new("矛盾纠纷", "排查（次）", Count(screenings?.All ?? 0)),
                new("矛盾纠纷", "登记纠纷（件）", Count(all)),
                new("矛盾纠纷", "化解办结（件）", Count(concluded)),
                new("矛盾纠纷", "办结率", Share(concluded, all)),
                new("矛盾纠纷", "在办：红色（件）", Count(Open(RiskColour.Red))),
                new("矛盾纠纷", "在办：黄色（件）", Count(Open(RiskColour.Yellow))),
                new("矛盾纠纷", "在办：蓝色（件）", Count(Open(RiskColour.Blue))),
            ]);
    }
}
