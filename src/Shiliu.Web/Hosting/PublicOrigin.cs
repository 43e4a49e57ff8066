using Microsoft.AspNetCore.Components;

namespace Shiliu.Web.Hosting;

/// <summary>
/// The address residents and the county's portal reach the site at (<c>Shiliu:PublicOrigin</c>, e.g.
/// <c>https://mzzj.xinping.gov.cn</c>), for every absolute link the site hands out: QR posters, the code sheet, the Atom
/// feed, a 大屏's link. Staff often work at an intranet address, and the request's Host is whatever the visitor sent: a
/// poster printed from http://10.0.3.7 or a feed cached with a forged host would send residents nowhere, or elsewhere.
/// Unset (a laptop demo), the request's own origin is used; a production server logs that it is unset at start-up.
/// </summary>
public sealed class PublicOrigin
{
    public const string Setting = "Shiliu:PublicOrigin";

    readonly string? configured;

    public PublicOrigin(string? value) => configured = Parse(value);

    public bool IsConfigured => configured is not null;

    /// <summary>The origin (scheme, host, port; no trailing slash) for this request.</summary>
    public string For(HttpRequest request) => configured ?? $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The same for a component, from the address the browser has open when none is configured.</summary>
    public string For(NavigationManager nav) => configured ?? nav.BaseUri.TrimEnd('/');

    /// <summary>The absolute address of a site path (starting with '/').</summary>
    public string Url(HttpRequest request, string path) => For(request) + path;

    public string Url(NavigationManager nav, string path) => For(nav) + path;

    static string? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/"
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new InvalidOperationException($"{Setting} 应是网站对外的地址，只含协议、主机名和端口（如 https://mzzj.xinping.gov.cn），不能是“{value}”");
        return uri.GetLeftPart(UriPartial.Authority);
    }
}
