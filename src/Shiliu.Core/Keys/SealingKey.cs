using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Shiliu.Core.Keys;

/// <summary>
/// A key version that has sealed or signed data in this database, by its fingerprint (never the key itself). A node that
/// lacks one of these keys, or holds a different key under the same version, refuses to start.
/// </summary>
public sealed class SealingKey
{
    public string Purpose { get; set; } = "";
    public int Version { get; set; }
    public string Fingerprint { get; set; } = "";
    public DateTime FirstUsedUtc { get; set; }
}

sealed class SealingKeyConfiguration : IEntityTypeConfiguration<SealingKey>
{
    public void Configure(EntityTypeBuilder<SealingKey> b)
    {
        b.ToTable("SealingKeys");
        b.HasKey(k => new { k.Purpose, k.Version });
        b.Property(k => k.Purpose).HasMaxLength(20);
        b.Property(k => k.Fingerprint).HasMaxLength(16).IsRequired();
    }
}
