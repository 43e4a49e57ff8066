using Shiliu.Core.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Jobs;
using Shiliu.Core.Platform.Public;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Appeals;

public static class AppealPermissions
{
    public const string View = "perm.appeal.view";
    /// <summary>Accept, transfer, answer, convert and enter appeals (the owner unit's handlers see name and phone).</summary>
    public const string Handle = "perm.appeal.handle";
}

public static class AppealErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("appeal.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("appeal.invalid");
    public static readonly ErrorCode State = ErrorCode.Invalid("appeal.state");
    /// <summary>The tracking code and PIN did not match an appeal (one answer for a wrong code and a wrong PIN).</summary>
    public static readonly ErrorCode Lookup = ErrorCode.NotFound("appeal.lookup");
    public static readonly ErrorCode TooMany = ErrorCode.TooMany("appeal.too_many");
}

/// <summary>A topic residents pick: its time limit for the answer and the answer templates staff start from.</summary>
public sealed record AppealTopic(string Key, string Name, int AnswerDays, IReadOnlyList<string> Templates)
{
    public TimeLimit Limit => new(AnswerDays, ClockUnit.WorkingDays);
}

public static class AppealNames
{
    public static readonly IReadOnlyList<AppealTopic> Topics =
    [
        new("environment", "环境卫生", 5, ["您反映的{地点}环境卫生问题，社区已于{日期}组织清理，并安排网格员每周巡查。感谢您的监督。"]),
        new("neighborhood", "邻里关系", 5, ["您反映的邻里问题，社区已约双方当面沟通，双方同意{结果}。如再有问题，可随时联系社区。"]),
        new("property", "物业管理", 10, ["您反映的物业问题，社区已联系物业公司，对方承诺于{日期}前处理完毕。"]),
        new("facilities", "道路与公共设施", 10, ["您反映的{设施}问题，已报请相关部门，维修安排在{日期}前完成。"]),
        new("employment", "就业与社保", 10, ["您咨询的就业（社保）事项，可于工作日到社区服务窗口办理，需携带身份证和户口簿。"]),
        new("education", "子女入学", 10, ["您咨询的子女入学事项，请于{日期}前携带户口簿、居住证明到学区学校报名。"]),
        new("health", "医疗卫生", 10, ["您反映的医疗卫生事项，社区卫生服务站已安排医生与您联系。"]),
        new("ethnic", "民族政策与民族语文", 5, ["您咨询的民族政策事项，社区已安排工作人员上门解答，需要翻译时可预约民族语文翻译服务。"]),
        new("legal", "法律咨询", 5, ["您咨询的法律问题，社区已联系法律顾问，可于{日期}到社区法律服务室当面咨询，服务免费。"]),
        new("other", "其他", 10, ["您反映的问题已收悉，社区已于{日期}处理：{处理情况}。"]),
    ];

    public static AppealTopic? Topic(string? key) => Topics.FirstOrDefault(t => t.Key == key);

    public static string TopicName(string key) => Topic(key)?.Name ?? key;

    public static string Status(AppealStatus s) => s switch
    {
        AppealStatus.Pending => "待受理",
        AppealStatus.Handling => "办理中",
        AppealStatus.Transferring => "转办中",
        AppealStatus.Answered => "已答复",
        AppealStatus.Reopened => "重办中",
        AppealStatus.Closed => "已办结",
        _ => "已转办",
    };

    public static string Channel(AppealChannel c) => c switch
    {
        AppealChannel.Public => "网上",
        AppealChannel.Hotline => "热线",
        AppealChannel.Window => "窗口",
        _ => "走访",
    };
}

/// <summary>诉求: residents' appeals filed on the public page or entered by staff, handled, answered, looked up with code + PIN.</summary>
public sealed class AppealsModule : FeatureModule
{
    public const string AutoCloseJob = "appeals.auto-close";
    public const string SweepJob = "appeals.lookup-sweep";

    public override string Name => "群众诉求";

    public override void Declare(ModuleBuilder m) => m
        .Permission(AppealPermissions.View, "查看群众诉求", Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer, Roles.CommunityStaff)
        .Permission(AppealPermissions.Handle, "受理、转办、答复群众诉求", Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff)
        .MenuItem(MenuSection.Work, "群众诉求", "/appeals", "message", 40, AppealPermissions.View)
        .Link("群众诉求", "/appeals", "受理、转办、答复群众诉求，查看统计", 40, AppealPermissions.View)
        .Audit<Appeal>("群众诉求", a => $"诉求 {a.Code}（{AppealNames.TopicName(a.Topic)}，{AppealNames.Status(a.Status)}）")
        .Sealed<Appeal>("诉求人姓名", cipher: a => a.NameCipher)
        .Sealed<Appeal>("诉求人电话", cipher: a => a.PhoneCipher, hash: a => a.PhoneHash)
        .AuditedByService<AppealPhoto>("诉求照片")
        // Counters of failed PIN lookups: the refusals themselves are what matters, and they carry no person.
        .AuditedByService<AppealLookupGuard>("诉求查询限制")
        .Workflow(AppealFlow.Definition)
        .RecurringJob(AutoCloseJob, "答复后逾期未评价的诉求自动办结", TimeSpan.FromHours(1))
        .RecurringJob(SweepJob, "清理诉求查询失败记录", TimeSpan.FromHours(6))
        .ErrorCodes(typeof(AppealErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Appeals").Get<AppealOptions>() ?? new AppealOptions());
        services.AddScoped<AppealService>();
        services.AddReportSource<AppealReportSource>();
        services.AddDashboardSource<AppealDashboardSource>();
        services.AddSingleton<PublicAppealService>();
        services.AddTodoSource<AppealTodos>();
        services.AddPublicHomeSource<AppealPublicHome>();
        services.AddCaseKind<AppealCaseKind>();
        services.AddJobHandler<AppealAutoClose>(AutoCloseJob);
        services.AddJobHandler<AppealLookupSweep>(SweepJob);
    }

    public override Task SeedDemoLedgersAsync(SeedContext seed, CancellationToken ct) => AppealDemo.SeedAsync(seed, ct);
}

public sealed class AppealOptions
{
    /// <summary>Days after an answer without the resident's word before the appeal closes by itself.</summary>
    public int FeedbackDays { get; set; } = 7;
    /// <summary>Wrong PINs for one code before it is locked.</summary>
    public int PinAttempts { get; set; } = 5;
    public int LockMinutes { get; set; } = 30;
    /// <summary>Lookups per address per 10 minutes.</summary>
    public int LookupsPerAddress { get; set; } = 20;
    /// <summary>PBKDF2 iterations of the PIN hash.</summary>
    public int PinIterations { get; set; } = 100_000;
    public int RepeatDays { get; set; } = 90;
}
