using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;

namespace Shiliu.Core.Screens;

/// <summary>
/// A wall display the county office set up for one screen (a meeting room, a hall): it shows the 大屏 of one unit's
/// subtree to whoever stands in front of it, without an account. Its key is shown once and kept as a hash; revoking it
/// blanks the screen at its next refresh. The row belongs to the unit it shows.
/// </summary>
public sealed class DisplayScreen : IOrgOwned, IVersioned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    /// <summary>The key's first characters, so the office can tell screens' links apart.</summary>
    public string KeyPrefix { get; set; } = "";
    [NotAudited] public string KeyHash { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime? RevokedUtc { get; set; }
    public string? RevokedBy { get; set; }
    public string? RevokeReason { get; set; }
    /// <summary>When the screen last fetched its figures (kept to the minute: "在线" on the office's list).</summary>
    [NotAudited] public DateTime? LastSeenUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class DisplayScreenConfiguration : IEntityTypeConfiguration<DisplayScreen>
{
    public void Configure(EntityTypeBuilder<DisplayScreen> b)
    {
        b.ToTable("DisplayScreens");
        b.Property(s => s.Name).HasMaxLength(40).IsRequired();
        b.Property(s => s.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(s => s.KeyPrefix).HasMaxLength(16).IsRequired();
        b.Property(s => s.KeyHash).HasMaxLength(64).IsRequired();
        b.Property(s => s.CreatedBy).HasMaxLength(64).IsRequired();
        b.Property(s => s.RevokedBy).HasMaxLength(64);
        b.Property(s => s.RevokeReason).HasMaxLength(200);
        b.Property(s => s.UpdatedBy).HasMaxLength(64);
        b.HasIndex(s => s.KeyHash).IsUnique();
        b.HasIndex(s => s.OrgPath);
    }
}
