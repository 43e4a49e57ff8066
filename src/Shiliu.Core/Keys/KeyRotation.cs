using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Platform;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Keys;

/// <summary>How many values of one sealed column <c>rotate-keys</c> re-sealed.</summary>
public sealed record Resealed(string Label, int Count);

/// <summary>
/// Re-seals what older key versions sealed under the newest ones, in batches (each its own transaction, audited), so an
/// old key can be retired. Which columns hold sealed values is what the modules declared (<see cref="ModuleBuilder.Sealed{T}"/>);
/// nothing here names a module. Audit rows are never re-signed (they are append-only): their key versions stay in the ring.
/// </summary>
public static class KeyRotation
{
    static readonly MethodInfo ColumnMethod = typeof(KeyRotation).GetMethod(nameof(ResealColumnAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Re-seals every declared column in turn; <paramref name="progress"/> hears each column's running total.</summary>
    public static async Task<IReadOnlyList<Resealed>> ResealAsync(IDbContextFactory<ShiliuDb> dbs, PersonalData pii, IEnumerable<SealedColumn> columns,
        int batch, Action<string, int>? progress = null, CancellationToken ct = default)
    {
        var done = new List<Resealed>();
        foreach (var column in columns)
        {
            Type keyType;
            string keyName;
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                var entity = db.Model.FindEntityType(column.Type)
                    ?? throw new InvalidOperationException($"{column.Type.Name} is declared sealed but is not mapped");
                var key = entity.FindPrimaryKey()?.Properties is [var only] ? only
                    : throw new InvalidOperationException($"{column.Type.Name} needs a single-column key to be re-sealed");
                (keyType, keyName) = (key.ClrType, key.Name);
            }
            var run = (Task<int>)ColumnMethod.MakeGenericMethod(column.Type, keyType)
                .Invoke(null, [dbs, pii, column, keyName, batch, progress, ct])!;
            done.Add(new Resealed(column.Label, await run));
        }
        return done;
    }

    static async Task<int> ResealColumnAsync<T, TKey>(IDbContextFactory<ShiliuDb> dbs, PersonalData pii, SealedColumn column, string keyName, int batch,
        Action<string, int>? progress, CancellationToken ct) where T : class
    {
        var stale = Stale<T>(column, $"g{pii.SealVersion}.", pii.HashVersion == 1 ? null : $"k{pii.HashVersion}.");
        var cipher = column.Cipher;
        var hash = column.Hash;
        var total = 0;
        object? stuck = null;
        while (true)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var rows = await db.Set<T>().IgnoreQueryFilters().AsNoTracking().Where(stale)
                .OrderBy(x => EF.Property<TKey>(x, keyName)).Take(batch)
                .Select(x => new { Key = EF.Property<TKey>(x, keyName), Cipher = EF.Property<string>(x, cipher) }).ToListAsync(ct);
            if (rows.Count == 0) return total;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var count = 0;
            foreach (var r in rows)
            {
                // The plain value lives only between these two lines; it is never logged or audited.
                var plain = pii.Open(r.Cipher);
                var (sealedValue, hashValue) = (pii.Seal(plain), hash is null ? null : pii.Hash(plain));
                var old = r.Cipher;
                // Set-based and unaudited per row; keyed on the old cipher too, so a value changed meanwhile is left as it is now.
                count += await db.Set<T>().IgnoreQueryFilters().Where(KeyIs<T, TKey>(keyName, r.Key)).Where(x => EF.Property<string>(x, cipher) == old)
                    .ExecuteUpdateAsync(s =>
                    {
                        s.SetProperty(x => EF.Property<string>(x, cipher), sealedValue);
                        if (hash is not null) s.SetProperty(x => EF.Property<string>(x, hash), hashValue);
                    }, ct);
            }
            // A row changed meanwhile is skipped and, re-sealed by its writer, not selected again; the same row skipped twice is a fault.
            if (count == 0 && Equals(stuck, rows[0].Key))
                throw new InvalidOperationException($"{column.Type.Name}.{cipher}: a row selected for re-sealing could not be updated");
            stuck = count == 0 ? rows[0].Key : null;
            if (count > 0)
                db.Audit(AuditEvents.Operator,
                    $"重新加密{column.Label} {count} 条（个人信息密钥第 {pii.SealVersion} 版{(hash is null ? "" : $"，查找密钥第 {pii.HashVersion} 版")}）", column.Type.Name);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            total += count;
            progress?.Invoke(column.Label, total);
        }
    }

    /// <summary>A value sealed under an older key, or (when searchable) hashed under an older lookup key.</summary>
    static Expression<Func<T, bool>> Stale<T>(SealedColumn column, string seal, string? hashTag) where T : class
    {
        var cipher = column.Cipher;
        if (column.Hash is not { } hash)
            return x => EF.Property<string?>(x, cipher) != null && !EF.Property<string>(x, cipher).StartsWith(seal);
        // Lookup key version 1 writes untagged hashes; later versions tag theirs "k{version}.".
        if (hashTag is null)
            return x => EF.Property<string?>(x, cipher) != null && (!EF.Property<string>(x, cipher).StartsWith(seal)
                || EF.Property<string?>(x, hash) == null || EF.Property<string>(x, hash).StartsWith("k"));
        return x => EF.Property<string?>(x, cipher) != null && (!EF.Property<string>(x, cipher).StartsWith(seal)
            || EF.Property<string?>(x, hash) == null || !EF.Property<string>(x, hash).StartsWith(hashTag));
    }

    /// <summary>x => x.{key} == value, with the value as a parameter (one cached query, not one per row).</summary>
    static Expression<Func<T, bool>> KeyIs<T, TKey>(string keyName, TKey value)
    {
        var x = Expression.Parameter(typeof(T), "x");
        var property = Expression.Call(typeof(EF), nameof(EF.Property), [typeof(TKey)], x, Expression.Constant(keyName));
        var box = Expression.Field(Expression.Constant(new StrongBox<TKey>(value)), nameof(StrongBox<TKey>.Value));
        return Expression.Lambda<Func<T, bool>>(Expression.Equal(property, box), x);
    }
}
