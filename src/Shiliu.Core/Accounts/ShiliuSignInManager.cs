using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shiliu.Core.Accounts;

/// <summary>Adds org and display claims to the principal built by Identity.</summary>
public sealed class ShiliuClaimsFactory(UserManager<AppUser> users, RoleManager<AppRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var id = await base.GenerateClaimsAsync(user);
        id.AddClaim(new Claim(ShiliuClaims.OrgId, user.OrgUnitId.ToString()));
        id.AddClaim(new Claim(ShiliuClaims.OrgPath, user.OrgPath));
        id.AddClaim(new Claim(ShiliuClaims.DisplayName, string.IsNullOrEmpty(user.DisplayName) ? user.UserName! : user.DisplayName));
        return id;
    }
}

/// <summary>
/// Every sign-in opens a server-side session whose id rides in the cookie; disabled users cannot sign in, nor admins from
/// outside the admin networks (checked here, after every factor, so the refusal tells nothing to who lacks the password).
/// </summary>
public sealed class ShiliuSignInManager(
    UserManager<AppUser> users, IHttpContextAccessor http, IUserClaimsPrincipalFactory<AppUser> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<AppUser>> logger, IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation, SessionService sessions, AdminNetworks adminNetworks)
    : SignInManager<AppUser>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) => !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task SignInWithClaimsAsync(AppUser user, AuthenticationProperties? authenticationProperties,
        IEnumerable<Claim> additionalClaims)
    {
        var address = Context.Connection.RemoteIpAddress;
        if (!adminNetworks.Allows(address) && (await UserManager.GetRolesAsync(user)).Any(Common.Roles.Admin.Contains))
            throw new Common.RuleViolation(AccountErrors.AdminNetwork, AdminNetworks.Refusal(address));
        // Re-authentication ends the session the browser brought (ASVS 7.2.4): a copy of that cookie, planted or stolen, opens nothing after.
        if (Guid.TryParse(Context.User.FindFirstValue(ShiliuClaims.SessionId), out var previous)) await sessions.EndAsync(previous, "reauthenticated");
        var sid = await sessions.StartAsync(user.Id, address?.ToString());
        // The absolute lifetime is enforced by the session row; the cookie itself expires on idle.
        authenticationProperties ??= new AuthenticationProperties();
        authenticationProperties.IsPersistent = false;
        await base.SignInWithClaimsAsync(user, authenticationProperties, [.. additionalClaims, new Claim(ShiliuClaims.SessionId, sid.ToString())]);
    }
}
