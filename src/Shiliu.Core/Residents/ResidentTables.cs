using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Residents;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.Residents</c>), declared here rather than in ShiliuDb.</summary>
public static class ResidentTables
{
    extension(ShiliuDb db)
    {
        public DbSet<Resident> Residents => db.Set<Resident>();
        public DbSet<RetentionRule> RetentionRules => db.Set<RetentionRule>();
        public DbSet<ResidentChange> ResidentChanges => db.Set<ResidentChange>();
        public DbSet<ResidentTransfer> ResidentTransfers => db.Set<ResidentTransfer>();
        public DbSet<Visit> Visits => db.Set<Visit>();
        public DbSet<ResidentImport> ResidentImports => db.Set<ResidentImport>();
        public DbSet<GridMember> GridMembers => db.Set<GridMember>();
        public DbSet<GridInfo> GridInfos => db.Set<GridInfo>();
        public DbSet<ResidentTally> ResidentTallies => db.Set<ResidentTally>();
        public DbSet<Residents.Import.LedgerExportRequest> LedgerExportRequests => db.Set<Residents.Import.LedgerExportRequest>();
    }
}
