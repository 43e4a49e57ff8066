using Shiliu.Core.Platform;

namespace Shiliu.Core;

/// <summary>
/// The modules of Shiliu, in menu and seeding order. Adding a module means one line here and its <c>Map…Api</c> line in
/// the web host; everything else it needs it declares in its own folder.
/// </summary>
public static class ShiliuModules
{
    public static readonly IReadOnlyList<FeatureModule> All =
    [
        new PlatformModule(),
        new Organizations.OrganizationsModule(),
        new Accounts.AccountsModule(),
        new Auditing.AuditingModule(),
        new Dictionaries.DictionariesModule(),
        new Tokens.TokensModule(),
        new Indicators.IndicatorsModule(),
        new Campaigns.CampaignsModule(),
        new Deliverables.DeliverablesModule(),
        new WorkReports.WorkReportsModule(),
        new Evidence.EvidenceModule(),
        new Activities.ActivitiesModule(),
        new Residents.ResidentsModule(),
        new Disputes.DisputesModule(),
        new JointMeetings.JointMeetingsModule(),
        new ServiceCases.ServiceCasesModule(),
        new Appeals.AppealsModule(),
        new Commendations.CommendationsModule(),
        new Questionnaires.QuestionnairesModule(),
        new Assessment.AssessmentModule(),
        new Reporting.ReportingModule(),
        new Dashboards.DashboardsModule(),
        new Screens.ScreensModule(),
    ];

    static readonly Lazy<ModuleCatalog> Built = new(() => ModuleCatalog.Build(All));

    /// <summary>What the modules declared; built once, on first use.</summary>
    public static ModuleCatalog Catalog => Built.Value;
}
