using Shiliu.Core.Disputes;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Disputes;

public sealed record DisputeStep(string Action, string? Reason, int Version);
public sealed record EscalateDispute(string? Reason, int Version);
public sealed record RevealParty(string? Purpose);
public sealed record CreatedEntry(long Id);
public sealed record CategoryItem(string Code, string Name);
public sealed record ReportMonth(int? Month);
public sealed record VetoQuery(DateOnly? From, DateOnly? To);

public sealed record DisputeLedgerRequest
{
    public DisputeStatus? Status { get; set; }
    public RiskColour? Colour { get; set; }
    public bool? EthnicFactors { get; set; }
    public bool? Open { get; set; }
    public string? Purpose { get; set; }
}

public static class DisputeApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("矛盾纠纷", "矛盾纠纷的排查、登记、调解、上报、回访和卷宗，涉民族因素的案件单独管控");

    public static void MapDisputeApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/disputes").WithTag(Tag).RequireAuthorization(DisputePermissions.View);

        g.MapGet("/", async ([AsParameters] DisputeQuery q, DisputeService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("Disputes_List")
            .WithSummary("矛盾纠纷列表（分页；当事人姓名脱敏；涉民族因素的案件只对办理矛盾纠纷的角色列出；incoming=true 为上报待本单位接收的案件）");

        g.MapGet("/{id:guid}", async (Guid id, DisputeService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("Disputes_Get").WithSummary("一件矛盾纠纷（卷宗）：当事人（身份证号、电话脱敏）、调解记录、协议、回访、办理步骤、各单位办理时长、答复期限");

        g.MapPost("/", async (SaveDispute req, DisputeService s, CancellationToken ct) => ApiResults.Created("/api/v1/disputes", await s.RegisterAsync(req, ct)))
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_Register")
            .WithSummary("登记矛盾纠纷（编号终身不变，如 JF2026-0012；黄色告知乡镇，红色同时告知乡镇和县；疑难纠纷须填包案领导）");

        g.MapPut("/{id:guid}", async (Guid id, SaveDispute req, DisputeService s, CancellationToken ct) =>
            {
                await s.UpdateAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_Update").WithSummary("修改纠纷名称、类别、等级、风险颜色、包案领导（风险升级时告知上级）；当事人在登记时填写");

        g.MapPost("/{id:guid}/steps", async (Guid id, DisputeStep req, DisputeService s, CancellationToken ct) =>
            {
                await s.StepAsync(id, req.Action, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_Step")
            .WithSummary("办理步骤：accept 受理、mediate 开始调解、succeed 调解成功、fail 调解不成（须写原因）、close 结案；receive 接收、return 退回（须写原因）由上级接收单位操作");

        g.MapPost("/{id:guid}/escalate", async (Guid id, EscalateDispute req, DisputeService s, CancellationToken ct) =>
            {
                await s.EscalateAsync(id, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_Escalate").WithSummary("上报上一级单位（须写理由）；上级接收后由其办理，编号不变");

        g.MapPost("/{id:guid}/mediations", async (Guid id, SaveMediation req, DisputeService s, CancellationToken ct) =>
                TypedResults.Created($"/api/v1/disputes/{id}", new CreatedEntry(await s.AddMediationAsync(id, req, ct))))
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_AddMediation").WithSummary("登记调解记录（日期、调解员、调解情况）");

        g.MapPost("/{id:guid}/agreement", async (Guid id, LinkAgreement req, DisputeService s, CancellationToken ct) =>
            {
                await s.LinkAgreementAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_Agreement")
            .WithSummary("关联调解协议书（先上传到痕迹台账，再以 evidenceId 关联）并填写调解结果");

        g.MapPost("/{id:guid}/follow-ups", async (Guid id, SaveFollowUp req, DisputeService s, CancellationToken ct) =>
                TypedResults.Created($"/api/v1/disputes/{id}", new CreatedEntry(await s.AddFollowUpAsync(id, req, ct))))
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_AddFollowUp").WithSummary("登记回访记录（协议履行情况）");

        g.MapPost("/{id:guid}/parties/{partyId:guid}/reveal", async (Guid id, Guid partyId, RevealParty req, DisputeService s, CancellationToken ct) =>
                TypedResults.Ok(await s.RevealAsync(id, partyId, req.Purpose, ct)))
            .RequireAuthorization(DisputePermissions.Reveal).WithName("Disputes_RevealParty").WithSummary("查看一位当事人的完整身份证号和电话（须说明用途，记入审计日志）");

        g.MapPost("/ledger", async (DisputeLedgerRequest req, DisputeLedger ledger, CancellationToken ct) =>
                Exported.File(await ledger.ExportAsync(new DisputeQuery { Status = req.Status, Colour = req.Colour, EthnicFactors = req.EthnicFactors, Open = req.Open },
                    req.Purpose, ct)))
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_Ledger").ProducesFile(Exported.Xlsx)
            .WithSummary("导出人民调解台账（当事人姓名、身份证号脱敏；须说明用途，写入水印并记入审计日志）");

        g.MapPost("/{id:guid}/dossier", async (Guid id, DisputeLedger ledger, CancellationToken ct) => Exported.File(await ledger.DossierAsync(id, ct)))
            .RequireAuthorization(DisputePermissions.Handle).WithName("Disputes_Dossier").ProducesFile(Exported.Xlsx)
            .WithSummary("导出一件纠纷的人民调解卷宗封面和卷内目录");

        g.MapGet("/categories", async (DisputeService s, CancellationToken ct) =>
                TypedResults.Ok((await s.CategoryListAsync(ct)).Select(c => new CategoryItem(c.Code, c.Name)).ToList()))
            .WithName("Disputes_Categories").WithSummary("矛盾纠纷类别字典");

        g.MapGet("/statistics", async ([AsParameters] DisputeStatsQuery q, DisputeStatisticsService s, CancellationToken ct) => TypedResults.Ok(await s.StatsAsync(q, ct)))
            .RequireAuthorization(DisputePermissions.Statistics).WithName("Disputes_Statistics")
            .WithSummary("矛盾纠纷统计（本单位及下级）：每月排查和上报、按类别、颜色、等级、未结案、调解成功率、平均办理工作日；涉民族因素案件只计数");

        g.MapGet("/veto", async ([AsParameters] VetoQuery q, DisputeStatisticsService s, TimeProvider clock, CancellationToken ct) =>
            {
                var today = DateOnly.FromDateTime(Shiliu.Core.Common.ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
                return TypedResults.Ok(await s.VetoAsync(q.From ?? new DateOnly(today.Year, 1, 1), q.To ?? today, ct));
            })
            .RequireAuthorization(DisputePermissions.Statistics).WithName("Disputes_Veto")
            .WithSummary("一票否决预警：期间内发生涉民族因素红色纠纷的单位及件数（只计数）");

        var sc = g.MapGroup("/screenings");
        sc.MapGet("/", async ([AsParameters] ScreeningQuery q, ScreeningService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("Screenings_List").WithSummary("矛盾纠纷排查记录（按月，month 如 202611）");
        sc.MapPost("/", async (SaveScreening req, ScreeningService s, CancellationToken ct) => ApiResults.Created("/api/v1/disputes/screenings", await s.SaveAsync(req, ct)))
            .RequireAuthorization(DisputePermissions.Screen).WithName("Screenings_Create").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("登记一次排查（未发现矛盾纠纷的登记零报告 nil=true）");
        sc.MapPost("/report", async (ReportMonth req, ScreeningService s, CancellationToken ct) =>
            {
                await s.ReportAsync(req.Month, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(DisputePermissions.Screen).WithName("Screenings_Report").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("上报本月排查情况（每月20日前；本月排查均未发现的为零报告）");
        sc.MapGet("/status", async (int? month, ScreeningService s, CancellationToken ct) => TypedResults.Ok(await s.StatusAsync(month, ct)))
            .WithName("Screenings_Status").WithSummary("各社区本月排查上报情况：已上报（含零报告）和未上报的社区");
    }
}
