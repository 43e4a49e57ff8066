namespace Shiliu.Core.Common;

/// <summary>The staff roles of DESIGN.md. Residents are anonymous and have no role.</summary>
public static class Roles
{
    public const string SystemAdmin = nameof(SystemAdmin);
    public const string SecurityAdmin = nameof(SecurityAdmin);
    public const string AuditAdmin = nameof(AuditAdmin);
    public const string CountyOfficer = nameof(CountyOfficer);
    public const string Leader = nameof(Leader);
    public const string TownshipOfficer = nameof(TownshipOfficer);
    public const string CommunityStaff = nameof(CommunityStaff);
    public const string GridWorker = nameof(GridWorker);
    public const string Assessor = nameof(Assessor);

    public static readonly IReadOnlyList<string> All =
        [SystemAdmin, SecurityAdmin, AuditAdmin, CountyOfficer, Leader, TownshipOfficer, CommunityStaff, GridWorker, Assessor];

    /// <summary>三权分立: mutually exclusive, each needs TOTP.</summary>
    public static readonly IReadOnlySet<string> Admin = new HashSet<string> { SystemAdmin, SecurityAdmin, AuditAdmin };

    public static readonly IReadOnlyList<string> Business =
        [CountyOfficer, Leader, TownshipOfficer, CommunityStaff, GridWorker, Assessor];

    public static string ChineseName(string role) => role switch
    {
        SystemAdmin => "系统管理员",
        SecurityAdmin => "安全管理员",
        AuditAdmin => "审计管理员",
        CountyOfficer => "县领导小组办公室",
        Leader => "领导",
        TownshipOfficer => "乡镇(街道)民政办",
        CommunityStaff => "社区工作人员",
        GridWorker => "网格员",
        Assessor => "测评人员",
        _ => role,
    };
}
