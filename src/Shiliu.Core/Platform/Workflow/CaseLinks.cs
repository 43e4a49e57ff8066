using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Workflow;

/// <summary>
/// A record of some module as another module shows it beside its own: "矛盾纠纷 JF2026-0012 两户宅基地界址纠纷".
/// <see cref="Link"/> is the staff page that opens it.
/// </summary>
public sealed record CaseRef(string Kind, Guid Id, string Number, string Title, string Link);

/// <summary>
/// A kind of case other modules may link to (a joint meeting's agenda item names a dispute or an appeal) or point back
/// at (a service case opened from an appeal). Registered with <see cref="CaseLinkServiceCollectionExtensions.AddCaseKind{T}"/>
/// in the owning module's AddServices; the linking module asks for <c>IEnumerable&lt;ICaseKind&gt;</c> and never names
/// the other module's tables.
/// </summary>
public interface ICaseKind
{
    /// <summary>Stable key stored in links: "service-case", "appeal", "dispute".</summary>
    string Kind { get; }
    /// <summary>Chinese name: "服务事项".</summary>
    string Name { get; }
    /// <summary>Cases in the caller's scope whose number or title contains <paramref name="text"/> (all when empty), newest first.</summary>
    Task<IReadOnlyList<CaseRef>> SearchAsync(ShiliuDb db, string? text, int take, CancellationToken ct);
    /// <summary>The case if it exists and the caller's scope holds it; null otherwise (no difference said between the two).</summary>
    Task<CaseRef?> FindAsync(ShiliuDb db, Guid id, CancellationToken ct);
}

/// <summary>
/// What one module hands another when a record of its own becomes a case there (诉求转为服务事项 / 转为矛盾纠纷): who and
/// where, in plain text; the receiving module seals the phone as it seals its own. <see cref="Source"/> is kept by the new
/// case so the link reads both ways.
/// </summary>
public sealed record CaseIntake(CaseRef Source, Guid OrgUnitId, string Title, string Text, string? PersonName, string? Phone, string? Place);

/// <summary>
/// A module that opens one of its cases from another module's record, in the caller's unit of work: it adds the case to
/// <c>db</c> (checks, number, first workflow step) and does not save, so the source's change and the new case are written
/// together or not at all.
/// </summary>
public interface ICaseIntakeTarget
{
    string Kind { get; }
    /// <summary>The button's words: "转为服务事项".</summary>
    string Verb { get; }
    /// <summary>What the caller needs to open such a case.</summary>
    string Permission { get; }
    Task<CaseRef> OpenFromAsync(ShiliuDb db, CaseIntake intake, CancellationToken ct);
}

public static class CaseLinkServiceCollectionExtensions
{
    public static IServiceCollection AddCaseKind<T>(this IServiceCollection services) where T : class, ICaseKind =>
        services.AddScoped<ICaseKind, T>();

    public static IServiceCollection AddCaseIntakeTarget<T>(this IServiceCollection services) where T : class, ICaseIntakeTarget =>
        services.AddScoped<ICaseIntakeTarget, T>();
}
