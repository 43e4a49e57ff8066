using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Shiliu.Core.Accounts;

namespace Shiliu.Web.Features.Account;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this WebApplication app)
    {
        // A form post (antiforgery-checked through the form binding): ends the server session, so every tab dies with it.
        app.MapPost("/account/logout", async ([FromForm] string? reason, HttpContext ctx, AccountService accounts, UserManager<AppUser> users) =>
            {
                var user = await users.GetUserAsync(ctx.User);
                var sid = Guid.TryParse(ctx.User.FindFirstValue(ShiliuClaims.SessionId), out var id) ? id : (Guid?)null;
                await accounts.SignOutAsync(user, sid);
                ctx.Response.Headers["Clear-Site-Data"] = "\"cache\", \"storage\"";
                return Results.Redirect(reason == "idle" ? "/account/login?expired=1" : "/account/login?signedOut=1");
            })
            .AllowAnonymous().ExcludeFromDescription();
    }
}
