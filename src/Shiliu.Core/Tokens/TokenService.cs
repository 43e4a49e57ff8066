using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Tokens;

public sealed record TokenRow(Guid Id, string Name, string Prefix, DateTime CreatedUtc, DateTime ExpiresUtc, DateTime? RevokedUtc, DateTime? LastUsedUtc,
    bool CanWrite = false, string Modules = TokenScopes.All)
{
    public string ScopeText => (CanWrite ? "读写" : "只读") + "：" + (Modules == TokenScopes.All ? "全部模块"
        : string.Join("、", Modules.Split(',').Select(m => TokenScopes.Modules.GetValueOrDefault(m, m))));

    public bool IsActive(DateTime now) => RevokedUtc is null && ExpiresUtc > now;
}

public sealed class CreateToken
{
    [Required(ErrorMessage = "请填写令牌名称"), StringLength(60, ErrorMessage = "令牌名称不能超过60个字")]
    public string Name { get; set; } = "";

    /// <summary>At most <see cref="TokenOptions.MaxDays"/> (90 unless the county set less).</summary>
    public int Days { get; set; } = 30;

    /// <summary>The caller's password again: a stolen session alone cannot mint a long-lived credential.</summary>
    [Required(ErrorMessage = "请输入当前密码以确认身份")]
    public string Password { get; set; } = "";

    /// <summary>False: the token may only read (GET).</summary>
    public bool Write { get; set; }

    /// <summary>Modules the token may reach (<see cref="TokenScopes.Modules"/> keys); empty = all.</summary>
    public List<string> Modules { get; set; } = [];
}

/// <summary>The owner of a valid token, as the API sees it, with the token's reach and the owner's account gate.</summary>
public sealed record TokenOwner(Guid TokenId, AppUser User, bool CanWrite = false, string Modules = TokenScopes.All, AccountGate Gate = AccountGate.None);

/// <summary>
/// Personal access tokens: shown once, stored as SHA-256 (they are 256-bit random, so a fast hash suffices),
/// acting with the owner's roles and scope, revocable, expiring.
/// </summary>
public sealed class TokenService(IDbContextFactory<ShiliuDb> dbs, UserManager<AppUser> users, TokenOptions options)
{
    public const string Scheme = "shl_";

