using System.Security.Cryptography;
using System.Text;

namespace Shiliu.Core.Tokens;

/// <summary>
/// Bearer secrets shown once and kept only as a hash: personal access tokens and display-screen keys. They are 256-bit
/// random, so a fast hash suffices (nothing to brute-force from the hash).
/// </summary>
internal static class TokenText
{
    public static string New(string scheme) => scheme + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
