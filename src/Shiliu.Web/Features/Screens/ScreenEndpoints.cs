using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Shiliu.Core.Dashboards;
using Shiliu.Core.Screens;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Screens;

/// <summary>
/// The wall screen's routes, outside /api/v1 (a screen is a page and its data feed, not an integration point):
/// <c>/screen</c> for a signed-in leader, <c>/screen/open?key=</c> turning a screen's key into a cookie kept only for these
/// paths (so the key leaves the address bar and the browser history), <c>/screen/display</c> and <c>/screen/figures</c>.
/// </summary>
public static class ScreenEndpoints
{
    public const string Cookie = "shiliu-screen";
    const string Path = "/screen";

    public static void MapScreens(this WebApplication app)
    {
        app.MapGet("/screen", (Guid? unit, int? refresh, HttpContext http) =>
                Shell(http, "/screen/figures" + (unit is { } u ? $"?unit={u}" : ""), refresh, null))
            .RequireAuthorization(DashboardPermissions.View).ExcludeFromDescription();

        app.MapGet("/screen/open", async (string? key, HttpContext http, ScreenService screens, CancellationToken ct) =>
            {
                if (string.IsNullOrEmpty(key) || await screens.OpenAsync(key, http.Connection.RemoteIpAddress?.ToString(), ct) is null)
                    return Shell(http, null, null, "大屏链接无效或已停用，请联系县民宗局重新发放。", StatusCodes.Status404NotFound);
                http.Response.Cookies.Append(Cookie, key, new CookieOptions
                {
                    Path = Path, HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true,
                    // A wall screen runs for months; revoking the key, not the cookie's age, is what stops it. Lax, not Strict:
                    // a link opened from a chat app or a mail arrives cross-site, and the cookie only unlocks a read of counts.
                    MaxAge = TimeSpan.FromDays(400),
                });
                return Results.Redirect("/screen/display");
            })
            .AllowAnonymous().RequireRateLimiting(PublicLimits.Pages).ExcludeFromDescription();

        app.MapGet("/screen/display", (int? refresh, HttpContext http) => http.Request.Cookies.ContainsKey(Cookie)
                ? Shell(http, "/screen/figures?display=true", refresh, null)
                : Shell(http, null, null, "这块屏幕还没有打开大屏链接。请用县民宗局发放的链接打开。", StatusCodes.Status404NotFound))
            .AllowAnonymous().RequireRateLimiting(PublicLimits.Pages).ExcludeFromDescription();

        // One call per refresh: every panel of the view, each chart's options drawn as the dashboard draws them, for the wall.
        app.MapGet("/screen/figures", async Task<Results<Ok<ScreenPayload>, ProblemHttpResult>> (Guid? unit, bool? display, HttpContext http, ScreenService screens, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                if (display == true)
                    return http.Request.Cookies.TryGetValue(Cookie, out var key)
                           && await screens.FiguresForKeyAsync(key, http.Connection.RemoteIpAddress?.ToString(), ct) is { } shown
                        ? TypedResults.Ok(ScreenPayload.Of(shown))
                        : TypedResults.Problem(title: "大屏链接无效或已停用", detail: "请联系县民宗局重新发放大屏链接。", statusCode: StatusCodes.Status401Unauthorized);
                if (http.User.Identity?.IsAuthenticated != true)
                    return TypedResults.Problem(title: "请先登录", statusCode: StatusCodes.Status401Unauthorized);
                return TypedResults.Ok(ScreenPayload.Of(await screens.FiguresForCallerAsync(unit, ct)));
            })
            .AllowAnonymous().AddEndpointFilter<RuleViolationFilter>().WithMetadata(new TimerPoll()).ExcludeFromDescription();
    }

    /// <summary>The figures and, per panel with a chart, its ECharts options as JSON (parsed by charts.js, never evaluated).</summary>
    public sealed record ScreenPayload(ScreenFigures Figures, IReadOnlyDictionary<string, string> Charts)
    {
        public static ScreenPayload Of(ScreenFigures f) => new(f, f.Panels.Where(p => p.Chart is { Series.Count: > 0, Categories.Count: > 0 })
            .DistinctBy(p => p.Key).ToDictionary(p => p.Key, p => Dashboards.DashChartOptions.Json(p.Chart!, wall: true)));
    }

    static IResult Shell(HttpContext http, string? source, int? refresh, string? message, int status = StatusCodes.Status200OK)
    {
        http.Response.StatusCode = status;
        return new RazorComponentResult<ScreenShell>(new
        {
            Source = source,
            // Fast refresh is for the soak test; a screen in a meeting room refreshes every minute.
            Refresh = Math.Clamp(refresh ?? 60, 1, 3600),
            Message = message,
        }) { StatusCode = status };
    }
}
