using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.Activities;

/// <summary>活动: the unit's activities in the period, by type, under each criterion the activity was recorded for.</summary>
sealed class ActivityCriterionRecords : ICriterionRecordSource
{
    public async Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery q, CancellationToken ct)
    {
        var groups = await db.Activities.Under(a => a.OrgPath, q.OrgPath).Where(a => a.Date >= q.From && a.Date <= q.To)
            .GroupBy(a => new { a.TypeCode, a.Criteria })
            .Select(g => new { g.Key.TypeCode, g.Key.Criteria, Count = g.Count(), People = g.Sum(a => a.ParticipantsTotal) })
            .ToListAsync(ct);
        if (groups.Count == 0) return [];
        var names = await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.ActivityType).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        return groups
            .SelectMany(g => g.Criteria.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => int.TryParse(n, out var no) ? no : 0).Where(no => no > 0).Select(no => (No: no, g.TypeCode, g.Count, g.People)))
            .GroupBy(x => (x.No, x.TypeCode)).OrderBy(g => g.Key.No).ThenBy(g => g.Key.TypeCode, StringComparer.Ordinal)
            .Select(g => new CriterionRecord(g.Key.No, "活动", names.GetValueOrDefault(g.Key.TypeCode, g.Key.TypeCode),
                $"{g.Sum(x => x.Count)} 场，参加 {g.Sum(x => x.People)} 人次", "/activities"))
            .ToList();
    }
}
