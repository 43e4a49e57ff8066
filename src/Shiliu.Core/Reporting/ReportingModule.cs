using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Reporting;

/// <summary>汇报材料: a unit's report drafted from its own ledgers (module 15); every ledger contributes its part through a report source.</summary>
public sealed class ReportingModule : FeatureModule
{
    public override string Name => "汇报材料";

    public override void Declare(ModuleBuilder m) => m
        .Permission(ReportingPermissions.Draft, "起草和报送汇报材料", Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer, Roles.CommunityStaff)
        .MenuItem(MenuSection.Work, "汇报材料", "/reports", "file-word", 35, ReportingPermissions.Draft)
        .Link("汇报材料", "/reports", "根据台账数据一键起草本单位的汇报材料，修改后报送", 35, ReportingPermissions.Draft)
        .ErrorCodes(typeof(ReportingErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<ReportService>();
}
