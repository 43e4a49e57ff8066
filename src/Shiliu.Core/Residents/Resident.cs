using Shiliu.Core.Data;

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
public sealed class ResidentTransfer : IOrgOwned
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
    public TransferStatus Status { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTime RequestedUtc { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedUtc { get; set; }
    public string? RefuseReason { get; set; }
}
