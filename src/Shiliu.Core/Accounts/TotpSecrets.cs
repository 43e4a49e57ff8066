using Microsoft.AspNetCore.DataProtection;

namespace Shiliu.Core.Accounts;

/// <summary>
/// TOTP secrets are stored sealed with the data-protection key ring, so a copy of the database alone cannot mint codes.
/// </summary>
public sealed class TotpSecrets(IDataProtectionProvider protection)
{
    readonly IDataProtector _protector = protection.CreateProtector("shiliu.totp-secret.v1");

    public string Seal(string secret) => _protector.Protect(secret);

    /// <summary>The base32 secret, or null when the stored value cannot be opened (e.g. keys lost).</summary>
    public string? Open(string? sealedSecret)
    {
        if (string.IsNullOrEmpty(sealedSecret)) return null;
        try
        {
            return _protector.Unprotect(sealedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
