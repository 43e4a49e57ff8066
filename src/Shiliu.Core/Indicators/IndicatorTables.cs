using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Indicators;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.IndicatorFrameworks</c>), declared here rather than in ShiliuDb.</summary>
public static class IndicatorTables
{
    extension(ShiliuDb db)
    {
        public DbSet<IndicatorFramework> IndicatorFrameworks => db.Set<IndicatorFramework>();
    }
}
