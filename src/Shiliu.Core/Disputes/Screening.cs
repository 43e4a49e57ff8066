using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Disputes;

/// <summary>排查 risk level of what a screening found.</summary>
public enum ScreeningRisk
{
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
}

/// <summary>
/// One 矛盾纠纷排查 of a unit (每月，重要时期每半月或每日): when, where, what was found and how risky — or a 零报告 when
/// nothing was found.
/// </summary>
public sealed class Screening : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public DateOnly Date { get; set; }
    /// <summary>排查范围 (grids, streets, groups covered).</summary>
    public string Area { get; set; } = "";
    /// <summary>零报告: nothing found.</summary>
    public bool Nil { get; set; }
    /// <summary>发现的矛盾纠纷和不稳定因素; empty for a nil report.</summary>
    [AuditRedacted] public string? Factors { get; set; }
    public int FactorCount { get; set; }
    public ScreeningRisk Risk { get; set; }
    public bool EthnicFactors { get; set; }
    public string Screener { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>The monthly 排查情况 report a unit sends upward by the 20th (零报告 when the month found nothing).</summary>
public sealed class ScreeningReport : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    /// <summary>yyyyMM.</summary>
    public int Month { get; set; }
    public bool Nil { get; set; }
    public int Screenings { get; set; }
    public int Factors { get; set; }
    public ScreeningRisk HighestRisk { get; set; }
    /// <summary>Reported after the 20th (China time).</summary>
    public bool Late { get; set; }
    public string ReportedBy { get; set; } = "";
    public DateTime ReportedUtc { get; set; }
}

sealed class ScreeningConfiguration : IEntityTypeConfiguration<Screening>
{
    public void Configure(EntityTypeBuilder<Screening> b)
    {
        b.ToTable("DisputeScreenings");
        b.Property(s => s.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(s => s.Area).HasMaxLength(100).IsRequired();
        b.Property(s => s.Factors).HasMaxLength(2000);
        b.Property(s => s.Screener).HasMaxLength(50).IsRequired();
        b.Property(s => s.RecordedBy).HasMaxLength(100).IsRequired();
        b.Property(s => s.UpdatedBy).HasMaxLength(100);
        b.HasIndex(s => new { s.OrgPath, s.Date });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(s => s.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ScreeningReportConfiguration : IEntityTypeConfiguration<ScreeningReport>
{
    public void Configure(EntityTypeBuilder<ScreeningReport> b)
    {
        b.ToTable("DisputeScreeningReports");
        b.Property(r => r.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(r => r.ReportedBy).HasMaxLength(100).IsRequired();
        b.HasIndex(r => new { r.OrgUnitId, r.Month }).IsUnique();
        b.HasIndex(r => new { r.Month, r.OrgPath });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
