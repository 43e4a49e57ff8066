using Shiliu.Core.Common;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Residents;

/// <summary>
/// Rebuilds the pre-counted figures (<see cref="ResidentTally"/>) of whole communities from their residents and visits,
/// so statistics at any level add up a few rows per unit instead of scanning residents.
/// </summary>
public static class PopulationTally
{
    /// <summary>
    /// Deletes and recounts the tallies of <paramref name="communityIds"/>. Call it after saving the change (inside the
    /// caller's transaction, so the counts see it and commit with it); the new rows are added to <paramref name="db"/> and
    /// written by the caller's next save.
    /// </summary>
    /// <remarks>
    /// The counts cover the whole community whatever the caller's scope (a grid worker's change recounts the other grids;
    /// an accepted transfer recounts the receiving community): they are derived figures of communities the caller's own
    /// change touched, and they reveal no person. So the queries below deliberately run without the scope filter, bounded
    /// by the community's path instead, and the rebuilt rows may be written across the caller's scope.
    /// </remarks>
    public static async Task RefreshAsync(ShiliuDb db, IReadOnlyCollection<Guid> communityIds, CancellationToken ct)
    {
        var ids = communityIds.Distinct().Order().ToList();
        if (ids.Count == 0) return;
        if (db.IsPostgres)
        {
            // Two transactions recounting one community would each keep their own rows (read committed); take turns.
            foreach (var id in ids)
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey(id)})", ct);
        }
        await db.ResidentTallies.IgnoreQueryFilters().Where(t => ids.Contains(t.CommunityId)).ExecuteDeleteAsync(ct);
        var communities = await db.OrgUnits.IgnoreQueryFilters().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Path }).ToListAsync(ct);
        var rows = new List<ResidentTally>();
        // A community's residents are found by its path prefix, which the (OrgPath, …) indexes serve; CommunityId has no
        // index of its own, and a filter on it read the whole table for every recount (170 ms a query at 10^6 residents).
        foreach (var c in communities) await CountAsync(db, c.Id, c.Path, rows, ct);
        db.ResidentTallies.AddRange(rows);
        foreach (var row in rows) db.AllowCrossScopeWrite(row);
    }

    static async Task CountAsync(ShiliuDb db, Guid communityId, string path, List<ResidentTally> rows, CancellationToken ct)
    {
        var residents = db.Residents.IgnoreQueryFilters().Under(r => r.OrgPath, path);
        var registered = residents.Where(r => r.Status == ResidentStatus.Registered);
        void Add(Guid community, string unitPath, TallyKind kind, string key, int sub, int count) =>
            rows.Add(new ResidentTally { CommunityId = community, OrgPath = unitPath, Kind = kind, Key = key, Sub = sub, Count = count });

        foreach (var g in await registered.GroupBy(r => new { r.CommunityId, r.OrgPath, r.EthnicityCode, r.ResidenceType })
                     .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            Add(g.Key.CommunityId, g.Key.OrgPath, TallyKind.EthnicityType, g.Key.EthnicityCode, (int)g.Key.ResidenceType, g.Count);

        // Needs are flags: count each combination in the database, then credit every flag of it.
        var needs = await registered.Where(r => r.Needs != ResidentNeeds.None).GroupBy(r => new { r.CommunityId, r.OrgPath, r.Needs })
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var unit in needs.GroupBy(n => (n.Key.CommunityId, n.Key.OrgPath)))
            foreach (var (need, _) in ResidentNames.Needs)
                if (unit.Where(n => n.Key.Needs.HasFlag(need)).Sum(n => n.Count) is > 0 and var c)
                    Add(unit.Key.CommunityId, unit.Key.OrgPath, TallyKind.Need, need.ToString(), 0, c);

        // Inflow is a fact of the past: a floating resident who later moved out still arrived that month.
        foreach (var g in await residents.Where(r => r.ResidenceType == ResidenceType.Floating && r.ArrivalDate != null && r.Status != ResidentStatus.Cancelled)
                     .GroupBy(r => new { r.CommunityId, r.OrgPath, r.ArrivalDate!.Value.Year, r.ArrivalDate!.Value.Month })
                     .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            Add(g.Key.CommunityId, g.Key.OrgPath, TallyKind.InflowMonth, $"{g.Key.Year:0000}-{g.Key.Month:00}", 0, g.Count);

        foreach (var g in await residents.Where(r => r.Status == ResidentStatus.MovedOut && r.StatusDate != null)
                     .GroupBy(r => new { r.CommunityId, r.OrgPath, r.StatusDate!.Value.Year, r.StatusDate!.Value.Month, r.ResidenceType })
                     .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            Add(g.Key.CommunityId, g.Key.OrgPath, TallyKind.OutflowMonth, $"{g.Key.Year:0000}-{g.Key.Month:00}", (int)g.Key.ResidenceType, g.Count);

        // A household is its 户号 within its unit; a resident without one is a household of one. Its last visit is the
        // latest visit to any of its members: the community's visits are aggregated once and joined (one pass, where a
        // per-resident lookup would probe the index a million times in a large community).
        var lastVisits = db.Visits.IgnoreQueryFilters().Where(v => registered.Any(r => r.Id == v.ResidentId))
            .GroupBy(v => v.ResidentId).Select(g => new { ResidentId = g.Key, Last = g.Max(v => v.VisitDate) });
        var households = (from r in registered
                          join l in lastVisits on r.Id equals l.ResidentId into visited
                          from l in visited.DefaultIfEmpty()
                          select new { r.CommunityId, r.OrgPath, r.HouseholdNo, Solo = r.HouseholdNo == null ? r.Id : Guid.Empty, Last = (DateOnly?)l.Last })
            .GroupBy(x => new { x.CommunityId, x.OrgPath, x.HouseholdNo, x.Solo })
            .Select(g => new { g.Key.CommunityId, g.Key.OrgPath, Last = g.Max(x => x.Last) });
        foreach (var g in await households.GroupBy(h => new { h.CommunityId, h.OrgPath, h.Last }).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            Add(g.Key.CommunityId, g.Key.OrgPath, TallyKind.HouseholdLastVisit, g.Key.Last?.ToString("yyyy-MM-dd") ?? "", 0, g.Count);

        // Visits are facts of the past, kept with the unit the visit is filed under (a transfer moves them): counted per
        // month and kind, and per year by household as each visit recorded it, so periods of whole months or years add up
        // tally rows instead of reading a county's visits.
        var visits = db.Visits.IgnoreQueryFilters().Under(v => v.OrgPath, path);
        foreach (var g in await visits.GroupBy(v => new { v.OrgPath, v.VisitDate.Year, v.VisitDate.Month, v.Kind })
                     .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            Add(communityId, g.Key.OrgPath, TallyKind.VisitMonth, $"{g.Key.Year:0000}-{g.Key.Month:00}", (int)g.Key.Kind, g.Count);
        foreach (var g in await visits.Select(v => new { v.OrgPath, v.VisitDate.Year, v.HouseholdNo, Solo = v.HouseholdNo == null ? v.ResidentId : Guid.Empty })
                     .Distinct().GroupBy(h => new { h.OrgPath, h.Year }).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            Add(communityId, g.Key.OrgPath, TallyKind.HouseholdVisitYear, $"{g.Key.Year:0000}", 0, g.Count);
    }

    /// <summary>True when visits are on record but not yet counted by month (a database from before the visit tallies).</summary>
    public static async Task<bool> MissingAsync(ShiliuDb db, CancellationToken ct) =>
        await db.Visits.IgnoreQueryFilters().AnyAsync(ct) && !await db.ResidentTallies.IgnoreQueryFilters().AnyAsync(t => t.Kind == TallyKind.VisitMonth, ct);

    /// <summary>Rebuilds every community that has residents or tallies (the operator's repair verb, and at start when <see cref="MissingAsync"/>).</summary>
    public static async Task<int> RefreshAllAsync(ShiliuDb db, CancellationToken ct)
    {
        var ids = await db.Residents.IgnoreQueryFilters().Select(r => r.CommunityId).Distinct().ToListAsync(ct);
        var stale = await db.ResidentTallies.IgnoreQueryFilters().Select(t => t.CommunityId).Distinct().ToListAsync(ct);
        var all = ids.Union(stale).ToList();
        foreach (var chunk in all.Chunk(50))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await RefreshAsync(db, chunk, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
        return all.Count;
    }

    static long LockKey(Guid community) => BitConverter.ToInt64(community.ToByteArray(), 0) ^ 0x5348494C4955; // "SHILIU"
}
