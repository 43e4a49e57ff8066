using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Accounts;

/// <summary>RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) with base32 secrets, as authenticator apps expect.</summary>
public static class Totp
{
    public const int StepSeconds = 30;

    public static string NewSecret() => Base32.Encode(RandomNumberGenerator.GetBytes(20));

    public static long StepAt(DateTimeOffset t) => t.ToUnixTimeSeconds() / StepSeconds;

    public static string Code(string secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(Base32.Decode(secret), counter);
        var offset = hash[^1] & 0x0f;
        var bin = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (bin % 1_000_000).ToString("D6");
    }

    public static string OtpAuthUri(string secret, string account, string issuer = "石榴") =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={secret}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30";

    /// <summary>The matching step within ±1 of now, or null.</summary>
    public static long? Match(string secret, string code, DateTimeOffset now)
    {
        code = code.Replace(" ", "");
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return null;
        var step = StepAt(now);
        for (var s = step - 1; s <= step + 1; s++)
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Code(secret, s)), System.Text.Encoding.ASCII.GetBytes(code)))
                return s;
        return null;
    }
}

public static class Base32
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var sb = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    public static byte[] Decode(string text)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            if (c is ' ' or '-') continue;
            var v = Alphabet.IndexOf(c);
            if (v < 0) throw new FormatException("base32");
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}

/// <summary>
/// Identity's authenticator provider, replaced: ±1 step only, and a step is accepted once per user — the update of
/// the last step is conditional, so two parallel submits of one code yield one success (SECURITY.md #8).
/// </summary>
public sealed class ReplaySafeTotpProvider(ShiliuDb db, TimeProvider clock, TotpSecrets secrets) : IUserTwoFactorTokenProvider<AppUser>
{
    public const string Name = "ShiliuTotp";

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) =>
        Task.FromResult(!string.IsNullOrEmpty(user.TotpSecret));

    public Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user) =>
        throw new NotSupportedException("TOTP codes come from the user's authenticator app.");

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        var secret = secrets.Open(user.TotpSecret);
        if (secret is null) return false;
        var step = Totp.Match(secret, token, clock.GetUtcNow());
        if (step is null) return false;
        var claimed = await db.Users.Where(u => u.Id == user.Id && u.TotpLastStep < step)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpLastStep, step.Value));
        if (claimed == 1) user.TotpLastStep = step.Value;
        return claimed == 1;
    }
}
