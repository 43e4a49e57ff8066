using Shiliu.Core.Indicators;
using Shiliu.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Evidence;

public static class EvidencePermissions
{
    /// <summary>Assessors read the archive and build dossiers.</summary>
    public const string View = "perm.evidence.view";
    /// <summary>Units file their own material; the levels above may too.</summary>
    public const string Manage = "perm.evidence.manage";
    public const string Restore = "perm.evidence.restore";
}

/// <summary>痕迹台账: the evidence archive (photos, video, audio, documents, text) and the assessors' dossier.</summary>
public sealed class EvidenceModule : FeatureModule
{
    public override string Name => "痕迹台账";

    public override void Declare(ModuleBuilder m) => m
        .Permission(EvidencePermissions.View, "查看痕迹台账", Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer, Roles.CommunityStaff, Roles.Assessor)
        .Permission(EvidencePermissions.Manage, "上传和整理痕迹台账", Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff)
        .Permission(EvidencePermissions.Restore, "恢复已删除的材料", Roles.CountyOfficer)
        .MenuItem(MenuSection.Ledgers, "痕迹台账", "/evidence", "folder-open", 20, EvidencePermissions.View)
        .Link("痕迹台账", "/evidence", "上传照片、视频和文件，按测评标准归档，生成迎检台账", 50, EvidencePermissions.View)
        .Audit<EvidenceItem>("痕迹台账", e => $"台账材料《{e.Title}》")
        .Audit<DossierJob>("迎检台账", j => $"{j.UnitName}的迎检台账")
        // Links are written with their owner, whose service audits them in one row.
        .AuditedByService<EvidenceRef>("材料关联")
        .Job(DossierService.JobKind, "生成迎检台账")
        .ErrorCodes(typeof(EvidenceErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Evidence").Get<EvidenceOptions>() ?? new EvidenceOptions());
        services.AddScoped<EvidenceService>();
        services.AddScoped<DossierService>();
        services.AddCriterionRecordSource<EvidenceCriterionRecords>();
        services.AddJobHandler<DossierJobHandler>(DossierService.JobKind);
    }

    public override Task SeedDemoLedgersAsync(SeedContext seed, CancellationToken ct) => EvidenceDemo.SeedAsync(seed, ct);
}
