using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Keys;

public sealed record KeyStatus(KeyPurpose Purpose, int Version, string? Fingerprint, string? Registered, bool Newest)
{
    public bool Missing => Registered is not null && Fingerprint != Registered;
}

/// <summary>
/// Start-up check of the key ring against the database: every key version the database was sealed or signed with must be
/// here, and be the same key. The newest version of each purpose is registered on first use. A database from before
/// versioned keys is probed (the last audit row, one resident) before its keys are registered.
/// </summary>
public static class KeyCheck
{
    public static async Task<IReadOnlyList<KeyStatus>> StatusAsync(ShiliuDb db, KeyRing keys, CancellationToken ct = default)
    {
        var registered = await db.Set<SealingKey>().AsNoTracking().ToListAsync(ct);
        var list = new List<KeyStatus>();
        foreach (var p in Enum.GetValues<KeyPurpose>())
        {
            var versions = keys.Versions(p).Union(registered.Where(r => r.Purpose == KeyRing.Name(p)).Select(r => r.Version)).Order();
            foreach (var v in versions)
                list.Add(new KeyStatus(p, v, keys.Has(p, v) ? keys.Fingerprint(p, v) : null,
                    registered.SingleOrDefault(r => r.Purpose == KeyRing.Name(p) && r.Version == v)?.Fingerprint, v == keys.Newest(p)));
        }
        return list;
    }

    /// <summary>Throws <see cref="KeyProblem"/> naming what is missing and how to restore it; registers the newest versions.</summary>
    public static async Task EnsureAsync(ShiliuDb db, KeyRing keys, IDataProtectionProvider protection, CancellationToken ct = default)
    {
        var status = await StatusAsync(db, keys, ct);
        var missing = status.Where(s => s.Missing).ToList();
        if (missing.Count > 0) throw new KeyProblem(MissingMessage(keys, missing));
        var fresh = status.Where(s => s.Newest && s.Registered is null).ToList();
        if (fresh.Count == 0) return;
        if (!await db.Set<SealingKey>().AnyAsync(ct)) await ProbeLegacyAsync(db, keys, protection, ct);
        foreach (var s in fresh)
            db.Set<SealingKey>().Add(new SealingKey { Purpose = KeyRing.Name(s.Purpose), Version = s.Version, Fingerprint = s.Fingerprint!, FirstUsedUtc = db.UtcNow });
        db.Audit(AuditEvents.Operator, $"启用密钥：{string.Join("、", fresh.Select(s => $"{KeyRing.ChineseName(s.Purpose)}第 {s.Version} 版（指纹 {s.Fingerprint}）"))}");
        await db.SaveChangesAsync(ct);
    }

    public static string MissingMessage(KeyRing keys, IEnumerable<KeyStatus> missing) =>
        "数据库中有用以下密钥加密或签名的数据，但本机没有这些密钥（或配置的是另一把密钥）：" +
        string.Join("；", missing.Select(m => $"{KeyRing.ChineseName(m.Purpose)}第 {m.Version} 版（{KeyRing.FileName(m.Purpose, m.Version)}，指纹 {m.Registered}" +
            (m.Fingerprint is null ? "，缺失）" : $"，本机为 {m.Fingerprint}）"))) +
        $"。请把备份的密钥文件放回 {keys.Directory}（或按原样配置 Audit__Key / Keys__<用途>__<版本>），然后运行 check-keys 确认无误再启动。" +
        "切勿生成新密钥代替：已有的身份证号将无法解密、查重失效、审计日志将显示为被篡改";

    /// <summary>
    /// Before the first registration, the keys must open what is already there: a restore onto a host whose key file was
    /// created anew would otherwise register the wrong keys.
    /// </summary>
    static async Task ProbeLegacyAsync(ShiliuDb db, KeyRing keys, IDataProtectionProvider protection, CancellationToken ct)
    {
        var problems = new List<KeyStatus>();
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        if (last is not null && new AuditChain(keys).Compute(last) != last.Hash)
            problems.Add(new KeyStatus(KeyPurpose.Audit, KeyRing.VersionOf(last.Hash), null, "?", false));
        var resident = await db.Residents.IgnoreQueryFilters().AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.IdNumberCipher, r.IdNumberHash }).FirstOrDefaultAsync(ct);
        if (resident is not null && PersonalData.VersionOf(resident.IdNumberCipher) > 0)
        {
            var pii = new PersonalData(protection, keys);
            string? id = null;
            try { id = pii.Open(resident.IdNumberCipher); }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or KeyProblem)
            {
                problems.Add(new KeyStatus(KeyPurpose.Pii, PersonalData.VersionOf(resident.IdNumberCipher), null, "?", false));
            }
            if (id is not null && !pii.Hashes(id).Contains(resident.IdNumberHash))
                problems.Add(new KeyStatus(KeyPurpose.Lookup, KeyRing.VersionOf(resident.IdNumberHash), null, "?", false));
        }
        if (problems.Count > 0) throw new KeyProblem(MissingMessage(keys, problems).Replace("指纹 ?，", ""));
    }
}
