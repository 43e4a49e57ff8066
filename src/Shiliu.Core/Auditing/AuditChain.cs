using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Keys;

namespace Shiliu.Core.Auditing;

/// <summary>
/// Appends audit rows as an HMAC chain: each row's hash covers its content and the previous row's hash, so an edited,
/// inserted or removed row breaks the chain. The key lives outside the database; a row's hash says which key version
/// signed it (new rows: the newest), so old rows still verify after a new audit key is brought in.
/// </summary>
public sealed class AuditChain(KeyRing keys)
{
    // One appender at a time in this process; PostgreSQL nodes also take an advisory lock.
    static readonly SemaphoreSlim Gate = new(1, 1);
    const long AdvisoryLockId = 0x5348494C4955; // "SHILIU"

    public static AuditChain WithRandomKey() => new(KeyRing.Random());

    internal async Task AppendAsync(ShiliuDb db, List<AuditEntry> entries, DateTime nowUtc, CancellationToken ct)
    {
        if (entries.Count == 0) return;
        var caller = db.Caller;
        // Millisecond precision survives a round trip through both engines, so the hash can be recomputed.
        var time = new DateTime(nowUtc.Ticks - nowUtc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        await Gate.WaitAsync(ct);
        try
        {
            if (db.IsPostgres)
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockId})", ct);
            var prev = await db.AuditEntries.OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(ct) ?? "";
            var version = keys.Newest(KeyPurpose.Audit);
            foreach (var e in entries)
            {
                e.TimeUtc = time;
                e.UserId ??= caller.UserId;
                if (string.IsNullOrEmpty(e.UserName)) e.UserName = caller.UserName;
                e.Ip ??= caller.Ip;
                e.RequestId ??= caller.RequestId;
                e.PrevHash = prev;
                e.Hash = prev = Compute(e, version);
            }
            await db.InsertAuditRowsAsync(entries, ct);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The hash a row must carry, under the key version its stored hash names (a row whose key is absent never matches).</summary>
    public string Compute(AuditEntry e)
    {
        var version = KeyRing.VersionOf(e.Hash);
        return keys.Has(KeyPurpose.Audit, version) ? Compute(e, version) : "";
    }

    string Compute(AuditEntry e, int version)
    {
        var text = string.Join('\u001f',
            e.PrevHash, e.TimeUtc.Ticks.ToString(CultureInfo.InvariantCulture), e.Event, e.Success ? "1" : "0",
            e.UserId, e.UserName, e.Ip, e.RequestId, e.OrgPath, e.EntityType, e.EntityId, e.Summary, e.Before, e.After);
        return KeyRing.Tagged(version, HMACSHA256.HashData(keys.Get(KeyPurpose.Audit, version), Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Walks the whole chain in id order, in batches; returns the ids of rows that do not verify, and every anchor the
    /// chain no longer reaches (its last row gone or changed, or fewer rows up to it: rows deleted from the end or middle).
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(ShiliuDb db, IReadOnlyList<AuditAnchor>? anchors = null, CancellationToken ct = default)
    {
        var bad = new List<long>();
        var problems = new List<string>();
        var pending = (anchors ?? []).GroupBy(a => a.LastId).ToDictionary(g => g.Key, g => g.ToList());
        var prev = "";
        long lastId = 0, count = 0;
        while (true)
        {
            var batch = await db.AuditEntries.AsNoTracking().Where(a => a.Id > lastId).OrderBy(a => a.Id).Take(5000).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var e in batch)
            {
                count++;
                if (e.PrevHash != prev || Compute(e) != e.Hash) bad.Add(e.Id);
                if (pending.Remove(e.Id, out var here))
                    foreach (var a in here.Where(a => a.Head != e.Hash || a.Count != count))
                        problems.Add($"{ChinaTimeText(a.TimeUtc)}的锚点记到第 {a.LastId} 条、共 {a.Count} 条，现在该条{(a.Head != e.Hash ? "内容不同" : "仍在")}、到该条共 {count} 条");
                prev = e.Hash;
                lastId = e.Id;
            }
        }
        foreach (var a in pending.Values.SelectMany(x => x))
            problems.Add($"{ChinaTimeText(a.TimeUtc)}的锚点记到第 {a.LastId} 条、共 {a.Count} 条，现在只有 {count} 条、最后一条是第 {lastId} 条：末尾的记录被删除");
        return new AuditVerification(count, bad, problems);
    }

    static string ChinaTimeText(DateTime utc) => Common.ChinaTime.Format(utc);
}

public sealed record AuditVerification(long Checked, IReadOnlyList<long> BrokenIds, IReadOnlyList<string>? AnchorProblems = null)
{
    public IReadOnlyList<string> Problems => AnchorProblems ?? [];

    public bool Intact => BrokenIds.Count == 0 && Problems.Count == 0;

    /// <summary>One Chinese sentence for the log, the page and the command line.</summary>
    public string Text => Intact
        ? $"审计日志完整：已校验 {Checked} 条记录，哈希链无断裂，与链外锚点一致。"
        : $"审计日志被篡改（已校验 {Checked} 条）：{(BrokenIds.Count > 0 ? $"{BrokenIds.Count} 条记录校验失败（编号 {string.Join(", ", BrokenIds.Take(20))}{(BrokenIds.Count > 20 ? " …" : "")}）" : "")}" +
          (Problems.Count > 0 ? (BrokenIds.Count > 0 ? "；" : "") + string.Join("；", Problems.Take(5)) : "");
}
