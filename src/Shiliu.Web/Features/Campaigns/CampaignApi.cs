using Shiliu.Web.Hosting;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;

namespace Shiliu.Web.Features.Campaigns;

public sealed record MarkTaskDone(string Evidence);
public sealed record ReturnTask(string Reason);
public sealed record AddParticipants(Guid OrgUnitId);
public sealed record ParticipantsAdded(int Added);
public sealed record ReportPlan(int Version);
public sealed record ReviewPlan(bool Pass, string? Reason, int Version);

public static class CampaignApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("创建活动", "创建活动的实施方案、各阶段任务和各参加单位的进度");

    public static void MapCampaignApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/campaigns").WithTag(Tag).RequireAuthorization(CampaignPermissions.View);

        g.MapGet("/", async (CampaignService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct)))
            .WithName("Campaigns_List").WithSummary("创建活动（实施方案）列表，含当前阶段");

        g.MapPost("/", async (NewCampaign req, CampaignService s, CancellationToken ct) => ApiResults.Created("/api/v1/campaigns", await s.CreateAsync(req, ct)))
            .WithName("Campaigns_Create").WithSummary("新建创建活动：从头填写，或复制以往的活动（阶段按新开始日期顺延，领导小组、任务、测评指标版本随之复制）；以往的活动转为只读的历史存档")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(CampaignPermissions.Manage);

        g.MapGet("/{id:guid}", async (Guid id, CampaignService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Campaigns_Get").WithSummary("实施方案：文号、指导思想、目标任务、领导小组、各阶段及任务（阶段状态按日期自动推进）");

        g.MapGet("/{id:guid}/progress", async (Guid id, CampaignService s, CancellationToken ct) => TypedResults.Ok(await s.ProgressAsync(id, ct)))
            .WithName("Campaigns_Progress").WithSummary("管辖范围内各参加单位的阶段进度（完成、逾期、退回）");

        g.MapGet("/{id:guid}/units/{orgUnitId:guid}/tasks", async (Guid id, Guid orgUnitId, CampaignService s, CancellationToken ct) =>
                TypedResults.Ok(await s.UnitTasksAsync(id, orgUnitId, ct)))
            .WithName("Campaigns_UnitTasks").WithSummary("某单位的阶段任务及状态（未开始的任务说明何时开始）");

        g.MapPost("/{id:guid}/units/{orgUnitId:guid}/tasks/{taskId:guid}/done",
                async (Guid id, Guid orgUnitId, Guid taskId, MarkTaskDone req, CampaignService s, CancellationToken ct) =>
                {
                    await s.MarkDoneAsync(id, orgUnitId, taskId, req.Evidence, ct);
                    return TypedResults.NoContent();
                })
            .ProducesProblem(StatusCodes.Status409Conflict).WithName("Campaigns_MarkDone").WithSummary("标记任务完成（附完成情况说明）").RequireAuthorization(CampaignPermissions.Progress);

        g.MapPost("/{id:guid}/units/{orgUnitId:guid}/tasks/{taskId:guid}/return",
                async (Guid id, Guid orgUnitId, Guid taskId, ReturnTask req, CampaignService s, CancellationToken ct) =>
                {
                    await s.ReturnAsync(id, orgUnitId, taskId, req.Reason, ct);
                    return TypedResults.NoContent();
                })
            .ProducesProblem(StatusCodes.Status409Conflict).WithName("Campaigns_Return").WithSummary("上级退回已完成的任务（须写明原因）").RequireAuthorization(CampaignPermissions.Progress);

        g.MapPut("/{id:guid}", async (Guid id, UpdatePlan req, CampaignService s, CancellationToken ct) =>
            {
                await s.UpdatePlanAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .WithName("Campaigns_UpdatePlan").WithSummary("修改实施方案：标题、文号、正文（富文本，保存时净化）、原件、领导小组、各阶段名称日期和任务").RequireAuthorization(CampaignPermissions.Manage);

        g.MapPost("/{id:guid}/participants", async (Guid id, AddParticipants req, CampaignService s, CancellationToken ct) =>
                TypedResults.Ok(new ParticipantsAdded(await s.AddParticipantsAsync(id, req.OrgUnitId, ct))))
            .ProducesProblem(StatusCodes.Status409Conflict).WithName("Campaigns_AddParticipants").WithSummary("把某单位下的全部社区列为参加单位").RequireAuthorization(CampaignPermissions.Manage);
    
        g.MapGet("/units/{orgUnitId:guid}/years", async (Guid orgUnitId, CampaignService s, CancellationToken ct) => TypedResults.Ok(await s.CompareYearsAsync(orgUnitId, ct)))
            .WithName("Campaigns_UnitYears").WithSummary("某单位当前创建活动与上一届的对比：“十个一”审核通过数、活动次数、参加创建的社区覆盖率");

        g.MapGet("/{id:guid}/plans", async (Guid id, UnitPlanService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(id, ct)))
            .WithName("Campaigns_UnitPlans").WithSummary("管辖范围内各乡镇、参加社区的工作方案及状态（未填报、草稿、已上报、已通过、已退回）");

        g.MapGet("/{id:guid}/plans/{orgUnitId:guid}", async (Guid id, Guid orgUnitId, UnitPlanService s, CancellationToken ct) =>
                TypedResults.Ok(await s.GetAsync(id, orgUnitId, ct)))
            .WithName("Campaigns_UnitPlan").WithSummary("某单位的工作方案（尚未填报时给出空白方案），被退回时附退回原因");

        g.MapPut("/{id:guid}/plans/{orgUnitId:guid}", async (Guid id, Guid orgUnitId, SaveUnitPlan req, UnitPlanService s, CancellationToken ct) =>
                TypedResults.Ok(new CreatedId(await s.SaveAsync(id, orgUnitId, req, ct))))
            .WithName("Campaigns_SaveUnitPlan").WithSummary("本单位填写或修改工作方案（富文本，保存时净化；原件为本单位痕迹台账中的文件）")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(CampaignPermissions.Progress);

        g.MapPost("/plans/{planId:guid}/report", async (Guid planId, ReportPlan req, UnitPlanService s, CancellationToken ct) =>
            {
                await s.ReportAsync(planId, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("Campaigns_ReportUnitPlan").WithSummary("上报（或退回后重新上报）本单位工作方案，须已上传盖章原件")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(CampaignPermissions.Progress);

        g.MapPost("/plans/{planId:guid}/review", async (Guid planId, ReviewPlan req, UnitPlanService s, CancellationToken ct) =>
            {
                await s.ReviewAsync(planId, req.Pass, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("Campaigns_ReviewUnitPlan").WithSummary("上级审核下级工作方案：通过，或写明原因退回")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(CampaignPermissions.Progress);

        g.MapGet("/plans/{planId:guid}/history", async (Guid planId, UnitPlanService s, CancellationToken ct) => TypedResults.Ok(await s.HistoryAsync(planId, ct)))
            .WithName("Campaigns_UnitPlanHistory").WithSummary("工作方案的办理记录：谁何时上报、通过、退回及原因");
    }
}
