using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.Organizations;

public static class OrgPermissions
{
    public const string View = "perm.org.view";
    public const string Manage = "perm.org.manage";
}

/// <summary>组织机构: the county → township → community → grid tree that scopes everything else.</summary>
public sealed class OrganizationsModule : FeatureModule
{
    public override string Name => "组织机构";

    public override void Declare(ModuleBuilder m) => m
        .Permission(OrgPermissions.View, "查看组织机构", Roles.SystemAdmin, Roles.SecurityAdmin, Roles.CountyOfficer, Roles.Leader,
            Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker, Roles.Assessor)
        .Permission(OrgPermissions.Manage, "管理组织机构", Roles.SystemAdmin, Roles.CountyOfficer, Roles.TownshipOfficer)
        .MenuItem(MenuSection.System, "组织机构", "/org-units", "apartment", 10, OrgPermissions.View)
        .Link("组织机构", "/org-units", "查看管辖范围内的乡镇、社区和网格", 80, OrgPermissions.View)
        .Audit<OrgUnit>("组织机构", u => $"{OrgUnit.LevelName(u.Level)} {u.Name}（{u.Code}）", new Dictionary<string, string>
        {
            ["Name"] = "名称", ["Code"] = "代码", ["IsDisabled"] = "停用状态", ["ParentId"] = "上级单位", ["Path"] = "上级单位", ["SortOrder"] = "排序",
            ["PublicPhone"] = "对外电话", ["PublicAddress"] = "办公地址", ["OfficeHours"] = "办公时间",
        })
        .ErrorCodes(typeof(OrgErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<OrganizationService>();
        services.AddPublicHomeSource<PublicContacts>();
    }
}
