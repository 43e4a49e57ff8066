using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Disputes;

/// <summary>简单 / 复杂 / 疑难: the tier says which level handles the case (community, township, county).</summary>
public enum DisputeTier
{
    Simple = 1,
    Complex = 2,
    Difficult = 3,
}

/// <summary>Risk colour 蓝 / 黄 / 红: sets the reply deadline and which units above are told.</summary>
public enum RiskColour
{
    Blue = 1,
    Yellow = 2,
    Red = 3,
}

/// <summary>案件来源 as the 结案报告表 lists them, plus an appeal converted into a dispute.</summary>
public enum DisputeSource
{
    Application = 1,
    Proactive = 2,
    Police = 3,
    Court = 4,
    Government = 5,
    Appeal = 6,
}

/// <summary>登记 → 受理 → 调解中 → 调解成功 / 调解不成 → 回访 → 结案; 上报待接收 while an escalation waits for the unit above.</summary>
public enum DisputeStatus
{
    Registered = 0,
    Accepted = 1,
    Mediating = 2,
    Resolved = 3,
    Unresolved = 4,
    Visited = 5,
    Closed = 6,
    Escalating = 7,
}

public enum PartyRole
{
    Applicant = 1,
    Respondent = 2,
}

/// <summary>
/// A dispute case (矛盾纠纷), one 人民调解卷宗: one number for life (JF2026-0012) while ownership moves up the tiers through
/// the hand-over primitive. Cases with ethnic factors (涉民族因素) are read only through <see cref="DisputeAccess"/>.
/// </summary>
public sealed class Dispute : IHandedOver, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The unit handling the case now.</summary>
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public Guid? HandoverToUnitId { get; set; }
    public string? HandoverToPath { get; set; }
    /// <summary>The unit that registered it (the first holder, for who held it how long).</summary>
    public Guid RegisteredUnitId { get; set; }
    public string RegisteredPath { get; set; } = "";
    public string Number { get; set; } = "";
    public int Year { get; set; }
    public int Seq { get; set; }
    /// <summary>A short name of the dispute without names of people ("两户宅基地界址纠纷").</summary>
    public string Title { get; set; } = "";
    /// <summary>纠纷简要情况: a household's troubles, kept out of audit snapshots.</summary>
    [AuditRedacted] public string Summary { get; set; } = "";
    public string CategoryCode { get; set; } = "";
    /// <summary>涉民族因素: need-to-know, see <see cref="DisputeAccess"/>.</summary>
    public bool EthnicFactors { get; set; }
    public DisputeTier Tier { get; set; }
    public RiskColour Colour { get; set; }
    /// <summary>包案领导 (name and post), required for 疑难 cases.</summary>
    public string? Leader { get; set; }
    public DisputeSource Source { get; set; }
    /// <summary>Where a case opened from another module's record came from (诉求), kept so the link reads both ways.</summary>
    public string? SourceKind { get; set; }
    public Guid? SourceId { get; set; }
    public string? SourceNumber { get; set; }
    public string? SourceTitle { get; set; }
    public string? SourceLink { get; set; }
    public string? Place { get; set; }
    public DateOnly? OccurredOn { get; set; }
    [AuditRedacted] public string? Outcome { get; set; }
    public Guid? AgreementEvidenceId { get; set; }
    public string? AgreementNo { get; set; }
    /// <summary>The units told on registration or when the colour rose (names, "桂山街道、新平县").</summary>
    public string? ToldUnits { get; set; }
    [WorkflowState] public DisputeStatus Status { get; set; }
    public string RegisteredBy { get; set; } = "";
    public DateTime RegisteredUtc { get; set; }
    [WorkflowState] public DateTime? AcceptedUtc { get; set; }
    [WorkflowState] public DateTime? ConcludedUtc { get; set; }
    [WorkflowState] public DateTime? ClosedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A party (申请人 / 被申请人). The ID number and phone are sealed like residents' and shown masked.</summary>
public sealed class DisputeParty
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid DisputeId { get; set; }
    public PartyRole Role { get; set; }
    /// <summary>Full name: shown on the case to those who handle it; lists, exports and audit rows carry <see cref="NameMasked"/>.</summary>
    [AuditRedacted] public string Name { get; set; } = "";
    public string NameMasked { get; set; } = "";
    public Residents.Gender Gender { get; set; }
    public string EthnicityCode { get; set; } = "";
    /// <summary>Age when registered, or from the birth year.</summary>
    public int? Age { get; set; }
    public int? BirthYear { get; set; }
    public string? Occupation { get; set; }
    [AuditRedacted] public string? Address { get; set; }
    [NotAudited] public string? IdNumberCipher { get; set; }
    public string? IdNumberMasked { get; set; }
    [NotAudited] public string? PhoneCipher { get; set; }
    public string? PhoneMasked { get; set; }
    public int Sort { get; set; }
}

