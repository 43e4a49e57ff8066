using Shiliu.Core.Reporting;
using Shiliu.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Residents;

public static class ResidentPermissions
{
    /// <summary>Personal data: the units that keep it; leaders and assessors see statistics, not people.</summary>
    public const string View = "perm.resident.view";
    public const string Manage = "perm.resident.manage";
    public const string Reveal = "perm.resident.reveal";
    /// <summary>Grids are laid out and staffed by the community and its township; grid workers only look.</summary>
    public const string GridManage = "perm.grid.manage";
    /// <summary>四眼原则: decides ledger exports above the county's threshold (the township for its units, the county county-wide).</summary>
    public const string ApproveExport = "perm.resident.export.approve";
    /// <summary>Sees the ledger export requests in scope: whoever may ask for one or decide one.</summary>
    public const string ExportRequests = "perm.resident.export.requests";
    /// <summary>Counts added up from the tallies (no person in them): the keepers and the leaders.</summary>
    public const string Statistics = "perm.resident.statistics";
}

/// <summary>少数民族信息档案, 网格管理 and 人口统计: the registry of residents, their grids and visits, and the figures.</summary>
public sealed class ResidentsModule : FeatureModule
{
    static readonly string[] Keepers = [Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker];
    static readonly string[] ExportApprovers = [Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer];

    public override string Name => "少数民族信息档案";

    public override void Declare(ModuleBuilder m) => m
        .Permission(ResidentPermissions.View, "查看居民档案（脱敏）", Keepers)
        .Permission(ResidentPermissions.Statistics, "查看人口和走访汇总数字", [.. Keepers, Roles.Leader])
        .Permission(ResidentPermissions.Manage, "登记和修改居民档案", Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker)
        .Permission(ResidentPermissions.Reveal, "查看完整身份证号和电话", Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker)
        .Permission(ResidentPermissions.GridManage, "划分网格、配备网格员", Roles.TownshipOfficer, Roles.CommunityStaff)
        .Permission(ResidentPermissions.ApproveExport, "审批大批量导出居民信息（四眼原则）", ExportApprovers)
        .Permission(ResidentPermissions.ExportRequests, "查看台账导出申请", [.. Keepers.Union(ExportApprovers)])
        .Permission(RetentionPermissions.Approve, "审批个人信息保存期限（迁出、死亡居民的归档和删除）", Roles.CountyOfficer)
        .MenuItem(MenuSection.Ledgers, "少数民族档案", "/residents", "idcard", 30, ResidentPermissions.View)
        .MenuItem(MenuSection.Ledgers, "导出审批", "/residents/exports", "audit", 35, ResidentPermissions.ExportRequests)
        .MenuItem(MenuSection.Ledgers, "保存期限", "/residents/retention", "field-time", 38, RetentionPermissions.Approve)
        .MenuItem(MenuSection.Ledgers, "人口统计", "/statistics/population", "bar-chart", 40, ResidentPermissions.View)
        .MenuItem(MenuSection.Ledgers, "网格管理", "/grids", "cluster", 50, ResidentPermissions.View)
        .Link("少数民族档案", "/residents", "登记、查找、导入居民信息，走访记录", 60, ResidentPermissions.View)
        .Link("网格管理", "/grids", "网格、网格员和每户的走访", 61, ResidentPermissions.View)
        .Link("导出审批", "/residents/exports", "审批大批量导出居民信息的申请（四眼原则）", 62, ResidentPermissions.ApproveExport)
        // No summary line for people: the masked before/after snapshot identifies the record, the summary stays name-free.
        .Audit<Resident>("居民档案")
        .Sealed<Resident>("居民身份证号", cipher: r => r.IdNumberCipher, hash: r => r.IdNumberHash)
        .Sealed<Resident>("居民电话", cipher: r => r.PhoneCipher, hash: r => r.PhoneHash)
        .Audit<ResidentTransfer>("居民转入")
        .Audit<RetentionRule>("个人信息保存期限", r => $"{RetentionService.CategoryName(r.Category)}保存期限（{r.ArchiveAfterMonths}个月后归档，{r.DeleteAfterMonths}个月后删除）")
        .Audit<Visit>("走访记录")
        .Audit<GridMember>("网格员")
        .Audit<GridInfo>("网格信息")
        // A resident's own history is already a change log (masked); the resident row itself is audited.
        .AuditedByService<ResidentChange>("居民档案变更")
        // Derived counts, rebuilt from audited rows.
        .AuditedByService<ResidentTally>("人口统计")
        .Tally("各社区（村）人口和走访统计", PopulationTally.MissingAsync, PopulationTally.RefreshAllAsync)
        // An import job's counters tick many times; its service audits upload, preview and commit as events of their own.
        .AuditedByService<ResidentImport>("居民导入")
        .Job(Import.ResidentImportService.JobKind, "居民信息导入（检查或写入）")
        .RecurringJob(Import.ResidentImportService.SweepKind, "清理过期的居民导入文件", TimeSpan.FromMinutes(30))
        .Workflow(TransferFlow.Definition)
        // Filter, count and purpose as asked; each decision and download is a workflow step with a sentence of its own.
        .Audit<Import.LedgerExportRequest>("台账导出申请", r => $"{r.UnitName}台账导出申请（{r.Count:N0}人，用途：{r.Purpose}）")
        .Workflow(Import.LedgerExportFlow.Definition)
        .ErrorCodes(typeof(ResidentErrors))
        .ErrorCodes(typeof(RetentionErrors))
        .ErrorCodes(typeof(GridErrors))
        .ErrorCodes(typeof(Import.ImportErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Import").Get<Import.ImportOptions>() ?? new Import.ImportOptions());
        services.AddSingleton<PersonalData>();
        services.AddScoped<ResidentService>();
        services.AddScoped<RetentionService>();
        services.AddScoped<VisitService>();
        services.AddScoped<Import.ResidentImportService>();
        services.AddScoped<Import.ResidentLedger>();
        services.AddSingleton<Import.ImportProgress>();
        services.AddJobHandler<Import.ImportJobHandler>(Import.ResidentImportService.JobKind);
        services.AddJobHandler<Import.ImportSweepHandler>(Import.ResidentImportService.SweepKind);
        services.AddScoped<PopulationStatisticsService>();
        services.AddScoped<GridService>();
        services.AddTodoSource<ResidentTodos>();
        services.AddReportSource<ResidentReportSource>();
        services.AddReportSource<VisitReportSource>();
        services.AddDashboardSource<PopulationDashboardSource>();
        services.AddDashboardSource<GridDashboardSource>();
    }

    public override Task SeedDemoLedgersAsync(SeedContext seed, CancellationToken ct) => ResidentDemo.SeedAsync(seed, ct);
}
