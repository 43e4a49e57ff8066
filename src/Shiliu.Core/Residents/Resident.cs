using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Residents;

public enum Gender
{
    Unknown = 0,
    Male = 1,
    Female = 2,
}

/// <summary>常住 / 流动 / 辖区单位 (the seed's three kinds of minority residents a community keeps).</summary>
public enum ResidenceType
{
    Permanent = 1,
    Floating = 2,
    UnitEmployee = 3,
}

public enum ResidentStatus
{
    Registered = 1,
    MovedOut = 2,
    Deceased = 3,
    Cancelled = 4,
}

[Flags]
public enum ResidentNeeds
{
    None = 0,
    Employment = 1,
    Training = 2,
    Schooling = 4,
    Medical = 8,
    Relief = 16,
    Translation = 32,
    Legal = 64,
    Housing = 128,
    Other = 256,
}

/// <summary>
/// One person of the 少数民族信息档案. The ID number and phone are stored encrypted, found by a keyed hash, and shown
/// masked unless someone allowed unmasks one record (audited). One record per ID number county-wide.
/// </summary>
public sealed class Resident : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The community (or its grid) that keeps the record; OrgPath is that unit's path.</summary>
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public Guid CommunityId { get; set; }
    public string Name { get; set; } = "";
    public Gender Gender { get; set; }
    public string EthnicityCode { get; set; } = "";
    [NotAudited] public string IdNumberCipher { get; set; } = "";
    [NotAudited] public string IdNumberHash { get; set; } = "";
    public string IdNumberMasked { get; set; } = "";
    [AuditRedacted] public DateOnly BirthDate { get; set; }
    [NotAudited] public string? PhoneCipher { get; set; }
    [NotAudited] public string? PhoneHash { get; set; }
    public string? PhoneMasked { get; set; }
    public string? HouseholdNo { get; set; }
    public string? RelationToHead { get; set; }
    public string? Address { get; set; }
    public ResidenceType ResidenceType { get; set; }
    public string? OriginPlace { get; set; }
    public DateOnly? ArrivalDate { get; set; }
    public string? ExpectedStay { get; set; }
    public string? ArrivalReason { get; set; }
    public string? Employer { get; set; }
    public string? Languages { get; set; }
    /// <summary>Recorded only when the person consented (PIPL sensitive data).</summary>
    [AuditRedacted] public string? Religion { get; set; }
    [AuditRedacted] public bool ReligionConsent { get; set; }
    /// <summary>Medical, relief and housing needs tell of health and hardship: sensitive.</summary>
    [AuditRedacted] public ResidentNeeds Needs { get; set; }
    [AuditRedacted] public string? Notes { get; set; }
    public ResidentStatus Status { get; set; } = ResidentStatus.Registered;
    public DateOnly? StatusDate { get; set; }
    /// <summary>When the retention schedule archived the record: kept to the minimum (identity, ethnicity, status), the rest erased.</summary>
    public DateTime? ArchivedUtc { get; set; }
    /// <summary>The import that created the record, if any: its first history entry (file, row, who, when).</summary>
    public Guid? ImportId { get; set; }
    public int? ImportRow { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>What changed in a resident record, for the record's own history (sensitive values masked).</summary>
public sealed class ResidentChange : IOrgOwned
{
    public long Id { get; set; }
    public Guid ResidentId { get; set; }
    public string OrgPath { get; set; } = "";
    public DateTime TimeUtc { get; set; }
    public string UserName { get; set; } = "";
    public string Action { get; set; } = "";
    /// <summary>"字段：旧 → 新" lines.</summary>
    public string Details { get; set; } = "";
}

public enum TransferStatus
{
    Pending = 0,
    Accepted = 1,
    Refused = 2,
}

/// <summary>A community asks the community that keeps a person's record to hand it over (the person moved).</summary>
public sealed class ResidentTransfer : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ResidentId { get; set; }
    /// <summary>The owning side's path: the owner sees and decides it.</summary>
    public string OrgPath { get; set; } = "";
    public Guid ToOrgUnitId { get; set; }
    /// <summary>The requesting side's path: the requester sees it through this.</summary>
    public string ToOrgPath { get; set; } = "";
    public string ToUnitName { get; set; } = "";
    public string FromUnitName { get; set; } = "";
    public string ResidentName { get; set; } = "";
    public string Reason { get; set; } = "";
    [WorkflowState] public TransferStatus Status { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTime RequestedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class TransferFlow
{
    public static string StatusName(TransferStatus s) => s switch { TransferStatus.Pending => "待处理", TransferStatus.Accepted => "已接收", _ => "已拒绝" };

    /// <summary>The keeping community (or its township) hands the record over, or refuses with a reason the requester sees.</summary>
    public static readonly Workflow<ResidentTransfer, TransferStatus> Definition =
        new Workflow<ResidentTransfer, TransferStatus>("resident-transfer", "转入申请", t => t.Status, StatusName, t => $"{t.ToUnitName}的转入申请", t => t.Id)
            .Step("accept", "同意转出", [TransferStatus.Pending], TransferStatus.Accepted, ResidentPermissions.Manage, Actor.InScope)
            .Step("refuse", "拒绝", [TransferStatus.Pending], TransferStatus.Refused, ResidentPermissions.Manage, Actor.InScope, ReasonRule.Required, "拒绝原因")
            .Link(_ => "/residents")
            .NotifyOn("accept", t => t.ToOrgPath, ResidentPermissions.Manage)
            .NotifyOn("refuse", t => t.ToOrgPath, ResidentPermissions.Manage);
}

sealed class ResidentConfiguration : IEntityTypeConfiguration<Resident>
{
    public void Configure(EntityTypeBuilder<Resident> b)
    {
        b.ToTable("Residents");
        b.Property(r => r.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(r => r.Name).HasMaxLength(50).IsRequired();
        b.Property(r => r.EthnicityCode).HasMaxLength(40).IsRequired();
        b.Property(r => r.IdNumberCipher).HasMaxLength(400).IsRequired();
        b.Property(r => r.IdNumberHash).HasMaxLength(64).IsRequired();
        b.Property(r => r.IdNumberMasked).HasMaxLength(18).IsRequired();
        b.Property(r => r.PhoneCipher).HasMaxLength(400);
        b.Property(r => r.PhoneHash).HasMaxLength(64);
        b.Property(r => r.PhoneMasked).HasMaxLength(20);
        b.Property(r => r.HouseholdNo).HasMaxLength(30);
        b.Property(r => r.RelationToHead).HasMaxLength(20);
        b.Property(r => r.Address).HasMaxLength(200);
        b.Property(r => r.OriginPlace).HasMaxLength(100);
        b.Property(r => r.ExpectedStay).HasMaxLength(30);
        b.Property(r => r.ArrivalReason).HasMaxLength(50);
        b.Property(r => r.Employer).HasMaxLength(100);
        b.Property(r => r.Languages).HasMaxLength(100);
        b.Property(r => r.Religion).HasMaxLength(30);
        b.Property(r => r.Notes).HasMaxLength(500);
        b.Property(r => r.UpdatedBy).HasMaxLength(100);
        // One record per ID number county-wide; lists page through a subtree in household order.
        b.HasIndex(r => r.IdNumberHash).IsUnique();
        b.HasIndex(r => r.PhoneHash);
        b.HasIndex(r => new { r.OrgPath, r.HouseholdNo, r.Name });
        b.HasIndex(r => new { r.OrgPath, r.EthnicityCode });
        b.HasIndex(r => r.BirthDate);
        b.HasIndex(r => new { r.Status, r.StatusDate });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ResidentChangeConfiguration : IEntityTypeConfiguration<ResidentChange>
{
    public void Configure(EntityTypeBuilder<ResidentChange> b)
    {
        b.ToTable("ResidentChanges");
        b.Property(c => c.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(c => c.UserName).HasMaxLength(100).IsRequired();
        b.Property(c => c.Action).HasMaxLength(20).IsRequired();
        b.Property(c => c.Details).HasMaxLength(4000).IsRequired();
        b.HasIndex(c => new { c.ResidentId, c.TimeUtc });
        b.HasOne<Resident>().WithMany().HasForeignKey(c => c.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class ResidentTransferConfiguration : IEntityTypeConfiguration<ResidentTransfer>
{
    public void Configure(EntityTypeBuilder<ResidentTransfer> b)
    {
        b.ToTable("ResidentTransfers");
        b.Property(t => t.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(t => t.ToOrgPath).HasMaxLength(400).IsRequired();
        b.Property(t => t.ToUnitName).HasMaxLength(100).IsRequired();
        b.Property(t => t.FromUnitName).HasMaxLength(100).IsRequired();
        b.Property(t => t.ResidentName).HasMaxLength(50).IsRequired();
        b.Property(t => t.Reason).HasMaxLength(200).IsRequired();
        b.Property(t => t.RequestedBy).HasMaxLength(100).IsRequired();
        b.HasIndex(t => new { t.ResidentId, t.Status });
        b.HasIndex(t => t.OrgPath);
        b.HasIndex(t => t.ToOrgPath);
        b.HasOne<Resident>().WithMany().HasForeignKey(t => t.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}