/// <summary>调解记录: one mediation session or act.</summary>
public sealed class MediationEntry
{
    public long Id { get; set; }
    public Guid DisputeId { get; set; }
    public DateOnly Date { get; set; }
    public string Mediator { get; set; } = "";
    /// <summary>What was done and said: a household's troubles.</summary>
    [AuditRedacted] public string Content { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public DateTime RecordedUtc { get; set; }
}

/// <summary>回访记录: whether the agreement is being kept.</summary>
public sealed class FollowUpVisit
{
    public long Id { get; set; }
    public Guid DisputeId { get; set; }
    public DateOnly Date { get; set; }
    public string Visitor { get; set; } = "";
    /// <summary>协议履行情况.</summary>
    public bool AgreementKept { get; set; }
    [AuditRedacted] public string Notes { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public DateTime RecordedUtc { get; set; }
}

public static class DisputeFlow
{
    public const string Name = "dispute";

    public static string StatusName(DisputeStatus s) => s switch
    {
        DisputeStatus.Registered => "登记",
        DisputeStatus.Accepted => "已受理",
        DisputeStatus.Mediating => "调解中",
        DisputeStatus.Resolved => "调解成功",
        DisputeStatus.Unresolved => "调解不成",
        DisputeStatus.Visited => "已回访",
        DisputeStatus.Closed => "已结案",
        _ => "上报待接收",
    };

    /// <summary>States in which the reply clock has stopped: mediation has ended (or the case is closed).</summary>
    public static readonly IReadOnlySet<int> Concluded = new HashSet<int>
        { (int)DisputeStatus.Resolved, (int)DisputeStatus.Unresolved, (int)DisputeStatus.Visited, (int)DisputeStatus.Closed };

    static readonly DisputeStatus[] Open = [DisputeStatus.Registered, DisputeStatus.Accepted, DisputeStatus.Mediating, DisputeStatus.Unresolved];

