using Shiliu.Core.Assessment;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Assessment;

public sealed record RoundVersion(int Version);
public sealed record DrawPairs(int? Seed, int Version);
public sealed record SavePairs(List<SavePair> Pairs, int Version);
public sealed record AssignUnits(List<Guid> UnitIds);
public sealed record OpenSheet(Guid RoundId, AssessMode Mode, Guid ScoredUnitId);
public sealed record SheetVersion(int Version);
public sealed record ReopenSheet(string? Reason, int Version);

public static class AssessmentApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("督查考评", "考评轮次（自检自查、互检互评、调研督查）、互评分组、测评人员、评分表、一票否决、排名与导出");

    public static void MapAssessmentApi(this RouteGroupBuilder api)
    {
        var r = api.MapGroup("/assessment-rounds").WithTag(Tag).RequireAuthorization(AssessmentPermissions.View);

        r.MapGet("/", async (AssessmentService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct)))
            .WithName("Assessment_ListRounds").WithSummary("考评轮次（筹备中的只有县创建办可见）");

        r.MapGet("/{id:guid}", async (Guid id, AssessmentService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Assessment_GetRound").WithSummary("一次考评：权重、等次、并列规则、锁定的测评标准、各阶段截止日期、参评单位（本单位范围内）");

        r.MapPost("/", async (SaveRound req, AssessmentService s, CancellationToken ct) =>
            {
                var id = await s.CreateAsync(req, ct);
                return TypedResults.Created($"/api/v1/assessment-rounds/{id}", await s.GetAsync(id, ct));
            })
            .WithName("Assessment_CreateRound").WithSummary("新建考评（筹备中）：权重合计100，等次最低分含0").RequireAuthorization(AssessmentPermissions.Manage);

        r.MapPut("/{id:guid}", async (Guid id, SaveRound req, AssessmentService s, CancellationToken ct) =>
            {
                await s.UpdateAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_UpdateRound").WithSummary("修改考评设置（仅筹备中；启动后锁定）").ProducesProblem(409).RequireAuthorization(AssessmentPermissions.Manage);

        r.MapPost("/{id:guid}/open", async (Guid id, RoundVersion req, AssessmentService s, CancellationToken ct) =>
            {
                await s.OpenAsync(id, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_OpenRound").WithSummary("启动考评：锁定测评指标版本和全部规则，进入自检自查").ProducesProblem(409)
            .RequireAuthorization(AssessmentPermissions.Manage);

        r.MapPost("/{id:guid}/advance", async (Guid id, RoundVersion req, AssessmentService s, CancellationToken ct) =>
            {
                await s.AdvanceAsync(id, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_AdvanceRound").WithSummary("进入下一阶段：互检互评（须已分组）→ 调研督查（须已分配测评人员）→ 发布结果").ProducesProblem(409)
            .RequireAuthorization(AssessmentPermissions.Manage);

        r.MapGet("/{id:guid}/pairs", async (Guid id, AssessmentService s, CancellationToken ct) => TypedResults.Ok(await s.PairsAsync(id, ct)))
            .WithName("Assessment_Pairs").WithSummary("互检互评分组（单位只看到本单位要评的对象）");

        r.MapPost("/{id:guid}/pairs/draw", async (Guid id, DrawPairs req, AssessmentService s, CancellationToken ct) => TypedResults.Ok(await s.DrawPairsAsync(id, req.Seed, req.Version, ct)))
            .WithName("Assessment_DrawPairs").WithSummary("按随机种子抽取互评分组（同一种子同一结果；不评自己，可规定不在同一乡镇）").ProducesProblem(409)
            .RequireAuthorization(AssessmentPermissions.Manage);

        r.MapPut("/{id:guid}/pairs", async (Guid id, SavePairs req, AssessmentService s, CancellationToken ct) =>
            {
                await s.SavePairsAsync(id, req.Pairs, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_SavePairs").WithSummary("手工编排互评分组（互检互评开始前）").ProducesProblem(409).RequireAuthorization(AssessmentPermissions.Manage);

        r.MapGet("/{id:guid}/assessors", async (Guid id, AssessmentService s, CancellationToken ct) => TypedResults.Ok(await s.AssignmentsAsync(id, ct)))
            .WithName("Assessment_Assessors").WithSummary("调研督查的测评人员分配（测评人员只看到自己的）");

        r.MapPut("/{id:guid}/assessors/{userName}", async (Guid id, string userName, AssignUnits req, AssessmentService s, CancellationToken ct) =>
            {
                await s.AssignAsync(id, userName, req.UnitIds, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_AssignAssessor").WithSummary("设置一名测评人员负责的单位（空列表即取消）").RequireAuthorization(AssessmentPermissions.Manage);

        r.MapPost("/{id:guid}/units/{unitId:guid}/veto/clear", async (Guid id, Guid unitId, ClearVeto req, AssessmentService s, CancellationToken ct) =>
            {
                await s.ClearVetoAsync(id, unitId, req, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_ClearVeto").WithSummary("撤销一票否决（须写明原因，记入审计日志；结果发布后不能撤销）").ProducesProblem(409).RequireAuthorization(AssessmentPermissions.Manage);

        r.MapPut("/{id:guid}/units/{unitId:guid}/veto", async (Guid id, Guid unitId, SaveVeto req, AssessmentService s, CancellationToken ct) =>
            {
                await s.SetVetoAsync(id, unitId, req, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_Veto").WithSummary("一票否决（写明事由和依据）：不参加排名，等次为一票否决").ProducesProblem(409)
            .RequireAuthorization(AssessmentPermissions.Manage);

        r.MapGet("/{id:guid}/results", async (Guid id, AssessmentService s, CancellationToken ct) => TypedResults.Ok(await s.ResultsAsync(id, ct)))
            .WithName("Assessment_Results").WithSummary("排名、各方式得分与分差提示、单位 × 测评标准得分率、全县薄弱标准").RequireAuthorization(AssessmentPermissions.Results);

        r.MapGet("/{id:guid}/units/{unitId:guid}/result", async (Guid id, Guid unitId, AssessmentService s, CancellationToken ct) =>
                TypedResults.Ok(await s.UnitResultAsync(id, unitId, ct)))
            .WithName("Assessment_UnitResult").WithSummary("本单位的考评结果和各评分表（结果发布后）");

        r.MapPost("/{id:guid}/exports/ranking", async (Guid id, AssessmentExportService s, CancellationToken ct) => Exported.File(await s.RankingAsync(id, ct)))
            .ProducesFile(Exported.Xlsx).WithName("Assessment_ExportRanking").WithSummary("导出排名（Excel，记入审计日志）").RequireAuthorization(AssessmentPermissions.Results);

        r.MapPost("/{id:guid}/exports/units/{unitId:guid}", async (Guid id, Guid unitId, string? format, AssessmentExportService s, CancellationToken ct) =>
                Exported.File(await s.UnitSheetAsync(id, unitId, format, ct)))
            .ProducesFile(Exported.Xlsx, Exported.Docx).WithName("Assessment_ExportUnitSheet")
            .WithSummary("导出单位考核评分表（format=xlsx 为 Excel，默认；format=docx 为 Word 考核评分表，公文版式，留签字栏；记入审计日志）");

        r.MapPost("/{id:guid}/exports/recommendation", async (Guid id, AssessmentExportService s, CancellationToken ct) => Exported.File(await s.RecommendationAsync(id, ct)))
            .ProducesFile(Exported.Xlsx).WithName("Assessment_ExportRecommendation").WithSummary("导出推荐命名名单（最高等次且未被一票否决，Excel）")
            .RequireAuthorization(AssessmentPermissions.Results);

        var s = api.MapGroup("/assessment-sheets").WithTag(Tag).RequireAuthorization(AssessmentPermissions.View);

        s.MapGet("/mine", async (AssessmentService a, CancellationToken ct) => TypedResults.Ok(await a.TasksAsync(ct)))
            .WithName("Assessment_MySheets").WithSummary("我要填写的评分表：本单位自检、互评对象、分配的督查单位");

        s.MapPost("/", async (OpenSheet req, AssessmentService a, CancellationToken ct) =>
            {
                var id = await a.OpenSheetAsync(req.RoundId, req.Mode, req.ScoredUnitId, ct);
                return TypedResults.Created($"/api/v1/assessment-sheets/{id}", await a.GetSheetAsync(id, ct));
            })
            .WithName("Assessment_OpenSheet").WithSummary("开始（或打开已有的）评分表").RequireAuthorization(AssessmentPermissions.Score);

        s.MapGet("/{id:guid}", async (Guid id, AssessmentService a, CancellationToken ct) => TypedResults.Ok(await a.GetSheetAsync(id, ct)))
            .WithName("Assessment_GetSheet").WithSummary("一张评分表（评分单位及其上级可见；被评单位在结果发布后从考评结果查看）");

        s.MapPut("/{id:guid}", async (Guid id, SaveSheet req, AssessmentService a, CancellationToken ct) =>
            {
                await a.SaveSheetAsync(id, req, ct);
                return TypedResults.Ok(await a.GetSheetAsync(id, ct));
            })
            .WithName("Assessment_SaveSheet").WithSummary("保存评分：不超过分值，未得满分须写扣分原因，关联被评单位的材料").ProducesProblem(409)
            .RequireAuthorization(AssessmentPermissions.Score);

        s.MapPost("/{id:guid}/submit", async (Guid id, SheetVersion req, AssessmentService a, CancellationToken ct) =>
            {
                await a.SubmitSheetAsync(id, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_SubmitSheet").WithSummary("提交评分表（提交后锁定）").ProducesProblem(409).RequireAuthorization(AssessmentPermissions.Score);

        s.MapPost("/{id:guid}/reopen", async (Guid id, ReopenSheet req, AssessmentService a, CancellationToken ct) =>
            {
                await a.ReopenSheetAsync(id, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("Assessment_ReopenSheet").WithSummary("县创建办写明原因退回重评").ProducesProblem(409).RequireAuthorization(AssessmentPermissions.Manage);

        s.MapGet("/{id:guid}/holdings", async (Guid id, AssessmentService a, CancellationToken ct) => TypedResults.Ok(await a.HoldingsAsync(id, ct)))
            .WithName("Assessment_SheetHoldings").WithSummary("被评单位各台账对每条测评标准的记录，以及建议得分和计算式");
    }
}
