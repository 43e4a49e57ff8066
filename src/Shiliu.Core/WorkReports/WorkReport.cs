using Shiliu.Core.Common;
using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.WorkReports;

public enum ReportStatus
{
    Draft = 0,
    Reported = 1,
    Adopted = 2,
    Returned = 3,
    /// <summary>Adopted and published by the county: readable by all staff, in every unit.</summary>
    Published = 4,
}

/// <summary>A brief (工作信息) written by a unit and reported to the level above, which adopts or returns it.</summary>
public sealed class WorkReport : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>Sanitised HTML.</summary>
    public string Body { get; set; } = "";
    [WorkflowState] public ReportStatus Status { get; set; }
    public string Author { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    [WorkflowState] public DateTime? ReportedUtc { get; set; }
    [WorkflowState] public DateTime? PublishedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class WorkReportConfiguration : IEntityTypeConfiguration<WorkReport>
{
    public void Configure(EntityTypeBuilder<WorkReport> b)
    {
        b.ToTable("WorkReports");
        b.Property(r => r.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(r => r.Title).HasMaxLength(100).IsRequired();
        b.Property(r => r.Body).HasMaxLength(50_000).IsRequired();
        b.Property(r => r.Author).HasMaxLength(100).IsRequired();
        b.Property(r => r.UpdatedBy).HasMaxLength(100);
        b.HasIndex(r => new { r.OrgPath, r.Status });
        b.HasIndex(r => new { r.Status, r.PublishedUtc });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class WorkReportFlow
{
    /// <summary>
    /// 草稿 → 已上报 → 已采用 → 已发布, or 已退回 (with a reason) and reported again. The unit reports its own briefs; a unit
    /// above adopts or returns them; the county office publishes adopted ones for every unit to read, or withdraws them.
    /// </summary>
    public static readonly Workflow<WorkReport, ReportStatus> Definition =
        new Workflow<WorkReport, ReportStatus>("work-report", "工作信息", r => r.Status, WorkReportService.StatusName, r => $"工作信息《{r.Title}》", r => r.Id)
            .Step("report", "上报", [ReportStatus.Draft, ReportStatus.Returned], ReportStatus.Reported, CampaignPermissions.Progress, Actor.OwnUnit,
                effect: (r, s) => r.ReportedUtc = s.NowUtc)
            .Step("adopt", "采用", [ReportStatus.Reported], ReportStatus.Adopted, CampaignPermissions.Progress, Actor.Above)
            .Step("return", "退回", [ReportStatus.Reported], ReportStatus.Returned, CampaignPermissions.Progress, Actor.Above, ReasonRule.Required, "退回原因")
            .Step("publish", "发布", [ReportStatus.Adopted], ReportStatus.Published, CampaignPermissions.Manage, Actor.InScope,
                effect: (r, s) => r.PublishedUtc = s.NowUtc)
            .Step("unpublish", "撤回发布", [ReportStatus.Published], ReportStatus.Adopted, CampaignPermissions.Manage, Actor.InScope,
                effect: (r, _) => r.PublishedUtc = null)
            .Link(_ => "/work-reports")
            .NotifyOn("report", r => OrgPaths.Parent(r.OrgPath), CampaignPermissions.Progress)
            .NotifyOn("adopt", r => r.OrgPath, CampaignPermissions.Progress)
            .NotifyOn("return", r => r.OrgPath, CampaignPermissions.Progress);
}
