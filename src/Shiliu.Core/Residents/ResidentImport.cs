using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Residents;

public enum ImportStatus
{
    /// <summary>Uploaded; the background worker will read and check it.</summary>
    Queued = 0,
    Previewing = 1,
    /// <summary>Checked; waiting for the user to commit the valid rows.</summary>
    Previewed = 2,
    /// <summary>The user asked to commit; the worker is writing.</summary>
    CommitQueued = 3,
    Committing = 4,
    Committed = 5,
    Failed = 6,
    Cancelled = 7,
}

/// <summary>
/// One spreadsheet import of residents into a community: a persisted job, so a closed browser or a restart does not lose
/// it. The worker previews (every row checked, nothing written), then on request commits the valid rows in one transaction.
/// </summary>
public sealed class ResidentImport : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The community the rows go into (rows may name one of its grids).</summary>
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string UnitName { get; set; } = "";
    public string FileName { get; set; } = "";
    public long FileSize { get; set; }
    /// <summary>SHA-256 of the upload: the same file sent again while its import is still open is the same request.</summary>
    public string FileSha256 { get; set; } = "";
    public ImportStatus Status { get; set; }
    public int TotalRows { get; set; }
    public int ProcessedRows { get; set; }
    public int ValidRows { get; set; }
    public int ErrorRows { get; set; }
    /// <summary>Rows whose person is already in this community's archive with the same ID number: skipped, not errors.</summary>
    public int ExistingRows { get; set; }
    public int InsertedRows { get; set; }
    /// <summary>The first errors as JSON ([{row, column, message}]); all of them are in the error sheet.</summary>
    public string? ErrorsJson { get; set; }
    /// <summary>Why the whole file was refused or the job failed (Chinese, for the user).</summary>
    public string? Error { get; set; }
    public string RequestedBy { get; set; } = "";
    /// <summary>The requester's scope, so the background work sees exactly what they may see.</summary>
    public string RequesterPath { get; set; } = "";
    public DateTime RequestedUtc { get; set; }
    public DateTime? PreviewedUtc { get; set; }
    public string? CommittedBy { get; set; }
    public DateTime? CommittedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class ResidentImportConfiguration : IEntityTypeConfiguration<ResidentImport>
{
    public void Configure(EntityTypeBuilder<ResidentImport> b)
    {
        b.ToTable("ResidentImports");
        b.Property(j => j.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(j => j.RequesterPath).HasMaxLength(400).IsRequired();
        b.Property(j => j.UnitName).HasMaxLength(100).IsRequired();
        b.Property(j => j.FileName).HasMaxLength(200).IsRequired();
        b.Property(j => j.FileSha256).HasMaxLength(64).IsRequired();
        b.Property(j => j.Error).HasMaxLength(1000);
        b.Property(j => j.RequestedBy).HasMaxLength(100).IsRequired();
        b.Property(j => j.CommittedBy).HasMaxLength(100);
        b.Property(j => j.UpdatedBy).HasMaxLength(100);
        b.HasIndex(j => new { j.OrgPath, j.RequestedUtc });
        b.HasIndex(j => new { j.OrgUnitId, j.FileSha256 });
        b.HasIndex(j => j.Status);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(j => j.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
