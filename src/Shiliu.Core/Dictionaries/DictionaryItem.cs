using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Dictionaries;

/// <summary>An entry of a code list (ethnicity, activity type, …); codes are stable, names may be edited.</summary>
public sealed class DictionaryItem : IVersioned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string Kind { get; set; } = "";
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Extra { get; set; }
    public int SortOrder { get; set; }
    public bool Enabled { get; set; } = true;
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class DictionaryKinds
{
    public const string Ethnicity = "ethnicity";
    public const string ActivityType = "activity-type";

}

sealed class DictionaryItemConfiguration : IEntityTypeConfiguration<DictionaryItem>
{
    public void Configure(EntityTypeBuilder<DictionaryItem> b)
    {
        b.ToTable("DictionaryItems");
        b.Property(d => d.Kind).HasMaxLength(40).IsRequired();
        b.Property(d => d.Code).HasMaxLength(40).IsRequired();
        b.Property(d => d.Name).HasMaxLength(100).IsRequired();
        b.Property(d => d.Extra).HasMaxLength(200);
        b.Property(d => d.UpdatedBy).HasMaxLength(100);
        b.HasIndex(d => new { d.Kind, d.Code }).IsUnique();
    }
}
