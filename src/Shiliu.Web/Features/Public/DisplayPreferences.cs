using Microsoft.AspNetCore.Mvc;

namespace Shiliu.Web.Features.Public;

/// <summary>
/// The residents' pages' 适老化 switches: large text and high contrast, chosen once and kept (a preference cookie, not
/// tracking) on every public page. The switch is a plain form post, so it works without JavaScript; public.js flips it
/// in place instead, so a half-filled form is not reloaded.
/// </summary>
public static class DisplayPreferences
{
    public const string Cookie = "shiliu-display";
    public const string Large = "large", Contrast = "contrast";
    static readonly string[] Known = [Large, Contrast];

    /// <summary>The modes switched on, read from the cookie; anything else in it is ignored.</summary>
    public static IReadOnlySet<string> Of(HttpContext http) =>
        (http.Request.Cookies[Cookie] ?? "").Split('_').Where(Known.Contains).ToHashSet();

    /// <summary>The root element's classes for the modes on, e.g. "text-large contrast-high".</summary>
    public static string HtmlClass(HttpContext http)
    {
        var on = Of(http);
        return string.Join(' ', new[] { on.Contains(Large) ? "text-large" : null, on.Contains(Contrast) ? "contrast-high" : null }.OfType<string>());
    }

    public static void MapDisplayPreferences(this IEndpointRouteBuilder app) =>
        app.MapPost("/public/display", (HttpContext http, [FromForm] string toggle, [FromForm(Name = "return")] string? back) =>
        {
            var on = Of(http).ToHashSet();
            if (Known.Contains(toggle) && !on.Remove(toggle)) on.Add(toggle);
            http.Response.Cookies.Append(Cookie, string.Join('_', Known.Where(on.Contains)), new CookieOptions
            {
                Path = "/", MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, IsEssential = true,
                Secure = http.Request.IsHttps,
                // public.js switches the modes in place and writes the same cookie.
                HttpOnly = false,
            });
            // Back to the page the resident was on, never to another site.
            var target = back is { Length: > 0 } && back[0] == '/' && !back.StartsWith("//", StringComparison.Ordinal) && !back.StartsWith("/\\", StringComparison.Ordinal) ? back : "/public";
            return Results.LocalRedirect(target);
        }).AllowAnonymous().ExcludeFromDescription();
}
