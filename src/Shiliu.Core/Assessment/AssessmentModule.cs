using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Assessment;

public static class AssessmentPermissions
{
    /// <summary>Runs rounds: configures, opens, pairs, assigns assessors, vetoes, reopens sheets, publishes.</summary>
    public const string Manage = "perm.assessment.manage";
    /// <summary>Fills the sheets the caller is due to fill (own unit, its pair, assigned units).</summary>
    public const string Score = "perm.assessment.score";
    /// <summary>Reads rounds and, once published, the own unit's results.</summary>
    public const string View = "perm.assessment.view";
    /// <summary>Reads the county ranking, heat map and weakest criteria.</summary>
    public const string Results = "perm.assessment.results";
}

public static class AssessmentErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("assessment.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("assessment.invalid");
    public static readonly ErrorCode Weights = ErrorCode.Invalid("assessment.weights");
    public static readonly ErrorCode Bands = ErrorCode.Invalid("assessment.bands");
    public static readonly ErrorCode Locked = ErrorCode.Invalid("assessment.locked");
    public static readonly ErrorCode Stage = ErrorCode.Invalid("assessment.stage");
    public static readonly ErrorCode Pairing = ErrorCode.Invalid("assessment.pairing");
    public static readonly ErrorCode Score = ErrorCode.Invalid("assessment.score");
    public static readonly ErrorCode NotAssigned = ErrorCode.Denied("assessment.not_assigned");
    public static readonly ErrorCode NotPublished = ErrorCode.Invalid("assessment.not_published");
    public static readonly ErrorCode Duplicate = ErrorCode.Conflict("assessment.duplicate");
}

/// <summary>督查考评: rounds of 自检自查, 互检互评 and 调研督查 against a frozen framework, results, ranking and exports.</summary>
public sealed class AssessmentModule : FeatureModule
{
    public override string Name => "督查考评";

    static readonly string[] Scorers = [Roles.CommunityStaff, Roles.TownshipOfficer, Roles.Assessor];

    public override void Declare(ModuleBuilder m) => m
        .Permission(AssessmentPermissions.Manage, "组织督查考评", Roles.CountyOfficer)
        .Permission(AssessmentPermissions.Score, "填写考评评分表", Scorers)
        .Permission(AssessmentPermissions.View, "查看督查考评", Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer, Roles.CommunityStaff, Roles.Assessor)
        .Permission(AssessmentPermissions.Results, "查看考评排名", Roles.CountyOfficer, Roles.Leader)
        .MenuItem(MenuSection.Work, "督查考评", "/assessment", "audit", 45, AssessmentPermissions.View)
        .Link("督查考评", "/assessment", "自检自查、互检互评、调研督查评分与考评结果", 45, AssessmentPermissions.View)
        .Audit<AssessmentRound>("考评轮次", r => $"考评轮次《{r.Name}》（{AssessmentService.StageName(r.Stage)}）")
        .AuditedByService<RoundBand>("考评等次")
        .AuditedByService<RoundCriterion>("考评标准（锁定）")
        .Audit<RoundUnit>("考评单位", u => $"考评单位 {u.UnitName}{(u.VetoReason is null ? "" : "（一票否决）")}",
            new Dictionary<string, string> { ["VetoReason"] = "否决事由", ["VetoReference"] = "否决依据" })
        .AuditedByService<MutualPair>("互评分组")
        .AuditedByService<AssessorAssignment>("测评人员分配")
        .Audit<Scoresheet>("考评评分表", s => $"{s.ScoredName}的{AssessmentService.ModeName(s.Mode)}评分表（{s.ScorerName}）")
        .AuditedByService<ScoreLine>("评分明细")
        .Workflow(ScoresheetFlow.Definition)
        .ErrorCodes(typeof(AssessmentErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<AssessmentService>();
        services.AddScoped<AssessmentExportService>();
        services.AddTodoSource<AssessmentTodos>();
        services.AddDashboardSource<AssessmentDashboardSource>();
    }

    public override Task SeedDemoAsync(SeedContext seed, CancellationToken ct) => AssessmentDemo.SeedAsync(seed, ct);
}
