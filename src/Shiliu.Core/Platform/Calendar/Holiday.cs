using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Calendar;

public enum DayKind
{
    /// <summary>A day off on a weekday (放假).</summary>
    Off = 0,
    /// <summary>A make-up working day on a weekend (调休上班).</summary>
    Work = 1,
}

/// <summary>One year's arrangement: where it comes from, and whether it is still provisional (the notice not yet out).</summary>
public sealed class HolidayYear : IVersioned
{
    public int Year { get; set; }
    public string Source { get; set; } = "";
    public bool Provisional { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A date that differs from the plain week: a weekday off, or a weekend day worked.</summary>
public sealed class HolidayDay
{
    public DateOnly Date { get; set; }
    /// <summary>The year of the notice that set it (元旦 of 2019 began on 2018-12-30).</summary>
    public int Year { get; set; }
    public DayKind Kind { get; set; }
    /// <summary>The festival it belongs to (春节, 国庆节 …).</summary>
    public string Name { get; set; } = "";
}

sealed class HolidayYearConfiguration : IEntityTypeConfiguration<HolidayYear>
{
    public void Configure(EntityTypeBuilder<HolidayYear> b)
    {
        b.ToTable("HolidayYears");
        b.HasKey(y => y.Year);
        b.Property(y => y.Year).ValueGeneratedNever();
        b.Property(y => y.Source).HasMaxLength(300).IsRequired();
        b.Property(y => y.UpdatedBy).HasMaxLength(100);
    }
}

sealed class HolidayDayConfiguration : IEntityTypeConfiguration<HolidayDay>
{
    public void Configure(EntityTypeBuilder<HolidayDay> b)
    {
        b.ToTable("HolidayDays");
        b.HasKey(d => d.Date);
        b.Property(d => d.Name).HasMaxLength(20).IsRequired();
        b.HasIndex(d => d.Year);
    }
}
