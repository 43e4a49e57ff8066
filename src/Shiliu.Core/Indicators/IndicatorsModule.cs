using Shiliu.Core.Data;
using Microsoft.EntityFrameworkCore;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Indicators;

public static class IndicatorPermissions
{
    public const string Manage = "perm.indicator.manage";
}

/// <summary>测评指标: the versioned 100-point indicator framework (一级 → 二级 → 测评标准).</summary>
public sealed class IndicatorsModule : FeatureModule
{
    public override string Name => "测评指标";

    public override void Declare(ModuleBuilder m) => m
        .Permission(IndicatorPermissions.Manage, "维护测评指标", Roles.CountyOfficer)
        .MenuItem(MenuSection.Work, "测评指标", "/indicators", "ordered-list", 40, PlatformPermissions.Staff)
        .Audit<IndicatorFramework>("测评指标", f => $"测评指标 第 {f.VersionNo} 版（{(f.Status == FrameworkStatus.Published ? "已发布" : "草稿")}）")
        // A draft is saved as a whole; the service writes one audit row with the whole table.
        .AuditedByService<IndicatorGroup>("一级指标")
        .AuditedByService<IndicatorSubgroup>("二级指标")
        .AuditedByService<IndicatorCriterion>("测评标准")
        .ErrorCodes(typeof(IndicatorErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<IndicatorService>();

    public override async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        await using var json = Assembly.GetExecutingAssembly().GetManifestResourceStream("Shiliu.Core.Seed.indicators.json")!;
        if (await IndicatorService.SeedAsync(seed.Db, json, ct)) seed.Report.Add("已导入测评指标第 1 版（新民发〔2019〕2号 附件，100 分）");
    }
}
