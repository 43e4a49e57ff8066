using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Indicators;

public enum FrameworkStatus
{
    Draft = 0,
    Published = 1,
}

/// <summary>The four assessment methods of the seed's table; a criterion may use several.</summary>
[Flags]
public enum AssessMethods
{
    None = 0,
    Report = 1,
    MaterialReview = 2,
    FieldInspection = 4,
    Questionnaire = 8,
}

/// <summary>
/// One version of the 测评指标 table: 一级 → 二级 → 测评标准. Drafts are edited as a whole; publishing freezes a version,
/// and a version an assessment has used is never changed (edits make a new draft).
/// </summary>
public sealed class IndicatorFramework : IVersioned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public int VersionNo { get; set; }
    public FrameworkStatus Status { get; set; }
    public int DeclaredTotal { get; set; } = 100;
    public string? Source { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? PublishedUtc { get; set; }
    public string? PublishedBy { get; set; }
    /// <summary>Set by the assessment module when a round scores against this version.</summary>
    public bool UsedByAssessment { get; set; }
    public List<IndicatorGroup> Groups { get; set; } = [];
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>一级指标.</summary>
public sealed class IndicatorGroup
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid FrameworkId { get; set; }
    public string Name { get; set; } = "";
    public int SortOrder { get; set; }
    public List<IndicatorSubgroup> Subgroups { get; set; } = [];
}

/// <summary>二级指标.</summary>
public sealed class IndicatorSubgroup
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid GroupId { get; set; }
    public string Name { get; set; } = "";
    public int SortOrder { get; set; }
    public List<IndicatorCriterion> Criteria { get; set; } = [];
}

/// <summary>测评标准: numbered across the table (1…n), with its score and methods.</summary>
public sealed class IndicatorCriterion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SubgroupId { get; set; }
    public int No { get; set; }
    /// <summary>What clerks call it (e.g. 联席会议制度), shown wherever a criterion is picked or listed.</summary>
    public string ShortTitle { get; set; } = "";
    public string Text { get; set; } = "";
    public int Score { get; set; }
    public AssessMethods Methods { get; set; }
}

public static class AssessMethodNames
{
    public static readonly (AssessMethods Method, string Name)[] All =
    [
        (AssessMethods.Report, "听取汇报"), (AssessMethods.MaterialReview, "材料审核"),
        (AssessMethods.FieldInspection, "实地考察"), (AssessMethods.Questionnaire, "问卷调查"),
    ];

    public static string Format(AssessMethods m) => string.Join("、", All.Where(a => m.HasFlag(a.Method)).Select(a => a.Name));
}

sealed class IndicatorFrameworkConfiguration : IEntityTypeConfiguration<IndicatorFramework>
{
    public void Configure(EntityTypeBuilder<IndicatorFramework> b)
    {
        b.ToTable("IndicatorFrameworks");
        b.Property(f => f.Name).HasMaxLength(100).IsRequired();
        b.Property(f => f.Source).HasMaxLength(200);
        b.Property(f => f.PublishedBy).HasMaxLength(100);
        b.Property(f => f.UpdatedBy).HasMaxLength(100);
        b.HasIndex(f => f.VersionNo).IsUnique();
        b.HasMany(f => f.Groups).WithOne().HasForeignKey(g => g.FrameworkId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class IndicatorGroupConfiguration : IEntityTypeConfiguration<IndicatorGroup>
{
    public void Configure(EntityTypeBuilder<IndicatorGroup> b)
    {
        b.Property(g => g.Name).HasMaxLength(50).IsRequired();
        b.HasMany(g => g.Subgroups).WithOne().HasForeignKey(s => s.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class IndicatorSubgroupConfiguration : IEntityTypeConfiguration<IndicatorSubgroup>
{
    public void Configure(EntityTypeBuilder<IndicatorSubgroup> b)
    {
        b.Property(s => s.Name).HasMaxLength(50).IsRequired();
        b.HasMany(s => s.Criteria).WithOne().HasForeignKey(c => c.SubgroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class IndicatorCriterionConfiguration : IEntityTypeConfiguration<IndicatorCriterion>
{
    public void Configure(EntityTypeBuilder<IndicatorCriterion> b)
    {
        b.Property(c => c.Text).HasMaxLength(500).IsRequired();
        b.Property(c => c.ShortTitle).HasMaxLength(20).IsRequired();
    }
}
