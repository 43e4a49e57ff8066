using Microsoft.EntityFrameworkCore;
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
    public static IServiceCollection AddShiliuCore(this IServiceCollection services, DatabaseSettings database, byte[] auditKey)
    {
        // Scoped factory: each context it creates carries the scope's caller (request or circuit).
        services.AddDbContextFactory<ShiliuDb>(database.Apply, ServiceLifetime.Scoped);
        services.AddSingleton(database);
        services.AddSingleton(new AuditChain(auditKey));
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
        services.AddScoped<Seeder>();
        return services;
    }
}
