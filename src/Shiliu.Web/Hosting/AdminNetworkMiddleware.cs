using System.Security.Claims;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;

namespace Shiliu.Web.Hosting;

/// <summary>
/// SECURITY.md #16: a request of an admin (the three admin roles) from outside Network:AdminNetworks is refused and
/// audited, whatever it asks for; the sign-in itself is refused by <see cref="ShiliuSignInManager"/>.
/// </summary>
public sealed class AdminNetworkMiddleware(RequestDelegate next, AdminNetworks networks)
{
    // So an admin who finds itself outside can still read why and sign out.
    static readonly string[] Open = ["/account/denied", "/account/login", "/account/logout"];

    public async Task Invoke(HttpContext ctx)
    {
        var address = ctx.Connection.RemoteIpAddress;
        if (networks.Allows(address) || !ctx.User.FindAll(ClaimTypes.Role).Any(r => Roles.Admin.Contains(r.Value))
            || Open.Any(p => ctx.Request.Path.StartsWithSegments(p)))
        {
            await next(ctx);
            return;
        }
        await AccessDeniedAudit.RecordAsync(ctx, AccountErrors.AdminNetwork.Code);
        if (WebSetup.IsApi(ctx.Request))
            await Problems.Write(ctx, StatusCodes.Status403Forbidden, "不在管理网段", AdminNetworks.Refusal(address), AccountErrors.AdminNetwork.Code);
        else
            ctx.Response.Redirect("/account/denied?network=1");
    }
}
