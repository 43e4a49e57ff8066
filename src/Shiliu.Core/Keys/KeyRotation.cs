using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Keys;

/// <summary>
/// Re-seals what older key versions sealed under the newest ones, in batches (each its own transaction, audited), so an
/// old key can be retired. Audit rows are never re-signed (they are append-only): their key versions stay in the ring.
/// </summary>
public static class KeyRotation
{
    public static async Task<int> ResealResidentsAsync(IDbContextFactory<ShiliuDb> dbs, PersonalData pii, int batch, Action<int>? progress = null,
        CancellationToken ct = default)
    {
        var seal = $"g{pii.SealVersion}.";
        var hash = pii.HashVersion == 1 ? null : $"k{pii.HashVersion}.";
        var total = 0;
        while (true)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var rows = await db.Residents.IgnoreQueryFilters().AsNoTracking()
                .Where(r => !r.IdNumberCipher.StartsWith(seal) || (r.PhoneCipher != null && !r.PhoneCipher.StartsWith(seal))
                    || (hash == null ? r.IdNumberHash.StartsWith("k") || (r.PhoneHash != null && r.PhoneHash.StartsWith("k"))
                        : !r.IdNumberHash.StartsWith(hash) || (r.PhoneHash != null && !r.PhoneHash.StartsWith(hash))))
                .OrderBy(r => r.Id).Take(batch)
                .Select(r => new { r.Id, r.IdNumberCipher, r.PhoneCipher, r.OrgPath }).ToListAsync(ct);
            if (rows.Count == 0) return total;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var r in rows)
            {
                var id = pii.Open(r.IdNumberCipher);
                var phone = r.PhoneCipher is null ? null : pii.Open(r.PhoneCipher);
                var (idCipher, idHash) = (pii.Seal(id), pii.Hash(id));
                var (phoneCipher, phoneHash) = phone is null ? (null, null) : (pii.Seal(phone), pii.Hash(phone));
                // Set-based and unaudited per row (the values are never audited anyway); the batch is audited below.
                await db.Residents.IgnoreQueryFilters().Where(x => x.Id == r.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.IdNumberCipher, idCipher).SetProperty(x => x.IdNumberHash, idHash)
                    .SetProperty(x => x.PhoneCipher, phoneCipher).SetProperty(x => x.PhoneHash, phoneHash), ct);
            }
            db.Audit(AuditEvents.Operator, $"重新加密 {rows.Count} 位居民的身份证号和电话（个人信息密钥第 {pii.SealVersion} 版，查找密钥第 {pii.HashVersion} 版）",
                nameof(Resident));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            total += rows.Count;
            progress?.Invoke(total);
        }
    }
}
