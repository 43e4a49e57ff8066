using Shiliu.Core.Data;

namespace Shiliu.Core.Auditing;

/// <summary>
/// SECURITY.md #17: a signed-in caller refused for a missing permission or for a record outside its scope leaves an
/// <see cref="AuditEvents.AccessDenied"/> row naming the route and what was refused — at most one row per user, route and
/// minute, so a script looping on a forbidden address cannot flood the log. Routes are patterns, never the values in them.
/// </summary>
public sealed class AccessDenials(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    public const string RolesPrefix = "roles:";
    const int MaxRemembered = 10_000;
    readonly Dictionary<(string User, string Route), DateTimeOffset> _last = [];

    /// <param name="route">The method and route pattern, e.g. "GET /api/v1/users/{id}".</param>
    /// <param name="refused">Permission codes (" / " between several), "roles:" and the roles a page asks for, or the rule's error code.</param>
    public async Task RecordAsync(ShiliuDb db, string route, string refused, CancellationToken ct = default)
    {
        var caller = db.Caller;
        if (!caller.IsAuthenticated || !FirstInWindow(caller.UserId!, route)) return;
        db.Audit(AuditEvents.AccessDenied, $"访问 {route} 被拒绝：{Describe(refused)}", success: false);
        await db.SaveChangesAsync(ct);
    }

    static string Describe(string refused) =>
        refused == Common.CommonErrors.ScopeDenied.Code ? "记录不在管辖范围内"
        : refused == Accounts.AccountErrors.AdminNetwork.Code ? "管理员账号不在管理网段内"
        : string.Join("、", refused.Split(" / ").Select(code => ShiliuModules.Catalog.Permissions.FirstOrDefault(p => p.Code == code) is { } p
            ? $"缺少权限“{p.Name}”（{p.Code}）"
            : code.StartsWith(RolesPrefix, StringComparison.Ordinal)
                ? "仅限角色 " + string.Join("、", code[RolesPrefix.Length..].Split(',').Select(r => Common.Roles.ChineseName(r.Trim())))
                : $"规则 {code}"));

    bool FirstInWindow(string user, string route)
    {
        var now = clock.GetUtcNow();
        lock (_last)
        {
            if (_last.TryGetValue((user, route), out var at) && now - at < Window) return false;
            if (_last.Count >= MaxRemembered)
                foreach (var old in _last.Where(e => now - e.Value >= Window).Select(e => e.Key).ToList()) _last.Remove(old);
            _last[(user, route)] = now;
            return true;
        }
    }
}
