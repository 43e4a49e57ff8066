using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Assessment;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The assessment round's tables on the one context.</summary>
public static class AssessmentTables
{
    extension(ShiliuDb db)
    {
        public DbSet<AssessmentRound> AssessmentRounds => db.Set<AssessmentRound>();
        public DbSet<RoundBand> AssessmentBands => db.Set<RoundBand>();
        public DbSet<RoundCriterion> AssessmentCriteria => db.Set<RoundCriterion>();
        public DbSet<RoundUnit> AssessmentUnits => db.Set<RoundUnit>();
        public DbSet<MutualPair> AssessmentPairs => db.Set<MutualPair>();
        public DbSet<AssessorAssignment> AssessmentAssessors => db.Set<AssessorAssignment>();
        public DbSet<Scoresheet> AssessmentSheets => db.Set<Scoresheet>();
        public DbSet<ScoreLine> AssessmentScoreLines => db.Set<ScoreLine>();
    }
}
