using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Dictionaries;

public sealed record DictionaryEntry(string Code, string Name, string? Extra, bool Enabled);

/// <summary>Code lists. Not personal data and not org-owned: every staff member may read them.</summary>
public sealed class DictionaryService(IDbContextFactory<ShiliuDb> dbs)
{
    public async Task<IReadOnlyList<DictionaryEntry>> GetAsync(string kind, bool includeDisabled = false, CancellationToken ct = default)
    {
        // No dictionary's kind has control characters, and PostgreSQL cannot even compare a NUL.
        if (kind.Any(char.IsControl)) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == kind && (includeDisabled || d.Enabled))
            .OrderBy(d => d.SortOrder).ThenBy(d => d.Code)
            .Select(d => new DictionaryEntry(d.Code, d.Name, d.Extra, d.Enabled)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<(string Kind, int Count)>> KindsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.DictionaryItems.GroupBy(d => d.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return rows.Select(r => (r.Key, r.Count)).OrderBy(r => r.Key).ToList();
    }
}
