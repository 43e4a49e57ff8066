using Shiliu.Core.ServiceCases;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.ServiceCases;

public sealed record ServiceCaseActivities(IReadOnlyList<Guid> ActivityIds, int Version);
public sealed record ServicePhoneReveal(string? Purpose);

public static class ServiceCaseApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("服务群众", "为少数民族群众办理的服务事项（含法律援助）：受理、转办、办理时限、服务类型和办事指南");

    public static void MapServiceCaseApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/service-cases").WithTag(Tag).RequireAuthorization(ServiceCasePermissions.View);

        g.MapGet("/", async ([AsParameters] ServiceCaseQuery q, ServiceCaseService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("ServiceCases_List").WithSummary("服务事项列表（分页；按状态、类型、是否逾期、在办、单位、转给本单位待接收、走访记录、受理期间 from/to（本单位办理的，按北京时间受理日）、已办结 closed、编号或概要筛选；电话脱敏）");

        g.MapGet("/{id:guid}", async (Guid id, ServiceCaseService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("ServiceCases_Get").WithSummary("一件服务事项：办理时限和计时、各单位经手时长（含待接收）、办理过程、可办理的步骤");

        g.MapPost("/", async (CreateServiceCase req, ServiceCaseService s, CancellationToken ct) => ApiResults.Created("/api/v1/service-cases", await s.CreateAsync(req, ct)))
            .RequireAuthorization(ServiceCasePermissions.Manage).WithName("ServiceCases_Create").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("受理服务事项（编号自动生成；填 visitId 时把这次走访发现的问题转为服务事项，两边互相关联）");

        g.MapPost("/{id:guid}/steps/{action}", async (Guid id, string action, ServiceStep req, ServiceCaseService s, CancellationToken ct) =>
            {
                await s.StepAsync(id, action, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ServiceCasePermissions.Manage).WithName("ServiceCases_Step")
            .WithSummary("办理一步：handle 开始办理、suspend 挂起（须写原因，暂停计时）、resume 恢复、transfer 转办（toUnitId，须写原因）、receive 接收、send-back 退回（须写原因）、close 办结（须写办理结果）、revisit 回访（satisfaction；首次不满意即重办）、archive 归档");

        g.MapPut("/{id:guid}/activities", async (Guid id, ServiceCaseActivities req, ServiceCaseService s, CancellationToken ct) =>
            {
                await s.LinkActivitiesAsync(id, req.ActivityIds ?? [], req.Version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ServiceCasePermissions.Manage).WithName("ServiceCases_LinkActivities").WithSummary("法律援助事项关联本单位的法律宣传活动（替换原有关联）");

        g.MapPost("/{id:guid}/reveal", async (Guid id, ServicePhoneReveal req, ServiceCaseService s, CancellationToken ct) =>
                TypedResults.Ok(new { phone = await s.RevealPhoneAsync(id, req.Purpose, ct) }))
            .RequireAuthorization(ServiceCasePermissions.Reveal).WithName("ServiceCases_Reveal").WithSummary("查看服务对象的完整电话（须说明用途，记入审计日志）");

        g.MapGet("/figures", async ([AsParameters] ServiceFigureQuery q, ServiceFigures s, CancellationToken ct) => TypedResults.Ok(await s.ComputeAsync(q, ct)))
            .WithName("ServiceCases_Figures").WithSummary("按单位和事项类型统计：受理、办结、按时办结率、回访率、满意率、重办件数、平均办结工作日（按受理日期筛选期间）");

        g.MapPost("/ledger", async (ServiceLedgerRequest q, ServiceCaseService s, CancellationToken ct) => Exported.File(await s.ExportLedgerAsync(q, ct)))
            .ProducesFile(Exported.Xlsx).WithName("ServiceCases_Ledger").WithSummary("导出服务台账（Excel，电话脱敏；筛选条件与列表相同：status、typeId、overdue、open、incoming、from/to 受理期间、closed、text；须说明用途 purpose，写入表格水印和审计日志；最多 5,000 件，超出时表头注明）");

        var t = api.MapGroup("/service-types").WithTag(Tag);

        t.MapGet("/", async (ServiceTypeService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(false, ct)))
            .RequireAuthorization(ServiceCasePermissions.View).WithName("ServiceTypes_List").WithSummary("服务事项类型：办理时限（工作日）、是否回访、是否启用");

        t.MapPost("/", async (SaveServiceType req, ServiceTypeService s, CancellationToken ct) => ApiResults.Created("/api/v1/service-types", await s.SaveAsync(null, req, ct)))
            .RequireAuthorization(ServiceCasePermissions.Types).WithName("ServiceTypes_Create").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("新增服务事项类型（县领导小组办公室）");

        t.MapPut("/{id:guid}", async (Guid id, SaveServiceType req, ServiceTypeService s, CancellationToken ct) =>
            {
                await s.SaveAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ServiceCasePermissions.Types).WithName("ServiceTypes_Update").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("修改服务事项类型（已受理的事项仍按原时限计时）");

        var guide = api.MapGroup("/service-guide").WithTag(Tag);

        guide.MapGet("/", async (Guid? orgUnitId, ServiceGuideService s, CancellationToken ct) => TypedResults.Ok(await s.InScopeAsync(orgUnitId, ct)))
            .RequireAuthorization(ServiceCasePermissions.View).WithName("ServiceGuide_List").WithSummary("本单位及下级的办事指南、服务窗口和热线");

        guide.MapPost("/entries", async (SaveGuideEntry req, ServiceGuideService s, CancellationToken ct) =>
                ApiResults.Created("/api/v1/service-guide/entries", await s.SaveEntryAsync(null, req, ct)))
            .RequireAuthorization(ServiceCasePermissions.Guide).WithName("ServiceGuide_CreateEntry").WithSummary("新增办事指南条目（公开发布）");

        guide.MapPut("/entries/{id:guid}", async (Guid id, SaveGuideEntry req, ServiceGuideService s, CancellationToken ct) =>
            {
                await s.SaveEntryAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ServiceCasePermissions.Guide).WithName("ServiceGuide_UpdateEntry").WithSummary("修改办事指南条目");

        guide.MapDelete("/entries/{id:guid}", async (Guid id, ServiceGuideService s, CancellationToken ct) =>
            {
                await s.DeleteEntryAsync(id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ServiceCasePermissions.Guide).WithName("ServiceGuide_DeleteEntry").WithSummary("删除办事指南条目");

        guide.MapPost("/windows", async (SaveServiceWindow req, ServiceGuideService s, CancellationToken ct) =>
                ApiResults.Created("/api/v1/service-guide/windows", await s.SaveWindowAsync(null, req, ct)))
            .RequireAuthorization(ServiceCasePermissions.Guide).WithName("ServiceGuide_CreateWindow").WithSummary("新增服务窗口或热线（公开发布）");

        guide.MapPut("/windows/{id:guid}", async (Guid id, SaveServiceWindow req, ServiceGuideService s, CancellationToken ct) =>
            {
                await s.SaveWindowAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ServiceCasePermissions.Guide).WithName("ServiceGuide_UpdateWindow").WithSummary("修改服务窗口或热线");

        guide.MapDelete("/windows/{id:guid}", async (Guid id, ServiceGuideService s, CancellationToken ct) =>
            {
                await s.DeleteWindowAsync(id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ServiceCasePermissions.Guide).WithName("ServiceGuide_DeleteWindow").WithSummary("删除服务窗口或热线");
    }
}