    /// <summary>
    /// The handling unit takes each step on its own case; 上报 offers it to the unit above (named with
    /// <see cref="Handover.OfferAsync"/>), which 接收 it (and handles it from then on, same number) or 退回 it with a reason.
    /// </summary>
    public static readonly Workflow<Dispute, DisputeStatus> Definition =
        new Workflow<Dispute, DisputeStatus>(Name, "矛盾纠纷", d => d.Status, StatusName, d => $"矛盾纠纷{d.Number}", d => d.Id)
            .Step("accept", "受理", [DisputeStatus.Registered], DisputeStatus.Accepted, DisputePermissions.Handle, Actor.OwnUnit,
                effect: (d, s) => d.AcceptedUtc ??= s.NowUtc)
            .Step("mediate", "开始调解", [DisputeStatus.Accepted], DisputeStatus.Mediating, DisputePermissions.Handle, Actor.OwnUnit)
            .Step("succeed", "确认调解成功", [DisputeStatus.Mediating], DisputeStatus.Resolved, DisputePermissions.Handle, Actor.OwnUnit,
                effect: (d, s) => d.ConcludedUtc = s.NowUtc)
            .Step("fail", "确认调解不成", [DisputeStatus.Mediating], DisputeStatus.Unresolved, DisputePermissions.Handle, Actor.OwnUnit,
                ReasonRule.Required, "未达成协议的原因", effect: (d, s) => d.ConcludedUtc = s.NowUtc)
            .Step("visit", "回访", [DisputeStatus.Resolved], DisputeStatus.Visited, DisputePermissions.Handle, Actor.OwnUnit)
            .Step("close", "结案", [DisputeStatus.Visited, DisputeStatus.Unresolved], DisputeStatus.Closed, DisputePermissions.Handle, Actor.OwnUnit,
                effect: (d, s) => d.ClosedUtc = s.NowUtc)
            .Step("escalate", "上报", Open, DisputeStatus.Escalating, DisputePermissions.Handle, Actor.OwnUnit, ReasonRule.Required, "上报理由")
            .Step("receive", "接收", [DisputeStatus.Escalating], DisputeStatus.Accepted, DisputePermissions.Handle, Actor.Receiver,
                effect: (d, s) => { Handover.Accept(d, s); d.AcceptedUtc ??= s.NowUtc; d.ConcludedUtc = null; })
            .Step("return", "退回", [DisputeStatus.Escalating], DisputeStatus.Accepted, DisputePermissions.Handle, Actor.Receiver, ReasonRule.Required, "退回原因",
                effect: (d, s) => { Handover.Return(d, s); d.AcceptedUtc ??= s.NowUtc; d.ConcludedUtc = null; })
            .Link(d => $"/disputes/{d.Id}")
            .NotifyOn("escalate", d => d.HandoverToPath!, DisputePermissions.Handle)
            .NotifyOn("receive", d => d.OrgPath, DisputePermissions.Handle)
            .NotifyOn("return", d => d.OrgPath, DisputePermissions.Handle);
}

sealed class DisputeConfiguration : IEntityTypeConfiguration<Dispute>
{
    public void Configure(EntityTypeBuilder<Dispute> b)
    {
        b.ToTable("Disputes");
        b.Property(d => d.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(d => d.HandoverToPath).HasMaxLength(400);
        b.Property(d => d.RegisteredPath).HasMaxLength(400).IsRequired();
        b.Property(d => d.Number).HasMaxLength(20).IsRequired();
        b.Property(d => d.Title).HasMaxLength(100).IsRequired();
        b.Property(d => d.Summary).HasMaxLength(2000).IsRequired();
        b.Property(d => d.CategoryCode).HasMaxLength(40).IsRequired();
        b.Property(d => d.Leader).HasMaxLength(50);
        b.Property(d => d.SourceKind).HasMaxLength(40);
        b.Property(d => d.SourceNumber).HasMaxLength(40);
        b.Property(d => d.SourceTitle).HasMaxLength(200);
        b.Property(d => d.SourceLink).HasMaxLength(200);
        b.Property(d => d.Place).HasMaxLength(100);
        b.Property(d => d.Outcome).HasMaxLength(2000);
        b.Property(d => d.AgreementNo).HasMaxLength(40);
        b.Property(d => d.ToldUnits).HasMaxLength(200);
        b.Property(d => d.RegisteredBy).HasMaxLength(100).IsRequired();
        b.Property(d => d.UpdatedBy).HasMaxLength(100);
        b.HasIndex(d => d.Number).IsUnique();
        b.HasIndex(d => new { d.Year, d.Seq }).IsUnique();
        b.HasIndex(d => new { d.OrgPath, d.Status });
        b.HasIndex(d => d.HandoverToPath);
        b.HasIndex(d => new { d.RegisteredUtc, d.Colour, d.EthnicFactors });
        b.HasIndex(d => new { d.SourceKind, d.SourceId });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(d => d.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class DisputePartyConfiguration : IEntityTypeConfiguration<DisputeParty>
{
    public void Configure(EntityTypeBuilder<DisputeParty> b)
    {
        b.ToTable("DisputeParties");
        b.Property(p => p.Name).HasMaxLength(50).IsRequired();
        b.Property(p => p.NameMasked).HasMaxLength(50).IsRequired();
        b.Property(p => p.EthnicityCode).HasMaxLength(40).IsRequired();
        b.Property(p => p.Occupation).HasMaxLength(50);
        b.Property(p => p.Address).HasMaxLength(200);
        b.Property(p => p.IdNumberCipher).HasMaxLength(400);
        b.Property(p => p.IdNumberMasked).HasMaxLength(18);
        b.Property(p => p.PhoneCipher).HasMaxLength(400);
        b.Property(p => p.PhoneMasked).HasMaxLength(20);
        b.HasIndex(p => new { p.DisputeId, p.Sort });
        b.HasOne<Dispute>().WithMany().HasForeignKey(p => p.DisputeId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class MediationEntryConfiguration : IEntityTypeConfiguration<MediationEntry>
{
    public void Configure(EntityTypeBuilder<MediationEntry> b)
    {
        b.ToTable("DisputeMediations");
        b.Property(m => m.Mediator).HasMaxLength(50).IsRequired();
        b.Property(m => m.Content).HasMaxLength(2000).IsRequired();
        b.Property(m => m.RecordedBy).HasMaxLength(100).IsRequired();
        b.HasIndex(m => new { m.DisputeId, m.Date });
        b.HasOne<Dispute>().WithMany().HasForeignKey(m => m.DisputeId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class FollowUpVisitConfiguration : IEntityTypeConfiguration<FollowUpVisit>
{
    public void Configure(EntityTypeBuilder<FollowUpVisit> b)
    {
        b.ToTable("DisputeFollowUps");
        b.Property(v => v.Visitor).HasMaxLength(50).IsRequired();
        b.Property(v => v.Notes).HasMaxLength(1000).IsRequired();
        b.Property(v => v.RecordedBy).HasMaxLength(100).IsRequired();
        b.HasIndex(v => new { v.DisputeId, v.Date });
        b.HasOne<Dispute>().WithMany().HasForeignKey(v => v.DisputeId).OnDelete(DeleteBehavior.Cascade);
    }
}
