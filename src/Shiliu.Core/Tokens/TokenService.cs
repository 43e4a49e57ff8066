using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Tokens;

public sealed record TokenRow(Guid Id, string Name, string Prefix, DateTime CreatedUtc, DateTime ExpiresUtc, DateTime? RevokedUtc, DateTime? LastUsedUtc)
{
    public bool IsActive(DateTime now) => RevokedUtc is null && ExpiresUtc > now;
}

public sealed class CreateToken
{
    [Required(ErrorMessage = "请填写令牌名称"), StringLength(60, ErrorMessage = "令牌名称不能超过60个字")]
    public string Name { get; set; } = "";

    [Range(1, 365, ErrorMessage = "有效期应在1到365天之间")]
    public int Days { get; set; } = 90;
}

/// <summary>The owner of a valid token, as the API sees it.</summary>
public sealed record TokenOwner(Guid TokenId, AppUser User);

/// <summary>
/// Personal access tokens: shown once, stored as SHA-256 (they are 256-bit random, so a fast hash suffices),
/// acting with the owner's roles and scope, revocable, expiring.
/// </summary>
public sealed class TokenService(IDbContextFactory<ShiliuDb> dbs)
{
    public const string Scheme = "shl_";

    public async Task<IReadOnlyList<TokenRow>> ListMineAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var me = MyId(db);
        return await db.AccessTokens.Where(t => t.UserId == me).OrderByDescending(t => t.CreatedUtc)
            .Select(t => new TokenRow(t.Id, t.Name, t.Prefix, t.CreatedUtc, t.ExpiresUtc, t.RevokedUtc, t.LastUsedUtc)).ToListAsync(ct);
    }

    /// <summary>Creates a token for the caller and returns its text; it cannot be shown again.</summary>
    public async Task<(Guid Id, string Token)> CreateAsync(CreateToken req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.Name, "令牌名称");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var me = MyId(db);
        if (await db.AccessTokens.CountAsync(t => t.UserId == me && t.RevokedUtc == null && t.ExpiresUtc > db.UtcNow, ct) >= 20)
            throw new RuleViolation(TokenErrors.TooMany, "有效令牌最多20个，请先吊销不用的令牌");
        var text = Scheme + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new PersonalAccessToken
        {
            UserId = me, Name = name, Prefix = text[..10], Hash = HashOf(text),
            CreatedUtc = db.UtcNow, ExpiresUtc = db.UtcNow.AddDays(req.Days),
        };
        db.AccessTokens.Add(token);
        db.Audit(AuditEvents.TokenCreated, $"创建访问令牌“{name}”（{token.Prefix}…，{req.Days}天）", nameof(PersonalAccessToken), token.Id.ToString());
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

    /// <summary>Resolves a presented token to its owner, or null if unknown, revoked, expired or the owner cannot sign in.</summary>
    public async Task<TokenOwner?> AuthenticateAsync(string text, CancellationToken ct = default)
    {
        if (!text.StartsWith(Scheme, StringComparison.Ordinal) || text.Length > 100) return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hash = HashOf(text);
        var now = db.UtcNow;
        var hit = await db.AccessTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedUtc == null && t.ExpiresUtc > now)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.Id, t.LastUsedUtc, User = u })
            .SingleOrDefaultAsync(ct);
        if (hit is null || hit.User.IsDisabled || hit.User.LockoutEnd > db.Clock.GetUtcNow()) return null;
        // A token is no way round a password that must be changed first (initial, reset or expired).
        if (hit.User.MustChangePassword || hit.User.PasswordChangedUtc is null || now - hit.User.PasswordChangedUtc > PasswordPolicy.MaxAge) return null;
        if (hit.LastUsedUtc is null || now - hit.LastUsedUtc > TimeSpan.FromMinutes(5))
            await db.AccessTokens.Where(t => t.Id == hit.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedUtc, now), ct);
        return new TokenOwner(hit.Id, hit.User);
    }

    /// <summary>Revokes every token of a user (password reset or change: a leaked password may have minted them).</summary>
    public static Task<int> RevokeAllAsync(ShiliuDb db, Guid userId, CancellationToken ct)
    {
        var now = db.UtcNow;
        return db.AccessTokens.Where(t => t.UserId == userId && t.RevokedUtc == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, now), ct);
    }

    static Guid MyId(ShiliuDb db) =>
        Guid.TryParse(db.Caller.UserId, out var id) ? id : throw new RuleViolation(TokenErrors.Anonymous, "请先登录");

    static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
