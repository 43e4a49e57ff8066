using Shiliu.Web.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Shiliu.Core.Residents.Import;
using Shiliu.Core.Common;
using Shiliu.Core.Residents;

namespace Shiliu.Web.Features.Residents;

public sealed record RevealRequest(string? Purpose);
public sealed record TransferRequest(Guid ToOrgUnitId, string Reason);
public sealed record TransferByIdNumberRequest(string IdNumber, Guid ToOrgUnitId, string Reason);
public sealed record TransferDecision(bool Accept, string? Reason, int? Version);

/// <summary>What the schedule names today, in counts: the records themselves are not listed.</summary>
public sealed record RetentionPreview(DateOnly Today, IReadOnlyList<RetentionCategoryPreview> Categories, IReadOnlyList<string> NotApproved)
{
    public static RetentionPreview Of(RetentionPlan p) => new(p.Today, p.Categories.Select(c => new RetentionCategoryPreview(c.Category, c.CategoryName,
        c.ArchiveAfterMonths, c.DeleteAfterMonths, c.ToArchive.Count, c.ToDelete.Count, c.Units)).ToList(), p.NotApproved);
}

public sealed record RetentionCategoryPreview(ResidentStatus Category, string CategoryName, int ArchiveAfterMonths, int DeleteAfterMonths, int Archive, int Delete,
    IReadOnlyList<RetentionUnitCount> Units);

