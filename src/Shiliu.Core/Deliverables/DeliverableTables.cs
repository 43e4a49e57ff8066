using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Deliverables;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.Deliverables</c>), declared here rather than in ShiliuDb.</summary>
public static class DeliverableTables
{
    extension(ShiliuDb db)
    {
        public DbSet<Deliverable> Deliverables => db.Set<Deliverable>();
    }
}
