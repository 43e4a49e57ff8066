namespace Shiliu.Core.Data;

/// <summary>A record owned by an org unit. Reads are filtered and writes checked against the caller's subtree.</summary>
public interface IOrgOwned
{
    /// <summary>Materialised path of the owning unit, e.g. "/a1b2…/c3d4…/".</summary>
    string OrgPath { get; }
}

/// <summary>An editable record with an application-managed concurrency token (works the same on SQLite and PostgreSQL).</summary>
public interface IVersioned
{
    int Version { get; set; }
    DateTime UpdatedUtc { get; set; }
    string? UpdatedBy { get; set; }
}

/// <summary>
/// An entity that carries an org path but is deliberately not query-filtered by it; the reason says where its scope is
/// enforced instead. Every other entity with an <c>OrgPath</c> must implement <see cref="IOrgOwned"/> (a test holds this).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ScopedElsewhereAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

/// <summary>
/// A property a workflow step sets (the state, and stamps such as the time of submission): the step writes one audit
/// sentence for the change, so the change capture leaves these properties out.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WorkflowStateAttribute : Attribute;

/// <summary>Marks properties never written into audit before/after snapshots (secrets, hashes).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotAuditedAttribute : Attribute;

/// <summary>
/// Personal data whose value never enters an audit snapshot: a change is recorded by field name with "***". For values
/// that are sensitive in themselves (religion, health and hardship needs, free-text notes) or that would undo a mask
/// shown elsewhere (a birth date beside a masked ID number gives the whole number back).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AuditRedactedAttribute : Attribute;
