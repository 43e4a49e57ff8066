using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Auditing;

/// <summary>Where audit anchors go ("Audit" in configuration).</summary>
public sealed class AuditAnchorOptions
{
    /// <summary>An append-only file outside the database (ideally another disk, or write-once storage).</summary>
    public string? AnchorFile { get; set; }
    /// <summary>"host:port" of a syslog server (UDP, RFC 5424) that also receives every anchor; optional.</summary>
    public string? SyslogServer { get; set; }
}

/// <summary>The head of the audit chain at one moment: its last row, that row's hash, and how many rows there were.</summary>
public sealed record AuditAnchor(DateTime TimeUtc, long LastId, string Head, long Count);

/// <summary>
/// Anchors the audit chain outside the database: each verification appends the chain's head and row count to a file
/// (and to syslog where configured). A chain is only as trustworthy as its end: deleting the newest rows leaves a chain
/// that verifies, unless its end was written down somewhere the database's attacker cannot reach.
/// </summary>
public sealed class AuditAnchors(AuditAnchorOptions options, TimeProvider clock)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    static readonly SemaphoreSlim Gate = new(1, 1);

    public string? File => options.AnchorFile;

    public IReadOnlyList<AuditAnchor> Read()
    {
        if (options.AnchorFile is not { } path || !System.IO.File.Exists(path)) return [];
        return System.IO.File.ReadAllLines(path).Where(l => l.StartsWith('{')).Select(l => JsonSerializer.Deserialize<AuditAnchor>(l, Json)!).ToList();
    }

    /// <summary>Writes the current head (nothing when the log is empty).</summary>
    public async Task<AuditAnchor?> WriteAsync(ShiliuDb db, CancellationToken ct = default)
    {
        var head = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(ct);
        if (head is null) return null;
        var count = await db.AuditEntries.LongCountAsync(a => a.Id <= head.Id, ct);
        var anchor = new AuditAnchor(clock.GetUtcNow().UtcDateTime, head.Id, head.Hash, count);
        var line = JsonSerializer.Serialize(anchor, Json);
        await Gate.WaitAsync(ct);
        try
        {
            if (options.AnchorFile is { } path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                await System.IO.File.AppendAllTextAsync(path, line + "\n", ct);
            }
        }
        finally
        {
            Gate.Release();
        }
        if (options.SyslogServer is { } server) await SendSyslogAsync(server, line, anchor.TimeUtc, ct);
        return anchor;
    }

    /// <summary>RFC 5424 over UDP, facility "log audit" (13), severity notice.</summary>
    static async Task SendSyslogAsync(string server, string line, DateTime time, CancellationToken ct)
    {
        var colon = server.LastIndexOf(':');
        var (host, port) = colon > 0 ? (server[..colon], int.Parse(server[(colon + 1)..])) : (server, 514);
        var message = $"<109>1 {time:yyyy-MM-ddTHH:mm:ss.fffZ} {Environment.MachineName} shiliu - audit-anchor - {line}";
        using var udp = new UdpClient();
        await udp.SendAsync(Encoding.UTF8.GetBytes(message), host, port, ct);
    }
}
