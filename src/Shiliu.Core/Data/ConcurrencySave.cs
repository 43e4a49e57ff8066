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

/// <summary>
/// Records numbered "one more than the year's highest" (FW2026-000123, JF2026-0042): two units saving at the same
/// moment read the same highest number and the unique index refuses the second save. That one is built again in a fresh
/// unit of work, so it reads the new highest and takes the next number; any other refusal is thrown as it was.
/// </summary>
public static class NumberedSave
{
    public static async Task<T> CreateNumberedAsync<T>(this IDbContextFactory<ShiliuDb> dbs, Func<ShiliuDb, Task<T>> add,
        Func<ShiliuDb, T, Task<bool>> numberTaken, CancellationToken ct = default, int attempts = 10)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var made = await add(db);
            try
            {
                await db.SaveChangesAsync(ct);
                return made;
            }
            catch (DbUpdateException) when (attempt < attempts)
            {
                await using (var check = await dbs.CreateDbContextAsync(ct))
                    if (!await numberTaken(check, made)) throw;
                // A moment's random wait, so units that collided do not collide again in step.
                await Task.Delay(Random.Shared.Next(5, 25) * attempt, ct);
            }
        }
    }
}
