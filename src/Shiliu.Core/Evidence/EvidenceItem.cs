using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Evidence;

/// <summary>The three classes the seed files evidence under (影音/图片/文字).</summary>
public enum EvidenceCategory
{
    Media = 0,
    Image = 1,
    Text = 2,
}

/// <summary>What an evidence item supports: a 测评标准 (by its number) or one of the 十个一 (1–10).</summary>
public enum EvidenceRefKind
{
    Criterion = 1,
    Deliverable = 2,
}

/// <summary>
/// One piece of 痕迹台账: a file (photo, video, audio, document or a text record stored as .txt) of a unit, filed by
/// year and class. The bytes live in the file store under their SHA-256, so identical uploads share one copy.
/// </summary>
public sealed class EvidenceItem : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public int Year { get; set; }
    public EvidenceCategory Category { get; set; }
    public string Title { get; set; } = "";
    /// <summary>Sanitised original name, with the extension the content really has.</summary>
    public string FileName { get; set; } = "";
    /// <summary>Detected by content: jpg, png, pdf, docx, mp4 …</summary>
    public string Format { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string StorageKey { get; set; } = "";
    public string? ThumbnailKey { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public string? Description { get; set; }
    public string? Tags { get; set; }
    public Guid? ActivityId { get; set; }
    public string UploadedBy { get; set; } = "";
    public DateTime UploadedUtc { get; set; }
    public DateTime? DeletedUtc { get; set; }
    public string? DeletedBy { get; set; }
    public List<EvidenceRef> Refs { get; set; } = [];
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public sealed class EvidenceRef
{
    public Guid EvidenceId { get; set; }
    public EvidenceRefKind Kind { get; set; }
    public int No { get; set; }
}

public enum DossierStatus
{
    Queued = 0,
    Running = 1,
    Done = 2,
    Failed = 3,
}

/// <summary>An inspection dossier (迎检台账) being built or built in the background for one unit.</summary>
public sealed class DossierJob : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string UnitName { get; set; } = "";
    public int? Year { get; set; }
    public int? CriterionNo { get; set; }
    public DossierStatus Status { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
    public long Size { get; set; }
    public string? StorageKey { get; set; }
    public string? Error { get; set; }
    public string RequestedBy { get; set; } = "";
    /// <summary>The requester's scope, so the background build sees exactly what they may see.</summary>
    public string RequesterPath { get; set; } = "";
    public DateTime RequestedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
}

sealed class EvidenceItemConfiguration : IEntityTypeConfiguration<EvidenceItem>
{
    public void Configure(EntityTypeBuilder<EvidenceItem> b)
    {
        b.ToTable("EvidenceItems");
        b.Property(e => e.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(e => e.Title).HasMaxLength(100).IsRequired();
        b.Property(e => e.FileName).HasMaxLength(120).IsRequired();
        b.Property(e => e.Format).HasMaxLength(10).IsRequired();
        b.Property(e => e.ContentType).HasMaxLength(120).IsRequired();
        b.Property(e => e.Sha256).HasMaxLength(64).IsRequired();
        b.Property(e => e.StorageKey).HasMaxLength(200).IsRequired();
        b.Property(e => e.ThumbnailKey).HasMaxLength(200);
        b.Property(e => e.Description).HasMaxLength(1000);
        b.Property(e => e.Tags).HasMaxLength(200);
        b.Property(e => e.UploadedBy).HasMaxLength(100).IsRequired();
        b.Property(e => e.DeletedBy).HasMaxLength(100);
        b.Property(e => e.UpdatedBy).HasMaxLength(100);
        // The list is newest first: (UploadedUtc, Id) serves that order without a sort, so a page stops after its rows;
        // (OrgPath, DeletedUtc, Year, Category) covers the count and the subtree filters without reading the table.
        b.HasIndex(e => new { e.OrgPath, e.DeletedUtc, e.Year, e.Category });
        b.HasIndex(e => new { e.UploadedUtc, e.Id });
        b.HasIndex(e => new { e.OrgUnitId, e.Sha256 });
        b.HasIndex(e => e.ActivityId);
        b.HasMany(e => e.Refs).WithOne().HasForeignKey(r => r.EvidenceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(e => e.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Activities.Activity>().WithMany().HasForeignKey(e => e.ActivityId).OnDelete(DeleteBehavior.SetNull);
    }
}

sealed class EvidenceRefConfiguration : IEntityTypeConfiguration<EvidenceRef>
{
    public void Configure(EntityTypeBuilder<EvidenceRef> b)
    {
        b.ToTable("EvidenceRefs");
        b.HasKey(r => new { r.EvidenceId, r.Kind, r.No });
        b.HasIndex(r => new { r.Kind, r.No });
    }
}

sealed class DossierJobConfiguration : IEntityTypeConfiguration<DossierJob>
{
    public void Configure(EntityTypeBuilder<DossierJob> b)
    {
        b.ToTable("DossierJobs");
        b.Property(j => j.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(j => j.RequesterPath).HasMaxLength(400).IsRequired();
        b.Property(j => j.UnitName).HasMaxLength(100).IsRequired();
        b.Property(j => j.StorageKey).HasMaxLength(200);
        b.Property(j => j.Error).HasMaxLength(500);
        b.Property(j => j.RequestedBy).HasMaxLength(100).IsRequired();
        b.HasIndex(j => new { j.OrgUnitId, j.RequestedUtc });
        b.HasIndex(j => j.Status);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(j => j.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
