namespace Shiliu.Core.Common;

/// <summary>
/// Who is acting: a signed-in user (scope = its org subtree), nobody (scope matches nothing),
/// or the system itself (explicit, audited as "system"; used by start-up seeding and operator verbs).
/// </summary>
public sealed record Caller(
    string? UserId,
    string UserName,
    string? OrgPath,
    IReadOnlySet<string> RoleSet,
    string? Ip = null,
    string? RequestId = null,
    bool IsSystem = false)
{
    public static readonly Caller Anonymous = new(null, "anonymous", null, new HashSet<string>());

    public static Caller System(string reason = "system") => new(null, reason, null, new HashSet<string>(), IsSystem: true);

    public bool IsAuthenticated => UserId is not null;

    /// <summary>True when the caller may see every unit (system jobs only).</summary>
    public bool ScopeAll => IsSystem;

    /// <summary>Prefix that scoped rows' OrgPath must start with; "\u0001" matches no path.</summary>
    public string ScopePrefix => IsSystem ? "" : OrgPath ?? "\u0001";

    /// <summary>The first string after every path that starts with <see cref="ScopePrefix"/> (see <see cref="OrgPaths.End"/>).</summary>
    public string ScopeEnd => OrgPaths.End(ScopePrefix);

    public bool InScope(string? orgPath) =>
        IsSystem || (OrgPath is not null && orgPath is not null && orgPath.StartsWith(OrgPath, StringComparison.Ordinal));

    public bool IsInRole(string role) => RoleSet.Contains(role);

    public bool Can(string permission) => IsSystem || Permissions.Allows(permission, RoleSet);

    /// <summary>The one permission check of the services: refuses with "您的角色无权{what}" under the module's denied code.</summary>
    public void Require(string permission, ErrorCode denied, string what)
    {
        if (!Can(permission)) throw new RuleViolation(denied, $"您的角色无权{what}") { Permission = permission };
    }

    /// <summary>As <see cref="Require"/>, for an act that any of several permissions allows.</summary>
    public void RequireAny(ErrorCode denied, string what, params string[] permissions)
    {
        if (!permissions.Any(Can)) throw new RuleViolation(denied, $"您的角色无权{what}") { Permission = string.Join(" / ", permissions) };
    }
}

/// <summary>Supplies the current caller; the web host implements it from the HTTP context or the circuit.</summary>
public interface ICallerAccessor
{
    Caller Caller { get; }
}

/// <summary>A fixed caller, for operator verbs, seeding and tests.</summary>
public sealed class FixedCaller(Caller caller) : ICallerAccessor
{
    public Caller Caller { get; set; } = caller;
}

/// <summary>Lets a background scope act as the audited system (the web host's caller accessor implements it).</summary>
public interface ISystemCallerSwitch
{
    void UseSystem(string reason);

    /// <summary>Acts as a caller a service built itself (a display screen: one unit's subtree, read-only), never a signed-in user.</summary>
    void UseCaller(Caller caller);
}
