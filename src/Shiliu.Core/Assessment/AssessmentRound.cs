using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Assessment;

/// <summary>A round moves through the three modes in the seed's order, then publishes its results.</summary>
public enum RoundStage
{
    Draft = 0,
    SelfCheck = 1,
    Mutual = 2,
    Supervision = 3,
    Published = 4,
}

/// <summary>The seed's three ways of scoring: 自检自查, 互检互评, 调研督查.</summary>
public enum AssessMode
{
    Self = 1,
    Mutual = 2,
    Supervision = 3,
}

/// <summary>What decides between equal weighted totals, in the order the round declares; equal on all of them is 并列.</summary>
public enum TieBreak
{
    /// <summary>Higher 调研督查 total first.</summary>
    SupervisionTotal = 1,
    /// <summary>Fewer deducted items (criteria scored below full marks on submitted sheets) first.</summary>
    FewerDeductions = 2,
    MutualTotal = 3,
    SelfTotal = 4,
}

/// <summary>
/// 督查考评 round (e.g. 2019年3月综合考核): county-wide configuration like the framework it scores against. Everything
/// that decides a result (weights, bands, tie rule, criteria) is declared in the draft and locked once it opens.
/// </summary>
public sealed class AssessmentRound : IVersioned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid? CampaignId { get; set; }
    public Guid FrameworkId { get; set; }
    public int FrameworkVersionNo { get; set; }
    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
    public RoundStage Stage { get; set; }
    public int WeightSelf { get; set; }
    public int WeightMutual { get; set; }
    public int WeightSupervision { get; set; }
    /// <summary>Working days each stage lasts from the day it opens (the due date is counted on the working calendar).</summary>
    public int SelfDays { get; set; } = 5;
    public int MutualDays { get; set; } = 5;
    public int SupervisionDays { get; set; } = 10;
    public DateOnly? SelfDue { get; set; }
    public DateOnly? MutualDue { get; set; }
    public DateOnly? SupervisionDue { get; set; }
    /// <summary>The tie rule as an ordered list of <see cref="TieBreak"/> names, e.g. "SupervisionTotal,FewerDeductions".</summary>
    public string TieRule { get; set; } = "SupervisionTotal,FewerDeductions";
    /// <summary>Mode totals further apart than this (points) are flagged on the results.</summary>
    public decimal GapThreshold { get; set; } = 10;
    /// <summary>互检互评 pairs never within the same township.</summary>
    public bool SeparateTownships { get; set; } = true;
    /// <summary>The seed the pairs were drawn from: the same seed and units draw the same pairs.</summary>
    public int? PairSeed { get; set; }
    public bool IsDemo { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime? OpenedUtc { get; set; }
    public DateTime? PublishedUtc { get; set; }
    public List<RoundBand> Bands { get; set; } = [];
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }

    public int WeightOf(AssessMode mode) => mode switch
    {
        AssessMode.Self => WeightSelf,
        AssessMode.Mutual => WeightMutual,
        _ => WeightSupervision,
    };

    public IReadOnlyList<TieBreak> TieBreaks =>
        TieRule.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<TieBreak>).ToList();
}

/// <summary>A grade band: totals from <see cref="MinScore"/> up (to the next band) get <see cref="Name"/>.</summary>
public sealed class RoundBand
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RoundId { get; set; }
    public string Name { get; set; } = "";
    public decimal MinScore { get; set; }
}

/// <summary>A criterion as the round pinned it when it opened: later framework versions never change a round.</summary>
public sealed class RoundCriterion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RoundId { get; set; }
    public int No { get; set; }
    public string GroupName { get; set; } = "";
    public string ShortTitle { get; set; } = "";
    public string Text { get; set; } = "";
    public int Points { get; set; }
    public AssessMethods Methods { get; set; }
}

/// <summary>A unit scored in the round, with its veto (一票否决) when the county office sets one.</summary>
public sealed class RoundUnit : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RoundId { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string UnitName { get; set; } = "";
    public OrgLevel Level { get; set; }
    /// <summary>The township the unit belongs to (itself for a township), for the pairing rule.</summary>
    public Guid TownshipId { get; set; }
    public string TownshipName { get; set; } = "";
    public string? VetoReason { get; set; }
    public string? VetoReference { get; set; }
    public string? VetoBy { get; set; }
    public DateTime? VetoUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>互检互评: the scorer unit scores the scored unit. Read in the service by the scorer's path.</summary>
public sealed class MutualPair
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RoundId { get; set; }
    public Guid ScorerUnitId { get; set; }
    public string ScorerPath { get; set; } = "";
    public string ScorerName { get; set; } = "";
    public Guid ScoredUnitId { get; set; }
    public string ScoredName { get; set; } = "";
}

