using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;

namespace Shiliu.Core.Platform;

/// <summary>
/// A feature module: one folder that owns its permissions, menu entries, home-page links, to-do sources, audit labels,
/// error codes, services and (beside its entities) its EF configuration. <see cref="ShiliuModules.All"/> lists modules;
/// nothing central lists their insides.
/// </summary>
public abstract class FeatureModule
{
    /// <summary>The module's Chinese name, as staff know it.</summary>
    public abstract string Name { get; }

    /// <summary>Declares what the module contributes to the shared surfaces.</summary>
    public virtual void Declare(ModuleBuilder m)
    {
    }

    /// <summary>Registers the module's services (its service class, to-do sources, job handlers, options).</summary>
    public virtual void AddServices(IServiceCollection services, IConfiguration config)
    {
    }

    /// <summary>Reference data every installation needs (dictionaries, the seed's plan and indicators); idempotent.</summary>
    public virtual Task SeedAsync(SeedContext seed, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Demo data for the demo county, after its units exist; idempotent.</summary>
    public virtual Task SeedDemoAsync(SeedContext seed, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// A year of the demo county's own records in this module's ledger (residents, visits, activities with photos, 十个一
    /// states …), after every module's <see cref="SeedDemoAsync"/>; synthetic and marked 演示. Only when the configuration
    /// asks for it (<c>Shiliu:DemoLedgers</c>, on for the README's run), so tests start from empty ledgers. Idempotent.
    /// </summary>
    public virtual Task SeedDemoLedgersAsync(SeedContext seed, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>What a module's seeding works with: a system-scoped context, the services, and the report printed to the operator.</summary>
public sealed record SeedContext(Data.ShiliuDb Db, IServiceProvider Services, Seed.SeedReport Report);

/// <summary>Where a menu entry sits in the staff menu.</summary>
public enum MenuSection
{
    Home = 0,
    /// <summary>创建工作: the plan, 十个一, briefs, indicators.</summary>
    Work = 1,
    /// <summary>社区台账: the communities' own ledgers.</summary>
    Ledgers = 2,
    /// <summary>系统管理: organisation, accounts, audit, dictionaries, operations.</summary>
    System = 3,
}

public sealed record MenuEntry(string Module, MenuSection Section, string Title, string Href, string Icon, int Order, IReadOnlyList<string> AnyOf,
    bool NewWindow = false)
{
    /// <summary>Shown to a caller holding any of <see cref="AnyOf"/>; an empty list means every signed-in staff member.</summary>
    public bool VisibleTo(IEnumerable<string> roles) => AnyOf.Count == 0 || AnyOf.Any(p => Permissions.Allows(p, roles));
}

/// <summary>A line of the home page's 常用功能: where to go and what one does there.</summary>
public sealed record QuickLink(string Module, string Title, string Href, string Description, int Order, IReadOnlyList<string> AnyOf)
{
    public bool VisibleTo(IEnumerable<string> roles) => AnyOf.Count == 0 || AnyOf.Any(p => Permissions.Allows(p, roles));
}

/// <summary>A kind of background job: its Chinese name, and for recurring work how often it runs.</summary>
/// <summary>A kind of background job; recurring ones run every <paramref name="Every"/>, and also when a node starts if <paramref name="AtStart"/>.</summary>
public sealed record JobKind(string Kind, string Name, string Module, TimeSpan? Every, bool AtStart = false);

public sealed record PermissionDefinition(string Code, string Name, string Module, IReadOnlyList<string> Roles);

/// <summary>How the audit log names and describes an entity's rows (or that its service audits it in a sentence of its own).</summary>
public sealed record AuditLabel(Type Type, string TypeName, string Label, Func<object, string?>? Describe, IReadOnlyDictionary<string, string> Fields,
    bool Skip);

/// <summary>
/// A column of <paramref name="Type"/> holding a value sealed with <c>PersonalData</c> (property <paramref name="Cipher"/>),
/// with the value's lookup hash in <paramref name="Hash"/> when it is searchable; <c>rotate-keys</c> re-seals every one.
/// </summary>
public sealed record SealedColumn(string Module, Type Type, string Label, string Cipher, string? Hash);

public sealed class ModuleBuilder
{
    internal readonly List<PermissionDefinition> Permissions = [];
    internal readonly List<MenuEntry> Menu = [];
    internal readonly List<QuickLink> Links = [];
    internal readonly List<AuditLabel> Audits = [];
    internal readonly List<ErrorCode> Errors = [];
    internal readonly List<SealedColumn> SealedColumns = [];
    internal readonly List<(string Kind, string Name)> Dictionaries = [];
    internal readonly List<JobKind> Jobs = [];
    internal readonly List<Workflow.IWorkflowDefinition> Workflows = [];
    internal readonly List<Tallies.TallyHook> Tallies = [];
    readonly string _module;

    internal ModuleBuilder(string module) => _module = module;

    /// <summary>A permission (a policy of the same name) and the roles that hold it.</summary>
    public ModuleBuilder Permission(string code, string name, params string[] roles)
    {
        Permissions.Add(new PermissionDefinition(code, name, _module, roles));
        return this;
    }

    public ModuleBuilder MenuItem(MenuSection section, string title, string href, string icon, int order, params string[] anyOf)
    {
        Menu.Add(new MenuEntry(_module, section, title, href, icon, order, anyOf));
        return this;
    }

    /// <summary>A menu entry that opens in a new window (e.g. the API reference).</summary>
    public ModuleBuilder ExternalMenuItem(MenuSection section, string title, string href, string icon, int order, params string[] anyOf)
    {
        Menu.Add(new MenuEntry(_module, section, title, href, icon, order, anyOf, NewWindow: true));
        return this;
    }

    public ModuleBuilder Link(string title, string href, string description, int order, params string[] anyOf)
    {
        Links.Add(new QuickLink(_module, title, href, description, order, anyOf));
        return this;
    }

    /// <summary>
    /// Rows of <typeparamref name="T"/> are audited as "<paramref name="label"/>"; <paramref name="describe"/> gives the summary
    /// line, <paramref name="fields"/> Chinese names for changed properties.
    /// </summary>
    public ModuleBuilder Audit<T>(string label, Func<T, string?>? describe = null, IReadOnlyDictionary<string, string>? fields = null, string? typeName = null)
    {
        Audits.Add(new AuditLabel(typeof(T), typeName ?? typeof(T).Name, label, describe is null ? null : o => describe((T)o),
            fields ?? new Dictionary<string, string>(), Skip: false));
        return this;
    }

    /// <summary>
    /// Rows of <typeparamref name="T"/> are not captured change by change: the owning service writes one audit sentence
    /// for them (parts saved with their owner, derived counts, progress counters).
    /// </summary>
    public ModuleBuilder AuditedByService<T>(string label)
    {
        Audits.Add(new AuditLabel(typeof(T), typeof(T).Name, label, null, new Dictionary<string, string>(), Skip: true));
        return this;
    }

    /// <summary>
    /// Rows of <typeparamref name="T"/> keep a personal value sealed in <paramref name="cipher"/> (and, when it is found by exact
    /// value, its lookup hash in <paramref name="hash"/>); <c>rotate-keys</c> re-seals it under the newest keys and audits
    /// each batch as "<paramref name="label"/>". Every mapped <c>…Cipher</c> column must be declared.
    /// </summary>
    public ModuleBuilder Sealed<T>(string label, Expression<Func<T, string?>> cipher, Expression<Func<T, string?>>? hash = null) where T : class
    {
        SealedColumns.Add(new SealedColumn(_module, typeof(T), label, PropertyName(cipher), hash is null ? null : PropertyName(hash)));
        return this;
    }

    static string PropertyName<T>(Expression<Func<T, string?>> e) =>
        e.Body is MemberExpression { Member: PropertyInfo p, Expression: ParameterExpression } ? p.Name
            : throw new ArgumentException($"Expected a property of {typeof(T).Name}, got {e}");

    /// <summary>A kind of background job the module enqueues; its handler is registered in <see cref="FeatureModule.AddServices"/>.</summary>
    public ModuleBuilder Job(string kind, string name)
    {
        Jobs.Add(new JobKind(kind, name, _module, null));
        return this;
    }

    /// <summary>
    /// Work that runs by itself every <paramref name="every"/> (one row per kind, on whichever node is free); with
    /// <paramref name="atStart"/> it is also due as soon as a node starts (checks that must not wait a day after a restart).
    /// </summary>
    public ModuleBuilder RecurringJob(string kind, string name, TimeSpan every, bool atStart = false)
    {
        Jobs.Add(new JobKind(kind, name, _module, every, atStart));
        return this;
    }

    /// <summary>A workflow of the module's items (listed for the tests that walk every illegal step, and for the docs).</summary>
    public ModuleBuilder Workflow(Workflow.IWorkflowDefinition workflow)
    {
        Workflows.Add(workflow);
        return this;
    }

    /// <summary>
    /// Figures kept in step with <typeparamref name="T"/> (see <see cref="Tallies.TallyHook"/>): <paramref name="key"/> says
    /// which tally a row counts in (null: none); after any save that touches keys, <paramref name="recount"/> rebuilds them
    /// in the same transaction; <paramref name="rebuildAll"/> recounts everything for the operator's repair verb, and at start
    /// when <typeparamref name="TTally"/> is empty while <typeparamref name="T"/> is not (the tally table was just added).
    /// </summary>
    public ModuleBuilder Tally<T, TKey, TTally>(string name, Func<T, TKey?> key, Func<Data.ShiliuDb, IReadOnlyCollection<TKey>, CancellationToken, Task> recount,
        Func<Data.ShiliuDb, CancellationToken, Task<int>> rebuildAll) where T : class where TKey : notnull where TTally : class
    {
        Tallies.Add(new Tallies.TallyHook(_module, name, typeof(T), o => key((T)o), (db, keys, ct) => recount(db, keys.Cast<TKey>().ToList(), ct), rebuildAll,
            async (db, ct) => !await db.Set<TTally>().IgnoreQueryFilters().AnyAsync(ct) && await db.Set<T>().IgnoreQueryFilters().AnyAsync(ct)));
        return this;
    }

    /// <summary>
    /// Figures the module's own services recount as they change their rows (not through a save's change tracking):
    /// <paramref name="rebuildAll"/> recounts everything for the operator's repair verb, and at start when
    /// <paramref name="missing"/> says the figures lag behind their rows (a figure an upgrade added).
    /// </summary>
    public ModuleBuilder Tally(string name, Func<Data.ShiliuDb, CancellationToken, Task<bool>> missing, Func<Data.ShiliuDb, CancellationToken, Task<int>> rebuildAll)
    {
        Tallies.Add(new Tallies.TallyHook(_module, name, null, _ => null, (_, _, _) => Task.CompletedTask, rebuildAll, missing));
        return this;
    }

    /// <summary>A code list the module keeps in the shared dictionary table (shown on the 数据字典 page under this name).</summary>
    public ModuleBuilder Dictionary(string kind, string name)
    {
        Dictionaries.Add((kind, name));
        return this;
    }

    /// <summary>The module's error codes: every <see cref="ErrorCode"/> field of <paramref name="errorsClass"/>.</summary>
    public ModuleBuilder ErrorCodes(Type errorsClass)
    {
        Errors.AddRange(errorsClass.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!));
        return this;
    }
}
