using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Auditing;

public static class AuditPermissions
{
    public const string Read = "perm.audit.read";
}

public static class AuditErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("audit.denied");
}

/// <summary>审计日志: the append-only, hash-chained record of every change and every view or export of personal data.</summary>
public sealed class AuditingModule : FeatureModule
{
    public override string Name => "审计日志";

    public override void Declare(ModuleBuilder m) => m
        .Permission(AuditPermissions.Read, "查阅审计日志", Roles.AuditAdmin)
        .MenuItem(MenuSection.System, "审计日志", "/audit", "audit", 30, AuditPermissions.Read)
        .Link("审计日志", "/audit", "查询操作记录、校验日志完整性", 82, AuditPermissions.Read)
        .AuditedByService<AuditEntry>("审计记录")
        .AuditedByService<DataProtectionKey>("数据保护密钥")
        // Which key version sealed the data; the key verbs audit their own runs.
        .AuditedByService<Keys.SealingKey>("密钥指纹")
        .ErrorCodes(typeof(AuditErrors))
        .RecurringJob(AuditCheck.Kind, "校验审计日志", TimeSpan.FromDays(1), atStart: true);

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<AuditService>();
        services.AddScoped<AuditCheck>();
        services.AddSingleton<AccessDenials>();
        services.AddJobHandler<AuditCheck>(AuditCheck.Kind);
    }
}
