using System.Buffers.Text;
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
        var length = Encoding.UTF8.GetByteCount(value);
        Span<byte> buffer = length <= 256 ? stackalloc byte[12 + length + 16] : new byte[12 + length + 16];
        RandomNumberGenerator.Fill(buffer[..12]);
        var plain = buffer.Slice(12, length);
        Encoding.UTF8.GetBytes(value, plain);
        // One cipher object per thread: setting up the key schedule costs more than sealing an ID number. Encrypting in
        // place is allowed (the plaintext and ciphertext spans are the same memory).
        _gcm.Value!.Encrypt(buffer[..12], plain, plain, buffer[(12 + length)..]);
        return Prefix + Base64Url.EncodeToString(buffer);
    }

    public string Open(string sealedValue)
    {
        if (!sealedValue.StartsWith(Prefix, StringComparison.Ordinal)) return _legacy.Unprotect(sealedValue);
        var buffer = Base64Url.DecodeFromChars(sealedValue.AsSpan(Prefix.Length));
        var plain = new byte[buffer.Length - 28];
        _gcm.Value!.Decrypt(buffer.AsSpan(0, 12), buffer.AsSpan(12, plain.Length), buffer.AsSpan(12 + plain.Length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public string Hash(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(value, bytes);
        Span<byte> mac = stackalloc byte[32];
        // One HMAC object per thread: the one-shot API sets the key up again on every call, which costs more than the MAC.
        _hmac.Value!.TryComputeHash(bytes, mac, out _);
        return Convert.ToHexStringLower(mac);
    }

    readonly ThreadLocal<HMACSHA256> _hmac = new(() => new HMACSHA256(key.Key));
}
