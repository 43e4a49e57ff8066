using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Campaigns;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.Campaigns</c>), declared here rather than in ShiliuDb.</summary>
public static class CampaignTables
{
    extension(ShiliuDb db)
    {
        public DbSet<Campaign> Campaigns => db.Set<Campaign>();
        public DbSet<CampaignUnit> CampaignUnits => db.Set<CampaignUnit>();
        public DbSet<UnitTaskDone> UnitTasksDone => db.Set<UnitTaskDone>();
        public DbSet<UnitPlan> UnitPlans => db.Set<UnitPlan>();

        /// <summary>The campaign under way: the one issued last and not closed (issuing a new one closes the earlier).</summary>
        public Task<Guid?> CurrentCampaignIdAsync(CancellationToken ct = default) =>
            db.Set<Campaign>().AsNoTracking().Where(c => c.ClosedUtc == null).OrderByDescending(c => c.IssueDate).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
    }
}
