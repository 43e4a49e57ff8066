using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Accounts;

public sealed record SessionCheck(bool Valid, string? EndReason, AccountGate Gate);

/// <summary>Server-side sessions: every request and every open circuit is checked against them.</summary>
public sealed class SessionService(IDbContextFactory<ShiliuDb> dbs, TimeProvider clock, IOptions<SecurityOptions> options)
{
    static readonly TimeSpan TouchEvery = TimeSpan.FromSeconds(60);
    readonly SecurityOptions _o = options.Value;

    public async Task<Guid> StartAsync(Guid userId, string? ip, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var s = new UserSession { UserId = userId, CreatedUtc = now, LastSeenUtc = now, Ip = ip };
        db.UserSessions.Add(s);
        await db.SaveChangesAsync(ct);
        return s.Id;
    }

    /// <summary>Checks a session; <paramref name="touch"/> counts this as user activity (idle clock restarts).</summary>
    public async Task<SessionCheck> CheckAsync(Guid sessionId, bool touch, bool isAdmin, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.UserSessions.Where(s => s.Id == sessionId)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new
            {
                Session = s, u.IsDisabled, u.LockoutEnd, u.MustChangePassword, u.PasswordChangedUtc, u.TotpSecret,
            })
            .SingleOrDefaultAsync(ct);
        if (row is null) return new(false, "unknown", AccountGate.None);
        var now = clock.GetUtcNow().UtcDateTime;
        string? end = row.Session.EndedUtc is not null ? row.Session.EndReason ?? "ended"
            : row.IsDisabled ? "disabled"
            : row.LockoutEnd > clock.GetUtcNow() ? "locked"
            : now - row.Session.LastSeenUtc > _o.Idle ? "idle"
            : now - row.Session.CreatedUtc > _o.Absolute ? "absolute"
            : null;
        if (end is not null)
        {
            if (row.Session.EndedUtc is null) await EndAsync(db, sessionId, end, ct);
            return new(false, end, AccountGate.None);
        }
        if (touch && now - row.Session.LastSeenUtc > TouchEvery)
            await db.UserSessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(x => x.SetProperty(s => s.LastSeenUtc, now), ct);
        var gate = row.MustChangePassword || row.PasswordChangedUtc is null || now - row.PasswordChangedUtc > PasswordPolicy.MaxAge
            ? AccountGate.ChangePassword
            : isAdmin && string.IsNullOrEmpty(row.TotpSecret) ? AccountGate.EnrollTotp
            : AccountGate.None;
        return new(true, null, gate);
    }

    public async Task EndAsync(Guid sessionId, string reason, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await EndAsync(db, sessionId, reason, ct);
    }

    /// <summary>Ends every open session of the user, except <paramref name="except"/> (the one that made the change).</summary>
    public async Task EndAllAsync(Guid userId, string reason, Guid? except = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var keep = except ?? Guid.Empty;
        await db.UserSessions.Where(s => s.UserId == userId && s.EndedUtc == null && s.Id != keep)
            .ExecuteUpdateAsync(x => x.SetProperty(s => s.EndedUtc, now).SetProperty(s => s.EndReason, reason), ct);
    }

    static Task EndAsync(ShiliuDb db, Guid sessionId, string reason, CancellationToken ct)
    {
        var now = db.UtcNow;
        return db.UserSessions.Where(s => s.Id == sessionId && s.EndedUtc == null)
            .ExecuteUpdateAsync(x => x.SetProperty(s => s.EndedUtc, now).SetProperty(s => s.EndReason, reason), ct);
    }
}
