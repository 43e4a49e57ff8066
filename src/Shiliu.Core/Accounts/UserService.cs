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
    bool IsDisabled, bool IsLockedOut, bool HasTotp, DateTime? LastSignInUtc)
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
}

public static class AccountErrors
{
    public static readonly ErrorCode Totp = ErrorCode.Invalid("account.totp");
    public static readonly ErrorCode SignIn = ErrorCode.Invalid("account.sign_in");
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

    public async Task<(IReadOnlyList<UserRow> Rows, int Total)> ListAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.UserView, UserErrors.Denied, "查看账号");
        var q = db.ScopedUsers;
        if (!string.IsNullOrWhiteSpace(search)) q = q.Where(u => u.UserName!.Contains(search.Trim()) || u.DisplayName.Contains(search.Trim()));
        var total = await q.CountAsync(ct);
        var now = db.UtcNow;
        var rows = await q.OrderBy(u => u.UserName).Skip(Math.Max(0, page - 1) * pageSize).Take(pageSize)
            .Select(u => new UserRow(u.Id, u.UserName!, u.DisplayName, u.OrgUnitId,
                db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == u.OrgUnitId).Select(o => o.Name).FirstOrDefault() ?? "",
                db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
                u.IsDisabled, u.LockoutEnd != null && u.LockoutEnd > now, u.TotpSecret != null, u.LastSignInUtc))
            .ToListAsync(ct);
        return (rows, total);
    }

    /// <summary>Creates an account with a random initial password (returned once), to be changed at first sign-in.</summary>
    public async Task<(Guid Id, string InitialPassword)> CreateAsync(CreateUser req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.UserManage, UserErrors.Denied, "管理账号");
        var unit = await db.OrgUnits.SingleOrDefaultAsync(o => o.Id == req.OrgUnitId, ct) ?? throw new NotFoundInScope("单位");
        var password = NewInitialPassword();
        var id = await CreateCoreAsync(req.UserName, Validation.CleanText(req.DisplayName, "姓名"), unit, password, null,
            mustChange: true, demo: false);
        return (id, password);
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
        if (!Roles.All.Contains(role)) throw new RuleViolation(UserErrors.Role, $"角色 {role} 不存在");
        if (db.Caller.UserId == userId.ToString())
            throw new RuleViolation(UserErrors.SelfGrant, "不能给自己授予或变更角色");
        var target = await db.ScopedUsers.SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new NotFoundInScope("用户");
        var unit = await db.OrgUnits.SingleAsync(o => o.Id == target.OrgUnitId, ct);
        if (LevelFor(role) != unit.Level)
            throw new RuleViolation(UserErrors.RoleLevel, $"{Roles.ChineseName(role)}只能授予{OrgUnit.LevelName(LevelFor(role))}级单位的用户");
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        var current = await users.GetRolesAsync(user);
        if (current.SequenceEqual([role])) return;
        if (current.Count > 0) await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        // A role change takes effect at the next sign-in: end the user's sessions now.
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, "role_changed", ct);
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
        user.IsDisabled = disabled;
        await db.SaveChangesAsync(ct);
        if (disabled) await sessions.EndAllAsync(userId, "disabled", ct);
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

    /// <summary>Issues a new initial password (returned once) and forces a change at next sign-in.</summary>
    public async Task<string> ResetPasswordAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(AccountPermissions.UserManage, UserErrors.Denied, "管理账号");
        if (!await db.ScopedUsers.AnyAsync(u => u.Id == userId, ct)) throw new NotFoundInScope("用户");
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        // 三权分立: the system administrator may not take over the security or audit administrator (or another
        // system administrator) by resetting its password; an operator does that on the server, audited.
        if (!db.Caller.IsSystem && (await users.GetRolesAsync(user)).Any(Roles.Admin.Contains))
            throw new RuleViolation(UserErrors.Denied,
                $"{user.UserName} 是管理员账号，其密码不能在页面上重置（三权分立）。请运维人员在服务器上执行 reset-password --user {user.UserName}，操作记入审计日志");
        var password = NewInitialPassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded) throw new RuleViolation(UserErrors.Password, string.Join("；", result.Errors.Select(e => e.Description)));
        user.MustChangePassword = true;
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded) throw new RuleViolation(UserErrors.Password, string.Join("；", saved.Errors.Select(e => e.Description)));
        await sessions.EndAllAsync(userId, "password_reset", ct);
        await Tokens.TokenService.RevokeAllAsync(db, userId, ct);
        db.Audit(AuditEvents.Update, $"重置用户 {user.UserName} 的密码", nameof(AppUser), user.Id.ToString(), user.OrgPath);
        await db.SaveChangesAsync(ct);
        return password;
    }

    /// <summary>16 characters from four classes, without look-alikes (0/O, 1/l/I).</summary>
    public static string NewInitialPassword()
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
