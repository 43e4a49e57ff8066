using Shiliu.Core.Data;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Dictionaries;

public static class DictionaryPermissions
{
    public const string Manage = "perm.dictionary.manage";
}

/// <summary>数据字典: code lists (ethnicity, activity type, …) that other modules declare and the system admin edits.</summary>
public sealed class DictionariesModule : FeatureModule
{
    public override string Name => "数据字典";

    public override void Declare(ModuleBuilder m) => m
        .Permission(DictionaryPermissions.Manage, "维护数据字典", Roles.SystemAdmin)
        .MenuItem(MenuSection.System, "数据字典", "/dictionaries", "book", 40, PlatformPermissions.Staff)
        .Dictionary(DictionaryKinds.Ethnicity, "民族(GB/T 3304)")
        .Audit<DictionaryItem>("字典", d => $"字典 {d.Kind} {d.Code} {d.Name}", new Dictionary<string, string> { ["Enabled"] = "启用状态" });

    public override void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<DictionaryService>();

    public override async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var existing = await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.Ethnicity).Select(d => d.Code).ToListAsync(ct);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Shiliu.Core.Seed.ethnicities.csv")!;
        using var reader = new StreamReader(stream);
        var lines = (await reader.ReadToEndAsync(ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1);
        var added = 0;
        foreach (var line in lines)
        {
            var f = line.Split(',');
            if (existing.Contains(f[0])) continue;
            db.DictionaryItems.Add(new DictionaryItem
            {
                Kind = DictionaryKinds.Ethnicity, Code = f[0], Name = f[1], Extra = f.Length > 2 && f[2].Length > 0 ? f[2] : null,
                SortOrder = int.Parse(f[0]),
            });
            added++;
        }
        if (added == 0) return;
        await db.SaveChangesAsync(ct);
        seed.Report.Add($"已导入民族字典 {added} 项");
    }
}
