using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Activities;

/// <summary>An activity a unit held (宣讲、节庆、联谊 …): when, where, who came, and which criteria it serves.</summary>
public sealed class Activity : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    /// <summary>Code of the activity-type dictionary.</summary>
    public string TypeCode { get; set; } = "";
    public string Title { get; set; } = "";
    public DateOnly Date { get; set; }
    public string Place { get; set; } = "";
    public string Organiser { get; set; } = "";
    public int ParticipantsTotal { get; set; }
    public string? Description { get; set; }
    /// <summary>Criterion numbers, comma-separated ("4,5"); photos uploaded to the activity inherit them.</summary>
    public string Criteria { get; set; } = "";
    public Guid? FestivalId { get; set; }
    public List<ActivityParticipant> Participants { get; set; } = [];
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>Head count of one ethnicity at an activity.</summary>
public sealed class ActivityParticipant
{
    public Guid ActivityId { get; set; }
    public string EthnicityCode { get; set; } = "";
    public int Count { get; set; }
}

public enum FestivalRule
{
    /// <summary>Fixed Gregorian month/day (泼水节 4月13日).</summary>
    Gregorian = 0,
    /// <summary>Fixed Chinese lunar month/day (火把节 六月二十四).</summary>
    Lunar = 1,
    /// <summary>The first day of a lunar month with a given earthly branch (哈尼十月年: 十月首个属龙日).</summary>
    LunarMonthBranchDay = 2,
}

/// <summary>An ethnic festival of the area; the county keeps the list, every unit sees it in its calendar.</summary>
public sealed class Festival : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public string Ethnicities { get; set; } = "";
    public FestivalRule Rule { get; set; }
    public int Month { get; set; }
    /// <summary>Day of month; for <see cref="FestivalRule.LunarMonthBranchDay"/> the branch (0 子 … 4 辰 … 11 亥).</summary>
    public int Day { get; set; }
    public int Days { get; set; } = 1;
    public string? Description { get; set; }
    public bool Enabled { get; set; } = true;
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> b)
    {
        b.ToTable("Activities");
        b.Property(a => a.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(a => a.TypeCode).HasMaxLength(40).IsRequired();
        b.Property(a => a.Title).HasMaxLength(100).IsRequired();
        b.Property(a => a.Place).HasMaxLength(100).IsRequired();
        b.Property(a => a.Organiser).HasMaxLength(100).IsRequired();
        b.Property(a => a.Description).HasMaxLength(2000);
        b.Property(a => a.Criteria).HasMaxLength(100).IsRequired();
        b.Property(a => a.UpdatedBy).HasMaxLength(100);
        b.HasIndex(a => new { a.OrgPath, a.Date });
        b.HasIndex(a => a.Date);
        b.HasMany(a => a.Participants).WithOne().HasForeignKey(p => p.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(a => a.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Festival>().WithMany().HasForeignKey(a => a.FestivalId).OnDelete(DeleteBehavior.SetNull);
    }
}

sealed class ActivityParticipantConfiguration : IEntityTypeConfiguration<ActivityParticipant>
{
    public void Configure(EntityTypeBuilder<ActivityParticipant> b)
    {
        b.HasKey(p => new { p.ActivityId, p.EthnicityCode });
        b.Property(p => p.EthnicityCode).HasMaxLength(40);
    }
}

sealed class FestivalConfiguration : IEntityTypeConfiguration<Festival>
{
    public void Configure(EntityTypeBuilder<Festival> b)
    {
        b.ToTable("Festivals");
        b.Property(f => f.Name).HasMaxLength(40).IsRequired();
        b.Property(f => f.Ethnicities).HasMaxLength(60).IsRequired();
        b.Property(f => f.Description).HasMaxLength(500);
        b.Property(f => f.UpdatedBy).HasMaxLength(100);
        b.HasIndex(f => f.Name).IsUnique();
    }
}
