using Microsoft.AspNetCore.Http.HttpResults;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Shiliu.Core.Common;
using Shiliu.Web.Hosting;
using Shiliu.Core.Evidence;

namespace Shiliu.Web.Features.Evidence;

public sealed record TextEvidence(Guid OrgUnitId, int Year, string Title, string Body, string? Tags, Guid? ActivityId, List<int>? Criteria, List<int>? Deliverables);
public sealed record DossierRequest(Guid OrgUnitId, int? Year, int? CriterionNo);

/// <summary>The upload's multipart form as the document shows it; the endpoint streams the parts itself, so the file goes last.</summary>
public sealed record EvidenceUploadForm(
    [property: System.ComponentModel.Description("所属单位")] Guid OrgUnitId,
    [property: System.ComponentModel.Description("年度，如 2026")] int Year,
    [property: System.ComponentModel.Description("标题（不填时用文件名）")] string? Title,
    [property: System.ComponentModel.Description("说明")] string? Description,
    [property: System.ComponentModel.Description("标签，多个用逗号分隔")] string? Tags,
    [property: System.ComponentModel.Description("所属活动")] Guid? ActivityId,
    [property: System.ComponentModel.Description("支撑的测评标准编号，多个用逗号分隔")] string? Criteria,
    [property: System.ComponentModel.Description("支撑的“十个一”序号（1–10），多个用逗号分隔")] string? Deliverables,
    [property: System.ComponentModel.Description("文件（须是表单的最后一部分）")] IFormFile File);

