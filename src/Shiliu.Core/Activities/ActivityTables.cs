using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Activities;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.Activities</c>), declared here rather than in ShiliuDb.</summary>
public static class ActivityTables
{
    extension(ShiliuDb db)
    {
        public DbSet<Activity> Activities => db.Set<Activity>();
        public DbSet<Festival> Festivals => db.Set<Festival>();
        public DbSet<ActivityPhotoConsent> ActivityPhotoConsents => db.Set<ActivityPhotoConsent>();
    }
}
