using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Tokens;

namespace Shiliu.Core.Data;

/// <summary>
/// The one DbContext. Each instance carries the caller: org-owned rows are filtered to the caller's subtree on read,
/// checked on write, every change is audited in the same transaction, and editable rows get a version bump.
/// </summary>
public sealed class ShiliuDb(DbContextOptions<ShiliuDb> options, ICallerAccessor callers, TimeProvider clock, AuditChain chain)
    : IdentityDbContext<AppUser, AppRole, Guid>(options), IDataProtectionKeyContext
{
    readonly List<AuditEntry> _queuedAudit = [];
    readonly HashSet<object> _crossScope = new(ReferenceEqualityComparer.Instance);

    public Caller Caller { get; } = callers.Caller;
    public TimeProvider Clock => clock;
    public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;

    // Referenced by the query filters; EF reads them from the context instance per query.
    public string ScopePrefix => Caller.ScopePrefix;
    public string ScopeEnd => Caller.ScopeEnd;

    // Platform tables; each module declares its own on this context as extension properties in its folder.
    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Lets this one tracked entity be written outside the caller's subtree. Only for hand-overs between units that a
    /// service has authorised itself (a resident transfer); every such write is still audited under the caller.
    /// </summary>
    public void AllowCrossScopeWrite(object entity) => _crossScope.Add(entity);

    /// <summary>Users inside the caller's subtree (users are not query-filtered because sign-in must find them).</summary>
    public IQueryable<AppUser> ScopedUsers => Users.Under(u => u.OrgPath, ScopePrefix);

    /// <summary>Names of units by id, whatever the caller's scope (rows in scope may point at units above it).</summary>
    public Task<Dictionary<Guid, string>> UnitNamesAsync(IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var list = ids.Distinct().ToList();
        return OrgUnits.IgnoreQueryFilters().Where(o => list.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
    }

    /// <summary>
    /// The unit a figures view or a draft is about: the one named when it lies in the caller's scope (the query filter hides
    /// the rest, so an outside id is "not found"), else the caller's own unit, or the root for the system.
    /// </summary>
    public async Task<OrgUnit> FocusUnitAsync(Guid? orgUnitId, CancellationToken ct = default)
    {
        var units = OrgUnits.AsNoTracking();
        return await (orgUnitId is { } id ? units.Where(o => o.Id == id)
                : Caller.IsSystem ? units.Where(o => o.ParentId == null) : units.Where(o => o.Path == Caller.OrgPath))
            .OrderBy(o => o.SortOrder).FirstOrDefaultAsync(ct) ?? throw new NotFoundInScope("单位");
    }

    /// <summary>The path of a unit in the caller's scope, to narrow a list to its subtree; "not found" for one outside it.</summary>
    public async Task<string> UnitPathAsync(Guid id, CancellationToken ct = default) =>
        await OrgUnits.Where(o => o.Id == id).Select(o => o.Path).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("单位");

    /// <summary>Staff display names by account name (for "决定人", "销号人"…), whatever the caller's scope; accounts without one are left out.</summary>
    public Task<Dictionary<string, string>> DisplayNamesAsync(IEnumerable<string?> userNames, CancellationToken ct = default)
    {
        var wanted = userNames.OfType<string>().Distinct().ToList();
        return Users.Where(u => wanted.Contains(u.UserName!) && u.DisplayName != "").ToDictionaryAsync(u => u.UserName!, u => u.DisplayName, ct);
    }

    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Queues an audit event to be written with the next save (same transaction).</summary>
    public void Audit(string ev, string? summary = null, string? entityType = null, string? entityId = null,
        string? orgPath = null, bool success = true, string? after = null, string? userName = null, string? userId = null) =>
        _queuedAudit.Add(new AuditEntry
        {
            Event = ev, Summary = summary, EntityType = entityType, EntityId = entityId,
            OrgPath = orgPath ?? Caller.OrgPath, Success = success, After = after,
            UserName = userName ?? "", UserId = userId,
        });

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        // SQLite hands DateTime back unspecified; every stored time is UTC, so say so on the way out.
        b.Properties<DateTime>().HaveConversion<UtcConverter>();
        b.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.ApplyConfigurationsFromAssembly(typeof(ShiliuDb).Assembly);

        foreach (var type in b.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(IOrgOwned).IsAssignableFrom(t)))
            GetType().GetMethod(nameof(ApplyScopeFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type).Invoke(this, [b]);
        foreach (var type in b.Model.GetEntityTypes().Where(t => typeof(IVersioned).IsAssignableFrom(t.ClrType)))
            b.Entity(type.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        if (IsPostgres)
        {
            // Paths are ASCII; byte order lets a plain b-tree index serve the subtree prefix match. By convention every
            // string column named …Path holds an org path.
            foreach (var p in b.Model.GetEntityTypes().SelectMany(t => t.GetProperties())
                         .Where(p => p.ClrType == typeof(string) && p.Name.EndsWith("Path", StringComparison.Ordinal)).ToList())
                p.SetCollation("C");
        }
    }

    void ApplyScopeFilter<T>(ModelBuilder b) where T : class, IOrgOwned
    {
        // OrgUnit maps its path as "Path"; other owned entities as "OrgPath". The filter is written per property name.
        var pathProp = typeof(T) == typeof(OrgUnit) ? nameof(OrgUnit.Path) : nameof(IOrgOwned.OrgPath);
        var e = Expression.Parameter(typeof(T), "e");
        var path = Expression.Property(e, pathProp);
        var self = Expression.Constant(this);
        var prefix = Expression.Property(self, nameof(ScopePrefix));
        var end = Expression.Property(self, nameof(ScopeEnd));
        // prefix <= path < end: the subtree as an index range on both engines (see OrgPaths). The system's range ("" to
        // U+FFFF) holds every path, so no "or sees all" term is needed — one would keep SQLite from using the index.
        Expression Within(Expression p) => OrgPaths.Within(p, prefix, end);
        var inScope = Within(path);
        if (typeof(IHandedOver).IsAssignableFrom(typeof(T)))
        {
            // An item being handed over is also seen by the receiving subtree, which has to accept or return it.
            var to = Expression.Property(e, nameof(IHandedOver.HandoverToPath));
            inScope = Expression.OrElse(inScope, Expression.AndAlso(Expression.NotEqual(to, Expression.Constant(null, typeof(string))), Within(to)));
        }
        b.Entity<T>().HasQueryFilter(Expression.Lambda<Func<T, bool>>(inScope, e));
    }

    /// <summary>Synchronous saves are only for rows that are never audited (data-protection keys); the rest must be async.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        ChangeTracker.DetectChanges();
        StampAndCheckScope(UtcNow);
        if (AuditCapture.Before(this).Count > 0 || _queuedAudit.Count > 0)
            throw new InvalidOperationException("Use SaveChangesAsync: saving writes audit records in a transaction.");
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct = default)
    {
        ChangeTracker.DetectChanges();
        var now = UtcNow;
        StampAndCheckScope(now);
        var captured = AuditCapture.Before(this);
        var tallies = Platform.Tallies.TallyHook.Collect(this, ShiliuModules.Catalog.Tallies);
        if (captured.Count == 0 && _queuedAudit.Count == 0 && tallies.Count == 0)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);

        var ownTx = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(ct) : null;
        try
        {
            var n = await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
            if (tallies.Count > 0)
            {
                // Recount what the save touched, after it (the counts see it) and before the commit (they land with it).
                foreach (var (hook, keys) in tallies) await hook.Recount(this, keys, ct);
                await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
            }
            var entries = captured.Select(c => c.Complete()).Concat(_queuedAudit).ToList();
            _queuedAudit.Clear();
            await chain.AppendAsync(this, entries, now, ct);
            if (ownTx is not null) await ownTx.CommitAsync(ct);
            return n;
        }
        finally
        {
            if (ownTx is not null) await ownTx.DisposeAsync();
        }
    }

    /// <summary>Inserts audit rows bypassing the change capture (called by <see cref="AuditChain"/> under its lock).</summary>
    internal async Task InsertAuditRowsAsync(IEnumerable<AuditEntry> rows, CancellationToken ct)
    {
        AuditEntries.AddRange(rows);
        await base.SaveChangesAsync(true, ct);
    }

    void StampAndCheckScope(DateTime now)
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached) continue;
            if (entry.Entity is IOrgOwned owned && !Caller.IsSystem && !_crossScope.Contains(entry.Entity))
            {
                var pathProp = entry.Entity is OrgUnit ? nameof(OrgUnit.Path) : nameof(IOrgOwned.OrgPath);
                var original = entry.State == EntityState.Added ? null : entry.Property(pathProp).OriginalValue as string;
                // A hand-over item may be written by its holder's subtree or by the receiving one (accepting or returning it).
                var handedOver = entry.Entity as IHandedOver;
                var originalTo = handedOver is null || entry.State == EntityState.Added
                    ? null
                    : entry.Property(nameof(IHandedOver.HandoverToPath)).OriginalValue as string;
                var holderOk = (original is null || Caller.InScope(original)) && Caller.InScope(owned.OrgPath);
                // The receiver keeps it where it was (returns it) or takes it into its own subtree (accepts it); nowhere else.
                var receiverOk = originalTo is not null && Caller.InScope(originalTo) && (owned.OrgPath == original || Caller.InScope(owned.OrgPath));
                if (!holderOk && !receiverOk)
                    throw new RuleViolation(CommonErrors.ScopeDenied, "该记录不在您的管辖范围内，操作被拒绝");
            }
            if (entry.Entity is IVersioned v)
            {
                if (entry.State == EntityState.Modified) v.Version++;
                if (entry.State is EntityState.Added or EntityState.Modified)
                {
                    v.UpdatedUtc = now;
                    v.UpdatedBy = Caller.UserName;
                }
            }
        }
    }

    sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
