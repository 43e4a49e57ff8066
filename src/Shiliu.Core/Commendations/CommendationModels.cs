using System.ComponentModel.DataAnnotations;
using Shiliu.Core.Common;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Commendations;

public static class CommendationPermissions
{
    public const string View = "perm.commendation.view";
    /// <summary>Communities and townships nominate their models.</summary>
    public const string Nominate = "perm.commendation.nominate";
    /// <summary>乡镇审核 (the county reviews a township's own nominations).</summary>
    public const string Review = "perm.commendation.review";
    /// <summary>The county office: calls, 审定, 公示, objections, 表彰, revocation.</summary>
    public const string Manage = "perm.commendation.manage";
}

public static class CommendationErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("commendation.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("commendation.invalid");
    public static readonly ErrorCode State = ErrorCode.Invalid("commendation.state");
    public static readonly ErrorCode Deadline = ErrorCode.Invalid("commendation.deadline");
    public static readonly ErrorCode Quota = ErrorCode.Invalid("commendation.quota");
    public static readonly ErrorCode Window = ErrorCode.Invalid("commendation.window");
    public static readonly ErrorCode Objections = ErrorCode.Invalid("commendation.objections");
    public static readonly ErrorCode TooMany = ErrorCode.TooMany("commendation.too_many");
}

public sealed class QuotaLine
{
    public ModelCategory Category { get; set; }
    /// <summary>Null: the county's number of awards in the category (and each township's nominations when it has no line).</summary>
    public Guid? TownshipId { get; set; }
    [Range(1, 500, ErrorMessage = "名额须在1至500之间")]
    public int Count { get; set; }
}

public sealed class SaveCall
{
    [Required(ErrorMessage = "请填写评选通知标题"), StringLength(100, ErrorMessage = "标题不能超过100个字")]
    public string Title { get; set; } = "";
    /// <summary>HTML; sanitised before it is stored.</summary>
    [StringLength(20_000, ErrorMessage = "通知正文过长（不超过2万字）")]
    public string? Body { get; set; }
    public Guid? CampaignId { get; set; }
    [Required(ErrorMessage = "请选择申报截止日期")]
    public DateOnly? Deadline { get; set; }
    [Range(1, 30, ErrorMessage = "公示期须在1至30个工作日之间")]
    public int PublicityDays { get; set; } = 5;
    public List<QuotaLine> Quotas { get; set; } = [];
    public int Version { get; set; }
}

public sealed class SaveNomination
{
    public Guid CallId { get; set; }
    public ModelCategory Category { get; set; }
    [Required(ErrorMessage = "请填写推荐对象名称"), StringLength(100, ErrorMessage = "推荐对象名称不能超过100个字")]
    public string NomineeName { get; set; } = "";
    [StringLength(4, ErrorMessage = "民族代码不正确，请从民族列表中选择")]
    public string? Ethnicity { get; set; }
    [StringLength(100, ErrorMessage = "工作单位不能超过100个字")]
    public string? WorkUnit { get; set; }
    [Required(ErrorMessage = "请填写事迹简介"), StringLength(300, ErrorMessage = "事迹简介不能超过300字（详细事迹写在主要事迹中）")]
    public string Summary { get; set; } = "";
    /// <summary>HTML; sanitised before it is stored.</summary>
    [Required(ErrorMessage = "请填写主要事迹"), StringLength(50_000, ErrorMessage = "主要事迹过长（不超过5万字）")]
    public string Deeds { get; set; } = "";
    public int Version { get; set; }
}

public sealed class ReviewNomination
{
    public bool Approve { get; set; }
    [StringLength(500, ErrorMessage = "退回原因不能超过500字")]
    public string? Reason { get; set; }
    public int Version { get; set; }
}

/// <summary>县级审定: the vote of the meeting and its date, then 通过 or 不通过.</summary>
public sealed class DecideNomination
{
    public bool Pass { get; set; }
    [Range(0, 999, ErrorMessage = "赞成票数须在0至999之间")]
    public int VotesFor { get; set; }
    [Range(0, 999, ErrorMessage = "反对票数须在0至999之间")]
    public int VotesAgainst { get; set; }
    [Range(0, 999, ErrorMessage = "弃权票数须在0至999之间")]
    public int VotesAbstain { get; set; }
    [Required(ErrorMessage = "请选择审定会议日期")]
    public DateOnly? MeetingDate { get; set; }
    [StringLength(500, ErrorMessage = "审定意见不能超过500字")]
    public string? Reason { get; set; }
    public int Version { get; set; }
}

public sealed class OpenPublicity
{
    /// <summary>The first day of 公示; today when it is a working day (else the next one) when left empty.</summary>
    public DateOnly? From { get; set; }
    public int Version { get; set; }
}

