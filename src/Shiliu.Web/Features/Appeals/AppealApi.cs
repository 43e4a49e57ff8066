using Shiliu.Core.Appeals;
using Shiliu.Core.Common;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Appeals;

public sealed record AppealStep(string Action, string? Reason, int Version);
public sealed record AppealTransfer(Guid ToUnitId, string? Reason, int Version);
public sealed record AppealAnswer(string? Answer, int Version);
public sealed record AppealConvert(string? Kind, int Version);
public sealed record AppealReveal(string? Purpose);
public sealed record AppealTopicInfo(string Key, string Name, int AnswerDays, IReadOnlyList<string> Templates);

public static class AppealApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("群众诉求", "热线、窗口、走访和网上收到的群众诉求：受理、转办、答复时限和统计");

    public static void MapAppealApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/appeals").WithTag(Tag).RequireAuthorization(AppealPermissions.View);

        g.MapGet("/", async ([AsParameters] AppealQuery q, AppealService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("Appeals_List").WithSummary("诉求列表（本单位及下级；offeredToMe=true 只列转给本单位待接收的）");

        g.MapGet("/topics", () => TypedResults.Ok(AppealNames.Topics.Select(t => new AppealTopicInfo(t.Key, t.Name, t.AnswerDays, t.Templates)).ToList()))
            .WithName("Appeals_Topics").WithSummary("诉求类别、答复时限（工作日）和答复模板");

        g.MapGet("/statistics", async (int? year, AppealService s, CancellationToken ct) => TypedResults.Ok(await s.StatisticsAsync(year, ct)))
            .WithName("Appeals_Statistics").WithSummary("按类别、承办单位、月份统计诉求件数和按时答复率");

        g.MapGet("/{id:guid}", async (Guid id, AppealService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Appeals_Get").WithSummary("一件诉求：内容、步骤、各单位办理时长、时限、照片（诉求人姓名和电话脱敏）");

        g.MapPost("/", async (FileAppeal req, AppealService s, CancellationToken ct) =>
            {
                var receipt = await s.CreateAsync(req, ct);
                return TypedResults.Created($"/api/v1/appeals/{receipt.Id}", receipt);
            })
            .WithName("Appeals_Create").WithSummary("登记热线、窗口或走访收到的诉求（返回查询码和查询密码，只返回这一次，请告知群众）")
            .RequireAuthorization(AppealPermissions.Handle);

        g.MapPost("/{id:guid}/steps", async (Guid id, AppealStep req, AppealService s, CancellationToken ct) =>
            {
                await s.StepAsync(id, req.Action, req.Reason, req.Version, ct);
                return TypedResults.Ok(await s.GetAsync(id, ct));
            })
            .WithName("Appeals_Step").WithSummary("受理（accept）、接收转办（take）、退回转办（return，须写理由）").RequireAuthorization(AppealPermissions.Handle);

        g.MapPost("/{id:guid}/transfer", async (Guid id, AppealTransfer req, AppealService s, CancellationToken ct) =>
            {
                await s.TransferAsync(id, req.ToUnitId, req.Reason, req.Version, ct);
                return TypedResults.Ok(await s.GetAsync(id, ct));
            })
            .WithName("Appeals_Transfer").WithSummary("转办给其他单位（须写理由），接收单位接收或退回前仍由本单位负责").RequireAuthorization(AppealPermissions.Handle);

        g.MapPost("/{id:guid}/answer", async (Guid id, AppealAnswer req, AppealService s, CancellationToken ct) =>
            {
                await s.AnswerAsync(id, req.Answer, req.Version, ct);
                return TypedResults.Ok(await s.GetAsync(id, ct));
            })
            .WithName("Appeals_Answer").WithSummary("答复群众（留有电话的发短信提醒，短信只含查询码）").RequireAuthorization(AppealPermissions.Handle);

        g.MapPost("/{id:guid}/convert", async (Guid id, AppealConvert req, AppealService s, CancellationToken ct) =>
                TypedResults.Ok(await s.ConvertAsync(id, req.Kind, req.Version, ct)))
            .WithName("Appeals_Convert").WithSummary("转为服务事项或矛盾纠纷办理（同时建立新事项并保留关联）").RequireAuthorization(AppealPermissions.Handle);

        g.MapPost("/{id:guid}/reveal", async (Guid id, AppealReveal req, AppealService s, CancellationToken ct) =>
                TypedResults.Ok(await s.RevealAsync(id, req.Purpose, ct)))
            .WithName("Appeals_Reveal").WithSummary("承办单位查看诉求人完整姓名和电话（须说明用途，记入审计日志）").RequireAuthorization(AppealPermissions.Handle);

        g.MapGet("/{id:guid}/photos/{photoId:guid}", async (Guid id, Guid photoId, HttpContext http, AppealService s, CancellationToken ct) =>
            {
                var f = await s.OpenPhotoAsync(id, photoId, ct);
                var h = http.Response.Headers;
                http.Items[SecurityHeaders.StoredFilePolicy] = true;
                h.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'self'";
                h.CacheControl = "private, max-age=300";
                return Results.Stream(f.Content, f.ContentType);
            })
            .WithName("Appeals_Photo").ProducesFile("image/jpeg", "image/png", "image/gif", "image/webp").WithSummary("诉求照片（已去除拍摄位置等信息）");

        g.MapPost("/export", async (AppealQuery q, AppealService s, CancellationToken ct) => Exported.File(await s.ExportAsync(q, ct)))
            .WithName("Appeals_Export").WithSummary("导出诉求台账（姓名、电话脱敏；带水印，记入审计日志）").ProducesFile(Exported.Xlsx);
    }
}
