using Microsoft.EntityFrameworkCore;
using Shiliu.Core.WorkReports;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.WorkReports</c>), declared here rather than in ShiliuDb.</summary>
public static class WorkReportTables
{
    extension(ShiliuDb db)
    {
        public DbSet<WorkReport> WorkReports => db.Set<WorkReport>();
    }
}
