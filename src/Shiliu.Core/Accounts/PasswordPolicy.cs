using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Accounts;

/// <summary>
/// The 等保 password profile (SECURITY.md #2, #3): 10–64 characters, three of four character classes, not a common
/// password, no three-letter piece of the user name, not one of the last five passwords; changed every 90 days.
/// </summary>
public sealed class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 64;
    public const int HistoryDepth = 5;
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(90);

    static readonly Lazy<HashSet<string>> Common = new(() =>
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("Shiliu.Core.Seed.common-passwords.txt")!;
        using var r = new StreamReader(s);
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).ToHashSet();
    });

    /// <summary>Problems with a candidate password, in Chinese; empty when it is acceptable.</summary>
    public static List<string> Check(string password, string? userName)
    {
        var errors = new List<string>();
        if (password.Length < MinLength) errors.Add($"密码至少需要 {MinLength} 个字符");
        if (password.Length > MaxLength) errors.Add($"密码不能超过 {MaxLength} 个字符");
        var classes = (password.Any(char.IsAsciiLetterLower) ? 1 : 0) + (password.Any(char.IsAsciiLetterUpper) ? 1 : 0)
            + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3) errors.Add("密码须包含大写字母、小写字母、数字、符号中的至少三类");
        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower) || Common.Value.Contains(TrimDigitsAndSymbols(lower)))
            errors.Add("该密码过于常见，容易被猜中，请换一个");
        if (!string.IsNullOrEmpty(userName) && userName.Length >= 3)
        {
            var u = userName.ToLowerInvariant();
            for (var i = 0; i + 3 <= u.Length; i++)
                if (lower.Contains(u.Substring(i, 3), StringComparison.Ordinal))
                {
                    errors.Add("密码不能包含用户名中的连续三个字符");
                    break;
                }
        }
        return errors;
    }

    // "Password2026!" is "password" with decoration; catch the decorated forms of listed words.
    static string TrimDigitsAndSymbols(string s) => s.Trim("0123456789!@#$%^&*.?_-+=~ ".ToCharArray());
}

/// <summary>Plugs <see cref="PasswordPolicy"/> and the password history into Identity.</summary>
public sealed class PolicyPasswordValidator(ShiliuDb db) : IPasswordValidator<AppUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        password ??= "";
        var errors = PasswordPolicy.Check(password, user.UserName);
        if (errors.Count == 0 && user.PasswordHash is not null)
        {
            var hashes = await db.PasswordHistories.Where(h => h.UserId == user.Id)
                .OrderByDescending(h => h.CreatedUtc).Take(PasswordPolicy.HistoryDepth - 1).Select(h => h.Hash).ToListAsync();
            hashes.Add(user.PasswordHash);
            if (hashes.Any(h => manager.PasswordHasher.VerifyHashedPassword(user, h, password) != PasswordVerificationResult.Failed))
                errors.Add($"新密码不能与最近 {PasswordPolicy.HistoryDepth} 次使用过的密码相同");
        }
        return errors.Count == 0
            ? IdentityResult.Success
            : IdentityResult.Failed(errors.Select(e => new IdentityError { Code = "password.policy", Description = e }).ToArray());
    }
}
