using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Workflow;

/// <summary>
/// One step an item took through its workflow: who, when, from which state to which, and the reason where the step needs
/// one. The item's history, the source of "returned by whom and why", and what deadline clocks count time from.
/// </summary>
public sealed class WorkflowStep : IOrgOwned
{
    public long Id { get; set; }
    /// <summary>The workflow's name (e.g. "deliverable").</summary>
    public string Workflow { get; set; } = "";
    public Guid ItemId { get; set; }
    /// <summary>The item's unit at the time of the step.</summary>
    public string OrgPath { get; set; } = "";
    public string Action { get; set; } = "";
    public int FromState { get; set; }
    public int ToState { get; set; }
    public string? Reason { get; set; }
    public string UserName { get; set; } = "";
    public string? UserId { get; set; }
    public DateTime TimeUtc { get; set; }
    /// <summary>For hand-over items: the unit the item was being offered to after this step (null when none).</summary>
    public string? HandoverToPath { get; set; }
}

sealed class WorkflowStepConfiguration : IEntityTypeConfiguration<WorkflowStep>
{
    public void Configure(EntityTypeBuilder<WorkflowStep> b)
    {
        b.ToTable("WorkflowSteps");
        b.Property(s => s.Workflow).HasMaxLength(40).IsRequired();
        b.Property(s => s.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(s => s.Action).HasMaxLength(40).IsRequired();
        b.Property(s => s.Reason).HasMaxLength(500);
        b.Property(s => s.HandoverToPath).HasMaxLength(400);
        b.Property(s => s.UserName).HasMaxLength(100).IsRequired();
        b.Property(s => s.UserId).HasMaxLength(40);
        b.HasIndex(s => new { s.Workflow, s.ItemId, s.Id });
        b.HasIndex(s => s.OrgPath);
    }
}
