using Shiliu.Core.Reporting;
using Shiliu.Core.Indicators;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Platform.Public;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.ServiceCases;

public static class ServiceCasePermissions
{
    public const string View = "perm.service.view";
    public const string Manage = "perm.service.manage";
    public const string Reveal = "perm.service.reveal";
    public const string Types = "perm.service.types";
    public const string Guide = "perm.service.guide";
}

public static class ServiceCaseErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("service.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("service.invalid");
    public static readonly ErrorCode State = ErrorCode.Invalid("service.state");
    public static readonly ErrorCode Duplicate = ErrorCode.Conflict("service.duplicate");
}

/// <summary>服务群众: service cases by type with a working-day clock, 转办 between units, 回访 and 重办; the service guide.</summary>
public sealed class ServiceCasesModule : FeatureModule
{
    static readonly string[] Handlers = [Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker];

    /// <summary>(name, working days, 回访, 法律援助): the county office edits them on 事项类型.</summary>
    static readonly (string Name, int Days, bool Revisit, bool Legal)[] Types =
    [
        ("就业指导", 5, true, false), ("职业培训", 10, true, false), ("子女入学", 10, true, false), ("医疗卫生", 5, true, false),
        ("社会救助", 7, true, false), ("民族语文翻译", 2, false, false), ("法律援助", 10, true, true), ("政策咨询", 2, false, false),
        ("其他", 5, true, false),
    ];

    public override string Name => "服务群众";

    public override void Declare(ModuleBuilder m) => m
        .Permission(ServiceCasePermissions.View, "查看服务事项和统计", [.. Handlers, Roles.Leader, Roles.Assessor])
        .Permission(ServiceCasePermissions.Manage, "受理、办理、转办和回访服务事项", Handlers)
        .Permission(ServiceCasePermissions.Reveal, "查看服务对象的完整电话", Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker)
        .Permission(ServiceCasePermissions.Types, "维护服务事项类型和办理时限", Roles.CountyOfficer)
        .Permission(ServiceCasePermissions.Guide, "维护办事指南、服务窗口和热线", Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff)
        .MenuItem(MenuSection.Work, "服务群众", "/service-cases", "customer-service", 40, ServiceCasePermissions.View)
        .MenuItem(MenuSection.Work, "办事指南", "/service-guide", "read", 41, ServiceCasePermissions.Guide)
        .MenuItem(MenuSection.Work, "服务事项类型", "/service-types", "tags", 42, ServiceCasePermissions.Types)
        .Link("服务群众", "/service-cases", "受理、转办、办结、回访服务事项，查看按时办结率和满意率", 35, ServiceCasePermissions.View)
        .Audit<ServiceCase>("服务事项", c => $"服务事项 {c.Number}（{ServiceCaseFlow.StatusName(c.Status)}）")
        .Sealed<ServiceCase>("服务事项联系电话", cipher: c => c.PhoneCipher, hash: c => c.PhoneHash)
        .Audit<ServiceType>("服务事项类型", t => $"服务事项类型 {t.Name}（{t.TimeLimitDays}个工作日）")
        .Audit<ServiceCaseActivity>("服务事项关联活动")
        .Audit<GuideEntry>("办事指南", g => $"办事指南《{g.Name}》")
        .Audit<ServiceWindow>("服务窗口", w => $"{(w.Kind == WindowKind.Hotline ? "服务热线" : "服务窗口")} {w.Name}")
        .AuditedByService<ServiceCaseTally>("服务事项统计")
        .Tally<ServiceCase, ServiceTallyKey, ServiceCaseTally>("服务事项统计", ServiceTally.KeyOf, ServiceTally.RecountAsync, ServiceTally.RebuildAllAsync)
        .Workflow(ServiceCaseFlow.Definition)
        .ErrorCodes(typeof(ServiceCaseErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<ServiceCaseService>();
        services.AddScoped<ServiceTypeService>();
        services.AddScoped<ServiceGuideService>();
        services.AddScoped<ServiceFigures>();
        services.AddReportSource<ServiceReportSource>();
        services.AddDashboardSource<ServiceDashboardSource>();
        services.AddTodoSource<ServiceCaseTodos>();
        services.AddCriterionRecordSource<ServiceCaseCriterionRecords>();
        services.AddPublicHomeSource<PublicServiceGuide>();
        services.AddCaseKind<ServiceCaseKind>();
        services.AddCaseIntakeTarget<ServiceCaseIntake>();
    }

    public override Task SeedDemoLedgersAsync(SeedContext seed, CancellationToken ct) => ServiceCaseDemo.SeedAsync(seed, ct);

    public override async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        if (await db.ServiceTypes.AnyAsync(ct)) return;
        for (var i = 0; i < Types.Length; i++)
        {
            var (name, days, revisit, legal) = Types[i];
            db.ServiceTypes.Add(new ServiceType { Name = name, TimeLimitDays = days, NeedsRevisit = revisit, LegalAid = legal, SortOrder = (i + 1) * 10 });
        }
        await db.SaveChangesAsync(ct);
        seed.Report.Add($"已导入服务事项类型 {Types.Length} 项");
    }
}
