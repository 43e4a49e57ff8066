using System.Security.Claims;
using Shiliu.Core.Accounts;
using Shiliu.Core.Tokens;

namespace Shiliu.Web.Hosting;

/// <summary>A request made with a personal access token reaches only the token's modules, and writes only with a read-write token.</summary>
public sealed class TokenScopeMiddleware(RequestDelegate next)
{
    public const string WriteClaim = "shiliu:token_write";
    public const string ModulesClaim = "shiliu:token_modules";

    public Task Invoke(HttpContext ctx)
    {
        // The error page re-executed for a failed API call is no request of the token's own.
        if (!ctx.User.HasClaim(c => c.Type == ShiliuClaims.TokenId) || ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null)
            return next(ctx);
        var refusal = TokenScopes.Check(ctx.Request.Path.Value ?? "", ctx.Request.Method,
            ctx.User.FindFirstValue(WriteClaim) == "1", ctx.User.FindFirstValue(ModulesClaim) ?? "");
        return refusal is null ? next(ctx) : Problems.Write(ctx, StatusCodes.Status403Forbidden, "访问令牌权限不足", refusal, "token.scope");
    }
}
