using System.Security.Claims;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;

namespace Shiliu.Web.Hosting;

/// <summary>
/// The caller for this DI scope: the request's user, or in an interactive circuit the circuit's user,
/// or an explicit override (start-up seeding and operator verbs run as the audited "system").
/// </summary>
public sealed class CallerAccessor(IHttpContextAccessor http) : ICallerAccessor, ISystemCallerSwitch
{
    public void UseSystem(string reason) => Override = Caller.System(reason);

    public void UseCaller(Caller caller) => Override = caller;

    public Caller? Override { get; set; }
    public ClaimsPrincipal? CircuitUser { get; set; }
    public string? CircuitIp { get; set; }

    public Caller Caller => Override ?? From(CircuitUser ?? http.HttpContext?.User, CircuitIp ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        http.HttpContext?.TraceIdentifier);

    public static Caller From(ClaimsPrincipal? user, string? ip, string? requestId)
    {
        if (user?.Identity?.IsAuthenticated != true) return Caller.Anonymous with { Ip = ip, RequestId = requestId };
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet();
        return new Caller(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity.Name ?? "", user.FindFirstValue(ShiliuClaims.OrgPath),
            roles, ip, requestId);
    }
}
