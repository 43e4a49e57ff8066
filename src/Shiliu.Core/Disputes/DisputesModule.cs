using Shiliu.Core.Reporting;
using Shiliu.Core.Indicators;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Disputes;

/// <summary>
/// Who may do what with disputes. The roles that handle disputes (county office, township office, community staff) hold
/// <see cref="Handle"/> and only they see cases with ethnic factors; leaders see the other cases (parties masked) and
/// statistics, where ethnic cases are counted but never named; grid workers, assessors and the admins see none.
/// </summary>
public static class DisputePermissions
{
    public const string View = "perm.dispute.view";
    /// <summary>Register, mediate, escalate and receive cases; also the need-to-know of 涉民族因素 cases.</summary>
    public const string Handle = "perm.dispute.handle";
    public const string Reveal = "perm.dispute.reveal";
    public const string Statistics = "perm.dispute.stats";
    public const string Screen = "perm.dispute.screen";
}

public static class DisputeErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("dispute.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("dispute.invalid");
    public static readonly ErrorCode State = ErrorCode.Invalid("dispute.state");
    public static readonly ErrorCode Leader = ErrorCode.Invalid("dispute.leader");
    public static readonly ErrorCode Escalate = ErrorCode.Invalid("dispute.escalate");
    public static readonly ErrorCode ScreeningInvalid = ErrorCode.Invalid("screening.invalid");
    public static readonly ErrorCode ScreeningReported = ErrorCode.Conflict("screening.reported");
}

/// <summary>Reply deadlines by risk colour, in working days (appsettings "Disputes").</summary>
public sealed class DisputeOptions
{
    public int BlueDays { get; set; } = 5;
    public int YellowDays { get; set; } = 3;
    public int RedDays { get; set; } = 1;
    /// <summary>Day of the month by which the month's screening report is due (每月20日前上报).</summary>
    public int ReportDueDay { get; set; } = 20;

    public TimeLimit LimitOf(RiskColour c) => new(c switch { RiskColour.Red => RedDays, RiskColour.Yellow => YellowDays, _ => BlueDays }, ClockUnit.WorkingDays);
}

/// <summary>
/// Need to know, in one place: every read of dispute cases in this module starts from <see cref="Visible"/>. The data
/// scope already limits rows to the caller's subtree (the handling unit and the units above it, and the receiver of a
/// waiting escalation); on top of it, a case with ethnic factors is seen only by the roles that handle disputes.
/// </summary>
public static class DisputeAccess
{
    public static bool SeesEthnic(Caller caller) => caller.Can(DisputePermissions.Handle);

    public static IQueryable<Dispute> Visible(ShiliuDb db)
    {
        var ethnic = SeesEthnic(db.Caller);
        return ethnic ? db.Disputes : db.Disputes.Where(d => !d.EthnicFactors);
    }

    /// <summary>
    /// For figures only (counts, de-identified): every case in the caller's scope, ethnic or not. Nothing read from it may
    /// carry a case's number, title or people.
    /// </summary>
    public static IQueryable<Dispute> Counted(ShiliuDb db) => db.Disputes;
}

public static class DisputeDictionaries
{
    public const string Category = "dispute-category";

    public static readonly string[] Categories =
        ["婚姻家庭", "邻里纠纷", "宅基地/土地", "山林水利", "劳资纠纷", "合同债务", "损害赔偿", "民族风俗", "宗教事务", "征地拆迁", "其他"];
}

/// <summary>矛盾纠纷: 排查 records and monthly reports, dispute cases kept as 人民调解卷宗, escalated up the tiers.</summary>
public sealed class DisputesModule : FeatureModule
{
    static readonly string[] Handlers = [Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff];

    public override string Name => "矛盾纠纷";

