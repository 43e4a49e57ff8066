using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;

namespace Shiliu.Core.Data;

public static class ConcurrencySave
{
    /// <summary>
    /// Saves; when someone else saved the record first, throws <see cref="ConcurrencyConflict"/> naming who and when,
    /// so the form can keep the user's edit and say what happened.
    /// </summary>
    public static async Task SaveOrConflictAsync(this ShiliuDb db, IVersioned entity, CancellationToken ct = default)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.Entry(entity).GetDatabaseValuesAsync(ct);
            throw new ConcurrencyConflict(current?.GetValue<string?>(nameof(IVersioned.UpdatedBy)),
                current?.GetValue<DateTime>(nameof(IVersioned.UpdatedUtc)));
        }
    }
}
