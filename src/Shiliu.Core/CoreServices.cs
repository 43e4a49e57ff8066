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
    /// <summary>The database and every module service. The caller accessor and TimeProvider come from the host.</summary>
    public static IServiceCollection AddShiliuCore(this IServiceCollection services, DatabaseSettings database, Keys.KeyRing keys)
    {
        // Scoped factory: each context it creates carries the scope's caller (request or circuit).
        services.AddDbContextFactory<ShiliuDb>(database.Apply, ServiceLifetime.Scoped);
        services.AddSingleton(database);
        services.AddSingleton(keys);
        services.AddSingleton(new AuditChain(keys));
        services.AddSingleton<Residents.PersonalData>();
        services.AddScoped<Residents.ResidentService>();
        services.AddScoped<Residents.VisitService>();
        services.AddScoped<Residents.Import.ResidentImportService>();
        services.AddScoped<Residents.Import.ResidentLedger>();
        services.AddSingleton<Residents.Import.ImportQueue>();
        services.AddSingleton<Residents.Import.ImportProgress>();
        services.AddHostedService<Residents.Import.ResidentImportWorker>();
        services.AddScoped<Residents.PopulationStatisticsService>();
        services.AddScoped<Residents.GridService>();
        services.AddScoped<SessionService>();
        services.AddSingleton<TotpSecrets>();
        services.AddScoped<AccountService>();
        services.AddScoped<UserService>();
        services.AddScoped<OrganizationService>();
        services.AddScoped<DictionaryService>();
        services.AddScoped<TokenService>();
        services.AddScoped<AuditService>();
        services.AddScoped<Indicators.IndicatorService>();
        services.AddScoped<Campaigns.CampaignService>();
        services.AddScoped<Deliverables.DeliverableService>();
        services.AddScoped<WorkReports.WorkReportService>();
        services.AddScoped<Evidence.EvidenceService>();
        services.AddScoped<Evidence.DossierService>();
        services.AddSingleton<Evidence.DossierQueue>();
        services.AddHostedService<Evidence.DossierWorker>();
        services.AddScoped<Activities.ActivityService>();
        services.AddScoped<Activities.FestivalService>();
        services.AddScoped<Seeder>();
        return services;
    }

    /// <summary>The file store chosen by configuration ("Storage:Kind" = local | s3) and the upload limits ("Evidence").</summary>
    public static IServiceCollection AddEvidenceStorage(this IServiceCollection services, IConfiguration config, string dataDir)
    {
        var storage = config.GetSection("Storage").Get<Evidence.StorageOptions>() ?? new Evidence.StorageOptions();
        string Under(string p) => Path.IsPathRooted(p) ? p : Path.Combine(dataDir, p.StartsWith("data/", StringComparison.Ordinal) ? p[5..] : p);
        services.AddSingleton(config.GetSection("Evidence").Get<Evidence.EvidenceOptions>() ?? new Evidence.EvidenceOptions());
        services.AddSingleton(config.GetSection("Import").Get<Residents.Import.ImportOptions>() ?? new Residents.Import.ImportOptions());
        services.AddSingleton<Evidence.IFileStore>(storage.Kind.ToLowerInvariant() switch
        {
            "local" => new Evidence.LocalFileStore(Under(storage.LocalRoot)),
            "s3" => new Evidence.S3FileStore(storage, Under(storage.StagingRoot)),
            var k => throw new InvalidOperationException($"Storage:Kind must be local or s3, not '{k}'"),
        });
        return services;
    }
}
