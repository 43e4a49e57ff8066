using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Shiliu.Core.Accounts;
using Shiliu.Core.Tokens;

namespace Shiliu.Web.Hosting;

/// <summary>"Authorization: Bearer shl_…" for system integration: the token's owner, with its roles and scope.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TokenService tokens, IUserClaimsPrincipalFactory<AppUser> principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    public static bool Presents(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer " + TokenService.Scheme, StringComparison.Ordinal);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Presents(Request)) return AuthenticateResult.NoResult();
        var owner = await tokens.AuthenticateAsync(Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (owner is null) return AuthenticateResult.Fail("invalid token");
        var principal = await principals.CreateAsync(owner.User);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(ShiliuClaims.TokenId, owner.TokenId.ToString()));
        identity.AddClaim(new Claim(TokenScopeMiddleware.WriteClaim, owner.CanWrite ? "1" : "0"));
        identity.AddClaim(new Claim(TokenScopeMiddleware.ModulesClaim, owner.Modules));
        // The same gate as a signed-in user's: an initial, reset or expired password must be changed first.
        Context.Items[WebSetup.GateItem] = owner.Gate;
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, SchemeName,
            ClaimTypes.Name, ClaimTypes.Role)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, "未登录或访问令牌无效", "请提供有效的访问令牌，或登录后再试");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "没有权限", "您的角色无权执行此操作");
}
