using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Residents;

public enum GridRole
{
    /// <summary>网格长</summary>
    Leader = 1,
    /// <summary>专职网格员</summary>
    FullTime = 2,
    /// <summary>兼职网格员</summary>
    PartTime = 3,
    /// <summary>网格指导员 (a cadre of the township who guides the grid)</summary>
    Instructor = 4,
}

/// <summary>
/// A person serving a grid. Grid staff are posted publicly on the grid's notice board (name, role, phone), so the phone
/// is not treated as residents' personal data; a member may be linked to the grid worker's sign-in account.
/// </summary>
public sealed class GridMember : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid GridId { get; set; }
    /// <summary>The grid's path.</summary>
    public string OrgPath { get; set; } = "";
    public string Name { get; set; } = "";
    public GridRole Role { get; set; }
    public string? Phone { get; set; }
    public Guid? UserId { get; set; }
    public int SortOrder { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>What a community records about one of its grids: its bounds (四至) and what it covers (buildings, groups).</summary>
public sealed class GridInfo : IOrgOwned, IVersioned
{
    /// <summary>The grid's org unit id.</summary>
    public Guid Id { get; set; }
    public string OrgPath { get; set; } = "";
    /// <summary>四至范围: east/south/west/north bounds, as the notice board states them.</summary>
    public string? Bounds { get; set; }
    /// <summary>楼栋/小组/院落 the grid covers.</summary>
    public string? Covers { get; set; }
    public string? Notes { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public enum TallyKind
{
    /// <summary>Registered residents: Key = ethnicity code, Sub = residence type.</summary>
    EthnicityType = 1,
    /// <summary>Registered residents with a need: Key = need name flag value, Sub = 0.</summary>
    Need = 2,
    /// <summary>Floating residents arrived: Key = yyyy-MM of arrival, Sub = 0.</summary>
    InflowMonth = 3,
    /// <summary>Residents moved out: Key = yyyy-MM of the status date, Sub = residence type.</summary>
    OutflowMonth = 4,
    /// <summary>Households: Key = last visit date yyyy-MM-dd ("" = never visited), Sub = 0.</summary>
    HouseholdLastVisit = 5,
    /// <summary>Visits made: Key = yyyy-MM of the visit date, Sub = visit kind (by the unit the visit is kept with).</summary>
    VisitMonth = 6,
    /// <summary>Households with a visit in a calendar year, each once, as the visits recorded them (unit and 户号): Key = yyyy, Sub = 0.</summary>
    HouseholdVisitYear = 7,
}

/// <summary>
/// Pre-counted population figures per unit (grid or community), rebuilt for a community in the same transaction as any
/// change to its residents or visits; statistics at township, county and province scale add these up instead of
/// scanning millions of residents.
/// </summary>
public sealed class ResidentTally : IOrgOwned
{
    public long Id { get; set; }
    public Guid CommunityId { get; set; }
    /// <summary>Path of the unit the residents are kept in (a grid or the community itself).</summary>
    public string OrgPath { get; set; } = "";
    public TallyKind Kind { get; set; }
    public string Key { get; set; } = "";
    public int Sub { get; set; }
    public int Count { get; set; }
}

sealed class GridMemberConfiguration : IEntityTypeConfiguration<GridMember>
{
    public void Configure(EntityTypeBuilder<GridMember> b)
    {
        b.ToTable("GridMembers");
        b.Property(m => m.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(m => m.Name).HasMaxLength(50).IsRequired();
        b.Property(m => m.Phone).HasMaxLength(20);
        b.Property(m => m.UpdatedBy).HasMaxLength(100);
        b.HasIndex(m => new { m.GridId, m.SortOrder });
        b.HasIndex(m => m.OrgPath);
        b.HasIndex(m => m.UserId);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(m => m.GridId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class GridInfoConfiguration : IEntityTypeConfiguration<GridInfo>
{
    public void Configure(EntityTypeBuilder<GridInfo> b)
    {
        b.ToTable("GridInfos");
        b.Property(g => g.Id).ValueGeneratedNever();
        b.Property(g => g.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(g => g.Bounds).HasMaxLength(300);
        b.Property(g => g.Covers).HasMaxLength(500);
        b.Property(g => g.Notes).HasMaxLength(500);
        b.Property(g => g.UpdatedBy).HasMaxLength(100);
        b.HasIndex(g => g.OrgPath);
        b.HasOne<OrgUnit>().WithOne().HasForeignKey<GridInfo>(g => g.Id).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class ResidentTallyConfiguration : IEntityTypeConfiguration<ResidentTally>
{
    public void Configure(EntityTypeBuilder<ResidentTally> b)
    {
        b.ToTable("ResidentTallies");
        b.Property(t => t.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(t => t.Key).HasMaxLength(40).IsRequired();
        // Rebuilt per community; read by subtree prefix and kind.
        b.HasIndex(t => t.CommunityId);
        b.HasIndex(t => new { t.Kind, t.OrgPath });
    }
}
