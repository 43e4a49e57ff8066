using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Public;

/// <summary>A challenge already answered; kept until it would have expired anyway, so one answer cannot be used twice.</summary>
public sealed class UsedChallenge
{
    public string Nonce { get; set; } = "";
    public DateTime ExpiresUtc { get; set; }
}

sealed class UsedChallengeConfiguration : IEntityTypeConfiguration<UsedChallenge>
{
    public void Configure(EntityTypeBuilder<UsedChallenge> b)
    {
        b.ToTable("UsedChallenges");
        b.HasKey(c => c.Nonce);
        b.Property(c => c.Nonce).HasMaxLength(32);
        b.HasIndex(c => c.ExpiresUtc);
    }
}

public sealed class ChallengeOptions
{
    /// <summary>Leading zero bits the answer's SHA-256 must have: 16 is about 65,000 hashes, one to three seconds on an old phone.</summary>
    public int Difficulty { get; set; } = 16;
    /// <summary>How long a form's challenge stays good; long, because nobody should be hurried while filling a form in.</summary>
    public int ValidHours { get; set; } = 24;
}

public enum ChallengeResult
{
    /// <summary>Solved by the resident's browser.</summary>
    Solved,
    /// <summary>No answer (a browser without JavaScript): allowed through under a stricter per-address limit.</summary>
    Missing,
    /// <summary>Forged, for another form, expired, wrong, or already used.</summary>
    Invalid,
}

/// <summary>
/// The self-hosted challenge of public forms: proof of work the resident's browser solves by itself (no puzzle to read or
/// drag, no outside service). The server hands out a signed token; the browser finds a counter whose SHA-256 over
/// "token:counter" starts with enough zero bits; the server checks the signature, the form, the age, the work, and
/// that the token is used once.
/// </summary>
public sealed class ChallengeService(IDataProtectionProvider protection, ChallengeOptions options, TimeProvider clock)
{
    readonly IDataProtector _protector = protection.CreateProtector("shiliu.public-challenge.v1");

    public int Difficulty => options.Difficulty;

    /// <summary>A fresh challenge token for one form.</summary>
    public string Issue(string form)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var payload = $"{nonce}|{form}|{clock.GetUtcNow().ToUnixTimeSeconds()}|{options.Difficulty}";
        return _protector.Protect(payload);
    }

    /// <summary>Checks an answer and, when it is good, spends it (recorded with the caller's next save).</summary>
    public async Task<ChallengeResult> CheckAsync(ShiliuDb db, string form, string? token, string? answer, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(answer)) return ChallengeResult.Missing;
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return ChallengeResult.Invalid;
        }
        var parts = payload.Split('|');
        if (parts.Length != 4 || parts[1] != form || !long.TryParse(parts[2], out var issued) || !int.TryParse(parts[3], out var difficulty)) return ChallengeResult.Invalid;
        var expires = DateTimeOffset.FromUnixTimeSeconds(issued).AddHours(options.ValidHours);
        if (clock.GetUtcNow() > expires || difficulty < options.Difficulty) return ChallengeResult.Invalid;
        if (answer.Length > 20 || !LeadingZeroBits(SHA256.HashData(Encoding.UTF8.GetBytes($"{token}:{answer}")), difficulty)) return ChallengeResult.Invalid;
        var nonce = parts[0];
        if (await db.UsedChallenges.AnyAsync(c => c.Nonce == nonce, ct)) return ChallengeResult.Invalid;
        db.UsedChallenges.Add(new UsedChallenge { Nonce = nonce, ExpiresUtc = expires.UtcDateTime });
        return ChallengeResult.Solved;
    }

    /// <summary>Works a challenge out the way the browser does (for tests and the operator's own checks).</summary>
    public static string Solve(string token, int difficulty)
    {
        for (var i = 0L; ; i++)
        {
            var answer = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (LeadingZeroBits(SHA256.HashData(Encoding.UTF8.GetBytes($"{token}:{answer}")), difficulty)) return answer;
        }
    }

    static bool LeadingZeroBits(ReadOnlySpan<byte> hash, int bits)
    {
        var whole = bits / 8;
        for (var i = 0; i < whole; i++)
            if (hash[i] != 0) return false;
        var rest = bits % 8;
        return rest == 0 || hash[whole] >> (8 - rest) == 0;
    }

    /// <summary>Forgets spent challenges that have expired anyway (a recurring job).</summary>
    internal static Task<int> SweepAsync(ShiliuDb db, DateTime nowUtc, CancellationToken ct) =>
        db.UsedChallenges.Where(c => c.ExpiresUtc < nowUtc).ExecuteDeleteAsync(ct);
}

/// <summary>Forgets spent challenges once they would have expired.</summary>
sealed class ChallengeSweep(Microsoft.EntityFrameworkCore.IDbContextFactory<ShiliuDb> dbs) : Jobs.IJobHandler
{
    public const string Kind = "platform.challenge-sweep";

    public async Task RunAsync(Jobs.JobContext job, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await ChallengeService.SweepAsync(db, db.UtcNow, ct);
    }
}
