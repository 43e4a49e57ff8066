using System.ComponentModel.DataAnnotations;
using Shiliu.Core.Indicators;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Assessment;

/// <summary>A round as the county office declares it; editable as a whole while the round is a draft.</summary>
public sealed class SaveRound
{
    [Required(ErrorMessage = "请填写考评名称"), StringLength(100, ErrorMessage = "考评名称不能超过100字")]
    public string Name { get; set; } = "";
    public Guid? CampaignId { get; set; }
    /// <summary>The framework version to score against; empty means the newest published one.</summary>
    public Guid? FrameworkId { get; set; }
    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
    public List<Guid> UnitIds { get; set; } = [];
    [Range(0, 100, ErrorMessage = "自检自查权重应在0到100之间")] public int WeightSelf { get; set; } = 20;
    [Range(0, 100, ErrorMessage = "互检互评权重应在0到100之间")] public int WeightMutual { get; set; } = 30;
    [Range(0, 100, ErrorMessage = "调研督查权重应在0到100之间")] public int WeightSupervision { get; set; } = 50;
    [Range(1, 60, ErrorMessage = "自检自查时限应为1到60个工作日")] public int SelfDays { get; set; } = 5;
    [Range(1, 60, ErrorMessage = "互检互评时限应为1到60个工作日")] public int MutualDays { get; set; } = 5;
    [Range(1, 60, ErrorMessage = "调研督查时限应为1到60个工作日")] public int SupervisionDays { get; set; } = 10;
    public List<SaveBand> Bands { get; set; } = DefaultBands();
    public List<TieBreak> TieBreaks { get; set; } = [TieBreak.SupervisionTotal, TieBreak.FewerDeductions];
    [Range(0, 100, ErrorMessage = "分差提示阈值应在0到100分之间")] public decimal GapThreshold { get; set; } = 10;
    public bool SeparateTownships { get; set; } = true;
    public int Version { get; set; }

    public static List<SaveBand> DefaultBands() =>
        [new() { Name = "示范", MinScore = 90 }, new() { Name = "达标", MinScore = 80 }, new() { Name = "基本达标", MinScore = 60 }, new() { Name = "未达标", MinScore = 0 }];
}

public sealed class SaveBand
{
    public string Name { get; set; } = "";
    public decimal MinScore { get; set; }
}

public sealed class SaveSheet
{
    public List<SaveLine> Lines { get; set; } = [];
    [StringLength(2000, ErrorMessage = "总体评价不能超过2000字")]
    public string? Feedback { get; set; }
    public int Version { get; set; }
}

public sealed class SaveLine
{
    public int CriterionNo { get; set; }
    public decimal? Score { get; set; }
    public string? DeductionReason { get; set; }
    public string? Comment { get; set; }
    public List<Guid> EvidenceIds { get; set; } = [];
}

public sealed class SavePair
{
    public Guid ScorerUnitId { get; set; }
    public Guid ScoredUnitId { get; set; }
}

/// <summary>Lifting a 一票否决: why, in words the audit log keeps.</summary>
public sealed class ClearVeto
{
    [Required(ErrorMessage = "请填写撤销一票否决的原因"), StringLength(500, ErrorMessage = "撤销原因不能超过500字")]
    public string Reason { get; set; } = "";
    public int Version { get; set; }
}

public sealed class SaveVeto
{
    [Required(ErrorMessage = "请填写否决事由"), StringLength(500, ErrorMessage = "否决事由不能超过500字")]
    public string Reason { get; set; } = "";
    [Required(ErrorMessage = "请填写否决依据（如 通报文号）"), StringLength(100, ErrorMessage = "否决依据不能超过100字")]
    public string Reference { get; set; } = "";
    public int Version { get; set; }
}

public sealed record RoundRow(Guid Id, string Name, RoundStage Stage, DateOnly PeriodFrom, DateOnly PeriodTo, int Units, DateOnly? Due, bool IsDemo)
{
    public string StageName => AssessmentService.StageName(Stage);
}

public sealed record BandView(string Name, decimal MinScore);

public sealed record CriterionView(int No, string GroupName, string ShortTitle, string Text, int Points, AssessMethods Methods)
{
    public string MethodNames => AssessMethodNames.Format(Methods);
}

public sealed record RoundUnitView(Guid OrgUnitId, string UnitName, OrgLevel Level, string TownshipName, string? VetoReason, string? VetoReference, int Version);

public sealed record RoundDetail(Guid Id, string Name, Guid? CampaignId, string? CampaignTitle, Guid FrameworkId, int FrameworkVersionNo,
    DateOnly PeriodFrom, DateOnly PeriodTo, RoundStage Stage, int WeightSelf, int WeightMutual, int WeightSupervision,
    int SelfDays, int MutualDays, int SupervisionDays, DateOnly? SelfDue, DateOnly? MutualDue, DateOnly? SupervisionDue,
    IReadOnlyList<TieBreak> TieBreaks, decimal GapThreshold, bool SeparateTownships, int? PairSeed, IReadOnlyList<BandView> Bands,
    IReadOnlyList<CriterionView> Criteria, IReadOnlyList<RoundUnitView> Units, int Version, bool IsDemo)
{
    public string StageName => AssessmentService.StageName(Stage);
    public string TieRuleText => AssessmentService.TieRuleText(TieBreaks);
}

public sealed record PairView(Guid ScorerUnitId, string ScorerName, Guid ScoredUnitId, string ScoredName);

public sealed record AssignmentView(string UserName, string DisplayName, Guid OrgUnitId, string UnitName);

/// <summary>A sheet the caller is due to fill (or has filled) in a round.</summary>
public sealed record SheetTask(Guid RoundId, string RoundName, RoundStage Stage, AssessMode Mode, Guid ScoredUnitId, string ScoredName, Guid? SheetId,
    SheetStatus? Status, bool Reopened, DateOnly? Due)
{
    /// <summary>Still to be filled: the round is at this mode's stage (or the sheet was reopened) and it is not submitted.</summary>
    public bool Open => Status != SheetStatus.Submitted && Stage != RoundStage.Published && (Stage == AssessmentService.StageOf(Mode) || Reopened);

    public string ModeName => AssessmentService.ModeName(Mode);
    public string StatusName => Status is { } s ? AssessmentService.SheetStatusName(s) : "未开始";
}

public sealed record LineView(int CriterionNo, string ShortTitle, string Text, int Points, string MethodNames, decimal? Score, string? DeductionReason,
    string? Comment, IReadOnlyList<EvidenceLink> Evidence);

public sealed record EvidenceLink(Guid Id, string Title);

public sealed record SheetView(Guid Id, Guid RoundId, string RoundName, AssessMode Mode, Guid ScoredUnitId, string ScoredName, string ScorerName,
    SheetStatus Status, DateTime? SubmittedUtc, string? ReopenReason, decimal Total, int Deductions, string? Feedback, IReadOnlyList<LineView> Lines,
    bool CanEdit, DateOnly? Due, int Version)
{
    public string ModeName => AssessmentService.ModeName(Mode);
    public string StatusName => AssessmentService.SheetStatusName(Status);
}

/// <summary>What the unit's ledgers hold toward one criterion, and the suggestions with their formulas.</summary>
public sealed record CriterionHoldings(int CriterionNo, int Points, IReadOnlyList<HoldingLine> Lines);

public sealed record HoldingLine(string Source, string Label, string Figure, string? Href, decimal? SuggestedPoints, string? Formula);
