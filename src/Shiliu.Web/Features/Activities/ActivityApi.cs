using Shiliu.Core.Evidence;
using Shiliu.Core.Activities;
using Shiliu.Core.Common;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Activities;

public sealed record ActivityLedgerExport(Guid OrgUnitId, int Year);

public static class ActivityApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("活动", "民族团结进步活动的登记、日历、台账导出，以及民族节日");

    public static void MapActivityApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/activities").WithTag(Tag).RequireAuthorization(EvidencePermissions.View);

        g.MapGet("/", async ([AsParameters] ActivityQuery q, ActivityService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("Activities_List").WithSummary("活动列表（分页；按单位、日期、类型、关键词筛选）");

        g.MapGet("/calendar", async (int year, int month, Guid? orgUnitId, string? typeCode, ActivityService s, CancellationToken ct) =>
                TypedResults.Ok(await s.MonthAsync(year, month, orgUnitId, typeCode, ct)))
            .WithName("Activities_Calendar").WithSummary("某月的活动和民族节日（日历视图）");

        g.MapPost("/ledger", async (ActivityLedgerExport req, ActivityService s, CancellationToken ct) =>
                Exported.File(await s.ExportLedgerAsync(req.OrgUnitId, req.Year, ct)))
            .ProducesFile(Exported.Xlsx).WithName("Activities_Ledger").WithSummary("导出活动台账（Excel，记入审计日志）");

        g.MapGet("/{id:guid}", async (Guid id, ActivityService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Activities_Get").WithSummary("一次活动的详情和各民族参加人数");

        g.MapPost("/", async (SaveActivity req, ActivityService s, CancellationToken ct) => ApiResults.Created("/api/v1/activities", await s.SaveAsync(null, req, ct)))
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Activities_Create").WithSummary("登记活动");

        g.MapPut("/{id:guid}", async (Guid id, SaveActivity req, ActivityService s, CancellationToken ct) =>
            {
                await s.SaveAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Activities_Update").WithSummary("修改活动");

        g.MapDelete("/{id:guid}", async (Guid id, int version, ActivityService s, CancellationToken ct) =>
            {
                await s.DeleteAsync(id, version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Activities_Delete").WithSummary("删除活动（须先移走其台账材料）");

        g.MapGet("/{id:guid}/photos", async (Guid id, ActivityPhotoService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(id, ct)))
            .WithName("Activities_Photos").WithSummary("活动照片及其公开状态（是否已登记同意、是否可公开）");

        g.MapPut("/photos/{id:guid}/consent", async (Guid id, RecordPhotoConsent req, ActivityPhotoService s, CancellationToken ct) =>
            {
                await s.RecordConsentAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Activities_RecordPhotoConsent").WithSummary("登记照片中人员同意公开的情况（登记人和时间自动记录）");

        g.MapDelete("/photos/{id:guid}/consent", async (Guid id, int version, ActivityPhotoService s, CancellationToken ct) =>
            {
                await s.WithdrawConsentAsync(id, version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Activities_WithdrawPhotoConsent").WithSummary("撤回照片公开同意（照片随即不再公开）");

        g.MapPut("/photos/{id:guid}/publication", async (Guid id, SetPhotoPublishable req, ActivityPhotoService s, CancellationToken ct) =>
            {
                await s.SetPublishableAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Activities_SetPhotoPublishable").WithSummary("设置照片可公开或取消公开（须先登记同意），可公开的照片出现在创建动态");

        var f = api.MapGroup("/festivals").WithTag(Tag).RequireAuthorization(EvidencePermissions.View);

        f.MapGet("/", async (FestivalService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(false, ct)))
            .WithName("Festivals_List").WithSummary("本地民族节庆及日期规则");

        f.MapGet("/dates", async (DateOnly from, DateOnly to, FestivalService s, CancellationToken ct) => TypedResults.Ok(await s.DatesAsync(from, to, ct)))
            .WithName("Festivals_Dates").WithSummary("某段时间内各节日的公历日期（农历、属相日换算）");

        f.MapGet("/{id:guid}", async (Guid id, FestivalService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Festivals_Get").WithSummary("一个民族节日及其日期规则");

        f.MapPost("/", async (SaveFestival req, FestivalService s, CancellationToken ct) => ApiResults.Created("/api/v1/festivals", await s.SaveAsync(null, req, ct)))
            .RequireAuthorization(ActivityPermissions.FestivalManage).WithName("Festivals_Create").WithSummary("新增节日（县领导小组办公室）");

        f.MapPut("/{id:guid}", async (Guid id, SaveFestival req, FestivalService s, CancellationToken ct) =>
            {
                await s.SaveAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ActivityPermissions.FestivalManage).WithName("Festivals_Update").WithSummary("修改节日（县领导小组办公室）");
    }
}
