using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Shiliu.Core.Keys;

/// <summary>
/// Encrypts each data-protection key (the keys behind sign-in cookies and TOTP secrets, stored in the database) with
/// AES-256-GCM under the newest <see cref="KeyPurpose.DataProtection"/> key, which lives outside the database: a copy
/// of the database alone opens no TOTP secret and forges no cookie.
/// </summary>
public sealed class KeyRingXmlEncryptor(KeyRing keys) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var version = keys.Newest(KeyPurpose.DataProtection);
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using (var gcm = new AesGcm(keys.Get(KeyPurpose.DataProtection, version), 16))
            gcm.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length));
        CryptographicOperations.ZeroMemory(plain);
        var element = new XElement("shiliuEncryptedKey", new XAttribute("keyVersion", version), Convert.ToBase64String(sealedBytes));
        return new EncryptedXmlInfo(element, typeof(KeyRingXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="KeyRingXmlEncryptor"/> sealed; created by the data-protection system with the app's services.</summary>
public sealed class KeyRingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var keys = services.GetRequiredService<KeyRing>();
        var version = (int)encryptedElement.Attribute("keyVersion")!;
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var plain = new byte[sealedBytes.Length - 28];
        using (var gcm = new AesGcm(keys.Get(KeyPurpose.DataProtection, version), 16))
            gcm.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), plain);
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
