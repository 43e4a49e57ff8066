using Shiliu.Web.Cli;
using Shiliu.Web.Components;
using Shiliu.Web.Features.Appeals;
using Shiliu.Web.Features.Assessment;
using Shiliu.Web.Features.Questionnaires;
using Shiliu.Web.Features.Account;
using Shiliu.Web.Features.Audit;
using Shiliu.Web.Features.Campaigns;
using Shiliu.Web.Features.Commendations;
using Shiliu.Web.Features.Dashboards;
using Shiliu.Web.Features.Deliverables;
using Shiliu.Web.Features.WorkReports;
using Shiliu.Web.Features.Reporting;
using Shiliu.Web.Features.Evidence;
using Shiliu.Web.Features.Activities;
using Shiliu.Web.Features.Residents;
using Shiliu.Web.Features.Disputes;
using Shiliu.Web.Features.ServiceCases;
using Shiliu.Web.Features.Grids;
using Shiliu.Web.Features.Statistics;
using Shiliu.Web.Features.JointMeetings;
using Shiliu.Web.Features.Indicators;
using Shiliu.Web.Features.Organizations;
using Shiliu.Web.Features.Platform;
using Shiliu.Web.Features.Public;
using Shiliu.Web.Features.Screens;
using Shiliu.Web.Features.Tokens;
using Shiliu.Web.Features.Users;
using Shiliu.Web.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args.Where(a => !OperatorCommands.IsVerb(a)).ToArray(),
    // The build's run for the OpenAPI document has no production secrets to check.
    EnvironmentName = Shiliu.Core.Platform.BuildTime.WritingApiDocument ? Environments.Development : null,
});
// ...nor a developer's data: its throwaway keys and (untouched) database point to a temporary directory.
if (Shiliu.Core.Platform.BuildTime.WritingApiDocument)
{
    var scratch = Path.Combine(Path.GetTempPath(), "shiliu-openapi-build");
    builder.Configuration["Shiliu:DataDir"] = scratch;
    builder.Configuration["Database:Provider"] = "Sqlite";
    builder.Configuration["ConnectionStrings:Shiliu"] = $"Data Source={Path.Combine(scratch, "unused.db")}";
}
try
{
    builder.AddShiliu();
}
catch (InvalidOperationException e)
{
    // Configuration that cannot be run with (missing keys in Production, a retention below 180 days): say so and stop.
    Console.Error.WriteLine($"启动失败：{e.Message}");
    return 1;
}
var app = builder.Build();

if (args.Length > 0 && OperatorCommands.IsVerb(args[0]))
    return await OperatorCommands.RunAsync(app, args);

try
{
    if (!Shiliu.Core.Platform.BuildTime.WritingApiDocument) await Startup.PrepareDatabaseAsync(app);
}
catch (Exception e) when (e is Shiliu.Core.Common.RuleViolation or InvalidOperationException)
{
    Console.Error.WriteLine($"启动失败：{e.Message}");
    return 1;
}

app.UseShiliu();
// Every refusal is a problem document in Chinese; a 400 lists the fields (errors) and what each expects. The document
// says which refusals each operation can answer with (Hosting/ApiContract.cs).
var api = app.MapGroup("/api/v1").AddEndpointFilter<RuleViolationFilter>();
api.MapPlatformApi();
api.MapJobApi();
api.MapCalendarApi();
api.MapNotificationApi();
api.MapOrganizationApi();
api.MapUserApi();
api.MapTokenApi();
api.MapAuditApi();
api.MapIndicatorApi();
api.MapCampaignApi();
api.MapDeliverableApi();
api.MapWorkReportApi();
api.MapEvidenceApi();
api.MapActivityApi();
api.MapResidentApi();
api.MapResidentImportApi();
api.MapGridApi();
api.MapStatisticsApi();
api.MapDisputeApi();
api.MapJointMeetingApi();
api.MapServiceCaseApi();
api.MapAppealApi();
api.MapCommendationApi();
api.MapReportApi();
api.MapDashboardApi();
api.MapAssessmentApi();
api.MapQuestionnaireApi();
app.MapApiReference();
app.MapAccountEndpoints();
app.MapDisplayPreferences();
app.MapPublicNews();
app.MapScreens();
app.MapHealth();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
return 0;

/// <summary>Visible to tests (WebApplicationFactory).</summary>
public partial class Program;
