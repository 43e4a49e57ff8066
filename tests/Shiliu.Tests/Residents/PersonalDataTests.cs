using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Shiliu.Core.Keys;
using Shiliu.Core.Residents;

namespace Shiliu.Tests.Residents;

/// <summary>
/// The at-rest format of ID numbers and phones is a contract with every database already written: values are checked
/// against a sealing written here from the documented format, not against the class's own output.
/// </summary>
public sealed class PersonalDataTests
{
    static readonly byte[] AuditKey = Enumerable.Range(1, 32).Select(i => (byte)(i * 3)).ToArray();

    static (PersonalData Pii, byte[] Lookup, byte[] Gcm) Make()
    {
        // Version 1 of the lookup and personal-data keys, derived from the one audit key as databases written so far were.
        var lookup = HKDF.DeriveKey(HashAlgorithmName.SHA256, AuditKey, 32, info: Encoding.ASCII.GetBytes("shiliu.resident-lookup.v1"));
        var gcm = HKDF.DeriveKey(HashAlgorithmName.SHA256, lookup, 32, info: Encoding.ASCII.GetBytes("shiliu.resident-pii-aesgcm.v1"));
        return (new PersonalData(new EphemeralDataProtectionProvider(), KeyRing.Of(KeyRing.FromLegacy(AuditKey))), lookup, gcm);
    }

    /// <summary>"g1." + base64url without padding of nonce ‖ ciphertext ‖ tag.</summary>
    static string Documented(byte[] key, byte[] nonce, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var (cipher, tag) = (new byte[plain.Length], new byte[16]);
        using (var aes = new AesGcm(key, 16)) aes.Encrypt(nonce, plain, cipher, tag);
        return "g1." + Convert.ToBase64String([.. nonce, .. cipher, .. tag]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [Fact]
    public void Values_sealed_in_the_documented_format_open_and_new_seals_keep_that_format()
    {
        var (pii, lookup, gcm) = Make();
        string[] values = ["53042719800101123X", "13912345678", "0871-12345678", "", "石", new string('9', 300)];
        foreach (var v in values)
        {
            // Every length modulo 3, so every padding case of base64.
            Assert.Equal(v, pii.Open(Documented(gcm, RandomNumberGenerator.GetBytes(12), v)));
            var mine = pii.Seal(v);
            Assert.StartsWith("g1.", mine);
            Assert.DoesNotContain('=', mine);
            Assert.Equal(4 * (12 + Encoding.UTF8.GetByteCount(v) + 16) / 3.0, mine.Length - 3, 0.7);
            // Opened by the documented format, not by the class: the bytes are nonce, ciphertext, tag.
            var raw = Convert.FromBase64String(mine[3..].Replace('-', '+').Replace('_', '/').PadRight((mine.Length - 3 + 3) / 4 * 4, '='));
            var plain = new byte[raw.Length - 28];
            using (var aes = new AesGcm(gcm, 16)) aes.Decrypt(raw.AsSpan(0, 12), raw.AsSpan(12, plain.Length), raw.AsSpan(12 + plain.Length), plain);
            Assert.Equal(v, Encoding.UTF8.GetString(plain));
            Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(lookup, Encoding.UTF8.GetBytes(v))), pii.Hash(v));
        }
        // A fresh nonce for every value, on every thread; the per-thread HMAC objects give the same hash everywhere.
        var nonces = Enumerable.Range(0, 5000).AsParallel().Select(_ => pii.Seal("53042719800101123X")[3..19]).ToList();
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
        var hashes = Enumerable.Range(0, 2000).AsParallel().Select(i => (i, pii.Hash($"1391234{i:D4}"))).ToList();
        Assert.All(hashes, h => Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(lookup, Encoding.UTF8.GetBytes($"1391234{h.i:D4}"))), h.Item2));
        // A tampered value does not open.
        var sealedValue = pii.Seal("53042719800101123X");
        var flipped = sealedValue[..^2] + (sealedValue[^2] == 'A' ? 'B' : 'A') + sealedValue[^1];
        Assert.ThrowsAny<CryptographicException>(() => pii.Open(flipped));
    }
}