/// <summary>调研督查: an assessor (a user with the assessor role) assigned to a unit; the assessor sees only these units.</summary>
public sealed class AssessorAssignment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RoundId { get; set; }
    public string UserId { get; set; } = "";
    public string UserName { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public Guid OrgUnitId { get; set; }
    public string UnitName { get; set; } = "";
}

sealed class AssessmentRoundConfiguration : IEntityTypeConfiguration<AssessmentRound>
{
    public void Configure(EntityTypeBuilder<AssessmentRound> b)
    {
        b.ToTable("AssessmentRounds");
        b.Property(r => r.Name).HasMaxLength(100).IsRequired();
        b.Property(r => r.TieRule).HasMaxLength(200).IsRequired();
        b.Property(r => r.GapThreshold).HasPrecision(6, 2);
        b.Property(r => r.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(r => r.UpdatedBy).HasMaxLength(100);
        b.HasIndex(r => r.Name).IsUnique();
        b.HasOne<IndicatorFramework>().WithMany().HasForeignKey(r => r.FrameworkId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Bands).WithOne().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class RoundBandConfiguration : IEntityTypeConfiguration<RoundBand>
{
    public void Configure(EntityTypeBuilder<RoundBand> b)
    {
        b.ToTable("AssessmentBands");
        b.Property(x => x.Name).HasMaxLength(20).IsRequired();
        b.Property(x => x.MinScore).HasPrecision(6, 2);
    }
}

sealed class RoundCriterionConfiguration : IEntityTypeConfiguration<RoundCriterion>
{
    public void Configure(EntityTypeBuilder<RoundCriterion> b)
    {
        b.ToTable("AssessmentCriteria");
        b.Property(x => x.GroupName).HasMaxLength(50).IsRequired();
        b.Property(x => x.ShortTitle).HasMaxLength(20).IsRequired();
        b.Property(x => x.Text).HasMaxLength(500).IsRequired();
        b.HasIndex(x => new { x.RoundId, x.No }).IsUnique();
        b.HasOne<AssessmentRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class RoundUnitConfiguration : IEntityTypeConfiguration<RoundUnit>
{
    public void Configure(EntityTypeBuilder<RoundUnit> b)
    {
        b.ToTable("AssessmentUnits");
        b.Property(x => x.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(x => x.UnitName).HasMaxLength(100).IsRequired();
        b.Property(x => x.TownshipName).HasMaxLength(100).IsRequired();
        b.Property(x => x.VetoReason).HasMaxLength(500);
        b.Property(x => x.VetoReference).HasMaxLength(100);
        b.Property(x => x.VetoBy).HasMaxLength(100);
        b.Property(x => x.UpdatedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.RoundId, x.OrgUnitId }).IsUnique();
        b.HasIndex(x => new { x.OrgPath, x.RoundId });
        b.HasOne<AssessmentRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class MutualPairConfiguration : IEntityTypeConfiguration<MutualPair>
{
    public void Configure(EntityTypeBuilder<MutualPair> b)
    {
        b.ToTable("AssessmentPairs");
        b.Property(x => x.ScorerPath).HasMaxLength(400).IsRequired();
        b.Property(x => x.ScorerName).HasMaxLength(100).IsRequired();
        b.Property(x => x.ScoredName).HasMaxLength(100).IsRequired();
        b.HasIndex(x => new { x.RoundId, x.ScorerUnitId, x.ScoredUnitId }).IsUnique();
        b.HasIndex(x => new { x.ScorerPath, x.RoundId });
        b.HasOne<AssessmentRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class AssessorAssignmentConfiguration : IEntityTypeConfiguration<AssessorAssignment>
{
    public void Configure(EntityTypeBuilder<AssessorAssignment> b)
    {
        b.ToTable("AssessmentAssessors");
        b.Property(x => x.UserId).HasMaxLength(100).IsRequired();
        b.Property(x => x.UserName).HasMaxLength(100).IsRequired();
        b.Property(x => x.DisplayName).HasMaxLength(100).IsRequired();
        b.Property(x => x.UnitName).HasMaxLength(100).IsRequired();
        b.HasIndex(x => new { x.RoundId, x.UserId, x.OrgUnitId }).IsUnique();
        b.HasOne<AssessmentRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}
