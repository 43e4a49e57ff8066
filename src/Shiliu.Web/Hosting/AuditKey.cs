using System.Security.Cryptography;

namespace Shiliu.Web.Hosting;

/// <summary>
/// The audit chain's HMAC key: from <c>Audit:Key</c> (base64, e.g. from a secret store), else a key file created once
/// under the data folder — never in the database it protects.
/// </summary>
public static class AuditKey
{
    public static byte[] Load(IConfiguration config, string dataDir)
    {
        if (config["Audit:Key"] is { Length: > 0 } configured)
        {
            var key = Convert.FromBase64String(configured);
            if (key.Length < 32) throw new InvalidOperationException("Audit:Key 至少需要 32 字节（base64 编码）");
            return key;
        }
        var path = config["Audit:KeyFile"] ?? Path.Combine(dataDir, "keys", "audit.key");
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var fresh = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(fresh));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return fresh;
    }
}
