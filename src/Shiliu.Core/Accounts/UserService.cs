using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Accounts;

public sealed record UserRow(Guid Id, string UserName, string DisplayName, Guid OrgUnitId, string OrgName, string? Role,
    bool IsDisabled, bool IsLockedOut, bool HasTotp, DateTime? LastSignInUtc, bool PasswordToIssue = false)
{
    public string RoleName => Role is null ? "未分配" : Roles.ChineseName(Role);
}

public sealed class CreateUser
{
    [Required(ErrorMessage = "请填写用户名"), RegularExpression("^[A-Za-z][A-Za-z0-9_.-]{2,31}$",
        ErrorMessage = "用户名须以字母开头，由3–32位字母、数字、下划线、点或横线组成")]
    public string UserName { get; set; } = "";

    [Required(ErrorMessage = "请填写姓名"), StringLength(30, ErrorMessage = "姓名不能超过30个字")]
    public string DisplayName { get; set; } = "";

    [Required(ErrorMessage = "请选择所属单位")]
    public Guid? OrgUnitId { get; set; }
}

public static class UserErrors
{
    public static readonly ErrorCode Exists = ErrorCode.Conflict("user.exists");
    public static readonly ErrorCode RoleLevel = ErrorCode.Invalid("user.role_level");
    public static readonly ErrorCode SelfGrant = ErrorCode.Denied("user.self_grant");
    public static readonly ErrorCode Denied = ErrorCode.Denied("user.denied");
    public static readonly ErrorCode Role = ErrorCode.Invalid("user.role");
    public static readonly ErrorCode Password = ErrorCode.Invalid("user.password");
    public static readonly ErrorCode AdminSeparation = ErrorCode.Denied("user.admin_denied");
    public static readonly ErrorCode LastAuditor = ErrorCode.Denied("user.last_auditor_denied");
    public static readonly ErrorCode NothingToIssue = ErrorCode.Invalid("user.nothing_to_issue");
}

public static class AccountErrors
{
    public static readonly ErrorCode Totp = ErrorCode.Invalid("account.totp");
    public static readonly ErrorCode SignIn = ErrorCode.Invalid("account.sign_in");
    public static readonly ErrorCode AdminNetwork = ErrorCode.Denied("account.admin_network");
}

/// <summary>
/// Accounts, kept to the caller's subtree. 三权分立: the system admin creates accounts but grants no roles;
/// the security admin grants roles but never to itself; a role must fit the level of the user's unit.
/// </summary>
public sealed class UserService(IDbContextFactory<ShiliuDb> dbs, UserManager<AppUser> users, SessionService sessions, TimeProvider clock)
{
    public static OrgLevel LevelFor(string role) => role switch
    {
        Roles.TownshipOfficer => OrgLevel.Township,
        Roles.CommunityStaff => OrgLevel.Community,
        Roles.GridWorker => OrgLevel.Grid,
        _ => OrgLevel.County,
    };