    public async Task<IReadOnlyList<TokenRow>> ListMineAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var me = MyId(db);
        return await db.AccessTokens.Where(t => t.UserId == me).OrderByDescending(t => t.CreatedUtc)
            .Select(t => new TokenRow(t.Id, t.Name, t.Prefix, t.CreatedUtc, t.ExpiresUtc, t.RevokedUtc, t.LastUsedUtc, t.CanWrite, t.Modules)).ToListAsync(ct);
    }

    /// <summary>
    /// Creates a token for the caller and returns its text (it cannot be shown again): after the password is entered again,
    /// for at most <see cref="TokenOptions.MaxDays"/> days, never for the three admin roles (they sign in with TOTP).
    /// </summary>
    public async Task<(Guid Id, string Token)> CreateAsync(CreateToken req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.Name, "令牌名称");
        if (req.Days < 1 || req.Days > options.MaxDays) throw new RuleViolation(TokenErrors.Days, $"有效期应在1到{options.MaxDays}天之间");
        var modules = req.Modules.Count == 0 || req.Modules.Contains(TokenScopes.All) ? TokenScopes.All : string.Join(",", req.Modules.Distinct().Order());
        if (modules != TokenScopes.All && req.Modules.FirstOrDefault(m => !TokenScopes.Modules.ContainsKey(m)) is { } unknown)
            throw RuleViolation.ForField(TokenErrors.Scope, "modules", $"没有名为“{unknown}”的模块");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var me = MyId(db);
        if (db.Caller.RoleSet.Any(Roles.Admin.Contains))
            throw new RuleViolation(TokenErrors.AdminDenied, "管理员账号不能创建访问令牌：管理员须以密码加动态口令登录操作（三权分立）");
        var user = await users.FindByIdAsync(me.ToString()) ?? throw new RuleViolation(TokenErrors.Anonymous, "请先登录");
        if (!await users.CheckPasswordAsync(user, req.Password))
        {
            // Counts towards the lockout like a failed sign-in: the page must not become a password oracle.
            await users.AccessFailedAsync(user);
            db.Audit(AuditEvents.TokenCreated, $"创建访问令牌“{name}”失败：密码不正确", nameof(PersonalAccessToken), success: false);
            await db.SaveChangesAsync(ct);
            throw RuleViolation.ForField(TokenErrors.Password, "password", "密码不正确，未创建令牌");
        }
        if (await db.AccessTokens.CountAsync(t => t.UserId == me && t.RevokedUtc == null && t.ExpiresUtc > db.UtcNow, ct) >= 20)
            throw new RuleViolation(TokenErrors.TooMany, "有效令牌最多20个，请先吊销不用的令牌");
        var text = TokenText.New(Scheme);
        var token = new PersonalAccessToken
        {
            UserId = me, Name = name, Prefix = text[..10], Hash = TokenText.Hash(text),
            CreatedUtc = db.UtcNow, ExpiresUtc = db.UtcNow.AddDays(req.Days), CanWrite = req.Write, Modules = modules,
        };
        db.AccessTokens.Add(token);
        db.Audit(AuditEvents.TokenCreated, $"创建访问令牌“{name}”（{token.Prefix}…，{req.Days}天，{(req.Write ? "读写" : "只读")}，模块：{(modules == TokenScopes.All ? "全部" : modules)}）",
            nameof(PersonalAccessToken), token.Id.ToString());
        await db.SaveChangesAsync(ct);
        return (token.Id, text);
    }

    public async Task RevokeAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var me = MyId(db);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == me, ct) ?? throw new NotFoundInScope("令牌");
        if (token.RevokedUtc is not null) return;
        token.RevokedUtc = db.UtcNow;
        db.Audit(AuditEvents.TokenRevoked, $"吊销访问令牌“{token.Name}”（{token.Prefix}…）", nameof(PersonalAccessToken), token.Id.ToString());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Resolves a presented token to its owner, or null if unknown, revoked, expired, or its owner cannot sign in (disabled,
    /// locked) or now holds an admin role. An owner whose password must be changed first gets the account gate, as a
    /// signed-in user would: the request is refused until the password is changed.
    /// </summary>
    public async Task<TokenOwner?> AuthenticateAsync(string text, CancellationToken ct = default)
    {
        if (!text.StartsWith(Scheme, StringComparison.Ordinal) || text.Length > 100) return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hash = TokenText.Hash(text);
        var now = db.UtcNow;
        var hit = await db.AccessTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedUtc == null && t.ExpiresUtc > now)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.Id, t.LastUsedUtc, t.CanWrite, t.Modules, User = u })
            .SingleOrDefaultAsync(ct);
        if (hit is null || hit.User.IsDisabled || hit.User.LockoutEnd > db.Clock.GetUtcNow()) return null;
        var adminNames = Roles.Admin.ToList();
        var adminRoles = await db.Roles.Where(r => adminNames.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        if (await db.UserRoles.AnyAsync(r => r.UserId == hit.User.Id && adminRoles.Contains(r.RoleId), ct)) return null;
        var gate = hit.User.MustChangePassword || hit.User.PasswordChangedUtc is null || now - hit.User.PasswordChangedUtc > PasswordPolicy.MaxAge
            ? AccountGate.ChangePassword : AccountGate.None;
        if (hit.LastUsedUtc is null || now - hit.LastUsedUtc > TimeSpan.FromMinutes(5))
            await db.AccessTokens.Where(t => t.Id == hit.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedUtc, now), ct);
        return new TokenOwner(hit.Id, hit.User, hit.CanWrite, hit.Modules, gate);
    }

    /// <summary>Revokes every token of a user (password reset or change: a leaked password may have minted them).</summary>
    public static Task<int> RevokeAllAsync(ShiliuDb db, Guid userId, CancellationToken ct)
    {
        var now = db.UtcNow;
        return db.AccessTokens.Where(t => t.UserId == userId && t.RevokedUtc == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, now), ct);
    }

    static Guid MyId(ShiliuDb db) =>
        Guid.TryParse(db.Caller.UserId, out var id) ? id : throw new RuleViolation(TokenErrors.Anonymous, "请先登录");

}
