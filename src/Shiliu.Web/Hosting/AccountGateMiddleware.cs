using Shiliu.Core.Accounts;

namespace Shiliu.Web.Hosting;

/// <summary>
/// Until a user has changed an initial or expired password (and, for the three admins, bound TOTP), every route
/// outside the account pages is refused — in the UI by redirect, on the API with 403 — so curl cannot bypass it.
/// </summary>
public sealed class AccountGateMiddleware(RequestDelegate next)
{
    static readonly string[] Open = ["/account", "/_framework", "/_content", "/_blazor", "/healthz", "/readyz", "/error"];

    // Fingerprinted assets (app.abc123.css) carry no data; the account pages need them styled.
    static bool IsStaticFile(PathString path) => !path.StartsWithSegments("/api") && Path.HasExtension(path.Value);

    public Task Invoke(HttpContext ctx)
    {
        if (ctx.Items[WebSetup.GateItem] is not AccountGate gate || gate == AccountGate.None
            || Open.Any(p => ctx.Request.Path.StartsWithSegments(p)) || IsStaticFile(ctx.Request.Path))
            return next(ctx);
        var (page, message) = gate == AccountGate.ChangePassword
            ? ("/account/change-password", "请先修改初始密码或已过期的密码")
            : ("/account/totp-setup", "管理员账户须先绑定动态口令（双因素认证）");
        if (WebSetup.IsApi(ctx.Request)) return Problems.Write(ctx, StatusCodes.Status403Forbidden, "请先完成账户安全设置", message, "account.gate");
        ctx.Response.Redirect(page);
        return Task.CompletedTask;
    }
}
