using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Commendations;

namespace Shiliu.Core.Data;

/// <summary>The 模范评选 tables on the one context.</summary>
public static class CommendationTables
{
    extension(ShiliuDb db)
    {
        public DbSet<CommendationCall> CommendationCalls => db.Set<CommendationCall>();
        public DbSet<CallQuota> CommendationQuotas => db.Set<CallQuota>();
        public DbSet<Nomination> Nominations => db.Set<Nomination>();
        public DbSet<NominationFile> NominationFiles => db.Set<NominationFile>();
        public DbSet<Objection> CommendationObjections => db.Set<Objection>();
    }
}
