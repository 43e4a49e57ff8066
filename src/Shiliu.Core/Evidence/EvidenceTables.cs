using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Evidence;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.Evidence</c>), declared here rather than in ShiliuDb.</summary>
public static class EvidenceTables
{
    extension(ShiliuDb db)
    {
        public DbSet<EvidenceItem> Evidence => db.Set<EvidenceItem>();
        public DbSet<EvidenceRef> EvidenceRefs => db.Set<EvidenceRef>();
        public DbSet<DossierJob> DossierJobs => db.Set<DossierJob>();
    }
}