public sealed class AnswerObjection
{
    [Required(ErrorMessage = "请填写答复内容"), StringLength(2000, ErrorMessage = "答复不能超过2000字")]
    public string Answer { get; set; } = "";
    [Required(ErrorMessage = "请选择核查结论")]
    public ObjectionOutcome? Outcome { get; set; }
    public int Version { get; set; }
}

public sealed class RecordDecision
{
    [Required(ErrorMessage = "请填写表彰决定文号"), StringLength(50, ErrorMessage = "文号不能超过50个字")]
    public string DecisionNo { get; set; } = "";
    [Required(ErrorMessage = "请选择表彰决定日期")]
    public DateOnly? DecisionDate { get; set; }
    public int Version { get; set; }
}

public sealed class RevokeTitle
{
    [Required(ErrorMessage = "请填写撤销原因"), StringLength(500, ErrorMessage = "撤销原因不能超过500字")]
    public string Reason { get; set; } = "";
    public int Version { get; set; }
}

public sealed class FileObjection
{
    public Guid NominationId { get; set; }
    public string? Text { get; set; }
    public string? Contact { get; set; }
}

public sealed record QuotaRow(ModelCategory Category, string CategoryName, Guid? TownshipId, string? TownshipName, int Count);

public sealed record CallRow(Guid Id, string Title, DateOnly IssuedOn, DateOnly Deadline, int PublicityDays, CallStatus Status, DateOnly? PublicityFrom,
    DateOnly? PublicityTo, string? DecisionNo, int Nominations)
{
    public string StatusName => CommendationNames.Call(Status);
}

public sealed record CallDetail(Guid Id, string Title, string Body, Guid? CampaignId, string IssuedBy, DateOnly IssuedOn, DateOnly Deadline, int PublicityDays,
    CallStatus Status, DateOnly? PublicityFrom, DateOnly? PublicityTo, string? DecisionNo, DateOnly? DecisionDate, IReadOnlyList<QuotaRow> Quotas,
    int OpenObjections, int Version)
{
    public string StatusName => CommendationNames.Call(Status);
}

public sealed record NominationRow(Guid Id, Guid CallId, string UnitName, ModelCategory Category, string NomineeName, NominationStatus Status,
    DateTime? SubmittedUtc, int? VotesFor, int? VotesAgainst, int? VotesAbstain, int Objections)
{
    public string CategoryName => CommendationNames.Category(Category);
    public string StatusName => CommendationNames.Status(Status);
}

public sealed record NominationFileRow(Guid EvidenceId, NominationFileKind Kind, string FileName, string Title);

public sealed record ObjectionRow(Guid Id, Guid NominationId, string NomineeName, string Text, string Contact, DateTime ReceivedUtc, ObjectionStatus Status,
    string? Answer, ObjectionOutcome? Outcome, string? AnsweredBy, DateTime? AnsweredUtc, int Version)
{
    public string OutcomeName => CommendationNames.Outcome(Outcome);
}

public sealed record NominationDetail(Guid Id, Guid CallId, string CallTitle, Guid OrgUnitId, string UnitName, ModelCategory Category, string NomineeName,
    string? Ethnicity, string? EthnicityName, string? WorkUnit, string Summary, string Deeds, NominationStatus Status, int? VotesFor, int? VotesAgainst,
    int? VotesAbstain, DateOnly? MeetingDate, string? ReturnReason, string? RevokeReason, DateOnly? RevokedOn, string? CertificateNo,
    IReadOnlyList<NominationFileRow> Files, IReadOnlyList<StepRow> History, IReadOnlyList<ObjectionRow> Objections, IReadOnlyList<string> Actions, int Version)
{
    public string CategoryName => CommendationNames.Category(Category);
    public string StatusName => CommendationNames.Status(Status);
}

/// <summary>A line of the honour roll (光荣榜): one awardee of one call, 已撤销 when the title was revoked.</summary>
public sealed record RollRow(Guid NominationId, int Year, string CallTitle, string? DecisionNo, DateOnly? DecisionDate, ModelCategory Category,
    string NomineeName, string UnitName, bool Revoked, string? RevokeReason, string? CertificateNo)
{
    public string CategoryName => CommendationNames.Category(Category);
}

public sealed record PublicNominee(Guid Id, ModelCategory Category, string NomineeName, string UnitName, string Summary)
{
    public string CategoryName => CommendationNames.Category(Category);
}

/// <summary>A call in 公示 as residents read it: the window from the calendar, and whether objections are taken today.</summary>
public sealed record PublicityView(Guid CallId, string Title, DateOnly From, DateOnly To, int WorkingDays, bool Open, bool Ended,
    IReadOnlyList<PublicNominee> Nominees);

public sealed record ObjectionReceipt(Guid Id, string NomineeName);
