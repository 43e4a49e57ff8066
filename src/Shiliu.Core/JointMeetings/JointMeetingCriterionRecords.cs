using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.JointMeetings;

/// <summary>联席会议制度 (第 12 条): joint meetings the unit (or its township) held in the period, and the decisions' tasks closed.</summary>
sealed class JointMeetingCriterionRecords : ICriterionRecordSource
{
    const int JointMeetingSystem = 12;

    public async Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery q, CancellationToken ct)
    {
        var (from, to) = (ChinaTime.DayStartUtc(q.From), ChinaTime.DayStartUtc(q.To.AddDays(1)));
        var held = await db.JointMeetings.Under(m => m.OrgPath, q.OrgPath).Where(m => m.StartUtc >= from && m.StartUtc < to)
            .GroupBy(_ => 1).Select(g => new { Count = g.Count(), Last = g.Max(m => m.StartUtc) }).FirstOrDefaultAsync(ct);
        return held is null ? []
            : [new CriterionRecord(JointMeetingSystem, "联席会议", "召开的联席会议", $"{held.Count} 次，最近一次 {ChinaTime.FormatDate(held.Last)}", "/joint-meetings")];
    }
}
