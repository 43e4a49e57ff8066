using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Core.Seed;
using Shiliu.Core.Tokens;

namespace Shiliu.Core;

public static class CoreServices
{
    /// <summary>The database and every module's services. The caller accessor and TimeProvider come from the host.</summary>
    public static IServiceCollection AddShiliuCore(this IServiceCollection services, DatabaseSettings database, Keys.KeyRing keys, IConfiguration config)
    {
        // Scoped factory: each context it creates carries the scope's caller (request or circuit).
        services.AddDbContextFactory<ShiliuDb>(database.Apply, ServiceLifetime.Scoped);
        services.AddSingleton(database);
        services.AddSingleton(keys);
        services.AddSingleton(new AuditChain(keys));
        services.AddScoped<Seeder>();
        foreach (var module in ShiliuModules.All) module.AddServices(services, config);
        return services;
    }

    /// <summary>The file store chosen by configuration ("Storage:Kind" = local | s3).</summary>
    public static IServiceCollection AddEvidenceStorage(this IServiceCollection services, IConfiguration config, string dataDir)
    {
        var storage = config.GetSection("Storage").Get<Evidence.StorageOptions>() ?? new Evidence.StorageOptions();
        string Under(string p) => Path.IsPathRooted(p) ? p : Path.Combine(dataDir, p.StartsWith("data/", StringComparison.Ordinal) ? p[5..] : p);
        services.AddSingleton<Evidence.IFileStore>(storage.Kind.ToLowerInvariant() switch
        {
            "local" => new Evidence.LocalFileStore(Under(storage.LocalRoot)),
            "s3" => new Evidence.S3FileStore(storage, Under(storage.StagingRoot)),
            var k => throw new InvalidOperationException($"Storage:Kind must be local or s3, not '{k}'"),
        });
        return services;
    }
}
