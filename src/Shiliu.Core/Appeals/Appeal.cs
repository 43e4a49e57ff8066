using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Appeals;

public enum AppealStatus
{
    Pending = 0,
    Handling = 1,
    /// <summary>Offered to another unit (转办) that has not yet accepted or returned it.</summary>
    Transferring = 2,
    Answered = 3,
    /// <summary>The resident said 未解决: handled again, once (重办).</summary>
    Reopened = 4,
    Closed = 5,
    /// <summary>Turned into a service case or a dispute (已转为…办理), linked by <see cref="Appeal.ConvertedId"/>.</summary>
    Converted = 6,
}

/// <summary>How the appeal reached the county.</summary>
public enum AppealChannel
{
    Public = 0,
    Hotline = 1,
    Window = 2,
    Visit = 3,
}

/// <summary>
/// A resident's appeal (诉求). Held by one unit at a time (the community of its place first), handed over with 转办;
/// the resident follows it with the tracking code and a PIN only they were shown. Name and phone are sealed.
/// </summary>
public sealed class Appeal : IHandedOver, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public Guid? HandoverToUnitId { get; set; }
    public string? HandoverToPath { get; set; }
    /// <summary>The tracking code (not a secret alone: the PIN is).</summary>
    public string Code { get; set; } = "";
    /// <summary>PBKDF2 of the query PIN; the PIN itself is shown once and kept nowhere.</summary>
    [NotAudited] public string PinHash { get; set; } = "";
    public AppealChannel Channel { get; set; }
    public string Topic { get; set; } = "";
    [AuditRedacted] public string Text { get; set; } = "";
    /// <summary>The community of the place the appeal is about (where it was routed first).</summary>
    public Guid PlaceUnitId { get; set; }
    [AuditRedacted] public string? Address { get; set; }
    [NotAudited] public string? NameCipher { get; set; }
    public string? NameMasked { get; set; }
    [NotAudited] public string? PhoneCipher { get; set; }
    [NotAudited] public string? PhoneHash { get; set; }
    public string? PhoneMasked { get; set; }
    [WorkflowState] public AppealStatus Status { get; set; }
    [AuditRedacted] public string? Answer { get; set; }
    public DateTime? AnsweredUtc { get; set; }
    /// <summary>Whether the first answer came within the topic's time limit (the on-time answer rate).</summary>
    public bool? AnsweredOnTime { get; set; }
    public bool? Resolved { get; set; }
    [AuditRedacted] public string? FeedbackComment { get; set; }
    public DateTime? FeedbackUtc { get; set; }
    public int ReopenCount { get; set; }
    public string? ConvertedKind { get; set; }
    public string? ConvertedName { get; set; }
    public Guid? ConvertedId { get; set; }
    public string? ConvertedNumber { get; set; }
    public string? ConvertedLink { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime? ClosedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A photo a resident sent with the appeal: checked by content, metadata stripped, stored under its hash.</summary>
[ScopedElsewhere("read through its appeal")]
public sealed class AppealPhoto
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AppealId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string StorageKey { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
}

/// <summary>
/// Failed PIN lookups per tracking code as typed (whether or not such an appeal exists), so a locked code says nothing
/// about whether it is real.
/// </summary>
public sealed class AppealLookupGuard
{
    /// <summary>SHA-256 of the normalised code.</summary>
    public string CodeKey { get; set; } = "";
    public int Failures { get; set; }
    public DateTime? LockedUntilUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }
}

