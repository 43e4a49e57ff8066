using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Campaigns;

public enum UnitPlanStatus
{
    Draft = 0,
    /// <summary>Reported to the level above, waiting for its decision.</summary>
    Reported = 1,
    Approved = 2,
    /// <summary>Sent back with a reason; the unit revises it and reports it again.</summary>
    Returned = 3,
}

/// <summary>
/// A participating township's or community's own work plan (工作方案) under the county's campaign: its text and the
/// signed original in the unit's evidence archive, reported upward and approved or returned.
/// </summary>
public sealed class UnitPlan : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CampaignId { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>Sanitised HTML.</summary>
    public string Body { get; set; } = "";
    /// <summary>The signed original (scan or file) in the unit's evidence archive.</summary>
    public Guid? DocumentEvidenceId { get; set; }
    [WorkflowState] public UnitPlanStatus Status { get; set; }
    [WorkflowState] public DateTime? ReportedUtc { get; set; }
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class UnitPlanFlow
{
    public static string StatusName(UnitPlanStatus s) => s switch
    {
        UnitPlanStatus.Draft => "草稿",
        UnitPlanStatus.Reported => "已上报",
        UnitPlanStatus.Approved => "已通过",
        _ => "已退回",
    };

    /// <summary>The unit reports its own plan; a unit above passes it or returns it with a reason; the unit revises and reports again.</summary>
    public static readonly Workflow<UnitPlan, UnitPlanStatus> Definition =
        new Workflow<UnitPlan, UnitPlanStatus>("unit-plan", "单位工作方案", p => p.Status, StatusName, p => $"工作方案《{p.Title}》", p => p.Id)
            .Step("report", "上报", [UnitPlanStatus.Draft], UnitPlanStatus.Reported, CampaignPermissions.Progress, Actor.OwnUnit,
                effect: (p, s) => p.ReportedUtc = s.NowUtc)
            .Step("resubmit", "重新上报", [UnitPlanStatus.Returned], UnitPlanStatus.Reported, CampaignPermissions.Progress, Actor.OwnUnit,
                effect: (p, s) => p.ReportedUtc = s.NowUtc)
            .Step("approve", "通过", [UnitPlanStatus.Reported], UnitPlanStatus.Approved, CampaignPermissions.Progress, Actor.Above)
            .Step("return", "退回", [UnitPlanStatus.Reported], UnitPlanStatus.Returned, CampaignPermissions.Progress, Actor.Above, ReasonRule.Required, "退回原因")
            .Link(p => $"/campaigns/{p.CampaignId}/plans")
            .NotifyOn("report", p => OrgPaths.Parent(p.OrgPath), CampaignPermissions.Progress)
            .NotifyOn("resubmit", p => OrgPaths.Parent(p.OrgPath), CampaignPermissions.Progress)
            .NotifyOn("approve", p => p.OrgPath, CampaignPermissions.Progress)
            .NotifyOn("return", p => p.OrgPath, CampaignPermissions.Progress);
}

sealed class UnitPlanConfiguration : IEntityTypeConfiguration<UnitPlan>
{
    public void Configure(EntityTypeBuilder<UnitPlan> b)
    {
        b.ToTable("UnitPlans");
        b.Property(p => p.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(p => p.Title).HasMaxLength(200).IsRequired();
        b.Property(p => p.Body).HasMaxLength(50_000).IsRequired();
        b.Property(p => p.UpdatedBy).HasMaxLength(100);
        b.HasIndex(p => new { p.CampaignId, p.OrgUnitId }).IsUnique();
        b.HasIndex(p => new { p.CampaignId, p.OrgPath });
        b.HasOne<Campaign>().WithMany().HasForeignKey(p => p.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(p => p.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
