using Shiliu.Core.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Questionnaires;

public static class QuestionnairePermissions
{
    /// <summary>See questionnaires published for the caller's units and their results.</summary>
    public const string View = "perm.questionnaire.view";
    /// <summary>Build, publish, print codes and QR posters (county office and townships).</summary>
    public const string Build = "perm.questionnaire.build";
}

public static class QuestionnaireErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("questionnaire.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("questionnaire.invalid");
    /// <summary>A resident's sheet with required questions unanswered or answers out of range (named per question).</summary>
    public static readonly ErrorCode Unanswered = ErrorCode.Invalid("questionnaire.unanswered");
    /// <summary>Not open yet, or closed: the server refuses whatever page is open.</summary>
    public static readonly ErrorCode Closed = ErrorCode.Invalid("questionnaire.closed");
    /// <summary>A code unknown, for another publication, or already used; or this browser already answered.</summary>
    public static readonly ErrorCode AlreadyAnswered = ErrorCode.Conflict("questionnaire.already_answered");
    public static readonly ErrorCode BadCode = ErrorCode.Invalid("questionnaire.code");
    public static readonly ErrorCode TooMany = ErrorCode.TooMany("questionnaire.too_many");
    public static readonly ErrorCode Lookup = ErrorCode.NotFound("questionnaire.not_found");
}

/// <summary>问卷调查: questionnaires built by the county office and townships, published per unit, answered anonymously.</summary>
public sealed class QuestionnairesModule : FeatureModule
{
    public override string Name => "问卷调查";

    public override void Declare(ModuleBuilder m) => m
        .Permission(QuestionnairePermissions.View, "查看问卷和调查结果", Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer, Roles.CommunityStaff)
        .Permission(QuestionnairePermissions.Build, "制作、发布问卷，印制答题码和二维码", Roles.CountyOfficer, Roles.TownshipOfficer)
        .MenuItem(MenuSection.Work, "问卷调查", "/questionnaires", "form", 45, QuestionnairePermissions.View)
        .Link("问卷调查", "/questionnaires", "制作和发布群众满意度问卷，查看调查结果", 45, QuestionnairePermissions.View)
        .Audit<Questionnaire>("问卷", q => $"问卷《{q.Title}》（第{q.Revision}版）")
        .Audit<Publication>("问卷发布", p => $"问卷《{p.Title}》的发布（{p.OpensOn:yyyy年M月d日}—{p.ClosesOn:yyyy年M月d日}）")
        // Answers are anonymous: no audit row per sheet (its time and caller would be the very link anonymity forbids).
        .AuditedByService<QuestionnaireResponse>("问卷答卷")
        .AuditedByService<QuestionnaireAnswer>("问卷答案")
        .AuditedByService<AnswerCode>("问卷答题码")
        .AuditedByService<BrowserMark>("问卷已答标记")
        .AuditedByService<QuestionnaireTally>("问卷结果统计")
        // Results add up these counts instead of grouping every sheet (see QuestionnaireTally).
        // Answers first: both share one table, so the first start after its migration rebuilds both through this one.
        .Tally<QuestionnaireAnswer, AnswerTallyKey, QuestionnaireTally>("问卷各选项人数", QuestionnaireTallies.AnswerKey,
            QuestionnaireTallies.RecountAnswersAsync, QuestionnaireTallies.RebuildAnswersAsync)
        .Tally<QuestionnaireResponse, Guid, QuestionnaireTally>("问卷答卷份数", QuestionnaireTallies.SheetKey,
            QuestionnaireTallies.RecountSheetsAsync, QuestionnaireTallies.RebuildSheetsAsync)
        .ErrorCodes(typeof(QuestionnaireErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<QuestionnaireService>();
        services.AddScoped<QuestionnaireResults>();
        services.AddSingleton<PublicQuestionnaireService>();
        services.AddTodoSource<QuestionnaireTodos>();
        services.AddCriterionRecordSource<QuestionnaireCriterionRecords>();
        services.AddReportSource<QuestionnaireReportSource>();
    }

    public override Task SeedDemoAsync(SeedContext seed, CancellationToken ct) => QuestionnaireDemo.SeedAsync(seed, ct);
}
