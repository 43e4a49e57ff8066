using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.WorkReports;

public enum ReportStatus
{
    Draft = 0,
    Reported = 1,
    Adopted = 2,
    Returned = 3,
}

/// <summary>A brief (工作信息) written by a unit and reported to the level above, which adopts or returns it.</summary>
public sealed class WorkReport : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>Sanitised HTML.</summary>
    public string Body { get; set; } = "";
    public ReportStatus Status { get; set; }
    public string Author { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime? ReportedUtc { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTime? ReviewedUtc { get; set; }
    public string? ReturnReason { get; set; }
    /// <summary>Adopted briefs the county publishes are readable by all staff, in every unit.</summary>
    public bool Published { get; set; }
    public DateTime? PublishedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class WorkReportConfiguration : IEntityTypeConfiguration<WorkReport>
{
    public void Configure(EntityTypeBuilder<WorkReport> b)
    {
        b.ToTable("WorkReports");
        b.Property(r => r.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(r => r.Title).HasMaxLength(100).IsRequired();
        b.Property(r => r.Body).HasMaxLength(50_000).IsRequired();
        b.Property(r => r.Author).HasMaxLength(100).IsRequired();
        b.Property(r => r.ReviewedBy).HasMaxLength(100);
        b.Property(r => r.ReturnReason).HasMaxLength(500);
        b.Property(r => r.UpdatedBy).HasMaxLength(100);
        b.HasIndex(r => new { r.OrgPath, r.Status });
        b.HasIndex(r => r.Published);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