sealed class AppealConfiguration : IEntityTypeConfiguration<Appeal>
{
    public void Configure(EntityTypeBuilder<Appeal> b)
    {
        b.ToTable("Appeals");
        b.Property(a => a.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(a => a.HandoverToPath).HasMaxLength(400);
        b.Property(a => a.Code).HasMaxLength(20).IsRequired();
        b.Property(a => a.PinHash).HasMaxLength(200).IsRequired();
        b.Property(a => a.Topic).HasMaxLength(40).IsRequired();
        b.Property(a => a.Text).HasMaxLength(2000).IsRequired();
        b.Property(a => a.Address).HasMaxLength(200);
        b.Property(a => a.NameCipher).HasMaxLength(200);
        b.Property(a => a.NameMasked).HasMaxLength(50);
        b.Property(a => a.PhoneCipher).HasMaxLength(200);
        b.Property(a => a.PhoneHash).HasMaxLength(100);
        b.Property(a => a.PhoneMasked).HasMaxLength(20);
        b.Property(a => a.Answer).HasMaxLength(2000);
        b.Property(a => a.FeedbackComment).HasMaxLength(500);
        b.Property(a => a.ConvertedKind).HasMaxLength(40);
        b.Property(a => a.ConvertedName).HasMaxLength(40);
        b.Property(a => a.ConvertedNumber).HasMaxLength(60);
        b.Property(a => a.ConvertedLink).HasMaxLength(200);
        b.Property(a => a.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(a => a.UpdatedBy).HasMaxLength(100);
        b.HasIndex(a => a.Code).IsUnique();
        b.HasIndex(a => new { a.OrgPath, a.Status });
        b.HasIndex(a => a.HandoverToPath);
        b.HasIndex(a => new { a.PhoneHash, a.CreatedUtc });
        b.HasIndex(a => new { a.Status, a.AnsweredUtc });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(a => a.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(a => a.PlaceUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class AppealPhotoConfiguration : IEntityTypeConfiguration<AppealPhoto>
{
    public void Configure(EntityTypeBuilder<AppealPhoto> b)
    {
        b.ToTable("AppealPhotos");
        b.Property(p => p.FileName).HasMaxLength(200).IsRequired();
        b.Property(p => p.ContentType).HasMaxLength(100).IsRequired();
        b.Property(p => p.Sha256).HasMaxLength(64).IsRequired();
        b.Property(p => p.StorageKey).HasMaxLength(200).IsRequired();
        b.HasIndex(p => p.AppealId);
        b.HasOne<Appeal>().WithMany().HasForeignKey(p => p.AppealId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class AppealLookupGuardConfiguration : IEntityTypeConfiguration<AppealLookupGuard>
{
    public void Configure(EntityTypeBuilder<AppealLookupGuard> b)
    {
        b.ToTable("AppealLookupGuards");
        b.HasKey(g => g.CodeKey);
        b.Property(g => g.CodeKey).HasMaxLength(64);
        b.HasIndex(g => g.UpdatedUtc);
    }
}

public static class AppealFlow
{
    /// <summary>
    /// The resident's steps (办结 on 已解决 or silence, 重办 on 未解决): taken only by the public page and the job as the
    /// system; no staff service offers them.
    /// </summary>
    public static readonly IReadOnlySet<string> ResidentSteps = new HashSet<string> { "close", "reopen" };

    /// <summary>States in which the answer clock stands still: answered, closed, converted.</summary>
    public static readonly IReadOnlySet<int> Pausing = new HashSet<int> { (int)AppealStatus.Answered, (int)AppealStatus.Closed, (int)AppealStatus.Converted };

    /// <summary>
    /// 待受理 → 受理 → 办理中 → 答复 → 已答复 → 办结 (the resident said resolved, or said nothing in time) / 重办 once (未解决);
    /// 转办 to another unit with a reason, which accepts (→ 办理中) or returns it with a reason (→ 待受理 at the sender);
    /// 转为服务事项 / 矛盾纠纷 in one action (已转办).
    /// </summary>
    public static readonly Workflow<Appeal, AppealStatus> Definition =
        new Workflow<Appeal, AppealStatus>("appeal", "诉求", a => a.Status, AppealNames.Status, a => $"诉求 {a.Code}", a => a.Id)
            .Step("accept", "受理", [AppealStatus.Pending], AppealStatus.Handling, AppealPermissions.Handle, Actor.OwnUnit)
            .Step("transfer", "转办", [AppealStatus.Pending, AppealStatus.Handling, AppealStatus.Reopened], AppealStatus.Transferring, AppealPermissions.Handle,
                Actor.OwnUnit, ReasonRule.Required, "转办理由")
            .Step("take", "接收转办", [AppealStatus.Transferring], AppealStatus.Handling, AppealPermissions.Handle, Actor.Receiver, effect: Handover.Accept)
            .Step("return", "退回转办", [AppealStatus.Transferring], AppealStatus.Pending, AppealPermissions.Handle, Actor.Receiver, ReasonRule.Required, "退回理由",
                Handover.Return)
            .Step("answer", "答复", [AppealStatus.Handling, AppealStatus.Reopened], AppealStatus.Answered, AppealPermissions.Handle, Actor.OwnUnit)
            .Step("close", "办结", [AppealStatus.Answered], AppealStatus.Closed, AppealPermissions.Handle, Actor.OwnUnit, ReasonRule.Optional, "群众评价",
                (a, s) => a.ClosedUtc = s.NowUtc)
            .Step("reopen", "重办", [AppealStatus.Answered], AppealStatus.Reopened, AppealPermissions.Handle, Actor.OwnUnit, ReasonRule.Required, "未解决的情况",
                (a, _) => a.ReopenCount++)
            .Step("convert", "转为其他事项办理", [AppealStatus.Pending, AppealStatus.Handling, AppealStatus.Reopened], AppealStatus.Converted, AppealPermissions.Handle,
                Actor.OwnUnit, ReasonRule.Optional, "转入事项", (a, s) => a.ClosedUtc = s.NowUtc)
            .Link(a => $"/appeals?id={a.Id}")
            .NotifyOn("transfer", a => a.HandoverToPath ?? a.OrgPath, AppealPermissions.Handle)
            .NotifyOn("take", a => a.OrgPath, AppealPermissions.Handle)
            .NotifyOn("return", a => a.OrgPath, AppealPermissions.Handle)
            .NotifyOn("reopen", a => a.OrgPath, AppealPermissions.Handle);
}
