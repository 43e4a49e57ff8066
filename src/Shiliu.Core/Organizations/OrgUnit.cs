using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Organizations;

public enum OrgLevel
{
    County = 1,
    Township = 2,
    Community = 3,
    Grid = 4,
}

public sealed class OrgUnit : IOrgOwned, IVersioned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid? ParentId { get; private set; }
    public string Name { get; set; } = "";
    /// <summary>Statistical division code where one exists (12 digits), else a local code; unique.</summary>
    public string Code { get; set; } = "";
    public OrgLevel Level { get; private set; }
    /// <summary>"/{root}/{…}/{self}/" of Guid "N" strings: a subtree is a prefix match on an index.</summary>
    public string Path { get; private set; } = "";
    public int SortOrder { get; set; }
    public bool IsDisabled { get; set; }
    public bool IsDemo { get; set; }
    /// <summary>The unit's service window as residents see it on the public pages (office phone, address, hours).</summary>
    public string? PublicPhone { get; set; }
    public string? PublicAddress { get; set; }
    public string? OfficeHours { get; set; }
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }

    string IOrgOwned.OrgPath => Path;

    public static OrgUnit Root(string name, string code, OrgLevel level = OrgLevel.County)
    {
        var u = new OrgUnit { Name = name, Code = code, Level = level };
        u.Path = $"/{u.Id:N}/";
        return u;
    }

    public static OrgUnit ChildOf(OrgUnit parent, string name, string code, OrgLevel level)
    {
        var u = new OrgUnit { Name = name, Code = code, Level = level, ParentId = parent.Id };
        u.Path = $"{parent.Path}{u.Id:N}/";
        return u;
    }

    /// <summary>Re-parents this unit; the caller rewrites descendants' paths from <paramref name="oldPath"/>.</summary>
    internal void MoveUnder(OrgUnit parent, out string oldPath)
    {
        oldPath = Path;
        ParentId = parent.Id;
        Path = $"{parent.Path}{Id:N}/";
    }

    public static string LevelName(OrgLevel level) => level switch
    {
        OrgLevel.County => "县",
        OrgLevel.Township => "乡镇/街道",
        OrgLevel.Community => "社区/村",
        OrgLevel.Grid => "网格",
        _ => level.ToString(),
    };
}

sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> b)
    {
        b.Property(o => o.Name).HasMaxLength(100).IsRequired();
        b.Property(o => o.Code).HasMaxLength(32).IsRequired();
        b.Property(o => o.Path).HasMaxLength(400).IsRequired();
        b.Property(o => o.PublicPhone).HasMaxLength(30);
        b.Property(o => o.PublicAddress).HasMaxLength(100);
        b.Property(o => o.OfficeHours).HasMaxLength(60);
        b.Property(o => o.UpdatedBy).HasMaxLength(100);
        b.HasIndex(o => o.Code).IsUnique();
        b.HasIndex(o => o.Path);
        b.HasIndex(o => new { o.ParentId, o.SortOrder });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
