using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Accounts;

public sealed class AccountOptions
{
    /// <summary>Days without a sign-in or token use after which an account is disabled (SECURITY.md #1).</summary>
    public int DormantDays { get; set; } = 90;

    public void Validate()
    {
        if (DormantDays is < 1 or > 365) throw new InvalidOperationException($"Accounts:DormantDays 配置为 {DormantDays}，应在 1 到 365 天之间");
    }
}

/// <summary>
/// SECURITY.md #1 (等保 8.1.4.2): a daily job disables every account, the admins' own included, not used for
/// Accounts:DormantDays — counted from the last sign-in, token use or re-enabling, else from its creation — each with an
/// audit row. The last enabled account of an admin role is kept: without it 三权分立 would lack one of its three.
/// </summary>
public sealed class DormantAccounts(IDbContextFactory<ShiliuDb> dbs, SessionService sessions, AccountOptions options, ILogger<DormantAccounts> log)
    : IJobHandler
{
    public const string Kind = "accounts.dormant";

    public async Task RunAsync(JobContext job, CancellationToken ct) => await DisableAsync(ct);

    /// <summary>Returns the user names it disabled.</summary>
    public async Task<IReadOnlyList<string>> DisableAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var cutoff = db.UtcNow.AddDays(-options.DormantDays);
        var tokenUse = await db.AccessTokens.Where(t => t.LastUsedUtc != null).GroupBy(t => t.UserId)
            .Select(g => new { g.Key, Last = g.Max(t => t.LastUsedUtc) }).ToDictionaryAsync(x => x.Key, x => x.Last!.Value, ct);
        DateTime LastUse(AppUser u) => new[] { u.LastSignInUtc ?? u.CreatedUtc, u.EnabledUtc ?? default, tokenUse.GetValueOrDefault(u.Id) }.Max();
        // The database narrows to accounts neither signed in nor re-enabled since the cutoff; token use is checked here.
        var candidates = await db.Users.Where(u => !u.IsDisabled && (u.LastSignInUtc ?? u.CreatedUtc) < cutoff && (u.EnabledUtc == null || u.EnabledUtc < cutoff))
            .ToListAsync(ct);
        var dormant = candidates.Where(u => LastUse(u) < cutoff).OrderBy(LastUse).ToList();
        if (dormant.Count == 0) return [];

        var ids = dormant.Select(u => u.Id).ToList();
        var adminRoles = Roles.Admin.ToList();
        var adminRoleOf = await db.UserRoles.Where(r => ids.Contains(r.UserId)).Join(db.Roles, r => r.RoleId, r => r.Id, (r, role) => new { r.UserId, role.Name })
            .Where(x => adminRoles.Contains(x.Name!)).ToDictionaryAsync(x => x.UserId, x => x.Name!, ct);
        var enabledAdmins = new Dictionary<string, int>();
        foreach (var role in adminRoleOf.Values.Distinct()) enabledAdmins[role] = await UserService.EnabledInRoleAsync(db, role, null, ct);

        var disabled = new List<AppUser>();
        foreach (var user in dormant)
        {
            var last = LastUse(user);
            if (adminRoleOf.TryGetValue(user.Id, out var role))
            {
                if (enabledAdmins[role] <= 1)
                {
                    log.LogWarning("{User} 已 {Days} 天未使用，但是唯一在用的{Role}账号，未停用", user.UserName, (db.UtcNow - last).Days, Roles.ChineseName(role));
                    continue;
                }
                enabledAdmins[role]--;
            }
            user.IsDisabled = true;
            db.Audit(AuditEvents.DormantDisabled, $"用户 {user.UserName} 自{ChinaTime.Format(last)}起 {(db.UtcNow - last).Days} 天未登录或使用，超过 {options.DormantDays} 天，已停用",
                nameof(AppUser), user.Id.ToString(), user.OrgPath);
            disabled.Add(user);
        }
        await db.SaveChangesAsync(ct);
        foreach (var user in disabled) await sessions.EndAllAsync(user.Id, "dormant", ct: ct);
        return disabled.Select(u => u.UserName!).ToList();
    }
}
