using Shiliu.Core.Data;

namespace Shiliu.Core.Evidence;

/// <summary>The three classes the seed files evidence under (影音/图片/文字).</summary>
public enum EvidenceCategory
{
    Media = 0,
    Image = 1,
    Text = 2,
}

/// <summary>What an evidence item supports: a 测评标准 (by its number) or one of the 十个一 (1–10).</summary>
public enum EvidenceRefKind
{
    Criterion = 1,
    Deliverable = 2,
}

/// <summary>
/// One piece of 痕迹台账: a file (photo, video, audio, document or a text record stored as .txt) of a unit, filed by
/// year and class. The bytes live in the file store under their SHA-256, so identical uploads share one copy.
/// </summary>
public sealed class EvidenceItem : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public int Year { get; set; }
    public EvidenceCategory Category { get; set; }
    public string Title { get; set; } = "";
    /// <summary>Sanitised original name, with the extension the content really has.</summary>
    public string FileName { get; set; } = "";
    /// <summary>Detected by content: jpg, png, pdf, docx, mp4 …</summary>
    public string Format { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string StorageKey { get; set; } = "";
    public string? ThumbnailKey { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public string? Description { get; set; }
    public string? Tags { get; set; }
    public Guid? ActivityId { get; set; }
    public string UploadedBy { get; set; } = "";
    public DateTime UploadedUtc { get; set; }
    public DateTime? DeletedUtc { get; set; }
    public string? DeletedBy { get; set; }
    public List<EvidenceRef> Refs { get; set; } = [];
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public sealed class EvidenceRef
{
    public Guid EvidenceId { get; set; }
    public EvidenceRefKind Kind { get; set; }
    public int No { get; set; }
}

public enum DossierStatus
{
    Queued = 0,
    Running = 1,
    Done = 2,
    Failed = 3,
}

/// <summary>An inspection dossier (迎检台账) being built or built in the background for one unit.</summary>
public sealed class DossierJob : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string UnitName { get; set; } = "";
    public int? Year { get; set; }
    public int? CriterionNo { get; set; }
    public DossierStatus Status { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
    public long Size { get; set; }
    public string? StorageKey { get; set; }
    public string? Error { get; set; }
    public string RequestedBy { get; set; } = "";
    /// <summary>The requester's scope, so the background build sees exactly what they may see.</summary>
    public string RequesterPath { get; set; } = "";
    public DateTime RequestedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
}
