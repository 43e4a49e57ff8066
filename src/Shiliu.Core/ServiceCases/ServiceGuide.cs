using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.ServiceCases;

/// <summary>办事指南: one service of a unit as residents read it on the public page (what to bring, where, when, whom to call).</summary>
public sealed class GuideEntry : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string Name { get; set; } = "";
    public string Materials { get; set; } = "";
    public string Place { get; set; } = "";
    public string Hours { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Steps { get; set; } = "";
    public int SortOrder { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public enum WindowKind
{
    Window = 1,
    Hotline = 2,
}

/// <summary>A unit's service window (便民服务窗口) or hotline, published to residents.</summary>
public sealed class ServiceWindow : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public WindowKind Kind { get; set; }
    public string Name { get; set; } = "";
    public string? Place { get; set; }
    public string? Hours { get; set; }
    public string? Phone { get; set; }
    public int SortOrder { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public sealed class SaveGuideEntry
{
    public Guid OrgUnitId { get; set; }

    [Required(ErrorMessage = "请填写事项名称"), StringLength(60, ErrorMessage = "事项名称不能超过60字")]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "请填写所需材料"), StringLength(1000, ErrorMessage = "所需材料不能超过1000字")]
    public string Materials { get; set; } = "";

    [Required(ErrorMessage = "请填写办理地点"), StringLength(100, ErrorMessage = "办理地点不能超过100字")]
    public string Place { get; set; } = "";

    [Required(ErrorMessage = "请填写办理时间"), StringLength(100, ErrorMessage = "办理时间不能超过100字")]
    public string Hours { get; set; } = "";

    [Required(ErrorMessage = "请填写联系电话"), StringLength(30, ErrorMessage = "联系电话不能超过30字")]
    public string Phone { get; set; } = "";

    [Required(ErrorMessage = "请填写办理流程"), StringLength(1000, ErrorMessage = "办理流程不能超过1000字")]
    public string Steps { get; set; } = "";

    [Range(0, 999, ErrorMessage = "排序须在0至999之间")]
    public int SortOrder { get; set; }

    public int Version { get; set; }
}

public sealed class SaveServiceWindow
{
    public Guid OrgUnitId { get; set; }

    [EnumDataType(typeof(WindowKind), ErrorMessage = "请选择窗口或热线")]
    public WindowKind Kind { get; set; } = WindowKind.Window;

    [Required(ErrorMessage = "请填写名称"), StringLength(60, ErrorMessage = "名称不能超过60字")]
    public string Name { get; set; } = "";

    [StringLength(100, ErrorMessage = "地点不能超过100字")]
    public string? Place { get; set; }

    [StringLength(100, ErrorMessage = "服务时间不能超过100字")]
    public string? Hours { get; set; }

    [StringLength(30, ErrorMessage = "电话不能超过30字")]
    public string? Phone { get; set; }

    [Range(0, 999, ErrorMessage = "排序须在0至999之间")]
    public int SortOrder { get; set; }

    public int Version { get; set; }
}

public sealed record GuideEntryRow(Guid Id, Guid OrgUnitId, string UnitName, string Name, string Materials, string Place, string Hours, string Phone, string Steps,
    int SortOrder, int Version);

public sealed record ServiceWindowRow(Guid Id, Guid OrgUnitId, string UnitName, WindowKind Kind, string Name, string? Place, string? Hours, string? Phone, int SortOrder,
    int Version)
{
    public string KindName => Kind == WindowKind.Hotline ? "热线" : "窗口";
}

/// <summary>One unit's guide as a resident reads it.</summary>
public sealed record UnitGuide(Guid OrgUnitId, string UnitName, IReadOnlyList<GuideEntryRow> Entries, IReadOnlyList<ServiceWindowRow> Windows);

sealed class GuideEntryConfiguration : IEntityTypeConfiguration<GuideEntry>
{
    public void Configure(EntityTypeBuilder<GuideEntry> b)
    {
        b.ToTable("ServiceGuideEntries");
        b.Property(g => g.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(g => g.Name).HasMaxLength(60).IsRequired();
        b.Property(g => g.Materials).HasMaxLength(1000).IsRequired();
        b.Property(g => g.Place).HasMaxLength(100).IsRequired();
        b.Property(g => g.Hours).HasMaxLength(100).IsRequired();
        b.Property(g => g.Phone).HasMaxLength(30).IsRequired();
        b.Property(g => g.Steps).HasMaxLength(1000).IsRequired();
        b.Property(g => g.UpdatedBy).HasMaxLength(100);
        b.HasIndex(g => new { g.OrgPath, g.SortOrder });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(g => g.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ServiceWindowConfiguration : IEntityTypeConfiguration<ServiceWindow>
{
    public void Configure(EntityTypeBuilder<ServiceWindow> b)
    {
        b.ToTable("ServiceWindows");
        b.Property(w => w.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(w => w.Name).HasMaxLength(60).IsRequired();
        b.Property(w => w.Place).HasMaxLength(100);
        b.Property(w => w.Hours).HasMaxLength(100);
        b.Property(w => w.Phone).HasMaxLength(30);
        b.Property(w => w.UpdatedBy).HasMaxLength(100);
        b.HasIndex(w => new { w.OrgPath, w.SortOrder });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(w => w.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
