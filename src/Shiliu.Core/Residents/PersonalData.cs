using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Shiliu.Core.Keys;

namespace Shiliu.Core.Residents;

/// <summary>
/// ID numbers and phones at rest: AES-256-GCM under the personal-data key, kept outside the database (a copy of the
/// database alone reveals nothing), and findable by exact value through an HMAC-SHA256 of the normalised value under
/// the lookup key. Both keys are versioned: new values use the newest version, values sealed or hashed under an older
/// one still open and are still found, until <c>rotate-keys</c> re-seals them. Values sealed earlier with the
/// data-protection key ring still open.
/// </summary>
public sealed class PersonalData(IDataProtectionProvider protection, KeyRing keys)
{
    readonly IDataProtector _legacy = protection.CreateProtector("shiliu.resident-pii.v1");
    readonly int _pii = keys.Newest(KeyPurpose.Pii);
    readonly int _lookup = keys.Newest(KeyPurpose.Lookup);
    // One cipher and one HMAC object per thread and version: setting up the key schedule costs more than sealing an ID number.
    readonly ThreadLocal<Dictionary<int, AesGcm>> _gcm = new(() => []);
    readonly ThreadLocal<Dictionary<int, HMACSHA256>> _hmac = new(() => []);

    /// <summary>The newest personal-data key version, which <see cref="Seal"/> uses.</summary>
    public int SealVersion => _pii;

    /// <summary>The newest lookup key version, which <see cref="Hash"/> uses.</summary>
    public int HashVersion => _lookup;

    AesGcm Gcm(int version)
    {
        var map = _gcm.Value!;
        if (!map.TryGetValue(version, out var gcm))
            map[version] = gcm = new AesGcm(keys.Get(KeyPurpose.Pii, version), 16);
        return gcm;
    }

    /// <summary>"g{version}." + base64url(nonce ‖ ciphertext ‖ tag): a fresh random nonce per value, so equal values seal differently.</summary>
    public string Seal(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Span<byte> buffer = length <= 256 ? stackalloc byte[12 + length + 16] : new byte[12 + length + 16];
        RandomNumberGenerator.Fill(buffer[..12]);
        var plain = buffer.Slice(12, length);
        Encoding.UTF8.GetBytes(value, plain);
        // Encrypting in place is allowed (the plaintext and ciphertext spans are the same memory).
        Gcm(_pii).Encrypt(buffer[..12], plain, plain, buffer[(12 + length)..]);
        return $"g{_pii}." + Base64Url.EncodeToString(buffer);
    }

    /// <summary>The key version a sealed value names; 0 for a value sealed with the data-protection key ring.</summary>
    /// <summary>
    /// A person's name as lists show it: 张*三, 马*, with characters counted as the reader sees them (a name beginning with
    /// 𠮷 is one character, not two halves of one).
    /// </summary>
    public static string MaskName(string name)
    {
        var runes = name.EnumerateRunes().ToList();
        return runes.Count switch
        {
            <= 1 => name,
            2 => runes[0] + "*",
            _ => runes[0] + new string('*', runes.Count - 2) + runes[^1],
        };
    }

    public static int VersionOf(string sealedValue)
    {
        var dot = sealedValue.IndexOf('.');
        return sealedValue.Length > 2 && sealedValue[0] == 'g' && dot > 1 && int.TryParse(sealedValue.AsSpan(1, dot - 1), out var v) ? v : 0;
    }

    public string Open(string sealedValue)
    {
        var version = VersionOf(sealedValue);
        if (version == 0) return _legacy.Unprotect(sealedValue);
        var buffer = Base64Url.DecodeFromChars(sealedValue.AsSpan(sealedValue.IndexOf('.') + 1));
        var plain = new byte[buffer.Length - 28];
        Gcm(version).Decrypt(buffer.AsSpan(0, 12), buffer.AsSpan(12, plain.Length), buffer.AsSpan(12 + plain.Length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The lookup hash under the newest lookup key (what is stored with new and re-sealed values).</summary>
    public string Hash(string value) => Hash(value, _lookup);

    /// <summary>The value's lookup hash under every lookup key version, newest first: what a search must look for.</summary>
    public IReadOnlyList<string> Hashes(string value) => keys.Versions(KeyPurpose.Lookup).Reverse().Select(v => Hash(value, v)).ToList();

    string Hash(string value, int version)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(value, bytes);
        Span<byte> mac = stackalloc byte[32];
        var map = _hmac.Value!;
        if (!map.TryGetValue(version, out var hmac)) map[version] = hmac = new HMACSHA256(keys.Get(KeyPurpose.Lookup, version));
        hmac.TryComputeHash(bytes, mac, out _);
        return KeyRing.Tagged(version, mac);
    }
}
