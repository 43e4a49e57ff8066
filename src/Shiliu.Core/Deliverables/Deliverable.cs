using Shiliu.Core.Common;
using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Deliverables;

public enum DeliverableStatus
{
    NotStarted = 0,
    InProgress = 1,
    /// <summary>Submitted, waiting for the level above (待审核).</summary>
    Completed = 2,
    Approved = 3,
    /// <summary>Sent back with a reason; the unit works on it and submits again.</summary>
    Returned = 4,
}

/// <summary>One of the "十个一" of one participating unit: its state, owner, due date, what shows it, and the review.</summary>
public sealed class Deliverable : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CampaignId { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    /// <summary>1–10, in the seed's order (成立一个领导小组 … 创造一流工作业绩).</summary>
    public int ItemNo { get; set; }
    [WorkflowState] public DeliverableStatus Status { get; set; }
    public string? Owner { get; set; }
    public DateOnly? DueDate { get; set; }
    public string? Evidence { get; set; }
    [WorkflowState] public DateTime? SubmittedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class TenItems
{
    /// <summary>The "十个一" of the seed's section 四(二), in its order.</summary>
    public static readonly string[] Names =
    [
        "成立一个领导小组", "制定一个工作方案", "制作一本宣传手册", "完善一套痕迹台账", "拍好一部专题片",
        "撰写一份汇报材料", "做好一块民族团结宣传展板", "完成一块民族文化墙", "打造一段宣传走廊", "创造一流工作业绩",
    ];

    public static string StatusName(DeliverableStatus s) => s switch
    {
        DeliverableStatus.NotStarted => "未开始",
        DeliverableStatus.InProgress => "进行中",
        DeliverableStatus.Completed => "待审核",
        DeliverableStatus.Approved => "已审核",
        _ => "已退回",
    };
}

public static class DeliverableFlow
{
    /// <summary>
    /// The unit keeps its own items (start, submit, withdraw); the level above passes or returns what was submitted.
    /// Who reviewed and why it came back are read from the steps.
    /// </summary>
    public static readonly Workflow<Deliverable, DeliverableStatus> Definition =
        new Workflow<Deliverable, DeliverableStatus>("deliverable", "“十个一”事项", d => d.Status, TenItems.StatusName, d => $"“{TenItems.Names[d.ItemNo - 1]}”", d => d.Id)
            .Step("start", "开始办理", [DeliverableStatus.NotStarted, DeliverableStatus.Returned], DeliverableStatus.InProgress,
                CampaignPermissions.Progress, Actor.OwnUnit)
            .Step("reset", "改为未开始", [DeliverableStatus.InProgress, DeliverableStatus.Returned], DeliverableStatus.NotStarted,
                CampaignPermissions.Progress, Actor.OwnUnit)
            .Step("submit", "提交审核", [DeliverableStatus.NotStarted, DeliverableStatus.InProgress, DeliverableStatus.Returned], DeliverableStatus.Completed,
                CampaignPermissions.Progress, Actor.OwnUnit, effect: (d, s) => d.SubmittedUtc = s.NowUtc)
            .Step("withdraw", "撤回提交", [DeliverableStatus.Completed], DeliverableStatus.InProgress, CampaignPermissions.Progress, Actor.OwnUnit)
            .Step("approve", "审核通过", [DeliverableStatus.Completed], DeliverableStatus.Approved, CampaignPermissions.Progress, Actor.Above)
            .Step("return", "退回", [DeliverableStatus.Completed], DeliverableStatus.Returned, CampaignPermissions.Progress, Actor.Above,
                ReasonRule.Required, "退回原因")
            .Link(_ => "/deliverables")
            .NotifyOn("submit", d => OrgPaths.Parent(d.OrgPath), CampaignPermissions.Progress)
            .NotifyOn("approve", d => d.OrgPath, CampaignPermissions.Progress)
            .NotifyOn("return", d => d.OrgPath, CampaignPermissions.Progress);
}

sealed class DeliverableConfiguration : IEntityTypeConfiguration<Deliverable>
{
    public void Configure(EntityTypeBuilder<Deliverable> b)
    {
        b.ToTable("Deliverables");
        b.Property(d => d.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(d => d.Owner).HasMaxLength(30);
        b.Property(d => d.Evidence).HasMaxLength(1000);
        b.Property(d => d.UpdatedBy).HasMaxLength(100);
        b.HasIndex(d => new { d.CampaignId, d.OrgUnitId, d.ItemNo }).IsUnique();
        b.HasIndex(d => new { d.CampaignId, d.OrgPath });
        b.HasOne<Campaigns.Campaign>().WithMany().HasForeignKey(d => d.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(d => d.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
