using System.Net;
using Microsoft.Extensions.Configuration;

namespace Shiliu.Core.Accounts;

/// <summary>
/// SECURITY.md #16 (等保 8.1.4.4c): with Network:AdminNetworks set (a list of CIDR), the three admin roles sign in and work
/// only from those networks. The address is the client's as the forwarded-headers setup resolved it (known proxies only).
/// </summary>
public sealed class AdminNetworks(IReadOnlyList<IPNetwork> networks)
{
    public static AdminNetworks From(IConfiguration config) => new((config.GetSection("Network:AdminNetworks").Get<string[]>() ?? [])
        .Select(n => IPNetwork.TryParse(n, out var net) ? net : throw new InvalidOperationException($"Network:AdminNetworks 中的“{n}”不是网段（如 10.0.0.0/8）"))
        .ToList());

    public bool Allows(IPAddress? address)
    {
        if (networks.Count == 0) return true;
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return networks.Any(n => n.Contains(address));
    }

    public static string Refusal(IPAddress? address) =>
        $"管理员账号只能在管理网段内登录和使用，当前地址 {address?.ToString() ?? "未知"} 不在其中。请到管理终端上操作，或联系运维人员";
}
