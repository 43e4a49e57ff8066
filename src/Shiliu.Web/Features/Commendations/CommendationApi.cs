using Shiliu.Core.Commendations;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Commendations;

public sealed record NominationVersion(int Version);

/// <summary>The 公示 window as set: first and last day (China time, both inclusive).</summary>
public sealed record PublicityWindow(DateOnly From, DateOnly To);

public static class CommendationApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("模范评选", "民族团结进步模范评选：评选通知与名额、推荐申报、乡镇审核、县级审定（表决票数）、公示与异议答复、表彰决定、荣誉证书和光荣榜");

    public static void MapCommendationApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/commendations").WithTag(Tag).RequireAuthorization(CommendationPermissions.View);

        g.MapGet("/calls", async (CommendationService s, CancellationToken ct) => TypedResults.Ok(await s.ListCallsAsync(ct)))
            .WithName("Commendations_ListCalls").WithSummary("评选通知列表（含本范围内的推荐数）");

        g.MapGet("/calls/{id:guid}", async (Guid id, CommendationService s, CancellationToken ct) => TypedResults.Ok(await s.GetCallAsync(id, ct)))
            .WithName("Commendations_GetCall").WithSummary("一份评选通知：名额、申报截止日期、公示期、表彰决定");

        g.MapPost("/calls", async (SaveCall req, CommendationService s, CancellationToken ct) =>
            {
                var id = await s.SaveCallAsync(null, req, ct);
                return TypedResults.Created($"/api/v1/commendations/calls/{id}", await s.GetCallAsync(id, ct));
            })
            .RequireAuthorization(CommendationPermissions.Manage).WithName("Commendations_CreateCall")
            .WithSummary("发布评选通知（截止日期须为工作日；名额按类别，可按乡镇另定推荐名额）");

        g.MapGet("/calls/{id:guid}/nominations", async (Guid id, CommendationService s, CancellationToken ct) => TypedResults.Ok(await s.ListNominationsAsync(id, ct)))
            .WithName("Commendations_ListNominations").WithSummary("该评选本范围内的推荐对象（草稿只本单位可见）");

        g.MapPost("/calls/{id:guid}/publicity", async (Guid id, OpenPublicity req, CommendationService s, CancellationToken ct) =>
            {
                var (from, to) = await s.OpenPublicityAsync(id, req, ct);
                return TypedResults.Ok(new PublicityWindow(from, to));
            })
            .RequireAuthorization(CommendationPermissions.Manage).WithName("Commendations_OpenPublicity").ProducesProblem(409)
            .WithSummary("发布公示：审定通过的对象进入公示，名单锁定；公示期按工作日计算");

        g.MapGet("/calls/{id:guid}/objections", async (Guid id, CommendationService s, CancellationToken ct) => TypedResults.Ok(await s.ObjectionsAsync(id, ct)))
            .RequireAuthorization(CommendationPermissions.Manage).WithName("Commendations_ListObjections").WithSummary("公示异议（联系电话只显示部分）");

        g.MapPost("/calls/{id:guid}/decision", async (Guid id, RecordDecision req, CommendationService s, CancellationToken ct) =>
            {
                await s.RecordDecisionAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(CommendationPermissions.Manage).WithName("Commendations_RecordDecision").ProducesProblem(409)
            .WithSummary("表彰决定（文号如 新民发〔2019〕5号、日期）：公示期满且异议全部答复后才能表彰");

        g.MapPost("/nominations", async (SaveNomination req, CommendationService s, CancellationToken ct) =>
            {
                var id = await s.SaveNominationAsync(null, req, ct);
                return TypedResults.Created($"/api/v1/commendations/nominations/{id}", await s.GetNominationAsync(id, ct));
            })
            .RequireAuthorization(CommendationPermissions.Nominate).WithName("Commendations_CreateNomination")
            .WithSummary("新建推荐（草稿；主要事迹为 HTML，保存前清除不安全的标记）");

        g.MapGet("/nominations/{id:guid}", async (Guid id, CommendationService s, CancellationToken ct) => TypedResults.Ok(await s.GetNominationAsync(id, ct)))
            .WithName("Commendations_GetNomination").WithSummary("一个推荐对象：事迹、材料、表决票数、办理经过");

        g.MapPost("/nominations/{id:guid}/submit", async (Guid id, NominationVersion req, CommendationService s, CancellationToken ct) =>
            {
                await s.SubmitAsync(id, req.Version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(CommendationPermissions.Nominate).WithName("Commendations_Submit").ProducesProblem(409)
            .WithSummary("申报（截止日期前、名额内）");

        g.MapPost("/nominations/{id:guid}/review", async (Guid id, ReviewNomination req, CommendationService s, CancellationToken ct) =>
            {
                await s.ReviewAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(CommendationPermissions.Review).WithName("Commendations_Review").ProducesProblem(409)
            .WithSummary("乡镇审核：通过，或写明原因退回");

        g.MapPost("/nominations/{id:guid}/decide", async (Guid id, DecideNomination req, CommendationService s, CancellationToken ct) =>
            {
                await s.DecideAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(CommendationPermissions.Manage).WithName("Commendations_Decide").ProducesProblem(409)
            .WithSummary("县级审定：记录会议日期和赞成、反对、弃权票数，通过或不通过（通过须赞成票过半且在名额内）");

        g.MapPost("/nominations/{id:guid}/revoke", async (Guid id, RevokeTitle req, CommendationService s, CancellationToken ct) =>
            {
                await s.RevokeAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(CommendationPermissions.Manage).WithName("Commendations_Revoke").ProducesProblem(409)
            .WithSummary("撤销模范称号（须写明原因，光荣榜上标为已撤销）");

        g.MapGet("/nominations/{id:guid}/certificate", async (Guid id, CommendationService s, CancellationToken ct) =>
            {
                var (pdf, name) = await s.CertificateAsync(id, ct);
                return TypedResults.File(pdf, "application/pdf", name);
            })
            .WithName("Commendations_Certificate").ProducesFile("application/pdf").WithSummary("荣誉证书（PDF，固定版式）");

        g.MapPost("/objections/{id:guid}/answer", async (Guid id, AnswerObjection req, CommendationService s, CancellationToken ct) =>
            {
                await s.AnswerObjectionAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(CommendationPermissions.Manage).WithName("Commendations_AnswerObjection").ProducesProblem(409)
            .WithSummary("答复公示异议（核查结论：异议不成立 / 异议成立；成立的取消推荐）");

        g.MapGet("/roll", async (int? year, CommendationService s, CancellationToken ct) => TypedResults.Ok(await s.RollAsync(year, ct)))
            .WithName("Commendations_Roll").WithSummary("光荣榜：历年获表彰的模范（已撤销的标明）");
    }
}