    public async Task<Paged<UserRow>> ListAsync(string? search, int? page = null, int? pageSize = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.UserView, UserErrors.Denied, "查看账号");
        var q = db.ScopedUsers;
        if (Validation.Filter(search, "搜索内容", source: "q") is { } term) q = q.Where(u => u.UserName!.Contains(term) || u.DisplayName.Contains(term));
        var total = await q.CountAsync(ct);
        var now = db.UtcNow;
        var (current, size) = Paged<UserRow>.Bounds(page ?? 1, pageSize ?? 20);
        var rows = await q.OrderBy(u => u.UserName).Skip((current - 1) * size).Take(size)
            .Select(u => new UserRow(u.Id, u.UserName!, u.DisplayName, u.OrgUnitId,
                db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == u.OrgUnitId).Select(o => o.Name).FirstOrDefault() ?? "",
                db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
                u.IsDisabled, u.LockoutEnd != null && u.LockoutEnd > now, u.TotpSecret != null, u.LastSignInUtc, u.PasswordIssueRequestedUtc != null))
            .ToListAsync(ct);
        return new Paged<UserRow>(rows, total, current, size);
    }

    /// <summary>
    /// Creates an account whose password nobody knows yet: the security administrator issues the first one
    /// (<see cref="IssuePasswordAsync"/>), so the system administrator who made the account cannot sign in as it.
    /// </summary>
    public async Task<Guid> CreateAsync(CreateUser req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.UserManage, UserErrors.Denied, "管理账号");
        var unit = await db.OrgUnits.SingleOrDefaultAsync(o => o.Id == req.OrgUnitId, ct) ?? throw new NotFoundInScope("单位");
        var id = await CreateCoreAsync(req.UserName, Validation.CleanText(req.DisplayName, "姓名"), unit, NewInitialPassword(req.UserName), null,
            mustChange: true, demo: false);
        var user = (await users.FindByIdAsync(id.ToString()))!;
        user.PasswordIssueRequestedUtc = clock.GetUtcNow().UtcDateTime;
        user.PasswordIssueRequestedBy = db.Caller.UserName;
        await users.UpdateAsync(user);
        return id;
    }

    /// <summary>For the operator command line and seeding: creates a user with a role, skipping the caller checks.</summary>
    public async Task<Guid> CreateAsOperatorAsync(string userName, string displayName, OrgUnit unit, string password, string role,
        bool mustChange, bool demo)
    {
        if (!Roles.All.Contains(role)) throw new RuleViolation(UserErrors.Role, $"角色 {role} 不存在，可选：{string.Join("、", Roles.All)}");
        if (LevelFor(role) != unit.Level)
            throw new RuleViolation(UserErrors.RoleLevel, $"{Roles.ChineseName(role)}只能设在{OrgUnit.LevelName(LevelFor(role))}级单位");
        return await CreateCoreAsync(userName, displayName, unit, password, role, mustChange, demo);
    }

    async Task<Guid> CreateCoreAsync(string userName, string displayName, OrgUnit unit, string password, string? role, bool mustChange, bool demo)
    {
        if (await users.FindByNameAsync(userName) is not null)
            throw new RuleViolation(UserErrors.Exists, $"用户名 {userName} 已存在");
        var user = new AppUser
        {
            UserName = userName, DisplayName = displayName, OrgUnitId = unit.Id, OrgPath = unit.Path,
            MustChangePassword = mustChange, IsDemo = demo, LockoutEnabled = true,
            CreatedUtc = clock.GetUtcNow().UtcDateTime, PasswordChangedUtc = mustChange ? null : clock.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new RuleViolation(UserErrors.Password, string.Join("；", result.Errors.Select(e => e.Description)));
        if (role is not null) await users.AddToRoleAsync(user, role);
        return user.Id;
    }

    /// <summary>Sets the one role of a user (security admin only, never for itself, only for its subtree).</summary>
    public async Task SetRoleAsync(Guid userId, string role, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.RoleGrant, UserErrors.Denied, "授予或撤销角色");
        if (!Roles.All.Contains(role)) throw RuleViolation.ForField(UserErrors.Role, "role", $"角色 {role} 不存在");
        if (db.Caller.UserId == userId.ToString())
            throw new RuleViolation(UserErrors.SelfGrant, "不能给自己授予或变更角色");
        var target = await db.ScopedUsers.SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new NotFoundInScope("用户");
        var unit = await db.OrgUnits.SingleAsync(o => o.Id == target.OrgUnitId, ct);
        if (LevelFor(role) != unit.Level)
            throw new RuleViolation(UserErrors.RoleLevel, $"{Roles.ChineseName(role)}只能授予{OrgUnit.LevelName(LevelFor(role))}级单位的用户");
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        var current = await users.GetRolesAsync(user);
        if (current.SequenceEqual([role])) return;
        if (current.Contains(Roles.AuditAdmin) && role != Roles.AuditAdmin) await EnsureAnotherAuditorAsync(db, user.Id, ct);
        // An account of the same name as the granting administrator is, in all likelihood, its own second account: two
        // roles in one person (admin and business, or two admins) defeat the separation the three roles exist for.
        if (Guid.TryParse(db.Caller.UserId, out var me)
            && await db.Users.Where(u => u.Id == me).Select(u => u.DisplayName).SingleOrDefaultAsync(ct) is { } mine
            && SamePerson(mine, user.DisplayName))
            throw new RuleViolation(UserErrors.AdminSeparation,
                $"账号 {user.UserName} 与您同名（{user.DisplayName}），可能是您本人的另一个账号：管理员不得兼任其他角色（三权分立）。如确为他人，请系统管理员先把姓名改得可以区分（如加上单位），再授予角色");
        if (current.Count > 0) await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        // A role change takes effect at the next sign-in: end the user's sessions now.
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, "role_changed", ct: ct);
        db.Audit(AuditEvents.RoleGranted, $"用户 {user.UserName} 的角色设为 {Roles.ChineseName(role)}（原为 {string.Join("、", current.Select(Roles.ChineseName))}）",
            nameof(AppUser), user.Id.ToString(), user.OrgPath);
        await db.SaveChangesAsync(ct);
    }

    public async Task SetDisabledAsync(Guid userId, bool disabled, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.UserManage, UserErrors.Denied, "管理账号");
        if (db.Caller.UserId == userId.ToString()) throw new RuleViolation(UserErrors.SelfGrant, "不能停用自己的账户");
        var user = await db.ScopedUsers.SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new NotFoundInScope("用户");
        var roles = await RolesOfAsync(db, userId, ct);
        // 三权分立: the system administrator could otherwise switch off the auditor who watches it.
        if (disabled && roles.Any(Roles.Admin.Contains) && !db.Caller.IsSystem)
            throw new RuleViolation(UserErrors.AdminSeparation, $"{user.UserName} 是管理员账号，管理员之间不能互相停用（三权分立）。如确需停用，请运维人员在服务器上处理，操作记入审计日志");
        if (disabled && roles.Contains(Roles.AuditAdmin)) await EnsureAnotherAuditorAsync(db, userId, ct);
        if (!disabled && user.IsDisabled) user.EnabledUtc = db.UtcNow;
        user.IsDisabled = disabled;
        await db.SaveChangesAsync(ct);
        if (disabled) await sessions.EndAllAsync(userId, "disabled", ct: ct);
    }

    public async Task UnlockAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.RoleGrant, UserErrors.Denied, "授予或撤销角色");
        var user = await db.ScopedUsers.SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new NotFoundInScope("用户");
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        db.Audit(AuditEvents.Update, $"解除用户 {user.UserName} 的锁定", nameof(AppUser), user.Id.ToString(), user.OrgPath);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The system administrator resets a password: the account gets a random password nobody knows, its sessions and tokens
    /// end, and the security administrator issues a temporary one (<see cref="IssuePasswordAsync"/>) — the one who resets
    /// never learns it, so cannot sign in as the user. Admin accounts are reset only by an operator on the server.
    /// </summary>
    public async Task ResetPasswordAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.UserManage, UserErrors.Denied, "管理账号");
        if (!await db.ScopedUsers.AnyAsync(u => u.Id == userId, ct)) throw new NotFoundInScope("用户");
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        await RefuseAdminTargetAsync(db, user, "其密码不能在页面上重置");
        await SetPasswordAsync(db, user, NewInitialPassword(user.UserName!), ct);
        user.PasswordIssueRequestedUtc = db.UtcNow;
        user.PasswordIssueRequestedBy = db.Caller.UserName;
        await UpdateAsync(user);
        db.Audit(AuditEvents.Update, $"重置用户 {user.UserName} 的密码（待安全管理员发放临时密码）", nameof(AppUser), user.Id.ToString(), user.OrgPath);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The security administrator issues a temporary password (returned once) to an account the system administrator has
    /// created or reset; never to an admin account, never twice for one request.
    /// </summary>
    public async Task<string> IssuePasswordAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.RoleGrant, UserErrors.Denied, "发放临时密码");
        if (db.Caller.UserId == userId.ToString()) throw new RuleViolation(UserErrors.SelfGrant, "不能给自己发放密码");
        if (!await db.ScopedUsers.AnyAsync(u => u.Id == userId, ct)) throw new NotFoundInScope("用户");
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        await RefuseAdminTargetAsync(db, user, "其密码只能由运维人员在服务器上重置");
        if (user.PasswordIssueRequestedUtc is not { } asked || db.UtcNow - asked > IssueWindow)
            throw new RuleViolation(UserErrors.NothingToIssue, $"{user.UserName} 没有待发放的密码：须先由系统管理员新建账号或重置密码（{IssueWindow.TotalHours:0} 小时内有效）");
        var password = NewInitialPassword(user.UserName!);
        await SetPasswordAsync(db, user, password, ct);
        var requestedBy = user.PasswordIssueRequestedBy;
        (user.PasswordIssueRequestedUtc, user.PasswordIssueRequestedBy) = (null, null);
        await UpdateAsync(user);
        db.Audit(AuditEvents.Update, $"为用户 {user.UserName} 发放临时密码（{requestedBy} 新建或重置）", nameof(AppUser), user.Id.ToString(), user.OrgPath);
        await db.SaveChangesAsync(ct);
        return password;
    }

    /// <summary>For an operator on the server (the only way for the three admin accounts): the temporary password, returned once.</summary>
    public async Task<string> ResetAsOperatorAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!db.Caller.IsSystem) throw new RuleViolation(UserErrors.Denied, "只有运维命令可以直接取得临时密码");
        var user = (await users.FindByIdAsync(userId.ToString())) ?? throw new NotFoundInScope("用户");
        var password = NewInitialPassword(user.UserName!);
        await SetPasswordAsync(db, user, password, ct);
        (user.PasswordIssueRequestedUtc, user.PasswordIssueRequestedBy) = (null, null);
        await UpdateAsync(user);
        db.Audit(AuditEvents.Update, $"重置用户 {user.UserName} 的密码", nameof(AppUser), user.Id.ToString(), user.OrgPath);
        await db.SaveChangesAsync(ct);
        return password;
    }

    /// <summary>A password request not issued within this time lapses; the system administrator resets again.</summary>
    public static readonly TimeSpan IssueWindow = TimeSpan.FromHours(72);

    async Task SetPasswordAsync(ShiliuDb db, AppUser user, string password, CancellationToken ct)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded) throw new RuleViolation(UserErrors.Password, string.Join("；", result.Errors.Select(e => e.Description)));
        user.MustChangePassword = true;
        await sessions.EndAllAsync(user.Id, "password_reset", ct: ct);
        await Tokens.TokenService.RevokeAllAsync(db, user.Id, ct);
    }

    async Task UpdateAsync(AppUser user)
    {
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded) throw new RuleViolation(UserErrors.Password, string.Join("；", saved.Errors.Select(e => e.Description)));
    }

    async Task RefuseAdminTargetAsync(ShiliuDb db, AppUser user, string what)
    {
        if (db.Caller.IsSystem || !(await users.GetRolesAsync(user)).Any(Roles.Admin.Contains)) return;
        throw new RuleViolation(UserErrors.AdminSeparation,
            $"{user.UserName} 是管理员账号，{what}（三权分立）。请运维人员在服务器上执行 reset-password --user {user.UserName}，操作记入审计日志");
    }

    static async Task<List<string>> RolesOfAsync(ShiliuDb db, Guid userId, CancellationToken ct) =>
        await db.UserRoles.Where(r => r.UserId == userId).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct);

    /// <summary>At least one enabled audit administrator always remains (等保 8.1.4.3: someone must be able to read the log).</summary>
    static async Task EnsureAnotherAuditorAsync(ShiliuDb db, Guid leaving, CancellationToken ct)
    {
        if (await EnabledInRoleAsync(db, Roles.AuditAdmin, leaving, ct) == 0)
            throw new RuleViolation(UserErrors.LastAuditor, "这是唯一在用的审计管理员账号，不能停用或变更角色：须始终至少保留一名审计管理员。请先为另一人授予审计管理员角色");
    }

    /// <summary>Enabled accounts holding the role, other than <paramref name="except"/>.</summary>
    internal static async Task<int> EnabledInRoleAsync(ShiliuDb db, string role, Guid? except, CancellationToken ct)
    {
        var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync(ct);
        return await db.UserRoles.Where(r => r.RoleId == roleId && r.UserId != except)
            .Join(db.Users, r => r.UserId, u => u.Id, (_, u) => u).CountAsync(u => !u.IsDisabled, ct);
    }

    static bool SamePerson(string a, string b) =>
        string.Equals(new string(a.Where(c => !char.IsWhiteSpace(c)).ToArray()), new string(b.Where(c => !char.IsWhiteSpace(c)).ToArray()), StringComparison.OrdinalIgnoreCase);

    /// <summary>16 characters from four classes, without look-alikes (0/O, 1/l/I).</summary>
    /// <summary>
    /// A random 16-character password that passes the policy for this user name: a random draw can share three letters
    /// with the name (about one in 250 for a 12-character name), which the policy refuses, so such a draw is redrawn.
    /// </summary>
    public static string NewInitialPassword(string userName)
    {
        while (true)
        {
            var password = DrawPassword();
            if (PasswordPolicy.Check(password, userName).Count == 0) return password;
        }
    }

    static string DrawPassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789", symbols = "!@#$%&*?";
        var all = lower + upper + digits + symbols;
        var chars = new List<char>
        {
            lower[RandomNumberGenerator.GetInt32(lower.Length)], upper[RandomNumberGenerator.GetInt32(upper.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)], symbols[RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        while (chars.Count < 16) chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        return new string([.. chars.OrderBy(_ => RandomNumberGenerator.GetInt32(1000))]);
    }
}
