using Shiliu.Core.Questionnaires;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Questionnaires;

public sealed record IssueCodes(int Count);
public sealed record CodesIssued(int Batch);
public sealed record SetClosing(DateOnly ClosesOn, int Version);

public static class QuestionnaireApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("问卷调查", "群众满意度等问卷：制作、按单位发布、一次性答题码、二维码、匿名结果（不足5份的单位不单独显示）");

    public static void MapQuestionnaireApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/questionnaires").WithTag(Tag).RequireAuthorization(QuestionnairePermissions.View);

        g.MapGet("/", async (QuestionnaireService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct)))
            .WithName("Questionnaires_List").WithSummary("本单位及下级制作的问卷").RequireAuthorization(QuestionnairePermissions.Build);

        g.MapGet("/criteria", async (QuestionnaireService s, CancellationToken ct) => TypedResults.Ok(await s.CriteriaAsync(ct)))
            .WithName("Questionnaires_Criteria").WithSummary("测评方法含“问卷调查”、可以关联问卷的测评标准");

        g.MapPost("/", async (SaveQuestionnaire req, QuestionnaireService s, CancellationToken ct) =>
            {
                var id = await s.SaveAsync(null, req, ct);
                return TypedResults.Created($"/api/v1/questionnaires/{id}", await s.GetAsync(id, ct));
            })
            .WithName("Questionnaires_Create").WithSummary("新建问卷（分部分、题型、必答、显示条件、关联测评标准和满意率计算规则）")
            .RequireAuthorization(QuestionnairePermissions.Build);

        g.MapPost("/from-template", async (QuestionnaireService s, CancellationToken ct) =>
            {
                var id = await s.CreateFromTemplateAsync(ct);
                return TypedResults.Created($"/api/v1/questionnaires/{id}", await s.GetAsync(id, ct));
            })
            .WithName("Questionnaires_FromTemplate").WithSummary("用“群众满意度和诉求渠道知晓度”模板新建问卷").RequireAuthorization(QuestionnairePermissions.Build);

        g.MapGet("/{id:guid}", async (Guid id, QuestionnaireService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Questionnaires_Get").WithSummary("一份问卷的题目和设置").RequireAuthorization(QuestionnairePermissions.Build);

        g.MapPut("/{id:guid}", async (Guid id, SaveQuestionnaire req, QuestionnaireService s, CancellationToken ct) =>
            {
                await s.SaveAsync(id, req, ct);
                return TypedResults.Ok(await s.GetAsync(id, ct));
            })
            .WithName("Questionnaires_Save").WithSummary("修改问卷（已发布后修改会生成新版本，已发布的不受影响）")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(QuestionnairePermissions.Build);

        g.MapPost("/{id:guid}/publications", async (Guid id, PublishQuestionnaire req, QuestionnaireService s, CancellationToken ct) =>
            {
                var pid = await s.PublishAsync(id, req, ct);
                return TypedResults.Created($"/api/v1/questionnaires/publications/{pid}", await s.PublicationAsync(pid, ct));
            })
            .WithName("Questionnaires_Publish").WithSummary("发布给一个社区或乡镇（街道）：开始和截止日期、目标份数、公开链接或一次性答题码")
            .RequireAuthorization(QuestionnairePermissions.Build);

        g.MapGet("/publications", async (Guid? questionnaireId, QuestionnaireService s, CancellationToken ct) =>
                TypedResults.Ok(await s.PublicationsAsync(questionnaireId, ct)))
            .WithName("Questionnaires_Publications").WithSummary("本单位及下级的问卷发布和回收份数");

        g.MapGet("/publications/{id:guid}", async (Guid id, QuestionnaireService s, CancellationToken ct) => TypedResults.Ok(await s.PublicationAsync(id, ct)))
            .WithName("Questionnaires_Publication").WithSummary("一次发布：单位、日期、目标份数、已收答卷、答题码使用情况");

        g.MapPut("/publications/{id:guid}/closing", async (Guid id, SetClosing req, QuestionnaireService s, CancellationToken ct) =>
            {
                await s.SetClosingAsync(id, req.ClosesOn, req.Version, ct);
                return TypedResults.Ok(await s.PublicationAsync(id, ct));
            })
            .WithName("Questionnaires_SetClosing").WithSummary("修改截止日期（提前结束或延期）")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(QuestionnairePermissions.Build);

        g.MapPost("/publications/{id:guid}/codes", async (Guid id, IssueCodes req, QuestionnaireService s, CancellationToken ct) =>
                TypedResults.Ok(new CodesIssued(await s.IssueCodesAsync(id, req.Count, ct))))
            .WithName("Questionnaires_IssueCodes").WithSummary("印制一批一次性答题码（每批最多2000个）").RequireAuthorization(QuestionnairePermissions.Build);

        g.MapPost("/publications/{id:guid}/codes/export", async (Guid id, int? batch, string? format, HttpRequest request, PublicOrigin origin, QuestionnaireService s, CancellationToken ct) =>
                Exported.File(await s.ExportCodesAsync(id, batch, format, origin.For(request), ct)))
            .WithName("Questionnaires_ExportCodes")
            .WithSummary("答题码（format=xlsx 为 Excel 清单，默认，带水印；format=docx 为 Word 答题码卡片，每行三张，沿线剪开；均记入审计日志）")
            .ProducesFile(Exported.Xlsx, Exported.Docx)
            .RequireAuthorization(QuestionnairePermissions.Build);

        g.MapGet("/publications/{id:guid}/qr.png", async (Guid id, HttpRequest request, PublicOrigin origin, QuestionnaireService s, CancellationToken ct) =>
            {
                var p = await s.PublicationAsync(id, ct);
                return TypedResults.File(QrPoster.Png(origin.Url(request, p.PublicPath), p.UnitName, p.Title), "image/png", $"问卷二维码-{p.UnitName}.png");
            })
            .WithName("Questionnaires_QrPng").WithSummary("张贴用二维码（PNG，下方印单位名称）").ProducesFile("image/png").RequireAuthorization(QuestionnairePermissions.Build);

        g.MapGet("/publications/{id:guid}/qr.svg", async (Guid id, HttpRequest request, PublicOrigin origin, QuestionnaireService s, CancellationToken ct) =>
            {
                var p = await s.PublicationAsync(id, ct);
                return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(QrPoster.Svg(origin.Url(request, p.PublicPath), p.UnitName, p.Title)), "image/svg+xml",
                    $"问卷二维码-{p.UnitName}.svg");
            })
            .WithName("Questionnaires_QrSvg").WithSummary("张贴用二维码（SVG，可无损放大印刷）").ProducesFile("image/svg+xml").RequireAuthorization(QuestionnairePermissions.Build);

        g.MapGet("/{id:guid}/results", async (Guid id, QuestionnaireResults r, CancellationToken ct) => TypedResults.Ok(await r.ResultsAsync(id, ct)))
            .WithName("Questionnaires_Results").WithSummary("各题人数和比例、分单位统计、回收进度、满意率（不足5份的单位不单独显示）");

        g.MapPost("/{id:guid}/results/export", async (Guid id, QuestionnaireResults r, CancellationToken ct) => Exported.File(await r.ExportAsync(id, ct)))
            .WithName("Questionnaires_ExportResults").WithSummary("导出统计结果（Excel）").ProducesFile(Exported.Xlsx);

        g.MapPost("/{id:guid}/results/raw", async (Guid id, QuestionnaireResults r, CancellationToken ct) => Exported.File(await r.ExportRawAsync(id, ct)))
            .WithName("Questionnaires_ExportRaw").WithSummary("导出原始答卷（不含编号、日期、时间和答题码，行顺序打乱）").ProducesFile(Exported.Xlsx);
    }
}
