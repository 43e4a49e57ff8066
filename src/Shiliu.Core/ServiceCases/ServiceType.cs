using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;

namespace Shiliu.Core.ServiceCases;

/// <summary>
/// A kind of service the county office offers (就业指导、法律援助 …): its time limit in working days, whether a 回访 follows
/// 办结, and whether its cases link to the unit's 法律宣传 activities. County-wide, edited by the county office.
/// </summary>
public sealed class ServiceType : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public int TimeLimitDays { get; set; }
    public bool NeedsRevisit { get; set; } = true;
    /// <summary>法律援助: its cases may name the unit's legal-publicity activities.</summary>
    public bool LegalAid { get; set; }
    public bool IsActive { get; set; } = true;
    public int SortOrder { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public sealed class SaveServiceType
{
    [Required(ErrorMessage = "请填写事项类型名称"), StringLength(30, ErrorMessage = "事项类型名称不能超过30字")]
    public string Name { get; set; } = "";

    [Range(1, 60, ErrorMessage = "办理时限须在1至60个工作日之间")]
    public int TimeLimitDays { get; set; } = 5;

    public bool NeedsRevisit { get; set; } = true;
    public bool LegalAid { get; set; }
    public bool IsActive { get; set; } = true;

    [Range(0, 999, ErrorMessage = "排序须在0至999之间")]
    public int SortOrder { get; set; }

    public int Version { get; set; }
}

public sealed record ServiceTypeRow(Guid Id, string Name, int TimeLimitDays, bool NeedsRevisit, bool LegalAid, bool IsActive, int SortOrder, int Version);

sealed class ServiceTypeConfiguration : IEntityTypeConfiguration<ServiceType>
{
    public void Configure(EntityTypeBuilder<ServiceType> b)
    {
        b.ToTable("ServiceTypes");
        b.Property(t => t.Name).HasMaxLength(30).IsRequired();
        b.Property(t => t.UpdatedBy).HasMaxLength(100);
        b.HasIndex(t => t.Name).IsUnique();
    }
}
