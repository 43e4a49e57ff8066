using Microsoft.EntityFrameworkCore;
using Shiliu.Core.ServiceCases;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The 服务群众 module's tables on the one context.</summary>
public static class ServiceCaseTables
{
    extension(ShiliuDb db)
    {
        public DbSet<ServiceType> ServiceTypes => db.Set<ServiceType>();
        public DbSet<ServiceCase> ServiceCases => db.Set<ServiceCase>();
        public DbSet<ServiceCaseTally> ServiceCaseTallies => db.Set<ServiceCaseTally>();
        public DbSet<ServiceCaseActivity> ServiceCaseActivities => db.Set<ServiceCaseActivity>();
        public DbSet<GuideEntry> GuideEntries => db.Set<GuideEntry>();
        public DbSet<ServiceWindow> ServiceWindows => db.Set<ServiceWindow>();
    }
}
