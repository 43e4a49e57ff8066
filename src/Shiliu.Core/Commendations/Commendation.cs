using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Commendations;

/// <summary>What a model (模范) is: a 小区, a 楼院, a 家庭, a 集体 or a 个人.</summary>
public enum ModelCategory
{
    Estate = 1,
    Courtyard = 2,
    Family = 3,
    Collective = 4,
    Person = 5,
}

public enum CallStatus
{
    /// <summary>征集中: units nominate until the deadline, townships and the county review.</summary>
    Open = 0,
    /// <summary>公示中: the list is frozen and public for the window; objections come in.</summary>
    Publicity = 1,
    /// <summary>已表彰: the decision is recorded and certificates can be printed.</summary>
    Decided = 2,
}

/// <summary>
/// A 评选通知 issued by the county office: which models, how many (per category, optionally per township), the nomination
/// deadline and the length of 公示 in working days. County-wide by nature, so it has no unit path: every staff account
/// with the view permission reads it.
/// </summary>
public sealed class CommendationCall : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid IssuedByUnitId { get; set; }
    public string Title { get; set; } = "";
    /// <summary>Sanitised HTML.</summary>
    public string Body { get; set; } = "";
    public Guid? CampaignId { get; set; }
    public DateOnly IssuedOn { get; set; }
    /// <summary>The last day (China time) on which a unit may 申报; a working day.</summary>
    public DateOnly Deadline { get; set; }
    public int PublicityDays { get; set; } = 5;
    public CallStatus Status { get; set; }
    public DateOnly? PublicityFrom { get; set; }
    public DateOnly? PublicityTo { get; set; }
    public string? DecisionNo { get; set; }
    public DateOnly? DecisionDate { get; set; }
    public List<CallQuota> Quotas { get; set; } = [];
    public DateTime CreatedUtc { get; set; }
    public string CreatedBy { get; set; } = "";
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>
/// 名额: with no township, how many the county may approve in the category (and how many each township may nominate when
/// it has no row of its own); with a township, how many that township's units may nominate.
/// </summary>
public sealed class CallQuota
{
    public long Id { get; set; }
    public Guid CallId { get; set; }
    public ModelCategory Category { get; set; }
    public Guid? TownshipId { get; set; }
    public int Count { get; set; }
}

public enum NominationStatus
{
    Draft = 0,
    Submitted = 1,
    TownshipApproved = 2,
    Returned = 3,
    Approved = 4,
    Publicity = 5,
    Commended = 6,
    Rejected = 7,
    Withdrawn = 8,
    Revoked = 9,
}

