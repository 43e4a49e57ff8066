using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Notifications;

public sealed record NotificationRow(long Id, string Title, string? Href, string Module, DateTime CreatedUtc, bool Read);

/// <summary>In-app notifications: written in the same save as the change they tell about, read by their one recipient.</summary>
public sealed class NotificationService(IDbContextFactory<ShiliuDb> dbs)
{
    /// <summary>
    /// Queues a notification for every enabled account of the unit at <paramref name="orgPath"/> whose roles hold
    /// <paramref name="permission"/>, except the caller; saved with the caller's next save. Answers how many were told.
    /// </summary>
    public static async Task<int> ToUnitAsync(ShiliuDb db, string orgPath, string permission, string title, string? href, string module, CancellationToken ct)
    {
        var roles = ShiliuModules.Catalog.Permission(permission).Roles.ToList();
        var roleIds = db.Roles.Where(r => roles.Contains(r.Name!)).Select(r => r.Id);
        var links = db.UserRoles;
        var me = Guid.TryParse(db.Caller.UserId, out var id) ? id : Guid.Empty;
        var users = await db.Users.Where(u => u.OrgPath == orgPath && !u.IsDisabled && u.Id != me && links.Any(l => l.UserId == u.Id && roleIds.Contains(l.RoleId)))
            .Select(u => u.Id).ToListAsync(ct);
        foreach (var user in users) ToUser(db, user, title, href, module);
        return users.Count;
    }

    /// <summary>Queues a notification for one account (e.g. the requester of an item someone else decided); saved with the caller's next save.</summary>
    public static void ToUser(ShiliuDb db, Guid userId, string title, string? href, string module) =>
        db.Notifications.Add(new Notification { UserId = userId, Title = title.Length > 200 ? title[..199] + "…" : title, Href = href, Module = module, CreatedUtc = db.UtcNow });

    public async Task<int> UnreadCountAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var me = Me(db);
        return me is { } id ? await db.Notifications.CountAsync(n => n.UserId == id && n.ReadUtc == null, ct) : 0;
    }

    public async Task<Paged<NotificationRow>> ListAsync(bool unreadOnly = false, int page = 1, int pageSize = 20, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var me = Me(db) ?? throw new NotFoundInScope("通知");
        var q = db.Notifications.AsNoTracking().Where(n => n.UserId == me);
        if (unreadOnly) q = q.Where(n => n.ReadUtc == null);
        var (p, size) = Paged<NotificationRow>.Bounds(page, pageSize, 100);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(n => n.Id).Skip((p - 1) * size).Take(size)
            .Select(n => new NotificationRow(n.Id, n.Title, n.Href, n.Module, n.CreatedUtc, n.ReadUtc != null)).ToListAsync(ct);
        return new Paged<NotificationRow>(rows, total, p, size);
    }

    /// <summary>Marks one (or, with null, every) notification of the caller read.</summary>
    public async Task<int> MarkReadAsync(long? id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var me = Me(db) ?? throw new NotFoundInScope("通知");
        var now = db.UtcNow;
        return await db.Notifications.Where(n => n.UserId == me && n.ReadUtc == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadUtc, now), ct);
    }

    static Guid? Me(ShiliuDb db) => Guid.TryParse(db.Caller.UserId, out var id) ? id : null;
}
