using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Deliverables;

public enum DeliverableStatus
{
    NotStarted = 0,
    InProgress = 1,
    Completed = 2,
    Approved = 3,
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
    public DeliverableStatus Status { get; set; }
    public string? Owner { get; set; }
    public DateOnly? DueDate { get; set; }
    public string? Evidence { get; set; }
    public DateTime? SubmittedUtc { get; set; }
    public string? ReturnReason { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTime? ReviewedUtc { get; set; }
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

    public static string StatusName(DeliverableStatus s, bool returned) => returned ? "已退回" : s switch
    {
        DeliverableStatus.NotStarted => "未开始",
        DeliverableStatus.InProgress => "进行中",
        DeliverableStatus.Completed => "待审核",
        _ => "已审核",
    };
}

sealed class DeliverableConfiguration : IEntityTypeConfiguration<Deliverable>
{
    public void Configure(EntityTypeBuilder<Deliverable> b)
    {
        b.ToTable("Deliverables");
        b.Property(d => d.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(d => d.Owner).HasMaxLength(30);
        b.Property(d => d.Evidence).HasMaxLength(1000);
        b.Property(d => d.ReturnReason).HasMaxLength(500);
        b.Property(d => d.ReviewedBy).HasMaxLength(100);
        b.Property(d => d.UpdatedBy).HasMaxLength(100);
        b.HasIndex(d => new { d.CampaignId, d.OrgUnitId, d.ItemNo }).IsUnique();
        b.HasIndex(d => new { d.CampaignId, d.OrgPath });
        b.HasOne<Campaigns.Campaign>().WithMany().HasForeignKey(d => d.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(d => d.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
