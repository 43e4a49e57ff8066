using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Residents.Import;

public enum LedgerExportStatus
{
    Pending = 0,
    Approved = 1,
    Refused = 2,
    /// <summary>Downloaded at least once; downloads stay possible until the approval expires.</summary>
    Exported = 3,
}

/// <summary>
/// A request to export the residents ledger for more people than the county allows without a second pair of eyes: the
/// selection as it was filtered, how many it held, why, and who asked. It belongs to the requester's unit, so colleagues
/// and the units above see it and approvers come from that unit or above.
/// </summary>
public sealed class LedgerExportRequest : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The requester's unit.</summary>
    public string OrgPath { get; set; } = "";
    /// <summary>The unit whose residents are exported.</summary>
    public Guid OrgUnitId { get; set; }
    public string UnitName { get; set; } = "";
    /// <summary>The <see cref="ResidentQuery"/> as JSON, run again at download.</summary>
    public string Filter { get; set; } = "";
    /// <summary>The filter in words, for the approver (e.g. "桂山街道 · 在册 · 彝族 · 流动").</summary>
    public string Selection { get; set; } = "";
    public string Purpose { get; set; } = "";
    /// <summary>People selected when the request was made; the approval covers this many (and a little growth).</summary>
    public int Count { get; set; }
    public string RequestedBy { get; set; } = "";
    public string RequestedById { get; set; } = "";
    public DateTime RequestedUtc { get; set; }
    [WorkflowState] public LedgerExportStatus Status { get; set; }
    [WorkflowState] public string? DecidedBy { get; set; }
    [WorkflowState] public DateTime? DecidedUtc { get; set; }
    [WorkflowState] public string? RefuseReason { get; set; }
    [WorkflowState] public DateTime? ExpiresUtc { get; set; }
    [WorkflowState] public int Downloads { get; set; }
    [WorkflowState] public DateTime? LastDownloadUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class LedgerExportFlow
{
    public static string StatusName(LedgerExportStatus s) => s switch
    {
        LedgerExportStatus.Pending => "待审批",
        LedgerExportStatus.Approved => "已批准",
        LedgerExportStatus.Refused => "已驳回",
        _ => "已导出",
    };

    /// <summary>
    /// 待审批 → 已批准 / 已驳回（须写原因）; 已批准 → 已导出 at the first download. An approver (the township for its units,
    /// the county office and leaders county-wide) decides requests of their unit or below, never their own; the
    /// requester is told of the decision.
    /// </summary>
    public static readonly Workflow<LedgerExportRequest, LedgerExportStatus> Definition =
        new Workflow<LedgerExportRequest, LedgerExportStatus>("ledger-export", "导出申请", r => r.Status, StatusName,
                r => $"{r.UnitName}台账导出申请（{r.Count:N0}人）", r => r.Id)
            .Step("approve", "批准", [LedgerExportStatus.Pending], LedgerExportStatus.Approved, ResidentPermissions.ApproveExport, Actor.InScope,
                effect: (r, s) => (r.DecidedBy, r.DecidedUtc) = (s.Caller.UserName, s.NowUtc))
            .Step("refuse", "驳回", [LedgerExportStatus.Pending], LedgerExportStatus.Refused, ResidentPermissions.ApproveExport, Actor.InScope,
                ReasonRule.Required, "驳回原因", (r, s) => (r.DecidedBy, r.DecidedUtc, r.RefuseReason) = (s.Caller.UserName, s.NowUtc, s.Reason))
            .Step("download", "下载", [LedgerExportStatus.Approved, LedgerExportStatus.Exported], LedgerExportStatus.Exported, ResidentPermissions.View,
                Actor.InScope, effect: (r, s) => (r.Downloads, r.LastDownloadUtc) = (r.Downloads + 1, s.NowUtc))
            .FourEyes(r => r.RequestedById, "approve", "refuse")
            .Link(_ => "/residents/exports");
}

sealed class LedgerExportRequestConfiguration : IEntityTypeConfiguration<LedgerExportRequest>
{
    public void Configure(EntityTypeBuilder<LedgerExportRequest> b)
    {
        b.ToTable("LedgerExportRequests");
        b.Property(r => r.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(r => r.UnitName).HasMaxLength(100).IsRequired();
        b.Property(r => r.Filter).HasMaxLength(2000).IsRequired();
        b.Property(r => r.Selection).HasMaxLength(400).IsRequired();
        b.Property(r => r.Purpose).HasMaxLength(100).IsRequired();
        b.Property(r => r.RequestedBy).HasMaxLength(100).IsRequired();
        b.Property(r => r.RequestedById).HasMaxLength(40).IsRequired();
        b.Property(r => r.DecidedBy).HasMaxLength(100);
        b.Property(r => r.RefuseReason).HasMaxLength(500);
        b.Property(r => r.UpdatedBy).HasMaxLength(100);
        b.HasIndex(r => new { r.OrgPath, r.Status });
        b.HasIndex(r => new { r.RequestedById, r.Status });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