public static class ResidentApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("少数民族信息档案", "一人一档的少数民族居民档案：登记、查找（身份证号、电话默认脱敏，查看原文须说明用途并记入审计）、走访、跨单位转入、Excel 批量导入和台账导出");

    public static void MapResidentApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/residents").WithTag(Tag).RequireAuthorization(ResidentPermissions.View);

        // The retention schedule is the county office's to approve; the operator's `retention` verb runs it.
        var retention = g.MapGroup("/retention").RequireAuthorization(RetentionPermissions.Approve);
        retention.MapGet("/", async (RetentionService s, CancellationToken ct) => TypedResults.Ok(await s.ScheduleAsync(ct)))
            .WithName("Residents_RetentionSchedule").WithSummary("个人信息保存期限：迁出、死亡居民多少个月后归档、多少个月后删除，谁何时审批");
        retention.MapPut("/", async (ApproveRetention req, RetentionService s, CancellationToken ct) =>
            {
                await s.ApproveAsync(req, ct);
                return TypedResults.NoContent();
            })
            .WithName("Residents_ApproveRetention").WithSummary("县领导小组办公室审批某类居民的保存期限（先归档，后删除；审计日志不在其内）")
            .ProducesProblem(StatusCodes.Status409Conflict);
        retention.MapGet("/plan", async (RetentionService s, CancellationToken ct) => TypedResults.Ok(RetentionPreview.Of(await s.PlanAsync(ct))))
            .WithName("Residents_RetentionPlan").WithSummary("按已审批的保存期限，今天将归档、将删除的人数（按单位）；由运维命令 retention --commit 执行");

        g.MapGet("/", async ([AsParameters] ResidentQuery q, ResidentService s, CancellationToken ct) =>
            {
                // A whole ID number in an address stays in every proxy's and browser's access log: lookups go in a body.
                if (!string.IsNullOrEmpty(q.IdNumber))
                    throw RuleViolation.ForField(ResidentErrors.Invalid, "idNumber",
                        "身份证号不能写在网址里（会留在代理服务器和浏览器的访问记录中）：请改用 POST /api/v1/residents/search，在请求体中提交 idNumber 和 purpose");
                return TypedResults.Ok(await s.ListAsync(q, ct));
            })
            .AddOpenApiOperationTransformer((op, _, _) =>
            {
                foreach (var p in op.Parameters?.Where(p => p.Name is "idNumber" or "purpose").ToList() ?? []) op.Parameters!.Remove(p);
                return Task.CompletedTask;
            })
            .WithName("Residents_List").WithSummary("居民列表（分页；身份证号、电话一律脱敏；按单位、姓名、民族、类型、需求、年龄、状态筛选；无权查看完整号码的角色只看到10岁一档的年龄段；按身份证号查找用 POST /residents/search）");

        g.MapPost("/search", async (ResidentQuery q, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("Residents_Search").ProducesProblem(StatusCodes.Status429TooManyRequests).WithSummary("居民列表，筛选条件放在请求体中（与居民列表相同的条件）；按身份证号 idNumber 精确查找须说明用途 purpose，记入审计日志，每人每分钟最多10次");

        g.MapGet("/{id:guid}", async (Guid id, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Residents_Get").WithSummary("一位居民的档案（脱敏）");

        g.MapPost("/", async (SaveResident req, ResidentService s, CancellationToken ct) => ApiResults.Created("/api/v1/residents", await s.CreateAsync(req, ct)))
            .RequireAuthorization(ResidentPermissions.Manage).WithName("Residents_Create").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("登记居民（身份证号校验并核对出生日期、性别；一人一档，已在其他单位登记时返回 409，不告知单位，请联系乡镇办理转入）");

        g.MapPut("/{id:guid}", async (Guid id, SaveResident req, ResidentService s, CancellationToken ct) =>
            {
                await s.UpdateAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ResidentPermissions.Manage).WithName("Residents_Update").WithSummary("修改居民档案（记入变更历史）");

        g.MapPost("/{id:guid}/reveal", async (Guid id, RevealRequest req, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.RevealAsync(id, req.Purpose, ct)))
            .RequireAuthorization(ResidentPermissions.Reveal).WithName("Residents_Reveal").WithSummary("查看一位居民的完整身份证号和电话（须说明用途，记入审计日志）");

        g.MapGet("/{id:guid}/history", async (Guid id, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.HistoryAsync(id, ct)))
            .WithName("Residents_History").WithSummary("档案变更历史：谁、何时、改了什么");

        g.MapPost("/{id:guid}/transfers", async (Guid id, TransferRequest req, ResidentService s, CancellationToken ct) =>
                ApiResults.Created("/api/v1/residents/transfers", await s.RequestTransferAsync(id, req.ToOrgUnitId, req.Reason, ct)))
            .RequireAuthorization(ResidentPermissions.Manage).WithName("Residents_RequestTransfer").WithSummary("乡镇（街道）民政办申请把在其他社区登记的居民转入本乡镇的社区");

        g.MapPost("/transfers", async (TransferByIdNumberRequest req, ResidentService s, CancellationToken ct) =>
                ApiResults.Created("/api/v1/residents/transfers", await s.RequestTransferByIdNumberAsync(req.IdNumber, req.ToOrgUnitId, req.Reason, ct)))
            .RequireAuthorization(ResidentPermissions.Manage).WithName("Residents_RequestTransferByIdNumber").ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("乡镇（街道）民政办按身份证号办理转入：社区登记时只被告知“已在其他单位登记”，由乡镇查明并申请，登记单位确认（按身份证号查找，计入审计和次数限制）");

        g.MapGet("/transfers", async (ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.TransfersAsync(ct)))
            .WithName("Residents_Transfers").WithSummary("转入申请：本单位发出的和待本单位处理的");

        g.MapGet("/transfers/{id:guid}", async (Guid id, ResidentService s, CancellationToken ct) => TypedResults.Ok(await s.TransferAsync(id, ct)))
            .WithName("Residents_Transfer").WithSummary("一份转入申请及其处理结果");

        var v = api.MapGroup("/visits").WithTag(Tag).RequireAuthorization(ResidentPermissions.View);

        v.MapGet("/", async (Guid? residentId, Guid? orgUnitId, VisitService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(residentId, orgUnitId, 100, ct)))
            .WithName("Visits_List").WithSummary("走访记录（按居民或单位，最近100条）");

        v.MapGet("/period", async ([AsParameters] VisitPageQuery q, VisitService s, CancellationToken ct) => TypedResults.Ok(await s.PageAsync(q, ct)))
            .WithName("Visits_Period").WithSummary("一个单位（含下级）在期间内的走访记录，按日期从新到旧分页（数据看板“期间走访”的明细）");

        v.MapGet("/households", async ([AsParameters] VisitPageQuery q, VisitService s, CancellationToken ct) => TypedResults.Ok(await s.HouseholdsAsync(q, ct)))
            .WithName("Visits_Households").WithSummary("一个单位（含下级）在期间内走访到的户（期间默认为本年1月1日至今天）：统计到今天的期间列出现在在册、有家庭成员被走访的户，已过去的期间按走访记录所在的单位和户号计；每户列出走访对象、次数、首次和最近走访日期（数据看板“期间走访覆盖户数”的明细）");

        v.MapGet("/{id:guid}", async (Guid id, VisitService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Visits_Get").WithSummary("一次走访记录");

        v.MapPost("/", async (SaveVisit req, VisitService s, CancellationToken ct) => ApiResults.Created("/api/v1/visits", await s.CreateAsync(req, ct)))
            .RequireAuthorization(ResidentPermissions.Manage).WithName("Visits_Create").WithSummary("登记走访（发现的需求并入居民档案）");

        v.MapGet("/coverage", async (Guid? orgUnitId, int? days, VisitService s, CancellationToken ct) => TypedResults.Ok(await s.CoverageAsync(orgUnitId, days ?? 90, ct)))
            .WithName("Visits_Coverage").WithSummary("走访覆盖率：近 N 天走访过的户数 / 在册户数");

        g.MapPost("/transfers/{id:guid}/decision", async (Guid id, TransferDecision req, ResidentService s, CancellationToken ct) =>
            {
                await s.DecideTransferAsync(id, req.Accept, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ResidentPermissions.Manage).WithName("Residents_DecideTransfer").WithSummary("登记社区同意（档案连同历史转出）或写明原因拒绝");
    }
}

public sealed record ImportStarted(Guid Id);
/// <summary>The import upload's multipart form as the document shows it.</summary>
public sealed record ImportUploadForm([property: System.ComponentModel.Description("填好的导入模板（.xlsx）")] IFormFile File);
public sealed record ExportApproval(int? Version);
public sealed record ExportRefusal(string? Reason, int? Version);

/// <summary>Excel import (upload → preview → commit), the template, and the ledger export.</summary>
public static class ResidentImportApi
{
    const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapResidentImportApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/residents/import").WithTag(ResidentApi.Tag).RequireAuthorization(ResidentPermissions.Manage);

        g.MapGet("/template", async (Guid orgUnitId, ResidentImportService s, CancellationToken ct) =>
            {
                var (bytes, name) = await s.TemplateAsync(orgUnitId, ct);
                return TypedResults.File(bytes, Xlsx, name);
            })
            .WithName("ResidentImport_Template").ProducesFile(Xlsx).WithSummary("下载导入模板（中文表头、民族/类型/网格等下拉列表、填写说明）");

        g.MapPost("/", async (Guid orgUnitId, HttpRequest request, ResidentImportService s, ImportOptions options, CancellationToken ct) =>
            {
                if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } max)
                    max.MaxRequestBodySize = (long)options.MaxUploadMb * 1024 * 1024 + 1024 * 1024;
                if (!request.HasFormContentType) throw new RuleViolation(ImportErrors.File, "请以 multipart/form-data 方式上传 .xlsx 文件（字段 file）");
                var form = await request.ReadFormAsync(ct);
                var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault() ?? throw new RuleViolation(ImportErrors.File, "没有收到文件（字段 file）");
                await using var stream = file.OpenReadStream();
                var id = await s.StartAsync(stream, file.FileName, orgUnitId, ct);
                return TypedResults.Accepted($"/api/v1/residents/import/{id}", new ImportStarted(id));
            })
            .Accepts<ImportUploadForm>("multipart/form-data").DisableAntiforgery().WithName("ResidentImport_Upload").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("上传 .xlsx 开始导入：立即拒绝不是模板的文件，其余在后台逐行检查（返回任务 id，轮询查看进度和结果）");

        g.MapGet("/", async (ResidentImportService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct)))
            .WithName("ResidentImport_List").WithSummary("最近的导入任务");

        g.MapGet("/{id:guid}", async (Guid id, ResidentImportService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("ResidentImport_Get").WithSummary("导入任务的进度和检查结果（错误按行、列列出，最多500条；完整的见错误数据表）");

        g.MapPost("/{id:guid}/commit", async (Guid id, ResidentImportService s, CancellationToken ct) => TypedResults.Ok(await s.CommitAsync(id, ct)))
            .WithName("ResidentImport_Commit").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("确认导入：可导入的行在一个事务中写入（全部成功或全部不写）；重复确认不会重复写入");

        g.MapPost("/{id:guid}/cancel", async (Guid id, ResidentImportService s, CancellationToken ct) =>
            {
                await s.CancelAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithName("ResidentImport_Cancel").WithSummary("放弃这次导入（删除上传的文件）");

        g.MapGet("/{id:guid}/errors", async (Guid id, ResidentImportService s, CancellationToken ct) =>
            {
                var (content, name) = await s.ErrorSheetAsync(id, ct);
                return TypedResults.File(content, Xlsx, name);
            })
            .WithName("ResidentImport_Errors").ProducesProblem(StatusCodes.Status409Conflict).ProducesFile(Xlsx).WithSummary("下载错误数据：出错的行按模板格式列出，附原行号和错误说明，改正后可直接再导入");

        api.MapPost("/residents/ledger", async (ResidentQuery req, ResidentLedger ledger, CancellationToken ct) =>
                Exported.File(await ledger.ExportAsync(req, req.Purpose, ct)))
            .RequireAuthorization(ResidentPermissions.View).WithTag(ResidentApi.Tag).WithName("Residents_Ledger").ProducesFile(Exported.Xlsx)
            .WithSummary("导出少数民族信息台账（与导入模板同样的列；身份证号、电话脱敏；须在请求体中说明用途，写入台账水印并记入审计日志；"
                         + "超过县里设定人数（默认500人）时返回 403 resident.export_needs_approval，附所选人数 selected，须先申请导出）");

        // 四眼原则: ledgers above the county's threshold go out only after someone else approved them.
        var x = api.MapGroup("/residents/ledger/requests").WithTag(ResidentApi.Tag).RequireAuthorization(ResidentPermissions.ExportRequests);

        x.MapPost("/", async (ResidentQuery req, ResidentLedger ledger, CancellationToken ct) =>
                ApiResults.Created("/api/v1/residents/ledger/requests", await ledger.RequestAsync(req, req.Purpose, ct)))
            .RequireAuthorization(ResidentPermissions.View).WithName("Residents_LedgerRequest_Create")
            .WithSummary("申请导出超过县里设定人数的台账（请求体与导出台账相同，须说明用途）：记下筛选条件、当前人数和用途，通知审批人");

        x.MapGet("/", async ([AsParameters] LedgerExportQuery q, ResidentLedger ledger, CancellationToken ct) => TypedResults.Ok(await ledger.RequestsAsync(q, ct)))
            .WithName("Residents_LedgerRequest_List").WithSummary("管辖范围内的台账导出申请（分页，按状态筛选；canDecide、canDownload 说明当前用户可做的操作）");

        x.MapGet("/{id:guid}", async (Guid id, ResidentLedger ledger, CancellationToken ct) => TypedResults.Ok(await ledger.GetRequestAsync(id, ct)))
            .WithName("Residents_LedgerRequest_Get").WithSummary("一份台账导出申请及其审批结果");

        x.MapPost("/{id:guid}/approve", async (Guid id, ExportApproval req, ResidentLedger ledger, CancellationToken ct) =>
            {
                await ledger.ApproveAsync(id, req.Version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ResidentPermissions.ApproveExport).WithName("Residents_LedgerRequest_Approve")
            .WithSummary("批准导出申请（本单位或下级单位的申请；不能批准自己的申请，403 workflow.four_eyes）；批准后申请人在有效期内下载");

        x.MapPost("/{id:guid}/refuse", async (Guid id, ExportRefusal req, ResidentLedger ledger, CancellationToken ct) =>
            {
                await ledger.RefuseAsync(id, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ResidentPermissions.ApproveExport).WithName("Residents_LedgerRequest_Refuse").WithSummary("驳回导出申请（须写明原因，申请人会收到通知）");

        x.MapPost("/{id:guid}/download", async (Guid id, ResidentLedger ledger, CancellationToken ct) => Exported.File(await ledger.DownloadAsync(id, ct)))
            .RequireAuthorization(ResidentPermissions.View).WithName("Residents_LedgerRequest_Download").ProducesProblem(StatusCodes.Status409Conflict).ProducesFile(Exported.Xlsx)
            .WithSummary("申请人下载已批准的台账：按申请时的筛选条件重新生成（人数比批准时增加过多须重新申请），有效期内可重复下载，每次记入审计日志");
    }
}
