using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Shiliu.Core.Residents;

/// <summary>The key of the lookup hashes, derived from the audit key (which lives outside the database).</summary>
public sealed record ResidentLookupKey(byte[] Key)
{
    public static ResidentLookupKey From(byte[] auditKey) =>
        new(HKDF.DeriveKey(HashAlgorithmName.SHA256, auditKey, 32, info: Encoding.ASCII.GetBytes("shiliu.resident-lookup.v1")));
}

/// <summary>
/// ID numbers and phones at rest: AES-256-GCM under a key derived from the audit key, which is kept outside the database
/// (a copy of the database alone reveals nothing), and findable by exact value through an HMAC-SHA256 of the normalised
/// value. Values sealed earlier with the data-protection key ring still open.
/// </summary>
public sealed class PersonalData(IDataProtectionProvider protection, ResidentLookupKey key)
{
    const string Prefix = "g1.";
    readonly IDataProtector _legacy = protection.CreateProtector("shiliu.resident-pii.v1");
    readonly ThreadLocal<AesGcm> _gcm = new(() =>
        new AesGcm(HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Key, 32, info: Encoding.ASCII.GetBytes("shiliu.resident-pii-aesgcm.v1")), 16));

    /// <summary>"g1." + base64url(nonce ‖ ciphertext ‖ tag): a fresh random nonce per value, so equal values seal differently.</summary>
    public string Seal(string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var buffer = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(buffer.AsSpan(0, 12));
        // One cipher object per thread: setting up the key schedule costs more than sealing an ID number.
        _gcm.Value!.Encrypt(buffer.AsSpan(0, 12), plain, buffer.AsSpan(12, plain.Length), buffer.AsSpan(12 + plain.Length));
        return Prefix + Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public string Open(string sealedValue)
    {
        if (!sealedValue.StartsWith(Prefix, StringComparison.Ordinal)) return _legacy.Unprotect(sealedValue);
        var b64 = sealedValue[Prefix.Length..].Replace('-', '+').Replace('_', '/');
        var buffer = Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='));
        var plain = new byte[buffer.Length - 28];
        _gcm.Value!.Decrypt(buffer.AsSpan(0, 12), buffer.AsSpan(12, plain.Length), buffer.AsSpan(12 + plain.Length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Key, Encoding.UTF8.GetBytes(value)));
}
