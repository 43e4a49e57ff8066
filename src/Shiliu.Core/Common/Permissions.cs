namespace Shiliu.Core.Common;

/// <summary>
/// Authorization policies, each a set of roles. Pages, endpoints and menus use these names; the org scope
/// (which records) is a separate, data-level check in <see cref="Data.ShiliuDb"/>.
/// </summary>
public static class Permissions
{
    public const string Staff = "perm.staff";
    public const string OrgView = "perm.org.view";
    public const string OrgManage = "perm.org.manage";
    public const string UserView = "perm.user.view";
    public const string UserManage = "perm.user.manage";
    public const string RoleGrant = "perm.role.grant";
    public const string AuditRead = "perm.audit.read";
    public const string DictionaryManage = "perm.dictionary.manage";
    public const string IndicatorManage = "perm.indicator.manage";
    public const string CampaignView = "perm.campaign.view";
    public const string CampaignManage = "perm.campaign.manage";
    public const string CampaignProgress = "perm.campaign.progress";
    public const string EvidenceView = "perm.evidence.view";
    public const string EvidenceManage = "perm.evidence.manage";
    public const string EvidenceRestore = "perm.evidence.restore";
    public const string FestivalManage = "perm.festival.manage";
    public const string ResidentView = "perm.resident.view";
    public const string ResidentManage = "perm.resident.manage";
    public const string ResidentReveal = "perm.resident.reveal";
    public const string GridManage = "perm.grid.manage";

    public static readonly IReadOnlyDictionary<string, string[]> RolesOf = new Dictionary<string, string[]>
    {
        [Staff] = [.. Roles.All],
        [OrgView] = [Roles.SystemAdmin, Roles.SecurityAdmin, Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer,
                     Roles.CommunityStaff, Roles.GridWorker, Roles.Assessor],
        [OrgManage] = [Roles.SystemAdmin, Roles.CountyOfficer, Roles.TownshipOfficer],
        [UserView] = [Roles.SystemAdmin, Roles.SecurityAdmin],
        [UserManage] = [Roles.SystemAdmin],
        [RoleGrant] = [Roles.SecurityAdmin],
        [AuditRead] = [Roles.AuditAdmin],
        [DictionaryManage] = [Roles.SystemAdmin],
        [IndicatorManage] = [Roles.CountyOfficer],
        [CampaignView] = [.. Roles.Business],
        [CampaignManage] = [Roles.CountyOfficer],
        // Units record their own progress; the township may record for its communities.
        [CampaignProgress] = [Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff],
        // Assessors read the archive and build dossiers; units file their own material, the levels above may too.
        [EvidenceView] = [Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer, Roles.CommunityStaff, Roles.Assessor],
        [EvidenceManage] = [Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff],
        [EvidenceRestore] = [Roles.CountyOfficer],
        [FestivalManage] = [Roles.CountyOfficer],
        // Personal data: the units that keep it; leaders and assessors see statistics, not people.
        [ResidentView] = [Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker],
        [ResidentManage] = [Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker],
        [ResidentReveal] = [Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker],
        // Grids are laid out and staffed by the community and its township; grid workers only look.
        [GridManage] = [Roles.TownshipOfficer, Roles.CommunityStaff],
    };

    public static bool Allows(string permission, IEnumerable<string> roles) =>
        RolesOf[permission].Intersect(roles).Any();
}