public static class EvidenceApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("痕迹台账", "创建工作的佐证材料（文件、图片、音视频、文字），按测评标准和“十个一”归档，生成迎检台账");

    public static void MapEvidenceApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/evidence").WithTag(Tag).RequireAuthorization(EvidencePermissions.View);

        g.MapGet("/", async ([AsParameters] EvidenceQuery q, EvidenceService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("Evidence_List").WithSummary("台账材料列表（分页；按单位、年份、类别、测评标准、“十个一”、活动、关键词筛选）");

        g.MapGet("/{id:guid}", async (Guid id, EvidenceService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Evidence_Get").WithSummary("一件台账材料的信息");

        g.MapPost("/", UploadAsync).RequireAuthorization(EvidencePermissions.Manage)
            .WithName("Evidence_Upload").WithSummary("上传材料（multipart/form-data：orgUnitId、year、title、description、tags、activityId、criteria、deliverables、file；流式写入，按内容判断类型）")
            .Accepts<EvidenceUploadForm>("multipart/form-data").DisableAntiforgery();

        g.MapPost("/text", async (TextEvidence req, EvidenceService s, CancellationToken ct) =>
            {
                var meta = new EvidenceMeta { OrgUnitId = req.OrgUnitId, Year = req.Year, Tags = req.Tags, ActivityId = req.ActivityId, Criteria = req.Criteria ?? [], Deliverables = req.Deliverables ?? [] };
                var created = await s.CreateTextAsync(meta, req.Title, req.Body, ct);
                return TypedResults.Created($"/api/v1/evidence/{created.Id}", created);
            })
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Evidence_CreateText").WithSummary("登记文字材料（会议记录、情况说明等），存为 txt");

        g.MapPut("/{id:guid}", async (Guid id, UpdateEvidence req, EvidenceService s, CancellationToken ct) =>
            {
                await s.UpdateAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Evidence_Update").WithSummary("修改标题、年份、说明、标签、所属活动和支撑的测评标准/“十个一”");

        g.MapDelete("/{id:guid}", async (Guid id, int version, EvidenceService s, CancellationToken ct) =>
            {
                await s.DeleteAsync(id, version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(EvidencePermissions.Manage).WithName("Evidence_Delete").WithSummary("删除（可恢复）");

        g.MapPost("/{id:guid}/restore", async (Guid id, EvidenceService s, CancellationToken ct) =>
            {
                await s.RestoreAsync(id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(EvidencePermissions.Restore).WithName("Evidence_Restore").WithSummary("恢复已删除的材料（县领导小组办公室）");

        g.MapGet("/{id:guid}/content", async (Guid id, bool? download, EvidenceService s, HttpContext http, CancellationToken ct) =>
                Send(http, await s.OpenAsync(id, thumbnail: false, download == true, ct)))
            .WithName("Evidence_Content").ProducesFile("application/octet-stream").WithSummary("原文件：预览（图片、视频、音频、PDF 在浏览器中打开，支持拖动进度）或 download=true 下载");

        g.MapGet("/{id:guid}/thumbnail", async (Guid id, EvidenceService s, HttpContext http, CancellationToken ct) =>
                Send(http, await s.OpenAsync(id, thumbnail: true, download: false, ct)))
            .WithName("Evidence_Thumbnail").ProducesFile("image/jpeg").WithSummary("图片缩略图（JPEG，最长边 320 像素）");

        g.MapGet("/archive", async (Guid orgUnitId, int? year, EvidenceService s, HttpContext http, CancellationToken ct) =>
            {
                // Checks scope and permission before the first byte, so a refusal is still a proper problem response.
                await s.CoverageAsync(orgUnitId, year, ct);
                http.Response.ContentType = "application/zip";
                http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = $"痕迹台账{(year is { } y ? $"-{y}年" : "")}.zip" }.ToString();
                http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                await s.WriteArchiveAsync(orgUnitId, year, http.Response.Body, ct);
                return Results.Empty;
            })
            .WithName("Evidence_Archive").ProducesFile("application/zip").WithSummary("打包下载一个单位的台账（zip，按 年份/类别/文件 排列，流式输出）");

        g.MapGet("/coverage", async (Guid orgUnitId, int? year, EvidenceService s, CancellationToken ct) => TypedResults.Ok(await s.CoverageAsync(orgUnitId, year, ct)))
            .WithName("Evidence_Coverage").WithSummary("每条测评标准和每项“十个一”有多少材料支撑，哪些还没有");

        g.MapPost("/dossiers", async (DossierRequest req, DossierService s, CancellationToken ct) =>
                TypedResults.Accepted($"/api/v1/evidence/dossiers/{await s.RequestAsync(req.OrgUnitId, req.Year, req.CriterionNo, ct)}"))
            .WithName("Evidence_DossierCreate").WithSummary("生成迎检台账（后台进行：目录 docx + 按测评标准和“十个一”排列的 zip）");

        g.MapGet("/dossiers", async (Guid orgUnitId, DossierService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(orgUnitId, ct)))
            .WithName("Evidence_DossierList").WithSummary("某单位最近生成的迎检台账及进度");

        g.MapGet("/dossiers/{id:guid}", async (Guid id, DossierService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Evidence_DossierGet").WithSummary("迎检台账生成进度");

        g.MapGet("/dossiers/{id:guid}/download", async (Guid id, DossierService s, HttpContext http, CancellationToken ct) => Send(http, await s.OpenAsync(id, ct)))
            .WithName("Evidence_DossierDownload").ProducesFile("application/zip").WithSummary("下载生成好的迎检台账 zip");
    }

    /// <summary>
    /// Streams a multipart upload section by section: form fields are read into metadata, the file part goes straight
    /// to the service's staging file. Nothing is buffered whole; the body limit is the largest class limit.
    /// </summary>
    static async Task<Created<UploadResult>> UploadAsync(HttpRequest request, EvidenceService s, EvidenceOptions limits, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } max)
            max.MaxRequestBodySize = limits.AbsoluteLimit + 1024 * 1024;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            throw RuleViolation.ForField(EvidenceErrors.Invalid, "file", "请以 multipart/form-data 方式上传文件");
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        UploadResult? result = null;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd)) continue;
            var name = HeaderUtilities.RemoveQuotes(cd.Name).Value ?? "";
            if (cd.IsFileDisposition())
            {
                if (result is not null) throw RuleViolation.ForField(EvidenceErrors.Invalid, "file", "一次请求只能上传一个文件");
                var fileName = cd.FileNameStar.HasValue ? cd.FileNameStar.Value : HeaderUtilities.RemoveQuotes(cd.FileName).Value;
                result = await s.UploadAsync(Meta(fields), fileName, section.Body, ct);
            }
            else if (fields.Count < 20)
            {
                // Read no further than the limit: a field is never held whole before its length is known (a 1 GB field).
                if (await ReadLimitedAsync(section.Body, FieldLimit, ct) is not { } value)
                    throw RuleViolation.ForField(EvidenceErrors.Invalid, name, $"字段 {name} 过长（不能超过 {FieldLimit} 字）");
                fields[name] = value;
            }
        }
        return result is null ? throw RuleViolation.ForField(EvidenceErrors.Empty, "file", "没有收到文件，请选择要上传的文件（表单字段 file 须放在最后）")
            : TypedResults.Created($"/api/v1/evidence/{result.Id}", result);
    }

    const int FieldLimit = 4000;

    /// <summary>The section as text, or null as soon as it passes <paramref name="limit"/> characters.</summary>
    static async Task<string?> ReadLimitedAsync(Stream body, int limit, CancellationToken ct)
    {
        using var sr = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[limit + 1];
        var n = 0;
        while (n <= limit && await sr.ReadAsync(buffer.AsMemory(n), ct) is var read && read > 0) n += read;
        return n > limit ? null : new string(buffer, 0, n);
    }

    static EvidenceMeta Meta(Dictionary<string, string> f)
    {
        static List<int> Numbers(string? v, string field) => string.IsNullOrWhiteSpace(v) ? [] : v.Split([',', '，', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(x => int.TryParse(x, out var n) ? n : throw new RuleViolation(EvidenceErrors.Invalid, $"{field}须为数字，多个用逗号分隔")).ToList();
        return new EvidenceMeta
        {
            OrgUnitId = Guid.TryParse(f.GetValueOrDefault("orgUnitId"), out var u) ? u : throw new RuleViolation(EvidenceErrors.Invalid, "请指定单位（orgUnitId）"),
            Year = int.TryParse(f.GetValueOrDefault("year"), out var y) ? y : throw new RuleViolation(EvidenceErrors.Invalid, "请填写年份（year）"),
            Title = f.GetValueOrDefault("title"), Description = f.GetValueOrDefault("description"), Tags = f.GetValueOrDefault("tags"),
            ActivityId = Guid.TryParse(f.GetValueOrDefault("activityId"), out var a) ? a : null,
            Criteria = Numbers(f.GetValueOrDefault("criteria"), "测评标准"), Deliverables = Numbers(f.GetValueOrDefault("deliverables"), "“十个一”"),
        };
    }

    /// <summary>Sends a stored file with a sandboxing policy; seekable stores get range requests (video scrubbing).</summary>
    static IResult Send(HttpContext http, OpenedFile f)
    {
        var h = http.Response.Headers;
        http.Items[SecurityHeaders.StoredFilePolicy] = true;
        h.ContentSecurityPolicy = f.ContentType == "application/pdf"
            ? "default-src 'none'; frame-ancestors 'self'"
            : "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
        h.XFrameOptions = "SAMEORIGIN";
        h.CacheControl = "private, max-age=300";
        return Results.Stream(f.Content, f.ContentType, f.Inline ? null : f.FileName, enableRangeProcessing: f.Content.CanSeek)
            is var r && f.Inline ? new InlineFile(r, f.FileName) : r;
    }

    /// <summary>Adds an inline Content-Disposition carrying the (UTF-8) file name, so "save as" keeps it.</summary>
    sealed class InlineFile(IResult inner, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = fileName }.ToString();
            return inner.ExecuteAsync(http);
        }
    }
}