    public override void Declare(ModuleBuilder m) => m
        .Permission(DisputePermissions.View, "查看矛盾纠纷（涉民族因素案件除外，当事人脱敏）", [.. Handlers, Roles.Leader])
        .Permission(DisputePermissions.Handle, "登记、调解、上报和接收矛盾纠纷（含涉民族因素案件）", Handlers)
        .Permission(DisputePermissions.Reveal, "查看当事人完整身份证号和电话", Handlers)
        .Permission(DisputePermissions.Statistics, "查看矛盾纠纷统计（去标识）", [.. Handlers, Roles.Leader])
        .Permission(DisputePermissions.Screen, "登记和上报矛盾纠纷排查", Roles.TownshipOfficer, Roles.CommunityStaff)
        .MenuItem(MenuSection.Ledgers, "矛盾纠纷", "/disputes", "alert", 60, DisputePermissions.View)
        .MenuItem(MenuSection.Ledgers, "矛盾纠纷排查", "/disputes/screening", "search", 61, DisputePermissions.View)
        .MenuItem(MenuSection.Ledgers, "纠纷统计", "/disputes/statistics", "bar-chart", 62, DisputePermissions.Statistics)
        .Link("矛盾纠纷", "/disputes", "登记、调解、上报矛盾纠纷，回访协议履行", 70, DisputePermissions.View)
        .Link("矛盾纠纷排查", "/disputes/screening", "每月排查，20日前上报（无情况报零报告）", 71, DisputePermissions.View)
        .Dictionary(DisputeDictionaries.Category, "矛盾纠纷类别")
        // No names in the summary line: the number and the short title identify the case.
        .Audit<Dispute>("矛盾纠纷", d => $"矛盾纠纷{d.Number}《{d.Title}》")
        .Audit<DisputeParty>("纠纷当事人", p => $"当事人 {p.NameMasked}（{p.IdNumberMasked ?? "无身份证号"}）")
        .Sealed<DisputeParty>("当事人身份证号", cipher: p => p.IdNumberCipher)
        .Sealed<DisputeParty>("当事人电话", cipher: p => p.PhoneCipher)
        .Audit<MediationEntry>("调解记录", e => $"{e.Date:yyyy-MM-dd} 调解记录（调解员 {e.Mediator}）")
        .Audit<FollowUpVisit>("回访记录", v => $"{v.Date:yyyy-MM-dd} 回访（协议{(v.AgreementKept ? "已履行" : "未履行")}）")
        .Audit<Screening>("矛盾纠纷排查", s => $"{s.Date:yyyy-MM-dd} 排查（{(s.Nil ? "零报告" : $"{s.FactorCount}项")}）")
        .Audit<ScreeningReport>("排查月报", r => $"{r.Month / 100}年{r.Month % 100}月排查{(r.Nil ? "零报告" : "情况")}上报")
        .Workflow(DisputeFlow.Definition)
        .ErrorCodes(typeof(DisputeErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Disputes").Get<DisputeOptions>() ?? new DisputeOptions());
        services.AddScoped<DisputeService>();
        services.AddScoped<ScreeningService>();
        services.AddScoped<DisputeStatisticsService>();
        services.AddScoped<DisputeLedger>();
        services.AddReportSource<DisputeReportSource>();
        services.AddDashboardSource<DisputeDashboardSource>();
        services.AddTodoSource<DisputeTodos>();
        services.AddCriterionRecordSource<DisputeCriterionRecords>();
        services.AddCaseKind<DisputeCaseKind>();
        services.AddCaseIntakeTarget<DisputeIntake>();
    }

    public override Task SeedDemoLedgersAsync(SeedContext seed, CancellationToken ct) => DisputeDemo.SeedAsync(seed, ct);

    public override async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        if (await db.DictionaryItems.AnyAsync(d => d.Kind == DisputeDictionaries.Category, ct)) return;
        var list = DisputeDictionaries.Categories;
        for (var i = 0; i < list.Length; i++)
            db.DictionaryItems.Add(new DictionaryItem { Kind = DisputeDictionaries.Category, Code = $"D{i + 1:00}", Name = list[i], SortOrder = i + 1 });
        await db.SaveChangesAsync(ct);
        seed.Report.Add($"已导入矛盾纠纷类别字典 {list.Length} 项");
    }
}
