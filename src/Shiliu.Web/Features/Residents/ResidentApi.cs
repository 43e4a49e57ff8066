using Shiliu.Core.Common;
using Shiliu.Core.Residents;

namespace Shiliu.Web.Features.Residents;

public sealed record RevealRequest(string? Purpose);
public sealed record TransferRequest(Guid ToOrgUnitId, string Reason);
public sealed record TransferDecision(bool Accept, string? Reason);

public static class ResidentApi
{
    public static void MapResidentApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/residents").WithTags("少数民族信息档案").RequireAuthorization(Permissions.ResidentView);

        g.MapGet("/", async ([AsParameters] ResidentQueryArgs q, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q.ToQuery(), ct)))
            .WithName("Residents_List").WithSummary("居民列表（分页；身份证号、电话一律脱敏；按单位、姓名、民族、类型、需求、年龄、状态筛选，身份证号精确查找）");

        g.MapGet("/{id:guid}", async (Guid id, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Residents_Get").WithSummary("一位居民的档案（脱敏）");

        g.MapPost("/", async (SaveResident req, ResidentService s, CancellationToken ct) => TypedResults.Ok(new { id = await s.CreateAsync(req, ct) }))
            .RequireAuthorization(Permissions.ResidentManage).WithName("Residents_Create")
            .WithSummary("登记居民（身份证号校验并核对出生日期、性别；一人一档，已在他处登记时返回 409 和 residentId，可申请转入）");

        g.MapPut("/{id:guid}", async (Guid id, SaveResident req, ResidentService s, CancellationToken ct) =>
            {
                await s.UpdateAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.ResidentManage).WithName("Residents_Update").WithSummary("修改居民档案（记入变更历史）");

        g.MapPost("/{id:guid}/reveal", async (Guid id, RevealRequest req, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.RevealAsync(id, req.Purpose, ct)))
            .RequireAuthorization(Permissions.ResidentReveal).WithName("Residents_Reveal").WithSummary("查看一位居民的完整身份证号和电话（须说明用途，记入审计日志）");

        g.MapGet("/{id:guid}/history", async (Guid id, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.HistoryAsync(id, ct)))
            .WithName("Residents_History").WithSummary("档案变更历史：谁、何时、改了什么");

        g.MapPost("/{id:guid}/transfers", async (Guid id, TransferRequest req, ResidentService s, CancellationToken ct) =>
                TypedResults.Ok(new { id = await s.RequestTransferAsync(id, req.ToOrgUnitId, req.Reason, ct) }))
            .RequireAuthorization(Permissions.ResidentManage).WithName("Residents_RequestTransfer").WithSummary("申请把在其他社区登记的居民转入本社区");

        g.MapGet("/transfers", async (ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.TransfersAsync(ct)))
            .WithName("Residents_Transfers").WithSummary("转入申请：本单位发出的和待本单位处理的");

        var v = api.MapGroup("/visits").WithTags("少数民族信息档案").RequireAuthorization(Permissions.ResidentView);

        v.MapGet("/", async (Guid? residentId, Guid? orgUnitId, VisitService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(residentId, orgUnitId, 100, ct)))
            .WithName("Visits_List").WithSummary("走访记录（按居民或单位，最近100条）");

        v.MapPost("/", async (SaveVisit req, VisitService s, CancellationToken ct) => TypedResults.Ok(new { id = await s.CreateAsync(req, ct) }))
            .RequireAuthorization(Permissions.ResidentManage).WithName("Visits_Create").WithSummary("登记走访（发现的需求并入居民档案）");

        v.MapGet("/coverage", async (Guid? orgUnitId, int? days, VisitService s, CancellationToken ct) => TypedResults.Ok(await s.CoverageAsync(orgUnitId, days ?? 90, ct)))
            .WithName("Visits_Coverage").WithSummary("走访覆盖率：近 N 天走访过的户数 / 在册户数");

        g.MapPost("/transfers/{id:guid}/decision", async (Guid id, TransferDecision req, ResidentService s, CancellationToken ct) =>
            {
                await s.DecideTransferAsync(id, req.Accept, req.Reason, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.ResidentManage).WithName("Residents_DecideTransfer").WithSummary("登记社区同意（档案连同历史转出）或写明原因拒绝");
    }
}

public sealed class ResidentQueryArgs
{
    public Guid? OrgUnitId { get; set; }
    public string? Name { get; set; }
    public string? EthnicityCode { get; set; }
    public ResidenceType? ResidenceType { get; set; }
    public ResidentNeeds? Needs { get; set; }
    public int? AgeMin { get; set; }
    public int? AgeMax { get; set; }
    public ResidentStatus? Status { get; set; }
    public string? IdNumber { get; set; }
    public string? HouseholdNo { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }

    public ResidentQuery ToQuery() => new()
    {
        OrgUnitId = OrgUnitId, Name = Name, EthnicityCode = EthnicityCode, ResidenceType = ResidenceType, Needs = Needs, AgeMin = AgeMin, AgeMax = AgeMax,
        Status = Status ?? ResidentStatus.Registered, IdNumber = IdNumber, HouseholdNo = HouseholdNo, Page = Page ?? 1, PageSize = PageSize ?? 20,
    };
}
