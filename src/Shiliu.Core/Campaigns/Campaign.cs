using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Campaigns;

/// <summary>
/// The plan document (创建活动实施方案): its text, leading group, phases with their tasks, and the units taking part.
/// A county-wide plan, readable by every staff member; each unit's progress is org-owned.
/// </summary>
public sealed class Campaign : IVersioned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string Title { get; set; } = "";
    /// <summary>文号, e.g. 新民发〔2019〕2号.</summary>
    public string DocNumber { get; set; } = "";
    public string IssuingOrg { get; set; } = "";
    public DateOnly IssueDate { get; set; }
    public string GuidingIdeas { get; set; } = "";
    public string Goals { get; set; } = "";
    public string MainTasks { get; set; } = "";
    public bool IsDemo { get; set; }
    /// <summary>The signed original (scan or file) in the issuing unit's evidence archive.</summary>
    public Guid? DocumentEvidenceId { get; set; }
    public DateTime CreatedUtc { get; set; }
    /// <summary>The indicator-framework version the campaign's units are judged by.</summary>
    public Guid? FrameworkId { get; set; }
    /// <summary>When a newer campaign took over: from then on this one is read-only history.</summary>
    public DateTime? ClosedUtc { get; set; }
    public List<LeadingGroupMember> LeadingGroup { get; set; } = [];
    public List<CampaignPhase> Phases { get; set; } = [];
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public sealed class LeadingGroupMember
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CampaignId { get; set; }
    /// <summary>组长, 副组长, 成员 or 办公室主任.</summary>
    public string Duty { get; set; } = "";
    public string Name { get; set; } = "";
    public string Post { get; set; } = "";
    public string Org { get; set; } = "";
    public int SortOrder { get; set; }
}

public sealed class CampaignPhase
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CampaignId { get; set; }
    public int No { get; set; }
    public string Name { get; set; } = "";
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public List<PhaseTask> Tasks { get; set; } = [];
}

public sealed class PhaseTask
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PhaseId { get; set; }
    public int No { get; set; }
    public string Text { get; set; } = "";
}

/// <summary>A unit taking part in a campaign; its progress is visible up the tree and kept by the unit itself.</summary>
public sealed class CampaignUnit : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CampaignId { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public DateTime AddedUtc { get; set; }
}

public enum TaskDoneState
{
    /// <summary>A row made for a first completion, before its step is taken.</summary>
    Pending = 0,
    Done = 1,
    /// <summary>Sent back by the level above; the unit sees why and marks it done again.</summary>
    Returned = 2,
}

/// <summary>One phase task done by one unit, with what shows it.</summary>
public sealed class UnitTaskDone : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CampaignUnitId { get; set; }
    public Guid PhaseTaskId { get; set; }
    public string OrgPath { get; set; } = "";
    [WorkflowState] public TaskDoneState State { get; set; }
    public string Evidence { get; set; } = "";
    [WorkflowState] public DateTime DoneUtc { get; set; }
    [WorkflowState] public string DoneBy { get; set; } = "";
}

public static class PhaseTaskFlow
{
    public static string StateName(TaskDoneState s) => s switch { TaskDoneState.Pending => "待完成", TaskDoneState.Done => "已完成", _ => "已退回" };

    /// <summary>The unit (or the township for it) marks a task done with what shows it; the level above may send it back with a reason.</summary>
    public static readonly Workflow<UnitTaskDone, TaskDoneState> Definition =
        new Workflow<UnitTaskDone, TaskDoneState>("phase-task", "阶段任务", d => d.State, StateName, _ => "此项阶段任务", d => d.Id)
            .Step("complete", "标记完成", [TaskDoneState.Pending, TaskDoneState.Returned], TaskDoneState.Done, CampaignPermissions.Progress, Actor.InScope,
                effect: (d, s) => (d.DoneUtc, d.DoneBy) = (s.NowUtc, s.Caller.UserName))
            .Step("return", "退回", [TaskDoneState.Done], TaskDoneState.Returned, CampaignPermissions.Progress, Actor.Above, ReasonRule.Required, "退回原因")
            .Link(_ => "/campaigns")
            .NotifyOn("return", d => d.OrgPath, CampaignPermissions.Progress);
}

sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.ToTable("Campaigns");
        b.Property(c => c.Title).HasMaxLength(200).IsRequired();
        b.Property(c => c.DocNumber).HasMaxLength(60);
        b.Property(c => c.IssuingOrg).HasMaxLength(100);
        b.Property(c => c.GuidingIdeas).HasMaxLength(10_000);
        b.Property(c => c.Goals).HasMaxLength(10_000);
        b.Property(c => c.MainTasks).HasMaxLength(10_000);
        b.Property(c => c.UpdatedBy).HasMaxLength(100);
        b.HasIndex(c => c.DocNumber).IsUnique();
        b.HasOne<Indicators.IndicatorFramework>().WithMany().HasForeignKey(c => c.FrameworkId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.LeadingGroup).WithOne().HasForeignKey(m => m.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Phases).WithOne().HasForeignKey(p => p.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class LeadingGroupMemberConfiguration : IEntityTypeConfiguration<LeadingGroupMember>
{
    public void Configure(EntityTypeBuilder<LeadingGroupMember> b)
    {
        b.Property(m => m.Duty).HasMaxLength(20).IsRequired();
        b.Property(m => m.Name).HasMaxLength(30).IsRequired();
        b.Property(m => m.Post).HasMaxLength(60);
        b.Property(m => m.Org).HasMaxLength(60);
    }
}

sealed class CampaignPhaseConfiguration : IEntityTypeConfiguration<CampaignPhase>
{
    public void Configure(EntityTypeBuilder<CampaignPhase> b)
    {
        b.Property(p => p.Name).HasMaxLength(60).IsRequired();
        b.HasMany(p => p.Tasks).WithOne().HasForeignKey(t => t.PhaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class PhaseTaskConfiguration : IEntityTypeConfiguration<PhaseTask>
{
    public void Configure(EntityTypeBuilder<PhaseTask> b) => b.Property(t => t.Text).HasMaxLength(500).IsRequired();
}

sealed class CampaignUnitConfiguration : IEntityTypeConfiguration<CampaignUnit>
{
    public void Configure(EntityTypeBuilder<CampaignUnit> b)
    {
        b.ToTable("CampaignUnits");
        b.Property(u => u.OrgPath).HasMaxLength(400).IsRequired();
        b.HasIndex(u => new { u.CampaignId, u.OrgUnitId }).IsUnique();
        b.HasIndex(u => u.OrgPath);
        b.HasOne<Campaign>().WithMany().HasForeignKey(u => u.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(u => u.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class UnitTaskDoneConfiguration : IEntityTypeConfiguration<UnitTaskDone>
{
    public void Configure(EntityTypeBuilder<UnitTaskDone> b)
    {
        b.ToTable("UnitTasksDone");
        b.Property(d => d.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(d => d.Evidence).HasMaxLength(1000).IsRequired();
        b.Property(d => d.DoneBy).HasMaxLength(100).IsRequired();
        b.HasIndex(d => new { d.CampaignUnitId, d.PhaseTaskId }).IsUnique();
        b.HasIndex(d => d.OrgPath);
        b.HasOne<CampaignUnit>().WithMany().HasForeignKey(d => d.CampaignUnitId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PhaseTask>().WithMany().HasForeignKey(d => d.PhaseTaskId).OnDelete(DeleteBehavior.Cascade);
    }
}
