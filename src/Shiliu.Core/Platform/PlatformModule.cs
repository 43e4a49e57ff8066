using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform.Jobs;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.Platform;

public static class PlatformPermissions
{
    /// <summary>Any signed-in staff member, whatever the role.</summary>
    public const string Staff = "perm.staff";
    /// <summary>The background job list: the county office follows imports and dossiers, the system admin runs the servers.</summary>
    public const string Jobs = "perm.jobs";
    /// <summary>Enters next year's public holidays when the State Council publishes them.</summary>
    public const string CalendarManage = "perm.calendar.manage";
    /// <summary>Reads the outbox: what was to be sent to residents and staff, and whether it went.</summary>
    public const string Outbox = "perm.outbox";
}

/// <summary>The shared pieces every module stands on: the home page, the API reference, jobs, workflow history.</summary>
public sealed class PlatformModule : FeatureModule
{
    public override string Name => "平台";

    public override void Declare(ModuleBuilder m) => m
        .Permission(PlatformPermissions.Staff, "登录使用系统", [.. Roles.All])
        .Permission(PlatformPermissions.Jobs, "查看后台任务", Roles.CountyOfficer, Roles.SystemAdmin)
        .MenuItem(MenuSection.Home, "首页", "/", "home", 0)
        .Permission(PlatformPermissions.CalendarManage, "维护节假日安排", Roles.CountyOfficer)
        .Permission(PlatformPermissions.Outbox, "查看发件箱", Roles.CountyOfficer)
        .MenuItem(MenuSection.System, "发件箱", "/outbox", "mail", 65, PlatformPermissions.Outbox)
        .Job(Notifications.OutboxService.JobKind, "发送短信或工作消息")
        .Job(Seed.DemoLedgerJob.Kind, "填充演示县的台账数据（演示）")
        .AuditedByService<Notifications.Notification>("通知")
        // Queued by the module that sends it (which audits why); its delivery is audited by the outbox.
        .AuditedByService<Notifications.OutboxMessage>("发件箱")
        .Sealed<Notifications.OutboxMessage>("发件箱收件人", cipher: m => m.RecipientCipher)
        .ErrorCodes(typeof(Notifications.OutboxErrors))
        .ErrorCodes(typeof(Exports.ExportErrors))
        .RecurringJob(Public.ChallengeSweep.Kind, "清理过期的公开表单校验记录", TimeSpan.FromHours(6))
        .AuditedByService<Public.UsedChallenge>("公开表单校验")
        .MenuItem(MenuSection.System, "后台任务", "/jobs", "sync", 60, PlatformPermissions.Jobs)
        .MenuItem(MenuSection.System, "节假日安排", "/calendar", "schedule", 45, PlatformPermissions.Staff)
        // A year is saved whole by its service, which audits it in one sentence.
        .AuditedByService<Calendar.HolidayYear>("节假日安排")
        // Saved with their year, which is audited in one sentence.
        .AuditedByService<Calendar.HolidayDay>("节假日")
        .ErrorCodes(typeof(Calendar.CalendarErrors))
        .AuditedByService<Jobs.BackgroundJob>("后台任务")
        // Each step writes its own audit sentence.
        .AuditedByService<Workflow.WorkflowStep>("办理记录")
        .ErrorCodes(typeof(Workflow.WorkflowErrors))
        .ErrorCodes(typeof(Jobs.JobErrors))
        .ExternalMenuItem(MenuSection.System, "接口文档", "/api/docs", "api", 90)
        .Link("修改密码", "/account/change-password", "定期修改密码，保护账号安全", 99);

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Jobs").Get<Jobs.JobOptions>() ?? new Jobs.JobOptions());
        services.AddSingleton<Jobs.JobQueue>();
        services.AddSingleton<Jobs.JobRunner>();
        if (!BuildTime.WritingApiDocument) services.AddHostedService(sp => sp.GetRequiredService<Jobs.JobRunner>());
        services.AddScoped<Jobs.JobService>();
        services.AddSingleton(config.GetSection("Calendar").Get<Calendar.CalendarOptions>() ?? new Calendar.CalendarOptions());
        services.AddSingleton<Calendar.CalendarCache>();
        services.AddScoped<Calendar.CalendarService>();
        services.AddSingleton<Exports.ExportService>();
        services.AddScoped<Backup.BackupService>();
        var exports = config.GetSection("Exports").Get<Exports.ExportOptions>() ?? new Exports.ExportOptions();
        if (exports.ApprovalAbove < 0 || exports.ApprovalValidDays is < 1 or > 30)
            throw new InvalidOperationException("Exports:ApprovalAbove 不能小于0，Exports:ApprovalValidDays 应在1至30天之间");
        services.AddSingleton(exports);
        services.AddSingleton(config.GetSection("PublicForms:Challenge").Get<Public.ChallengeOptions>() ?? new Public.ChallengeOptions());
        services.AddSingleton<Public.ChallengeService>();
        services.AddScoped<Public.PublicHomeService>();
        services.AddScoped<Public.PublicNewsService>();
        services.AddPublicHomeSource<Public.NewsPublicHome>();
        services.AddJobHandler<Public.ChallengeSweep>(Public.ChallengeSweep.Kind);
        services.AddScoped<Todos.TodoService>();
        services.AddTodoSource<PlatformTodos>();
        services.AddScoped<Notifications.NotificationService>();
        services.AddScoped<Notifications.OutboxService>();
        var messaging = config.GetSection("Messaging").Get<Notifications.MessagingOptions>() ?? new Notifications.MessagingOptions();
        services.AddSingleton(messaging);
        switch (messaging.Sender.ToLowerInvariant())
        {
            case "outbox":
                services.AddSingleton<Notifications.IMessageSender, Notifications.OutboxOnlySender>();
                break;
            case "http" when Uri.TryCreate(messaging.GatewayUrl, UriKind.Absolute, out _):
                // One client for the node's life; pooled connections are renewed so a gateway's DNS change is picked up.
                services.AddSingleton<Notifications.IMessageSender>(new Notifications.HttpGatewaySender(
                    new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) }, messaging));
                break;
            default:
                throw new InvalidOperationException($"Messaging:Sender 应为 outbox 或 http（http 时须配置 Messaging:GatewayUrl），现为“{messaging.Sender}”");
        }
        services.AddJobHandler<Notifications.OutboxSendHandler>(Notifications.OutboxService.JobKind);
        services.AddJobHandler<Seed.DemoLedgerJob>(Seed.DemoLedgerJob.Kind);
    }

    public override async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        if (await Calendar.CalendarService.SeedAsync(seed.Db, ct) is > 0 and var years)
            seed.Report.Add($"已录入 {years} 个年度的节假日和调休安排（2019—2026年据国务院办公厅通知，2027年暂定）");
    }
}
