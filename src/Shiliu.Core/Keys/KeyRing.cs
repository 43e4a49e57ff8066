using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Shiliu.Core.Keys;

/// <summary>What a key is for; each purpose has its own keys and versions.</summary>
public enum KeyPurpose
{
    /// <summary>HMAC of the audit hash chain.</summary>
    Audit,
    /// <summary>AES-256-GCM of ID numbers and phones.</summary>
    Pii,
    /// <summary>HMAC blind index of ID numbers and phones (exact search, one person one record).</summary>
    Lookup,
    /// <summary>Import files between upload and commit.</summary>
    Staging,
    /// <summary>Wraps the ASP.NET data-protection key ring (sign-in cookies, TOTP secrets) kept in the database.</summary>
    DataProtection,
}

/// <summary>Key material is missing or does not match what the database was sealed with.</summary>
public sealed class KeyProblem(string message) : InvalidOperationException(message);

/// <summary>
/// Every key of every purpose, by version, kept outside the database: files <c>{purpose}-v{n}.key</c> (base64, 32 bytes)
/// in the key directory, or configuration <c>Keys:{purpose}:{n}</c> (e.g. from a secret store), shared by all app nodes.
/// New writes use a purpose's newest version; older versions stay to open what they sealed. Databases from before
/// versioned keys derive version 1 of every purpose from the one legacy audit key (<c>Audit:Key</c> or keys/audit.key),
/// exactly as they always did.
/// </summary>
public sealed class KeyRing
{
    public const string LegacyFile = "audit.key";
    readonly Dictionary<(KeyPurpose Purpose, int Version), byte[]> _keys;

    KeyRing(Dictionary<(KeyPurpose, int), byte[]> keys, string directory)
    {
        _keys = keys;
        Directory = directory;
    }

    /// <summary>Where key files are read from (and, outside Production, created).</summary>
    public string Directory { get; }

    public static string Name(KeyPurpose p) => p.ToString().ToLowerInvariant();

    public static string ChineseName(KeyPurpose p) => p switch
    {
        KeyPurpose.Audit => "审计日志签名密钥",
        KeyPurpose.Pii => "身份证号和电话加密密钥",
        KeyPurpose.Lookup => "身份证号查找（盲索引）密钥",
        KeyPurpose.Staging => "导入文件加密密钥",
        _ => "登录凭据密钥环保护密钥",
    };

    public static string FileName(KeyPurpose p, int version) => $"{Name(p)}-v{version}.key";

    public int Newest(KeyPurpose p) => Versions(p).DefaultIfEmpty(0).Max();

    public IReadOnlyList<int> Versions(KeyPurpose p) => _keys.Keys.Where(k => k.Purpose == p).Select(k => k.Version).Order().ToList();

    public bool Has(KeyPurpose p, int version) => _keys.ContainsKey((p, version));

    public byte[] Get(KeyPurpose p, int version) => _keys.TryGetValue((p, version), out var key)
        ? key
        : throw new KeyProblem($"本机没有{ChineseName(p)}第 {version} 版（{FileName(p, version)}），无法打开用它加密或签名的数据。请从密钥备份恢复该文件到 {Directory}，然后运行 check-keys 检查");

