using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Activities;

/// <summary>
/// Publication of one activity photo (an evidence item filed to the activity): the consent of the people shown, who
/// recorded it and when, and the 可公开 flag that lets the photo onto the public 创建动态 page. The flag needs the consent;
/// withdrawing the consent clears the flag in the same save.
/// </summary>
public sealed class ActivityPhotoConsent : IOrgOwned, IVersioned
{
    /// <summary>The photo (an <see cref="EvidenceItem"/>) this row speaks for; one row per photo.</summary>
    public Guid EvidenceId { get; set; }
    public Guid ActivityId { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    /// <summary>How the people shown agreed (e.g. 参加者现场签字同意，签字表存档); null once withdrawn.</summary>
    public string? ConsentNote { get; set; }
    public string? ConsentBy { get; set; }
    public DateTime? ConsentUtc { get; set; }
    public bool Publishable { get; set; }
    public string? PublishedBy { get; set; }
    public DateTime? PublishedUtc { get; set; }
    /// <summary>The caption residents read under the photo.</summary>
    public string? Caption { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class ActivityPhotoConsentConfiguration : IEntityTypeConfiguration<ActivityPhotoConsent>
{
    public void Configure(EntityTypeBuilder<ActivityPhotoConsent> b)
    {
        b.ToTable("ActivityPhotoConsents");
        b.HasKey(c => c.EvidenceId);
        b.Property(c => c.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(c => c.ConsentNote).HasMaxLength(200);
        b.Property(c => c.ConsentBy).HasMaxLength(100);
        b.Property(c => c.PublishedBy).HasMaxLength(100);
        b.Property(c => c.Caption).HasMaxLength(100);
        b.Property(c => c.UpdatedBy).HasMaxLength(100);
        // The public page reads published photos newest first within the county's range.
        b.HasIndex(c => new { c.Publishable, c.OrgPath });
        b.HasIndex(c => c.ActivityId);
        b.HasOne<EvidenceItem>().WithOne().HasForeignKey<ActivityPhotoConsent>(c => c.EvidenceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Activity>().WithMany().HasForeignKey(c => c.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(c => c.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
