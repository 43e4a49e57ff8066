using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.ServiceCases;

/// <summary>服务群众 (第 8 条): cases received in the period, closed, and closed within their time limit; the on-time rate is the suggestion.</summary>
sealed class ServiceCaseCriterionRecords : ICriterionRecordSource
{
    const int ServingThePeople = 8;

    public async Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery q, CancellationToken ct)
    {
        var (from, to) = (ChinaTime.DayStartUtc(q.From), ChinaTime.DayStartUtc(q.To.AddDays(1)));
        var figures = await db.ServiceCases.Under(c => c.OrgPath, q.OrgPath).Where(c => c.AcceptedUtc >= from && c.AcceptedUtc < to)
            .GroupBy(_ => 1)
            .Select(g => new { Received = g.Count(), Closed = g.Count(c => c.ClosedUtc != null), OnTime = g.Count(c => c.ClosedOnTime == true) })
            .FirstOrDefaultAsync(ct);
        if (figures is null) return [];
        var rate = figures.Closed == 0 ? "—" : $"{Math.Round(100m * figures.OnTime / figures.Closed, 1, MidpointRounding.AwayFromZero)}%";
        return
        [
            new CriterionRecord(ServingThePeople, "服务群众", "受理的服务事项", $"受理 {figures.Received} 件，办结 {figures.Closed} 件，按时办结率 {rate}", "/service-cases",
                figures.Closed == 0 ? null : new SuggestedShare((decimal)figures.OnTime / figures.Closed, $"按时办结 {figures.OnTime} / 办结 {figures.Closed}")),
        ];
    }
}