    /// <summary>A short public name of a key (an HMAC of a constant): tells keys apart without revealing them.</summary>
    public static string Fingerprint(byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, "shiliu.key-fingerprint"u8))[..16];

    public string Fingerprint(KeyPurpose p, int version) => Fingerprint(Get(p, version));

    /// <summary>Random keys for every purpose (tests and design-time tools).</summary>
    public static KeyRing Random() =>
        new(Enum.GetValues<KeyPurpose>().ToDictionary(p => (p, 1), _ => RandomNumberGenerator.GetBytes(32)), Path.GetTempPath());

    /// <summary>A ring with the given keys (tests).</summary>
    public static KeyRing Of(IEnumerable<(KeyPurpose Purpose, int Version, byte[] Key)> keys, string directory = "") =>
        new(keys.ToDictionary(k => (k.Purpose, k.Version), k => k.Key), directory);

    /// <summary>Version 1 of every purpose as derived from the legacy audit key (the format of databases written so far).</summary>
    public static IEnumerable<(KeyPurpose Purpose, int Version, byte[] Key)> FromLegacy(byte[] auditKey)
    {
        var lookup = HKDF.DeriveKey(HashAlgorithmName.SHA256, auditKey, 32, info: Encoding.ASCII.GetBytes("shiliu.resident-lookup.v1"));
        yield return (KeyPurpose.Audit, 1, auditKey);
        yield return (KeyPurpose.Lookup, 1, lookup);
        yield return (KeyPurpose.Pii, 1, HKDF.DeriveKey(HashAlgorithmName.SHA256, lookup, 32, info: Encoding.ASCII.GetBytes("shiliu.resident-pii-aesgcm.v1")));
        // The staging cipher derived its per-job keys from the lookup key.
        yield return (KeyPurpose.Staging, 1, lookup);
        yield return (KeyPurpose.DataProtection, 1, HKDF.DeriveKey(HashAlgorithmName.SHA256, auditKey, 32, info: Encoding.ASCII.GetBytes("shiliu.dataprotection-kek.v1")));
    }

    /// <summary>
    /// Reads the keys. In Production every purpose must be configured (nodes share keys; one generated here would differ
    /// from the others' and from the backup); elsewhere a missing purpose gets a version-1 key file created once.
    /// </summary>
    public static KeyRing Load(IConfiguration config, string dataDir, bool production)
    {
        var dir = Path.GetFullPath(config["Keys:Directory"] is { Length: > 0 } d ? d : Path.Combine(dataDir, "keys"));
        var keys = new Dictionary<(KeyPurpose, int), byte[]>();
        byte[]? legacy = null;
        if (config["Audit:Key"] is { Length: > 0 } configured) legacy = Decode(configured, "Audit:Key");
        else if ((config["Audit:KeyFile"] ?? Path.Combine(dir, LegacyFile)) is var legacyPath && File.Exists(legacyPath))
            legacy = Decode(File.ReadAllText(legacyPath).Trim(), legacyPath);
        if (legacy is not null)
            foreach (var (p, v, k) in FromLegacy(legacy)) keys[(p, v)] = k;
        if (System.IO.Directory.Exists(dir))
            foreach (var file in System.IO.Directory.EnumerateFiles(dir, "*-v*.key"))
                if (Parse(Path.GetFileNameWithoutExtension(file)) is { } id) keys[id] = Decode(File.ReadAllText(file).Trim(), file);
        foreach (var p in Enum.GetValues<KeyPurpose>())
            foreach (var entry in config.GetSection($"Keys:{Name(p)}").GetChildren())
                if (int.TryParse(entry.Key, out var v) && v > 0 && entry.Value is { Length: > 0 } value) keys[(p, v)] = Decode(value, $"Keys:{Name(p)}:{v}");
        var missing = Enum.GetValues<KeyPurpose>().Where(p => !keys.Keys.Any(k => k.Item1 == p)).ToList();
        if (missing.Count > 0 && production)
            throw new KeyProblem($"生产环境未配置密钥：{string.Join("、", missing.Select(ChineseName))}。各节点须使用同一套密钥：在一台机器上运行 generate-keys，" +
                $"把生成的密钥文件复制到每个节点的 {dir}（或配置 Keys__<用途>__<版本>），并另行备份；生产环境不会自动生成密钥");
        foreach (var p in missing)
        {
            System.IO.Directory.CreateDirectory(dir);
            keys[(p, 1)] = WriteNew(Path.Combine(dir, FileName(p, 1)));
        }
        return new KeyRing(keys, dir);
    }

    /// <summary>Writes a fresh random key file readable only by the service user; refuses to overwrite one.</summary>
    public static byte[] WriteNew(string path)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        using (var w = new StreamWriter(f)) w.Write(Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }

    static (KeyPurpose, int)? Parse(string name)
    {
        var dash = name.LastIndexOf("-v", StringComparison.Ordinal);
        if (dash < 0 || !int.TryParse(name[(dash + 2)..], out var v) || v < 1) return null;
        return Enum.GetValues<KeyPurpose>().Where(p => Name(p) == name[..dash]).Select(p => ((KeyPurpose, int)?)(p, v)).FirstOrDefault();
    }

    static byte[] Decode(string base64, string where)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64); }
        catch (FormatException) { throw new KeyProblem($"密钥 {where} 不是有效的 base64"); }
        return key.Length >= 32 ? key : throw new KeyProblem($"密钥 {where} 至少需要 32 字节（base64 编码）");
    }

    // Versioned values that must fit the 64 characters of the hash columns: version 1 is bare hex (the format written
    // so far); later versions are "k{n}." followed by as much of the hex as fits (still at least 236 bits).
    public static string Tagged(int version, ReadOnlySpan<byte> mac)
    {
        var hex = Convert.ToHexStringLower(mac);
        if (version == 1) return hex;
        var prefix = $"k{version}.";
        return prefix + hex[..(64 - prefix.Length)];
    }

    /// <summary>The key version of a value made by <see cref="Tagged"/>.</summary>
    public static int VersionOf(string tagged)
    {
        if (tagged.Length == 0 || tagged[0] != 'k') return 1;
        var dot = tagged.IndexOf('.');
        return dot > 1 && int.TryParse(tagged.AsSpan(1, dot - 1), out var v) ? v : 1;
    }
}
