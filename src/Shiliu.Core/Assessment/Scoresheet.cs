using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Assessment;

public enum SheetStatus
{
    Draft = 0,
    Submitted = 1,
}

/// <summary>
/// One scoresheet per (unit scored, mode, scorer). Owned by the scorer's unit (<see cref="OrgPath"/>), so a draft is
/// visible to whoever writes it and the units above them, never to the unit it scores: that unit reads its sheets only
/// through the published results. Scores are kept in tenths of a point so totals and means add up exactly on both engines.
/// </summary>
public sealed class Scoresheet : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RoundId { get; set; }
    public AssessMode Mode { get; set; }
    public Guid ScoredUnitId { get; set; }
    public string ScoredName { get; set; } = "";
    /// <summary>The scoring unit (the scored unit itself, its pair, or the assessor's unit).</summary>
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string ScorerName { get; set; } = "";
    /// <summary>"unit:{id}" for a unit's sheet, "user:{id}" for an assessor's: the uniqueness key of the scorer.</summary>
    public string ScorerKey { get; set; } = "";
    public string? AssessorUserId { get; set; }
    [WorkflowState] public SheetStatus Status { get; set; }
    [WorkflowState] public DateTime? SubmittedUtc { get; set; }
    /// <summary>Why the county office reopened it; shown to the scorer and, after publication, to the unit.</summary>
    [WorkflowState] public string? ReopenReason { get; set; }
    public int TotalTenths { get; set; }
    /// <summary>Criteria scored below full marks.</summary>
    public int Deductions { get; set; }
    public string? Feedback { get; set; }
    public List<ScoreLine> Lines { get; set; } = [];
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }

    public decimal Total => TotalTenths / 10m;
}

/// <summary>A criterion's score on a sheet, with the deduction reason, a comment and the unit's own evidence items.</summary>
public sealed class ScoreLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SheetId { get; set; }
    public int CriterionNo { get; set; }
    public int? Tenths { get; set; }
    public string? DeductionReason { get; set; }
    public string? Comment { get; set; }
    public List<Guid> EvidenceIds { get; set; } = [];
}

sealed class ScoresheetConfiguration : IEntityTypeConfiguration<Scoresheet>
{
    public void Configure(EntityTypeBuilder<Scoresheet> b)
    {
        b.ToTable("AssessmentSheets");
        b.Property(x => x.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(x => x.ScoredName).HasMaxLength(100).IsRequired();
        b.Property(x => x.ScorerName).HasMaxLength(100).IsRequired();
        b.Property(x => x.ScorerKey).HasMaxLength(60).IsRequired();
        b.Property(x => x.AssessorUserId).HasMaxLength(100);
        b.Property(x => x.ReopenReason).HasMaxLength(500);
        b.Property(x => x.Feedback).HasMaxLength(2000);
        b.Property(x => x.UpdatedBy).HasMaxLength(100);
        b.Ignore(x => x.Total);
        b.HasIndex(x => new { x.RoundId, x.ScoredUnitId, x.Mode, x.ScorerKey }).IsUnique().HasDatabaseName("IX_AssessmentSheets_Round_Unit_Mode_Scorer");
        // The ranking's aggregate reads submitted sheets of a round by unit and mode.
        b.HasIndex(x => new { x.RoundId, x.Status, x.ScoredUnitId, x.Mode });
        b.HasIndex(x => new { x.OrgPath, x.RoundId });
        b.HasOne<AssessmentRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.ScoredUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.SheetId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class ScoreLineConfiguration : IEntityTypeConfiguration<ScoreLine>
{
    public void Configure(EntityTypeBuilder<ScoreLine> b)
    {
        b.ToTable("AssessmentScoreLines");
        b.Property(x => x.DeductionReason).HasMaxLength(500);
        b.Property(x => x.Comment).HasMaxLength(1000);
        b.HasIndex(x => new { x.SheetId, x.CriterionNo }).IsUnique();
    }
}

public static class ScoresheetFlow
{
    /// <summary>
    /// 填写中 → 已提交 (locks the sheet); only the county office reopens it, with a reason the unit sees. The scorer's own
    /// unit submits (an assessor's unit is the county; the service also checks the sheet is the assessor's own).
    /// </summary>
    public static readonly Workflow<Scoresheet, SheetStatus> Definition =
        new Workflow<Scoresheet, SheetStatus>("assessment-sheet", "考评评分表", s => s.Status, AssessmentService.SheetStatusName,
                s => $"{s.ScoredName}的{AssessmentService.ModeName(s.Mode)}评分表", s => s.Id)
            .Step("submit", "提交", [SheetStatus.Draft], SheetStatus.Submitted, AssessmentPermissions.Score, Actor.OwnUnit,
                effect: (s, c) => (s.SubmittedUtc, s.ReopenReason) = (c.NowUtc, s.ReopenReason))
            .Step("reopen", "退回重评", [SheetStatus.Submitted], SheetStatus.Draft, AssessmentPermissions.Manage, Actor.InScope, ReasonRule.Required, "退回原因",
                effect: (s, c) => (s.SubmittedUtc, s.ReopenReason) = (null, c.Reason))
            .Link(s => $"/assessment/sheets/{s.Id}")
            .NotifyOn("reopen", s => s.OrgPath, AssessmentPermissions.Score);
}
