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
/// ID numbers and phones at rest: sealed with the data-protection key ring (a database copy alone reveals nothing) and
/// findable by exact value through an HMAC-SHA256 of the normalised value.
/// </summary>
public sealed class PersonalData(IDataProtectionProvider protection, ResidentLookupKey key)
{
    readonly IDataProtector _protector = protection.CreateProtector("shiliu.resident-pii.v1");

    public string Seal(string value) => _protector.Protect(value);

    public string Open(string sealedValue) => _protector.Unprotect(sealedValue);

    public string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Key, Encoding.UTF8.GetBytes(value)));
}
