using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Tallies;

/// <summary>
/// Pre-counted figures a module keeps in step with its rows: every save that adds, changes or deletes a
/// <see cref="Source"/> row recounts the keys it touched (its old and its new key), in the same transaction, so a
/// statistics page adds up a few tally rows instead of scanning a county's records. Declared with
/// <see cref="ModuleBuilder.Tally{T,TKey}"/>; <c>rebuild-statistics</c> recounts everything with <see cref="RebuildAllAsync"/>.
/// </summary>
public sealed class TallyHook
{
    readonly Func<object, object?> _key;

    internal TallyHook(string module, string name, Type? source, Func<object, object?> key,
        Func<ShiliuDb, IReadOnlyCollection<object>, CancellationToken, Task> recount, Func<ShiliuDb, CancellationToken, Task<int>> rebuildAll,
        Func<ShiliuDb, CancellationToken, Task<bool>> missing)
    {
        (Module, Name, Source, _key, Recount, RebuildAllAsync, MissingAsync) = (module, name, source, key, recount, rebuildAll, missing);
    }

    /// <summary>True when there are rows to count but no tally yet (a tally table added to a database already in use).</summary>
    public Func<ShiliuDb, CancellationToken, Task<bool>> MissingAsync { get; }

    public string Module { get; }
    /// <summary>What the tally counts, in Chinese (for the operator's report).</summary>
    public string Name { get; }
    /// <summary>The rows whose saves recount the tally; null when the module's own services recount it as they change.</summary>
    public Type? Source { get; }
    /// <summary>Deletes and recounts the tally rows of these keys; the new rows are added to the context for the next save.</summary>
    public Func<ShiliuDb, IReadOnlyCollection<object>, CancellationToken, Task> Recount { get; }
    /// <summary>Recounts every key (after a restore, a bulk load or a repair); returns how many keys it counted.</summary>
    public Func<ShiliuDb, CancellationToken, Task<int>> RebuildAllAsync { get; }

    /// <summary>The keys a pending change touches: an added row's key, a deleted row's, both keys of a changed row.</summary>
    internal IEnumerable<object> Touched(EntityEntry e)
    {
        if (e.State is EntityState.Added or EntityState.Modified && _key(e.Entity) is { } now) yield return now;
        if (e.State is EntityState.Modified or EntityState.Deleted && _key(e.OriginalValues.ToObject()) is { } before) yield return before;
    }

    /// <summary>The pending changes of every declared tally, by hook (empty when nothing counted changes).</summary>
    internal static Dictionary<TallyHook, HashSet<object>> Collect(ShiliuDb db, IReadOnlyList<TallyHook> hooks)
    {
        var touched = new Dictionary<TallyHook, HashSet<object>>();
        if (hooks.Count == 0) return touched;
        foreach (var e in db.ChangeTracker.Entries())
        {
            if (e.State is EntityState.Unchanged or EntityState.Detached) continue;
            foreach (var hook in hooks)
            {
                if (hook.Source is null || !hook.Source.IsInstanceOfType(e.Entity)) continue;
                foreach (var key in hook.Touched(e))
                {
                    if (!touched.TryGetValue(hook, out var keys)) touched[hook] = keys = [];
                    keys.Add(key);
                }
            }
        }
        return touched;
    }
}
