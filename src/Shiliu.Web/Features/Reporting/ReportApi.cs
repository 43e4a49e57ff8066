using Shiliu.Core.Reporting;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Reporting;

public static class ReportApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("汇报材料", "根据台账数据起草单位的汇报材料（Word，GB/T 9704 公文格式）；修改后的定稿按“十个一”材料上传到痕迹台账（deliverables=6）");

    public static void MapReportApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/reports").WithTag(Tag).RequireAuthorization(ReportingPermissions.Draft);

        g.MapPost("/draft", async (ReportRequest req, ReportService s, CancellationToken ct) => Exported.File(await s.DraftAsync(req, ct)))
            .ProducesFile(Exported.Docx).WithName("Reports_Draft")
            .WithSummary("起草汇报材料初稿（Word）：一、基本情况 二、主要做法和成效 三、存在的问题 四、下一步打算 和数据附表，各部分注明数据来源；记入审计日志");
    }
}
