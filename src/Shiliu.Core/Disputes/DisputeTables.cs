using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Disputes;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>
/// The module's tables on the one context. Dispute rows are read through <see cref="DisputeAccess.Visible"/> (need to
/// know); parties, mediation entries and follow-ups only for cases found that way.
/// </summary>
public static class DisputeTables
{
    extension(ShiliuDb db)
    {
        public DbSet<Dispute> Disputes => db.Set<Dispute>();
        public DbSet<DisputeParty> DisputeParties => db.Set<DisputeParty>();
        public DbSet<MediationEntry> DisputeMediations => db.Set<MediationEntry>();
        public DbSet<FollowUpVisit> DisputeFollowUps => db.Set<FollowUpVisit>();
        public DbSet<Screening> DisputeScreenings => db.Set<Screening>();
        public DbSet<ScreeningReport> DisputeScreeningReports => db.Set<ScreeningReport>();
    }
}
