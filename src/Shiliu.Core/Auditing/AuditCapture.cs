using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Shiliu.Core.Accounts;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Auditing;

/// <summary>Turns tracked changes into audit rows: who, what entity, before → after (secrets left out).</summary>
internal sealed class AuditCapture
{
    // Bookkeeping columns whose change alone is not an audit-worthy edit (sign-in events cover them).
    static readonly HashSet<string> Noise =
    [
        nameof(IVersioned.Version), nameof(IVersioned.UpdatedUtc), nameof(IVersioned.UpdatedBy),
        nameof(AppUser.ConcurrencyStamp), nameof(AppUser.SecurityStamp), nameof(AppUser.AccessFailedCount),
        nameof(AppUser.LastSignInUtc), nameof(AppUser.TotpLastStep), nameof(AppUser.LockoutEnd),
        nameof(Tokens.PersonalAccessToken.LastUsedUtc),
    ];

    static readonly HashSet<string> Secret =
        [nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp)];

    static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly EntityEntry _entry;
    readonly string _event;
    readonly string? _before;
    readonly string? _after;
    readonly List<string> _changed;
    readonly ShiliuDb _db;

    AuditCapture(ShiliuDb db, EntityEntry entry, string ev, string? before, List<string>? changed = null)
    {
        _db = db; _entry = entry; _event = ev; _before = before; _changed = changed ?? [];
        // Taken before the save: afterwards EF forgets which properties were modified.
        _after = ev == AuditEvents.Delete ? null : Snapshot(entry, original: false, onlyModified: ev == AuditEvents.Update);
    }

    public static List<AuditCapture> Before(ShiliuDb db)
    {
        var list = new List<AuditCapture>();
        foreach (var e in db.ChangeTracker.Entries())
        {
            // Rows whose module audits them in a sentence of its own (parts saved with their owner, counters).
            if (ShiliuModules.Catalog.AuditOf(e.Metadata.ClrType) is { Skip: true }) continue;
            switch (e.State)
            {
                case EntityState.Added:
                    list.Add(new AuditCapture(db, e, AuditEvents.Create, null));
                    break;
                case EntityState.Deleted:
                    list.Add(new AuditCapture(db, e, AuditEvents.Delete, Snapshot(e, original: true, onlyModified: false)));
                    break;
                case EntityState.Modified:
                    // A workflow step audits its own state change in one sentence; the capture records the rest of the edit.
                    var changed = e.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue) && !Stepped(p))
                        .Select(p => p.Metadata.Name).ToList();
                    if (changed.All(Noise.Contains)) continue;
                    list.Add(new AuditCapture(db, e, AuditEvents.Update, Snapshot(e, original: true, onlyModified: true),
                        changed.Where(c => !Noise.Contains(c)).ToList()));
                    break;
            }
        }
        return list;
    }

    /// <summary>Called after the save, when generated keys are known.</summary>
    public AuditEntry Complete()
    {
        var entity = _entry.Entity;
        return new AuditEntry
        {
            Event = _event,
            EntityType = TypeName(_entry.Metadata.ClrType),
            EntityId = KeyOf(_entry),
            OrgPath = entity switch
            {
                OrgUnit u => u.Path,
                IOrgOwned o => o.OrgPath,
                AppUser u => u.OrgPath,
                _ => _db.Caller.OrgPath,
            },
            Summary = _changed.Count > 0 ? $"{Describe(entity)}：{string.Join("、", _changed.Select(FieldName).Distinct())}" : Describe(entity),
            Before = _before,
            After = _after,
        };
    }

    string FieldName(string property) =>
        ShiliuModules.Catalog.AuditOf(_entry.Metadata.ClrType)?.Fields.GetValueOrDefault(property) ?? property;

    static string TypeName(Type t) => ShiliuModules.Catalog.AuditOf(t)?.TypeName ?? t.Name;

    static string? Describe(object entity) => ShiliuModules.Catalog.AuditOf(entity.GetType())?.Describe?.Invoke(entity);

    static bool Stepped(PropertyEntry p) => p.Metadata.PropertyInfo?.GetCustomAttribute<WorkflowStateAttribute>() is not null;

    static string KeyOf(EntityEntry e) =>
        string.Join(",", e.Metadata.FindPrimaryKey()!.Properties.Select(p => e.Property(p.Name).CurrentValue?.ToString()));

    static string Snapshot(EntityEntry e, bool original, bool onlyModified)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.Properties)
        {
            var name = p.Metadata.Name;
            if (Secret.Contains(name) || Noise.Contains(name) && onlyModified) continue;
            if (p.Metadata.PropertyInfo?.GetCustomAttribute<NotAuditedAttribute>() is not null) continue;
            if (onlyModified && (!p.IsModified || Equals(p.OriginalValue, p.CurrentValue) || Stepped(p))) continue;
            var redacted = p.Metadata.PropertyInfo?.GetCustomAttribute<AuditRedactedAttribute>() is not null;
            values[name] = redacted ? "***" : original ? p.OriginalValue : p.CurrentValue;
        }
        return JsonSerializer.Serialize(values, Json);
    }
}