/// <summary>
/// A unit's 推荐 of a model for a call. A person's data stays minimal: name, ethnicity, work unit; no ID number or phone.
/// </summary>
public sealed class Nomination : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CallId { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public ModelCategory Category { get; set; }
    public string NomineeName { get; set; } = "";
    /// <summary>GB/T 3304 code, for a person or a family (by its head).</summary>
    public string? Ethnicity { get; set; }
    /// <summary>工作单位及职务 for a person; for the others, where it is (e.g. 桂山街道城中社区).</summary>
    public string? WorkUnit { get; set; }
    /// <summary>事迹简介, plain text, read on the public 公示 page.</summary>
    public string Summary { get; set; } = "";
    /// <summary>主要事迹, sanitised HTML, staff only.</summary>
    public string Deeds { get; set; } = "";
    [WorkflowState] public NominationStatus Status { get; set; }
    [WorkflowState] public int? VotesFor { get; set; }
    [WorkflowState] public int? VotesAgainst { get; set; }
    [WorkflowState] public int? VotesAbstain { get; set; }
    [WorkflowState] public DateOnly? MeetingDate { get; set; }
    [WorkflowState] public DateTime? SubmittedUtc { get; set; }
    [WorkflowState] public string? RevokeReason { get; set; }
    [WorkflowState] public DateOnly? RevokedOn { get; set; }
    /// <summary>证书编号, given at 表彰.</summary>
    [WorkflowState] public string? CertificateNo { get; set; }
    public List<NominationFile> Files { get; set; } = [];
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public enum NominationFileKind
{
    /// <summary>事迹材料 as a document.</summary>
    Deeds = 1,
    Photo = 2,
}

/// <summary>A file of the evidence archive filed with a nomination; read through the nomination's scope.</summary>
public sealed class NominationFile
{
    public long Id { get; set; }
    public Guid NominationId { get; set; }
    public Guid EvidenceId { get; set; }
    public NominationFileKind Kind { get; set; }
}

public enum ObjectionStatus
{
    Open = 0,
    Answered = 1,
}

public enum ObjectionOutcome
{
    /// <summary>异议不成立: the nominee stays on the list.</summary>
    Unfounded = 1,
    /// <summary>异议成立: the county drops the nominee before 表彰.</summary>
    Upheld = 2,
}

/// <summary>
/// A resident's 异议 against a nominee in 公示, with a contact (sealed; staff see it masked). Answered by the county
/// office; 表彰 waits until every one is answered.
/// </summary>
public sealed class Objection : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CallId { get; set; }
    public Guid NominationId { get; set; }
    public string Text { get; set; } = "";
    public string ContactCipher { get; set; } = "";
    public string ContactMasked { get; set; } = "";
    public ObjectionStatus Status { get; set; }
    public DateTime ReceivedUtc { get; set; }
    public string? Answer { get; set; }
    public ObjectionOutcome? Outcome { get; set; }
    public string? AnsweredBy { get; set; }
    public DateTime? AnsweredUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class CommendationCallConfiguration : IEntityTypeConfiguration<CommendationCall>
{
    public void Configure(EntityTypeBuilder<CommendationCall> b)
    {
        b.ToTable("CommendationCalls");
        b.Property(c => c.Title).HasMaxLength(100).IsRequired();
        b.Property(c => c.Body).HasMaxLength(20_000).IsRequired();
        b.Property(c => c.DecisionNo).HasMaxLength(50);
        b.Property(c => c.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(c => c.UpdatedBy).HasMaxLength(100);
        b.HasIndex(c => c.IssuedOn);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(c => c.IssuedByUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Quotas).WithOne().HasForeignKey(q => q.CallId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class CallQuotaConfiguration : IEntityTypeConfiguration<CallQuota>
{
    public void Configure(EntityTypeBuilder<CallQuota> b)
    {
        b.ToTable("CommendationQuotas");
        b.HasIndex(q => new { q.CallId, q.Category, q.TownshipId }).IsUnique();
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(q => q.TownshipId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class NominationConfiguration : IEntityTypeConfiguration<Nomination>
{
    public void Configure(EntityTypeBuilder<Nomination> b)
    {
        b.ToTable("Nominations");
        b.Property(n => n.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(n => n.NomineeName).HasMaxLength(100).IsRequired();
        b.Property(n => n.Ethnicity).HasMaxLength(4);
        b.Property(n => n.WorkUnit).HasMaxLength(100);
        b.Property(n => n.Summary).HasMaxLength(500).IsRequired();
        b.Property(n => n.Deeds).HasMaxLength(50_000).IsRequired();
        b.Property(n => n.RevokeReason).HasMaxLength(500);
        b.Property(n => n.CertificateNo).HasMaxLength(50);
        b.Property(n => n.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(n => n.UpdatedBy).HasMaxLength(100);
        b.HasIndex(n => new { n.CallId, n.Status });
        b.HasIndex(n => new { n.OrgPath, n.Status });
        b.HasOne<CommendationCall>().WithMany().HasForeignKey(n => n.CallId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(n => n.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(n => n.Files).WithOne().HasForeignKey(f => f.NominationId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class NominationFileConfiguration : IEntityTypeConfiguration<NominationFile>
{
    public void Configure(EntityTypeBuilder<NominationFile> b)
    {
        b.ToTable("NominationFiles");
        b.HasIndex(f => new { f.NominationId, f.EvidenceId }).IsUnique();
        b.HasOne<Evidence.EvidenceItem>().WithMany().HasForeignKey(f => f.EvidenceId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ObjectionConfiguration : IEntityTypeConfiguration<Objection>
{
    public void Configure(EntityTypeBuilder<Objection> b)
    {
        b.ToTable("CommendationObjections");
        b.Property(o => o.Text).HasMaxLength(2000).IsRequired();
        b.Property(o => o.ContactCipher).HasMaxLength(400).IsRequired();
        b.Property(o => o.ContactMasked).HasMaxLength(40).IsRequired();
        b.Property(o => o.Answer).HasMaxLength(2000);
        b.Property(o => o.AnsweredBy).HasMaxLength(100);
        b.Property(o => o.UpdatedBy).HasMaxLength(100);
        b.HasIndex(o => new { o.CallId, o.Status });
        b.HasIndex(o => o.NominationId);
        b.HasOne<CommendationCall>().WithMany().HasForeignKey(o => o.CallId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Nomination>().WithMany().HasForeignKey(o => o.NominationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class NominationFlow
{
    /// <summary>
    /// 草稿 → 已申报 → 乡镇审核通过 (or 已退回 with a reason, edited and 申报 again) → 审定通过 (the vote recorded) or 未通过 →
    /// 公示中 → 已表彰 → 已撤销 (with a reason). The unit may 撤回 its nomination before 审定; an upheld objection drops a
    /// nominee from 公示 (未通过). A township's own nomination is reviewed by the county in the township's place.
    /// </summary>
    public static readonly Workflow<Nomination, NominationStatus> Definition =
        new Workflow<Nomination, NominationStatus>("nomination", "推荐对象", n => n.Status, CommendationNames.Status, n => $"推荐对象“{n.NomineeName}”", n => n.Id)
            .Step("submit", "申报", [NominationStatus.Draft, NominationStatus.Returned], NominationStatus.Submitted, CommendationPermissions.Nominate, Actor.OwnUnit,
                effect: (n, s) => n.SubmittedUtc = s.NowUtc)
            .Step("approve", "审核通过", [NominationStatus.Submitted], NominationStatus.TownshipApproved, CommendationPermissions.Review, Actor.Above)
            .Step("return", "退回", [NominationStatus.Submitted], NominationStatus.Returned, CommendationPermissions.Review, Actor.Above, ReasonRule.Required, "退回原因")
            .Step("pass", "审定通过", [NominationStatus.TownshipApproved], NominationStatus.Approved, CommendationPermissions.Manage, Actor.Above, ReasonRule.Optional, "审定意见")
            .Step("fail", "审定不通过", [NominationStatus.TownshipApproved], NominationStatus.Rejected, CommendationPermissions.Manage, Actor.Above, ReasonRule.Required, "不通过原因")
            .Step("publicize", "公示", [NominationStatus.Approved], NominationStatus.Publicity, CommendationPermissions.Manage, Actor.Above)
            .Step("drop", "取消推荐", [NominationStatus.Publicity], NominationStatus.Rejected, CommendationPermissions.Manage, Actor.Above, ReasonRule.Required, "取消原因")
            .Step("commend", "表彰", [NominationStatus.Publicity], NominationStatus.Commended, CommendationPermissions.Manage, Actor.Above)
            .Step("withdraw", "撤回", [NominationStatus.Draft, NominationStatus.Submitted, NominationStatus.Returned, NominationStatus.TownshipApproved],
                NominationStatus.Withdrawn, CommendationPermissions.Nominate, Actor.OwnUnit, ReasonRule.Optional, "撤回原因")
            .Step("revoke", "撤销称号", [NominationStatus.Commended], NominationStatus.Revoked, CommendationPermissions.Manage, Actor.Above, ReasonRule.Required, "撤销原因",
                effect: (n, s) => (n.RevokeReason, n.RevokedOn) = (s.Reason, DateOnly.FromDateTime(ChinaTime.ToChina(s.NowUtc))))
            .Link(n => $"/commendations/nominations/{n.Id}")
            .NotifyOn("submit", n => OrgPaths.Parent(n.OrgPath), CommendationPermissions.Review)
            .NotifyOn("return", n => n.OrgPath, CommendationPermissions.Nominate)
            .NotifyOn("approve", n => n.OrgPath, CommendationPermissions.Nominate)
            .NotifyOn("fail", n => n.OrgPath, CommendationPermissions.Nominate);
}

public static class CommendationNames
{
    public static readonly IReadOnlyList<(ModelCategory Category, string Name)> Categories =
    [
        (ModelCategory.Estate, "模范小区"), (ModelCategory.Courtyard, "模范楼院"), (ModelCategory.Family, "模范家庭"),
        (ModelCategory.Collective, "模范集体"), (ModelCategory.Person, "模范个人"),
    ];

    public static string Category(ModelCategory c) => Categories.FirstOrDefault(x => x.Category == c).Name ?? c.ToString();

    public static string Status(NominationStatus s) => s switch
    {
        NominationStatus.Draft => "草稿",
        NominationStatus.Submitted => "已申报",
        NominationStatus.TownshipApproved => "乡镇审核通过",
        NominationStatus.Returned => "已退回",
        NominationStatus.Approved => "审定通过",
        NominationStatus.Publicity => "公示中",
        NominationStatus.Commended => "已表彰",
        NominationStatus.Rejected => "未通过",
        NominationStatus.Withdrawn => "已撤回",
        _ => "已撤销",
    };

    public static string Call(CallStatus s) => s switch { CallStatus.Open => "征集中", CallStatus.Publicity => "公示中", _ => "已表彰" };

    public static string Outcome(ObjectionOutcome? o) => o switch { ObjectionOutcome.Unfounded => "异议不成立", ObjectionOutcome.Upheld => "异议成立", _ => "待答复" };
}
