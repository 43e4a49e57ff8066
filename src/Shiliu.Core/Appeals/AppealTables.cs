using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Appeals;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.Appeals</c>), declared here rather than in ShiliuDb.</summary>
public static class AppealTables
{
    extension(ShiliuDb db)
    {
        public DbSet<Appeal> Appeals => db.Set<Appeal>();
        public DbSet<AppealPhoto> AppealPhotos => db.Set<AppealPhoto>();
        public DbSet<AppealLookupGuard> AppealLookupGuards => db.Set<AppealLookupGuard>();
    }
}
