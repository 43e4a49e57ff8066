using Shiliu.Core.Common;

namespace Shiliu.Core.Platform;

/// <summary>Everything the modules declared, gathered once: permissions, menu, links, audit labels, error codes.</summary>
public sealed class ModuleCatalog
{
    readonly Dictionary<string, PermissionDefinition> _permissions;
    readonly Dictionary<Type, AuditLabel> _auditByType;
    readonly Dictionary<string, AuditLabel> _auditByName;
    readonly Dictionary<string, JobKind> _jobs;

    ModuleCatalog(IReadOnlyList<FeatureModule> modules)
    {
        Modules = modules;
        var builders = modules.Select(m =>
        {
            var b = new ModuleBuilder(m.Name);
            m.Declare(b);
            return b;
        }).ToList();
        var permissions = builders.SelectMany(b => b.Permissions).ToList();
        if (permissions.GroupBy(p => p.Code).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidOperationException($"Permission {twice.Key} is declared by {string.Join(" and ", twice.Select(p => p.Module))}");
        if (permissions.SelectMany(p => p.Roles).FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
            throw new InvalidOperationException($"Unknown role {unknown} in a permission declaration");
        _permissions = permissions.ToDictionary(p => p.Code);
        Menu = builders.SelectMany(b => b.Menu).OrderBy(e => e.Section).ThenBy(e => e.Order).ToList();
        Links = builders.SelectMany(b => b.Links).OrderBy(l => l.Order).ToList();
        var audits = builders.SelectMany(b => b.Audits).ToList();
        _auditByType = audits.ToDictionary(a => a.Type);
        _auditByName = audits.ToDictionary(a => a.TypeName);
        Errors = builders.SelectMany(b => b.Errors).ToList();
        if (Errors.GroupBy(e => e.Code).FirstOrDefault(g => g.Count() > 1) is { } dup)
            throw new InvalidOperationException($"Error code {dup.Key} is declared twice");
        _jobs = builders.SelectMany(b => b.Jobs).ToDictionary(j => j.Kind);
        Workflows = builders.SelectMany(b => b.Workflows).ToList();
        SealedColumns = builders.SelectMany(b => b.SealedColumns).ToList();
        if (SealedColumns.GroupBy(c => (c.Type, c.Cipher)).FirstOrDefault(g => g.Count() > 1) is { } sealedTwice)
            throw new InvalidOperationException($"Sealed column {sealedTwice.Key.Type.Name}.{sealedTwice.Key.Cipher} is declared twice");
        if (SealedColumns.GroupBy(c => c.Label).FirstOrDefault(g => g.Count() > 1) is { } sameLabel)
            throw new InvalidOperationException($"Two sealed columns are labelled {sameLabel.Key}");
        Tallies = builders.SelectMany(b => b.Tallies).ToList();
        DictionaryKinds = builders.SelectMany(b => b.Dictionaries).ToDictionary(d => d.Kind, d => d.Name);
        if (Menu.SelectMany(e => e.AnyOf).Concat(Links.SelectMany(l => l.AnyOf)).FirstOrDefault(p => !_permissions.ContainsKey(p)) is { } undeclared)
            throw new InvalidOperationException($"Menu or link needs undeclared permission {undeclared}");
    }

    public static ModuleCatalog Build(IReadOnlyList<FeatureModule> modules) => new(modules);

    public IReadOnlyList<FeatureModule> Modules { get; }
    public IReadOnlyCollection<PermissionDefinition> Permissions => _permissions.Values;
    public IReadOnlyList<MenuEntry> Menu { get; }
    public IReadOnlyList<QuickLink> Links { get; }
    public IReadOnlyList<ErrorCode> Errors { get; }

    public IReadOnlyCollection<JobKind> Jobs => _jobs.Values;

    public IReadOnlyList<Workflow.IWorkflowDefinition> Workflows { get; }

    /// <summary>Every column a module declared as holding a sealed personal value (what <c>rotate-keys</c> re-seals).</summary>
    public IReadOnlyList<SealedColumn> SealedColumns { get; }

    /// <summary>Every tally a module keeps in step with its rows (recounted by the saves that touch them).</summary>
    public IReadOnlyList<Tallies.TallyHook> Tallies { get; }

    public JobKind? Job(string kind) => _jobs.GetValueOrDefault(kind);

    /// <summary>Dictionary kinds and their Chinese names, as the modules declared them.</summary>
    public IReadOnlyDictionary<string, string> DictionaryKinds { get; }

    public bool Allows(string permission, IEnumerable<string> roles) =>
        _permissions.TryGetValue(permission, out var p)
            ? p.Roles.Intersect(roles).Any()
            : throw new InvalidOperationException($"Permission {permission} is not declared by any module");

    public PermissionDefinition Permission(string code) => _permissions[code];

    /// <summary>The declaration for an entity type, or null when its module declared none (audited with bare type names).</summary>
    public AuditLabel? AuditOf(Type type) => _auditByType.GetValueOrDefault(type);

    /// <summary>The Chinese name of an entity type as stored in audit rows ("Resident" → 居民档案).</summary>
    public string EntityLabel(string? typeName) =>
        typeName is null ? "" : _auditByName.TryGetValue(typeName, out var a) ? a.Label : typeName;

    public IEnumerable<(string TypeName, string Label)> EntityLabels => _auditByName.Values.Where(a => !a.Skip).Select(a => (a.TypeName, a.Label));
}
