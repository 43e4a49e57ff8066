using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;

namespace Shiliu.Core.Keys;

/// <summary>
/// Data-protection keys written before the key ring was encrypted lie in the database in plain XML; anyone with a copy
/// could open the TOTP secrets sealed under them. On start, such a ring gets a new (encrypted) key, the TOTP secrets are
/// sealed again under it, and the plain keys are deleted once nothing else needs them.
/// </summary>
public static class DataProtectionKeys
{
    public static bool IsPlain(string? xml) => xml is not null && !xml.Contains("encryptedSecret", StringComparison.Ordinal);

    public static async Task<string?> SecureAsync(ShiliuDb db, IKeyManager manager, TotpSecrets totp, CancellationToken ct = default)
    {
        var plain = (await db.DataProtectionKeys.AsNoTracking().ToListAsync(ct)).Where(k => IsPlain(k.Xml)).Select(k => k.Id).ToList();
        if (plain.Count == 0) return null;
        var now = db.Clock.GetUtcNow();
        manager.CreateNewKey(now, now.AddDays(90));
        var users = await db.Users.Where(u => u.TotpSecret != null).Select(u => new { u.Id, u.TotpSecret }).ToListAsync(ct);
        var resealed = 0;
        foreach (var u in users)
            if (totp.Open(u.TotpSecret) is { } secret)
            {
                var again = totp.Seal(secret);
                resealed += await db.Users.Where(x => x.Id == u.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.TotpSecret, again), ct);
            }
        // ID numbers sealed with the key ring (before AES-GCM) still need the old keys until rotate-keys re-seals them.
        var legacyPii = await db.Residents.IgnoreQueryFilters().AnyAsync(r => !r.IdNumberCipher.StartsWith("g") || (r.PhoneCipher != null && !r.PhoneCipher.StartsWith("g")), ct);
        var deleted = legacyPii ? 0 : await db.DataProtectionKeys.Where(k => plain.Contains(k.Id)).ExecuteDeleteAsync(ct);
        var summary = $"登录凭据密钥环改为加密保存：新建加密密钥，重新加密 {resealed} 个动态口令密钥，" +
            (legacyPii ? $"{plain.Count} 个未加密的旧密钥暂留（仍有旧格式的身份证号，请运行 rotate-keys 后重启）" : $"删除 {deleted} 个未加密的旧密钥");
        db.Audit(AuditEvents.Operator, summary);
        await db.SaveChangesAsync(ct);
        return summary;
    }
}
