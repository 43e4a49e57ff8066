using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Activities;
using Shiliu.Core.Evidence;
using Shiliu.Core.Residents;
using Shiliu.Core.Residents.Import;
using Shiliu.Core.Common;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Disputes;
using Shiliu.Tests.Disputes;
using Shiliu.Core.Indicators;
using Shiliu.Core.Organizations;
using Shiliu.Core.Tokens;
using Shiliu.Core.WorkReports;
using Shiliu.Tests.JointMeetings;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Authorization;

/// <summary>
/// The checked-in access matrix (access-matrix.csv): every page and endpoint × every role × inside/outside scope.
/// A new endpoint without a row, or without a request recipe below, fails the suite.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    static readonly string MatrixFile = Path.Combine(AppContext.BaseDirectory, "Authorization", "access-matrix.csv");
    internal static readonly string[] RoleColumns = ["Anonymous", .. Roles.All];

    internal static readonly Dictionary<string, string> UserOf = new()
    {
        [Roles.SystemAdmin] = "sysadmin", [Roles.SecurityAdmin] = "security", [Roles.AuditAdmin] = "auditor",
        [Roles.CountyOfficer] = "county", [Roles.Leader] = "leader", [Roles.TownshipOfficer] = "township",
        [Roles.CommunityStaff] = "community", [Roles.GridWorker] = "grid", [Roles.Assessor] = "assessor",
    };

    internal static Dictionary<string, string[]> Matrix() => File.ReadAllLines(MatrixFile)
        .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("endpoint,", StringComparison.Ordinal))
        .Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[1..]);

    [Fact]
    public async Task Every_page_and_endpoint_has_a_row_and_a_recipe()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var served = EndpointInventory.All(app);
        var matrix = Matrix();
        Assert.Empty(served.Except(matrix.Keys));        // a new endpoint must be added to access-matrix.csv
        Assert.Empty(matrix.Keys.Except(served));        // a removed endpoint must leave it too
        Assert.Empty(served.Except(Recipes.Keys));       // and get a request recipe here
        Assert.All(matrix.Values, cells => Assert.Equal(RoleColumns.Length, cells.Length));
    }

    public static TheoryData<DbProvider, string> Cases()
    {
        var data = new TheoryData<DbProvider, string>();
        foreach (var kind in Db.Engines)
            foreach (var role in RoleColumns) data.Add(kind, role);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task Each_role_gets_exactly_the_access_in_the_matrix(DbProvider kind, string role)
    {
        // Every ledger of one person or more needs approval here, so a request can be made without registering 500 people.
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string> { ["Exports:ApprovalAbove"] = "0" });
        var ctx = await Context.CreateAsync(app, role);
        var column = Array.IndexOf(RoleColumns, role);
        var failures = new List<string>();
        // SHILIU_MATRIX_ONLY=/screen checks only the rows naming that text (a developer's quick run; CI leaves it unset).
        var only = Environment.GetEnvironmentVariable("SHILIU_MATRIX_ONLY");
        foreach (var (endpoint, cells) in Matrix())
        {
            if (!string.IsNullOrEmpty(only) && !endpoint.Contains(only, StringComparison.Ordinal)) continue;
            var expected = cells[column].Split('/');
            var inside = await ctx.SendAsync(endpoint, outside: false);
            if (inside != expected[0]) failures.Add($"{endpoint} as {role} inside scope: expected {expected[0]}, got {inside}");
            if (expected.Length > 1 && expected[1] != "-")
            {
                var outside = await ctx.SendAsync(endpoint, outside: true);
                if (outside != expected[1]) failures.Add($"{endpoint} as {role} outside scope: expected {expected[1]}, got {outside}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    internal delegate Task<HttpResponseMessage> Recipe(Context ctx, bool outside);

    /// <summary>One valid request per endpoint; the hostile-input suite replays them with one field changed.</summary>
    internal static readonly Dictionary<string, Recipe> Recipes = Merge(new Dictionary<string, Recipe>
    {
        ["PAGE /"] = (c, _) => c.Page("/"),
        ["PAGE /public"] = (c, _) => c.Page("/public"),
        ["PAGE /account/login"] = (c, _) => c.Page("/account/login"),
        ["PAGE /account/login-totp"] = (c, _) => c.Page("/account/login-totp"),
        ["PAGE /account/change-password"] = (c, _) => c.Page("/account/change-password"),
        ["PAGE /account/totp-setup"] = (c, _) => c.Page("/account/totp-setup"),
        ["PAGE /account/denied"] = (c, _) => c.Page("/account/denied"),
        ["PAGE /error"] = (c, _) => c.Page("/error"),
        ["PAGE /org-units"] = (c, _) => c.Page("/org-units"),
        ["PAGE /users"] = (c, _) => c.Page("/users"),
        ["PAGE /audit"] = (c, _) => c.Page("/audit"),
        ["PAGE /tokens"] = (c, _) => c.Page("/tokens"),
        ["PAGE /dictionaries"] = (c, _) => c.Page("/dictionaries"),
        ["PAGE /indicators"] = (c, _) => c.Page("/indicators"),
        ["PAGE /work-reports"] = (c, _) => c.Page("/work-reports"),
        ["PAGE /deliverables"] = (c, _) => c.Page("/deliverables"),
        ["PAGE /campaigns"] = (c, _) => c.Page("/campaigns"),
        ["PAGE /campaigns/{Id:guid}"] = async (c, _) => await c.Page($"/campaigns/{await c.CampaignId()}"),
        ["PAGE /campaigns/plans"] = (c, _) => c.Page("/campaigns/plans"),
        ["PAGE /campaigns/{Id:guid}/plans"] = async (c, _) => await c.Page($"/campaigns/{await c.CampaignId()}/plans"),
        ["POST /account/logout"] = (c, _) => c.Browser.PostAsync("/account/logout", new FormUrlEncodedContent([])),
        ["GET /healthz"] = (c, _) => c.Api.GetAsync("/healthz"),
        ["GET /readyz"] = (c, _) => c.Api.GetAsync("/readyz"),
        ["GET /api/docs/{documentName?}"] = (c, _) => c.Api.GetAsync("/api/docs/"),
        ["GET /api/docs/scalar.js"] = (c, _) => c.Api.GetAsync("/api/docs/scalar.js"),
        ["GET /api/docs/scalar.aspnetcore.js"] = (c, _) => c.Api.GetAsync("/api/docs/scalar.aspnetcore.js"),
        ["GET /api/docs/favicon.svg"] = (c, _) => c.Api.GetAsync("/api/docs/favicon.svg"),
        ["GET /{**path:file}"] = (c, _) => c.Browser.GetAsync("/no-such-file.txt"),
        ["GET /api/v1/openapi.json"] = (c, _) => c.Api.GetAsync("/api/v1/openapi.json"),
        ["GET /api/v1/me"] = (c, _) => c.Api.GetAsync("/api/v1/me"),
        ["GET /api/v1/antiforgery"] = (c, _) => c.Browser.GetAsync("/api/v1/antiforgery"),
        ["GET /api/v1/dictionaries/{kind}"] = (c, _) => c.Api.GetAsync("/api/v1/dictionaries/ethnicity"),
        ["GET /api/v1/org-units/"] = (c, _) => c.Api.GetAsync("/api/v1/org-units"),
        ["GET /api/v1/org-units/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/org-units/{(await c.Unit(o)).Id}"),
        ["POST /api/v1/org-units/"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/org-units",
            new { parentId = (await c.Parent(o)).Id, name = "矩阵新增", code = $"M{Guid.NewGuid():N}"[..20] }),
        ["PUT /api/v1/org-units/{id:guid}"] = async (c, o) =>
        {
            var u = await c.Unit(o);
            return await c.Api.PutAsJsonAsync($"/api/v1/org-units/{u.Id}", new { name = u.Name, code = u.Code, version = u.Version });
        },
        ["POST /api/v1/org-units/{id:guid}/move"] = async (c, o) =>
        {
            var u = await c.Unit(o);
            return await c.Api.PostAsJsonAsync($"/api/v1/org-units/{u.Id}/move", new { parentId = u.ParentId, version = u.Version });
        },
        ["POST /api/v1/org-units/{id:guid}/disabled"] = async (c, o) =>
        {
            var u = await c.Unit(o);
            return await c.Api.PostAsJsonAsync($"/api/v1/org-units/{u.Id}/disabled", new { disabled = false, version = u.Version });
        },
        ["DELETE /api/v1/org-units/{id:guid}"] = async (c, o) =>
        {
            var u = await c.UnitByCode(o ? "DEL-OUT" : "DEL-IN");
            return await c.Api.DeleteAsync($"/api/v1/org-units/{u.Id}?version={u.Version}");
        },
        ["GET /api/v1/users/"] = (c, _) => c.Api.GetAsync("/api/v1/users"),
        ["POST /api/v1/users/"] = async (c, _) => await c.Api.PostAsJsonAsync("/api/v1/users",
            new { userName = $"m{Guid.NewGuid():N}"[..12], displayName = "矩阵用户", orgUnitId = (await c.UnitByCode("530427001001")).Id }),
        ["PUT /api/v1/users/{id:guid}/role"] = async (c, _) =>
            await c.Api.PutAsJsonAsync($"/api/v1/users/{await c.UserId("community")}/role", new { role = Roles.CommunityStaff }),
        ["POST /api/v1/users/{id:guid}/disabled"] = async (c, _) =>
            await c.Api.PostAsJsonAsync($"/api/v1/users/{await c.UserId("community")}/disabled", new { disabled = false }),
        ["POST /api/v1/users/{id:guid}/unlock"] = async (c, _) => await c.Api.PostAsync($"/api/v1/users/{await c.UserId("community")}/unlock", null),
        ["POST /api/v1/users/{id:guid}/reset-password"] = async (c, _) =>
            await c.Api.PostAsync($"/api/v1/users/{await c.UserId("community2")}/reset-password", null),
        ["POST /api/v1/users/{id:guid}/issue-password"] = async (c, _) =>
        {
            // An account the system has just created: its first password waits for the security administrator.
            var id = await c.App.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsync(new CreateUser
                { UserName = $"m{Guid.NewGuid():N}"[..12], DisplayName = "待发放", OrgUnitId = (await c.UnitByCode("530427001001")).Id }));
            return await c.Api.PostAsync($"/api/v1/users/{id}/issue-password", null);
        },
        // Tokens are managed signed in (a token cannot manage tokens), so these go with the cookie.
        ["GET /api/v1/tokens/"] = (c, _) => c.Browser.GetAsync("/api/v1/tokens"),
        ["POST /api/v1/tokens/"] = (c, _) => c.Browser.PostAsJsonAsync("/api/v1/tokens", new { name = "矩阵令牌", days = 7, password = Db.DemoPassword }),
        ["DELETE /api/v1/tokens/{id:guid}"] = (c, o) => c.Browser.DeleteAsync($"/api/v1/tokens/{(o ? c.ForeignTokenId : c.SpareTokenId)}"),
        ["GET /api/v1/campaigns/"] = (c, _) => c.Api.GetAsync("/api/v1/campaigns"),
        ["GET /api/v1/campaigns/{id:guid}"] = async (c, _) => await c.Api.GetAsync($"/api/v1/campaigns/{await c.CampaignId()}"),
        ["GET /api/v1/campaigns/{id:guid}/progress"] = async (c, _) => await c.Api.GetAsync($"/api/v1/campaigns/{await c.CampaignId()}/progress"),
        ["GET /api/v1/campaigns/{id:guid}/units/{orgUnitId:guid}/tasks"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/campaigns/{await c.CampaignId()}/units/{(await c.Community(o)).Id}/tasks"),
        ["POST /api/v1/campaigns/{id:guid}/units/{orgUnitId:guid}/tasks/{taskId:guid}/done"] = async (c, o) =>
        {
            var unit = await c.Community(o);
            try
            {
                await c.App.AsAsync(null, async sp => await sp.GetRequiredService<CampaignService>()
                    .ReturnAsync(await c.CampaignId(), unit.Id, await c.FirstTaskId(), "系统预置：退回重办"));
            }
            catch (RuleViolation)
            {
                // Not done yet: that is the state this one needs (the hostile-input suite sends it many times).
            }
            return await c.Api.PostAsJsonAsync($"/api/v1/campaigns/{await c.CampaignId()}/units/{unit.Id}/tasks/{await c.FirstTaskId()}/done",
                new { evidence = "已成立创建工作领导小组，见社区〔2018〕1号文件" });
        },
        ["POST /api/v1/campaigns/{id:guid}/units/{orgUnitId:guid}/tasks/{taskId:guid}/return"] = async (c, o) =>
        {
            var unit = await c.Community(o);
            try
            {
                await c.App.AsAsync(null, async sp => await sp.GetRequiredService<CampaignService>()
                    .MarkDoneAsync(await c.CampaignId(), unit.Id, await c.FirstTaskId(), "系统预置：已完成"));
            }
            catch (RuleViolation)
            {
                // Already done by the previous recipe: that is the state this one needs.
            }
            return await c.Api.PostAsJsonAsync($"/api/v1/campaigns/{await c.CampaignId()}/units/{unit.Id}/tasks/{await c.FirstTaskId()}/return",
                new { reason = "缺少领导小组成立文件" });
        },
        ["PUT /api/v1/campaigns/{id:guid}"] = async (c, _) =>
            await c.Api.PutAsJsonAsync($"/api/v1/campaigns/{await c.CampaignId()}", Campaigns.CampaignTests.PlanOf(
                await c.App.AsAsync(null, async sp => await sp.GetRequiredService<CampaignService>().GetAsync(await c.CampaignId())))),
        ["POST /api/v1/campaigns/{id:guid}/participants"] = async (c, _) =>
            await c.Api.PostAsJsonAsync($"/api/v1/campaigns/{await c.CampaignId()}/participants", new { orgUnitId = (await c.UnitByCode("530427001000")).Id }),
        ["POST /api/v1/campaigns/"] = async (c, _) =>
        {
            var from = await c.App.AsAsync(null, async sp => await sp.GetRequiredService<CampaignService>().GetAsync(await c.CampaignId()));
            var res = await c.Api.PostAsJsonAsync("/api/v1/campaigns", new NewCampaign
            {
                CopyFromId = from.Id, Title = "矩阵复制的创建活动", DocNumber = $"矩阵〔{Guid.NewGuid():N}〕", IssuingOrg = "新平县民政局", IssueDate = from.IssueDate,
                PhasesStart = from.Phases[0].StartDate, ParticipantUnitIds = [(await c.UnitByCode("530427001000")).Id],
            });
            await c.UndoNewCampaigns();
            return res;
        },
        ["GET /api/v1/campaigns/{id:guid}/plans"] = async (c, _) => await c.Api.GetAsync($"/api/v1/campaigns/{await c.CampaignId()}/plans"),
        ["GET /api/v1/campaigns/{id:guid}/plans/{orgUnitId:guid}"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/campaigns/{await c.CampaignId()}/plans/{(await c.Community(o)).Id}"),
        ["PUT /api/v1/campaigns/{id:guid}/plans/{orgUnitId:guid}"] = async (c, o) =>
        {
            // A township files its own plan; anyone else is tried on a community's.
            var unit = !o && c.Role == Roles.TownshipOfficer ? await c.UnitByCode("530427001000") : await c.Community(o);
            var plan = await c.UnitPlan(unit, UnitPlanStatus.Draft);
            return await c.Api.PutAsJsonAsync($"/api/v1/campaigns/{await c.CampaignId()}/plans/{unit.Id}",
                new SaveUnitPlan { Title = "城中社区工作方案", Body = "<p>结合本社区实际</p>", Version = plan.Version });
        },
        ["POST /api/v1/campaigns/plans/{planId:guid}/report"] = async (c, o) =>
        {
            var unit = !o && c.Role == Roles.TownshipOfficer ? await c.UnitByCode("530427001000") : await c.Community(o);
            var plan = await c.UnitPlan(unit, UnitPlanStatus.Draft);
            return await c.Api.PostAsJsonAsync($"/api/v1/campaigns/plans/{plan.Id}/report", new { version = plan.Version });
        },
        ["POST /api/v1/campaigns/plans/{planId:guid}/review"] = async (c, o) =>
        {
            var plan = await c.UnitPlan(await c.Community(o), UnitPlanStatus.Reported);
            return await c.Api.PostAsJsonAsync($"/api/v1/campaigns/plans/{plan.Id}/review", new { pass = true, reason = (string?)null, version = plan.Version });
        },
        ["GET /api/v1/campaigns/units/{orgUnitId:guid}/years"] = async (c, o) => await c.Api.GetAsync($"/api/v1/campaigns/units/{(await c.Community(o)).Id}/years"),
        ["GET /api/v1/campaigns/plans/{planId:guid}/history"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/campaigns/plans/{(await c.UnitPlan(await c.Community(o), UnitPlanStatus.Reported)).Id}/history"),
        ["PAGE /residents/retention"] = (c, _) => c.Page("/residents/retention"),
        ["GET /api/v1/residents/retention/"] = (c, _) => c.Api.GetAsync("/api/v1/residents/retention"),
        ["PUT /api/v1/residents/retention/"] = async (c, _) =>
        {
            var version = (await c.App.AsAsync(null, sp => sp.GetRequiredService<RetentionService>().ScheduleAsync()))[0].Version;
            return await c.Api.PutAsJsonAsync("/api/v1/residents/retention",
                new ApproveRetention { Category = ResidentStatus.MovedOut, ArchiveAfterMonths = 12, DeleteAfterMonths = 36, Version = version });
        },
        ["GET /api/v1/residents/retention/plan"] = (c, _) => c.Api.GetAsync("/api/v1/residents/retention/plan"),
        ["GET /api/v1/deliverables/"] = async (c, _) => await c.Api.GetAsync($"/api/v1/deliverables?campaignId={await c.CampaignId()}"),
        ["POST /api/v1/deliverables/export"] = async (c, _) => await c.Api.PostAsJsonAsync("/api/v1/deliverables/export", new { campaignId = await c.CampaignId() }),
        ["GET /api/v1/deliverables/units/{orgUnitId:guid}"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/deliverables/units/{(await c.Community(o)).Id}?campaignId={await c.CampaignId()}"),
        ["PUT /api/v1/deliverables/{id:guid}"] = async (c, o) =>
        {
            var d = await c.Deliverable(o, DeliverableStatus.InProgress);
            return await c.Api.PutAsJsonAsync($"/api/v1/deliverables/{d.Id}", new { status = "InProgress", owner = "张丽", evidence = "已设计文化墙图样", version = d.Version });
        },
        ["POST /api/v1/deliverables/{id:guid}/review"] = async (c, o) =>
        {
            var d = await c.Deliverable(o, DeliverableStatus.Completed);
            return await c.Api.PostAsJsonAsync($"/api/v1/deliverables/{d.Id}/review", new { pass = true, version = d.Version });
        },
        ["GET /api/v1/work-reports/"] = (c, _) => c.Api.GetAsync("/api/v1/work-reports?list=Incoming"),
        ["GET /api/v1/work-reports/{id:guid}"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/work-reports/{(await c.Report(o ? "community2" : "community", ReportStatus.Reported)).Id}"),
        ["POST /api/v1/work-reports/"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/work-reports", new { title = "矩阵信息", body = "<p>正文</p>" }),
        ["PUT /api/v1/work-reports/{id:guid}"] = async (c, o) =>
        {
            var r = await c.Report(c.Writer(o), ReportStatus.Draft);
            return await c.Api.PutAsJsonAsync($"/api/v1/work-reports/{r.Id}", new { title = "改标题", body = "<p>改正文</p>", version = r.Version });
        },
        ["POST /api/v1/work-reports/{id:guid}/report"] = async (c, o) =>
        {
            var r = await c.Report(c.Writer(o), ReportStatus.Draft);
            return await c.Api.PostAsJsonAsync($"/api/v1/work-reports/{r.Id}/report", new { version = r.Version });
        },
        ["POST /api/v1/work-reports/{id:guid}/review"] = async (c, o) =>
        {
            var r = await c.Report(o ? "community2" : "community", ReportStatus.Reported);
            return await c.Api.PostAsJsonAsync($"/api/v1/work-reports/{r.Id}/review", new { adopt = true, version = r.Version });
        },
        ["POST /api/v1/work-reports/{id:guid}/publish"] = async (c, _) =>
        {
            var r = await c.Report("community", ReportStatus.Adopted);
            return await c.Api.PostAsJsonAsync($"/api/v1/work-reports/{r.Id}/publish", new { publish = true, version = r.Version });
        },
        ["GET /api/v1/indicator-frameworks/"] = (c, _) => c.Api.GetAsync("/api/v1/indicator-frameworks"),
        ["GET /api/v1/indicator-frameworks/current"] = (c, _) => c.Api.GetAsync("/api/v1/indicator-frameworks/current"),
        ["GET /api/v1/indicator-frameworks/{id:guid}"] = async (c, _) => await c.Api.GetAsync($"/api/v1/indicator-frameworks/{await c.FrameworkId(draft: false)}"),
        ["POST /api/v1/indicator-frameworks/{id:guid}/drafts"] = async (c, _) =>
            await c.Api.PostAsync($"/api/v1/indicator-frameworks/{await c.FrameworkId(draft: false)}/drafts", null),
        ["PUT /api/v1/indicator-frameworks/{id:guid}"] = async (c, _) =>
        {
            var tree = await c.App.AsAsync(null, async sp => await sp.GetRequiredService<IndicatorService>().GetAsync(await c.FrameworkId(draft: true)));
            return await c.Api.PutAsJsonAsync($"/api/v1/indicator-frameworks/{tree.Id}", tree);
        },
        ["POST /api/v1/indicator-frameworks/{id:guid}/publish"] = async (c, _) =>
        {
            var tree = await c.App.AsAsync(null, async sp => await sp.GetRequiredService<IndicatorService>().GetAsync(await c.FrameworkId(draft: true)));
            return await c.Api.PostAsJsonAsync($"/api/v1/indicator-frameworks/{tree.Id}/publish", new { version = tree.Version });
        },
        ["DELETE /api/v1/indicator-frameworks/{id:guid}"] = async (c, _) => await c.Api.DeleteAsync($"/api/v1/indicator-frameworks/{await c.FrameworkId(draft: true)}"),
        ["PAGE /evidence"] = (c, _) => c.Page("/evidence"),
        ["PAGE /activities"] = (c, _) => c.Page("/activities"),
        ["GET /api/v1/evidence/"] = (c, _) => c.Api.GetAsync("/api/v1/evidence"),
        ["GET /api/v1/evidence/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/evidence/{await c.EvidenceId(o)}"),
        ["POST /api/v1/evidence/"] = async (c, o) =>
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent((await c.Community(o)).Id.ToString()), "orgUnitId" }, { new StringContent("2019"), "year" },
                { new ByteArrayContent(Evidence.TestFiles.Jpeg(40, 30, RandomColour())), "file", "矩阵照片.jpg" },
            };
            return await c.Api.PostAsync("/api/v1/evidence", form);
        },
        ["POST /api/v1/evidence/text"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/evidence/text",
            new { orgUnitId = (await c.Community(o)).Id, year = 2019, title = "矩阵记录", body = $"记录 {Guid.NewGuid()}" }),
        ["PUT /api/v1/evidence/{id:guid}"] = async (c, o) => await c.Api.PutAsJsonAsync($"/api/v1/evidence/{await c.EvidenceId(o)}",
            new { year = 2020, title = "改标题", criteria = new[] { 5 }, version = 0 }),
        ["DELETE /api/v1/evidence/{id:guid}"] = async (c, o) => await c.Api.DeleteAsync($"/api/v1/evidence/{await c.EvidenceId(o)}?version=0"),
        ["POST /api/v1/evidence/{id:guid}/restore"] = async (c, o) =>
        {
            var id = await c.EvidenceId(o);
            await c.App.AsAsync(null, sp => sp.GetRequiredService<EvidenceService>().DeleteAsync(id, 0));
            return await c.Api.PostAsync($"/api/v1/evidence/{id}/restore", null);
        },
        ["GET /api/v1/evidence/{id:guid}/content"] = async (c, o) => await c.Api.GetAsync($"/api/v1/evidence/{await c.EvidenceId(o)}/content?download=true"),
        ["GET /api/v1/evidence/{id:guid}/thumbnail"] = async (c, o) => await c.Api.GetAsync($"/api/v1/evidence/{await c.EvidenceId(o)}/thumbnail"),
        ["GET /api/v1/evidence/archive"] = async (c, o) => await c.Api.GetAsync($"/api/v1/evidence/archive?orgUnitId={(await c.Community(o)).Id}"),
        ["GET /api/v1/evidence/coverage"] = async (c, o) => await c.Api.GetAsync($"/api/v1/evidence/coverage?orgUnitId={(await c.Community(o)).Id}"),
        ["POST /api/v1/evidence/dossiers"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/evidence/dossiers", new { orgUnitId = (await c.Community(o)).Id }),
        ["GET /api/v1/evidence/dossiers"] = async (c, o) => await c.Api.GetAsync($"/api/v1/evidence/dossiers?orgUnitId={(await c.Community(o)).Id}"),
        ["GET /api/v1/evidence/dossiers/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/evidence/dossiers/{await c.DossierId(o)}"),
        ["GET /api/v1/evidence/dossiers/{id:guid}/download"] = async (c, o) => await c.Api.GetAsync($"/api/v1/evidence/dossiers/{await c.DossierId(o)}/download"),
        ["GET /api/v1/activities/"] = (c, _) => c.Api.GetAsync("/api/v1/activities"),
        ["GET /api/v1/activities/calendar"] = (c, _) => c.Api.GetAsync("/api/v1/activities/calendar?year=2019&month=7"),
        ["POST /api/v1/activities/ledger"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/activities/ledger", new { orgUnitId = (await c.Community(o)).Id, year = 2019 }),
        ["GET /api/v1/activities/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/activities/{await c.ActivityId(o)}"),
        ["POST /api/v1/activities/"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/activities", ActivityBody((await c.Community(o)).Id)),
        ["PUT /api/v1/activities/{id:guid}"] = async (c, o) => await c.Api.PutAsJsonAsync($"/api/v1/activities/{await c.ActivityId(o)}", ActivityBody(Guid.Empty)),
        ["DELETE /api/v1/activities/{id:guid}"] = async (c, o) => await c.Api.DeleteAsync($"/api/v1/activities/{await c.ActivityId(o)}?version=0"),
        ["GET /api/v1/festivals/"] = (c, _) => c.Api.GetAsync("/api/v1/festivals"),
        ["GET /api/v1/festivals/{id:guid}"] = async (c, _) =>
            await c.Api.GetAsync($"/api/v1/festivals/{(await c.App.AsAsync(null, sp => sp.GetRequiredService<FestivalService>().ListAsync())).First().Id}"),
        ["GET /api/v1/festivals/dates"] = (c, _) => c.Api.GetAsync("/api/v1/festivals/dates?from=2019-01-01&to=2019-12-31"),
        ["POST /api/v1/festivals/"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/festivals",
            new { name = $"矩阵节{Guid.NewGuid():N}"[..12], ethnicities = "彝族", rule = "Lunar", month = 6, day = 24, days = 1 }),
        ["PUT /api/v1/festivals/{id:guid}"] = async (c, _) =>
        {
            // Any seeded festival will do: the first by id, as the hostile-input suite renames them.
            var f = (await c.App.AsAsync(null, sp => sp.GetRequiredService<FestivalService>().ListAsync())).MinBy(x => x.Id)!;
            return await c.Api.PutAsJsonAsync($"/api/v1/festivals/{f.Id}", new { name = f.Name, ethnicities = f.Ethnicities, rule = "Gregorian", month = 4, day = 13, days = 3, version = f.Version });
        },
        ["PAGE /residents"] = (c, _) => c.Page("/residents"),
        ["GET /api/v1/residents/"] = (c, _) => c.Api.GetAsync("/api/v1/residents"),
        ["POST /api/v1/residents/search"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/residents/search", new { name = "者" }),
        ["GET /api/v1/residents/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/residents/{await c.ResidentId(o)}"),
        ["POST /api/v1/residents/"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/residents", ResidentBody((await c.ResidentUnit(o)).Id)),
        ["PUT /api/v1/residents/{id:guid}"] = async (c, o) =>
        {
            var id = await c.ResidentId(o);
            var full = await c.App.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().RevealAsync(id, "矩阵"));
            var unit = await c.ResidentUnit(o);
            return await c.Api.PutAsJsonAsync($"/api/v1/residents/{id}", ResidentBody(unit.Id, full.IdNumber));
        },
        ["POST /api/v1/residents/{id:guid}/reveal"] = async (c, o) => await c.Api.PostAsJsonAsync($"/api/v1/residents/{await c.ResidentId(o)}/reveal", new { purpose = "核对身份" }),
        ["GET /api/v1/residents/{id:guid}/history"] = async (c, o) => await c.Api.GetAsync($"/api/v1/residents/{await c.ResidentId(o)}/history"),
        ["POST /api/v1/residents/{id:guid}/transfers"] = async (c, o) =>
        {
            // A person kept by a third community (漠沙镇), asked for into the caller's unit (inside) or into 扬武镇 (outside).
            var keeper = await c.UnitByCode("530427102001");
            var id = await c.App.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().CreateAsync(ResidentBody(keeper.Id)));
            return await c.Api.PostAsJsonAsync($"/api/v1/residents/{id}/transfers", new { toOrgUnitId = (await c.ResidentUnit(o)).Id, reason = "已迁入本社区" });
        },
        ["POST /api/v1/residents/transfers"] = async (c, o) =>
        {
            var keeper = await c.UnitByCode("530427102001");
            var idNumber = Residents.Ids.Next();
            await c.App.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().CreateAsync(ResidentBody(keeper.Id, idNumber)));
            return await c.Api.PostAsJsonAsync("/api/v1/residents/transfers", new { idNumber, toOrgUnitId = (await c.ResidentUnit(o)).Id, reason = "已迁入本乡镇" });
        },
        ["GET /api/v1/residents/transfers"] = (c, _) => c.Api.GetAsync("/api/v1/residents/transfers"),
        ["GET /api/v1/residents/transfers/{id:guid}"] = async (c, o) =>
        {
            // Kept in the caller's unit (inside) or in 扬武镇 (outside), asked for by 漠沙镇.
            var id = await c.ResidentId(o);
            var to = await c.UnitByCode("530427102001");
            var t = await c.App.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().RequestTransferAsync(id, to.Id, "已搬迁"));
            return await c.Api.GetAsync($"/api/v1/residents/transfers/{t}");
        },
        ["POST /api/v1/residents/transfers/{id:guid}/decision"] = async (c, o) =>
        {
            var id = await c.ResidentId(o);
            var to = await c.UnitByCode("530427102001");
            var t = await c.App.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().RequestTransferAsync(id, to.Id, "已搬迁"));
            return await c.Api.PostAsJsonAsync($"/api/v1/residents/transfers/{t}/decision", new { accept = true });
        },
        ["GET /api/v1/visits/"] = (c, _) => c.Api.GetAsync("/api/v1/visits"),
        ["GET /api/v1/visits/{id:guid}"] = async (c, o) =>
        {
            var resident = await c.ResidentId(o);
            var visit = await c.App.AsAsync(null, sp => sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit
            {
                ResidentId = resident, VisitDate = new DateOnly(2026, 1, 5), Kind = VisitKind.Routine, Visitor = "矩阵网格员", Findings = "家中一切正常",
            }));
            return await c.Api.GetAsync($"/api/v1/visits/{visit}");
        },
        ["POST /api/v1/visits/"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/visits",
            new { residentId = await c.ResidentId(o), visitDate = "2026-01-05", kind = "Routine", visitor = "矩阵网格员", findings = "家中一切正常" }),
        ["PAGE /residents/import"] = (c, _) => c.Page("/residents/import"),
        ["GET /api/v1/residents/import/template"] = async (c, o) => await c.Api.GetAsync($"/api/v1/residents/import/template?orgUnitId={(await c.ResidentUnit(o)).Id}"),
        ["POST /api/v1/residents/import/"] = async (c, o) =>
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(Residents.ImportTests.Book(3, 0, seed: 40 + c.Role.Length)), "file", "居民.xlsx" } };
            return await c.Api.PostAsync($"/api/v1/residents/import?orgUnitId={(await c.ResidentUnit(o)).Id}", form);
        },
        ["GET /api/v1/residents/import/"] = (c, _) => c.Api.GetAsync("/api/v1/residents/import"),
        ["GET /api/v1/residents/import/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/residents/import/{await c.ImportId(o)}"),
        ["POST /api/v1/residents/import/{id:guid}/commit"] = async (c, o) => await c.Api.PostAsync($"/api/v1/residents/import/{await c.ImportId(o)}/commit", null),
        ["POST /api/v1/residents/import/{id:guid}/cancel"] = async (c, o) => await c.Api.PostAsync($"/api/v1/residents/import/{await c.ImportId(o)}/cancel", null),
        ["GET /api/v1/residents/import/{id:guid}/errors"] = async (c, o) => await c.Api.GetAsync($"/api/v1/residents/import/{await c.ImportId(o, bad: 1, ownUpload: true)}/errors"),
        // A household of nobody: an empty ledger stays under any threshold, so what answers is the role and the unit.
        ["POST /api/v1/residents/ledger"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/residents/ledger",
            new { orgUnitId = (await c.ResidentUnit(o)).Id, householdNo = "矩阵-无此户", purpose = "核对台账数据" }),
        ["PAGE /residents/exports"] = (c, _) => c.Page("/residents/exports"),
        ["POST /api/v1/residents/ledger/requests/"] = async (c, o) =>
        {
            await c.ResidentId(o);
            return await c.Api.PostAsJsonAsync("/api/v1/residents/ledger/requests", new { orgUnitId = (await c.ResidentUnit(o)).Id, purpose = "核对台账数据" });
        },
        ["GET /api/v1/residents/ledger/requests/"] = (c, _) => c.Api.GetAsync("/api/v1/residents/ledger/requests?status=Pending"),
        ["GET /api/v1/residents/ledger/requests/{id:guid}"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/residents/ledger/requests/{await c.ExportRequest(o, LedgerExportStatus.Pending)}"),
        ["POST /api/v1/residents/ledger/requests/{id:guid}/approve"] = async (c, o) =>
            await c.Api.PostAsJsonAsync($"/api/v1/residents/ledger/requests/{await c.ExportRequest(o, LedgerExportStatus.Pending)}/approve", new { version = 0 }),
        ["POST /api/v1/residents/ledger/requests/{id:guid}/refuse"] = async (c, o) =>
            await c.Api.PostAsJsonAsync($"/api/v1/residents/ledger/requests/{await c.ExportRequest(o, LedgerExportStatus.Pending)}/refuse",
                new { reason = "范围过大，请按社区分别申请", version = 0 }),
        // Only the requester downloads: inside, the caller's own approved request where its role may ask for one.
        ["POST /api/v1/residents/ledger/requests/{id:guid}/download"] = async (c, o) =>
            await c.Api.PostAsync($"/api/v1/residents/ledger/requests/{await c.ExportRequest(o, LedgerExportStatus.Approved, ownWhereAllowed: true)}/download", null),
        ["GET /api/v1/visits/coverage"] = (c, _) => c.Api.GetAsync("/api/v1/visits/coverage?days=90"),
        ["GET /api/v1/visits/period"] = async (c, o) => await c.Api.GetAsync($"/api/v1/visits/period?orgUnitId={(await c.Grid(o)).Id}&from=2026-01-01&to=2026-12-31"),
        ["GET /api/v1/visits/households"] = async (c, o) => await c.Api.GetAsync($"/api/v1/visits/households?orgUnitId={(await c.Grid(o)).Id}&from=2026-01-01"),
        ["PAGE /reports"] = (c, _) => c.Page("/reports"),
        ["POST /api/v1/reports/draft"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/reports/draft", new { orgUnitId = (await c.Unit(o)).Id }),
        ["PAGE /dashboard"] = (c, _) => c.Page("/dashboard"),
        ["GET /api/v1/dashboard/"] = async (c, o) => await c.Api.GetAsync($"/api/v1/dashboard?unit={(await c.Unit(o)).Id}"),
        ["POST /api/v1/dashboard/export"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/dashboard/export", new { unit = (await c.Unit(o)).Id }),
        ["PAGE /statistics/population"] = (c, _) => c.Page("/statistics/population"),
        ["GET /api/v1/statistics/population"] = async (c, o) => await c.Api.GetAsync($"/api/v1/statistics/population?orgUnitId={(await c.Unit(o)).Id}&days=90"),
        ["POST /api/v1/statistics/population/export"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/statistics/population/export", new { orgUnitId = (await c.Unit(o)).Id }),
        ["PAGE /grids"] = (c, _) => c.Page("/grids"),
        ["GET /api/v1/grids/"] = async (c, o) => await c.Api.GetAsync($"/api/v1/grids?orgUnitId={(await c.Unit(o)).Id}"),
        ["GET /api/v1/grids/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/grids/{(await c.Grid(o)).Id}"),
        ["PUT /api/v1/grids/{id:guid}"] = async (c, o) =>
        {
            var grid = (await c.Grid(o)).Id;
            var version = (await c.App.AsAsync(null, sp => sp.GetRequiredService<GridService>().GetAsync(grid))).InfoVersion;
            return await c.Api.PutAsJsonAsync($"/api/v1/grids/{grid}", new { bounds = "东至河边，西至山脚", version });
        },
        ["PUT /api/v1/grids/{id:guid}/members"] = async (c, o) => await c.Api.PutAsJsonAsync($"/api/v1/grids/{(await c.Grid(o)).Id}/members",
            new { members = new[] { new { name = "矩阵网格长", role = "Leader", phone = "13800002222" } } }),
        ["GET /api/v1/grids/{id:guid}/households"] = async (c, o) => await c.Api.GetAsync($"/api/v1/grids/{(await c.Grid(o)).Id}/households?page=1"),
        ["GET /api/v1/audit/"] = (c, _) => c.Api.GetAsync("/api/v1/audit"),
        ["PAGE /jobs"] = (c, _) => c.Page("/jobs"),
        ["PAGE /calendar"] = (c, _) => c.Page("/calendar"),
        ["GET /api/v1/calendar/"] = (c, _) => c.Api.GetAsync("/api/v1/calendar"),
        ["GET /api/v1/calendar/{year:int}"] = (c, _) => c.Api.GetAsync("/api/v1/calendar/2026"),
        // A year not yet entered (version 0), or entered by an earlier call.
        ["PUT /api/v1/calendar/{year:int}"] = async (c, _) => await c.Api.PutAsJsonAsync("/api/v1/calendar/2031", new
        {
            source = "矩阵测试", provisional = true, days = new[] { new { date = "2031-01-01", kind = "Off", name = "元旦" } },
            version = (await c.App.AsAsync(null, sp => sp.GetRequiredService<Shiliu.Core.Platform.Calendar.CalendarService>().YearAsync(2031))).Version,
        }),
        ["GET /api/v1/calendar/due"] = (c, _) => c.Api.GetAsync("/api/v1/calendar/due?from=2026-09-30&days=3"),
        ["PAGE /notifications"] = (c, _) => c.Page("/notifications"),
        ["PAGE /outbox"] = (c, _) => c.Page("/outbox"),
        ["GET /api/v1/me/todos"] = (c, _) => c.Api.GetAsync("/api/v1/me/todos"),
        ["GET /api/v1/notifications/"] = (c, _) => c.Api.GetAsync("/api/v1/notifications"),
        ["GET /api/v1/notifications/unread-count"] = (c, _) => c.Api.GetAsync("/api/v1/notifications/unread-count"),
        // Marks only the caller's own: another user's notification id changes nothing and tells nothing.
        ["POST /api/v1/notifications/{id:long}/read"] = (c, _) => c.Api.PostAsync("/api/v1/notifications/987654321/read", null),
        ["POST /api/v1/notifications/read-all"] = (c, _) => c.Api.PostAsync("/api/v1/notifications/read-all", null),
        ["GET /api/v1/outbox"] = (c, _) => c.Api.GetAsync("/api/v1/outbox"),
        ["GET /api/v1/jobs/"] = (c, _) => c.Api.GetAsync("/api/v1/jobs"),
        ["GET /api/v1/jobs/counts"] = (c, _) => c.Api.GetAsync("/api/v1/jobs/counts"),
        // No job with this id: roles that may retry learn it does not exist, the others are refused before that.
        ["POST /api/v1/jobs/{id:long}/retry"] = (c, _) => c.Api.PostAsync("/api/v1/jobs/987654321/retry", null),
        ["GET /api/v1/audit/verify"] = (c, _) => c.Api.GetAsync("/api/v1/audit/verify"),
        // 矛盾纠纷: reading uses a case with ethnic factors, so each role's cell is also its need-to-know (the leader's 404).
        ["PAGE /disputes"] = (c, _) => c.Page("/disputes"),
        ["PAGE /disputes/{Id:guid}"] = async (c, o) => await c.Page($"/disputes/{await c.EthnicCase(o)}"),
        ["PAGE /disputes/screening"] = (c, _) => c.Page("/disputes/screening"),
        ["PAGE /disputes/statistics"] = (c, _) => c.Page("/disputes/statistics"),
        ["GET /api/v1/disputes/"] = (c, _) => c.Api.GetAsync("/api/v1/disputes?open=true"),
        ["GET /api/v1/disputes/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/disputes/{await c.EthnicCase(o)}"),
        ["POST /api/v1/disputes/"] = async (c, o) => await c.Api.PostAsJsonAsync("/api/v1/disputes", new
        {
            orgUnitId = (await c.Community(o)).Id, title = "矩阵登记", summary = "邻里因排水沟争执", categoryCode = "D02", tier = "Simple", colour = "Yellow", ethnicFactors = true,
            parties = new[] { new { name = "矩阵甲", ethnicity = "彝族", role = "Applicant" } },
        }),
        ["PUT /api/v1/disputes/{id:guid}"] = async (c, o) => await c.Api.PutAsJsonAsync($"/api/v1/disputes/{await c.OwnCase(o)}", new
            { title = "矩阵改名", summary = "两户因灌溉用水争执", categoryCode = "D04", tier = "Complex", colour = "Blue", version = 0 }),
        ["POST /api/v1/disputes/{id:guid}/steps"] = async (c, o) =>
            await c.Api.PostAsJsonAsync($"/api/v1/disputes/{await c.OwnCase(o)}/steps", new { action = "accept", version = 0 }),
        ["POST /api/v1/disputes/{id:guid}/escalate"] = async (c, o) =>
            await c.Api.PostAsJsonAsync($"/api/v1/disputes/{await c.OwnCase(o)}/escalate", new { reason = "本级调解不成，请上级协调", version = 0 }),
        ["POST /api/v1/disputes/{id:guid}/mediations"] = async (c, o) => await c.Api.PostAsJsonAsync($"/api/v1/disputes/{await c.OwnCase(o, DisputeStatus.Accepted)}/mediations",
            new { date = DisputeMatrix.Today, mediator = "矩阵调解员", content = "召集双方面对面协商" }),
        ["POST /api/v1/disputes/{id:guid}/agreement"] = async (c, o) =>
        {
            var id = await c.OwnCase(o, DisputeStatus.Mediating);
            return await c.Api.PostAsJsonAsync($"/api/v1/disputes/{id}/agreement", new { evidenceId = await c.AgreementFile(id), outcome = "双方达成协议，轮流用水" });
        },
        ["POST /api/v1/disputes/{id:guid}/follow-ups"] = async (c, o) => await c.Api.PostAsJsonAsync($"/api/v1/disputes/{await c.OwnCase(o, DisputeStatus.Resolved)}/follow-ups",
            new { date = DisputeMatrix.Today, visitor = "矩阵回访人", agreementKept = true, notes = "协议已履行" }),
        ["POST /api/v1/disputes/{id:guid}/parties/{partyId:guid}/reveal"] = async (c, o) =>
        {
            var id = await c.EthnicCase(o);
            return await c.Api.PostAsJsonAsync($"/api/v1/disputes/{id}/parties/{await c.PartyOf(id)}/reveal", new { purpose = "通知当事人参加调解" });
        },
        ["POST /api/v1/disputes/ledger"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/disputes/ledger", new { open = true, purpose = "核对调解台账" }),
        ["POST /api/v1/disputes/{id:guid}/dossier"] = async (c, o) => await c.Api.PostAsync($"/api/v1/disputes/{await c.EthnicCase(o)}/dossier", null),
        ["GET /api/v1/disputes/categories"] = (c, _) => c.Api.GetAsync("/api/v1/disputes/categories"),
        ["GET /api/v1/disputes/statistics"] = (c, _) => c.Api.GetAsync("/api/v1/disputes/statistics?year=2026"),
        ["GET /api/v1/disputes/veto"] = (c, _) => c.Api.GetAsync("/api/v1/disputes/veto?from=2026-01-01&to=2026-12-31"),
        ["GET /api/v1/disputes/screenings/"] = (c, _) => c.Api.GetAsync("/api/v1/disputes/screenings"),
        ["POST /api/v1/disputes/screenings/"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/disputes/screenings",
            new { date = DisputeMatrix.Today, area = "矩阵网格", nil = true, screener = "矩阵排查人" }),
        ["POST /api/v1/disputes/screenings/report"] = async (c, _) =>
        {
            await c.ScreenedThisMonth();
            return await c.Api.PostAsJsonAsync("/api/v1/disputes/screenings/report", new { month = (int?)null });
        },
        ["GET /api/v1/disputes/screenings/status"] = (c, _) => c.Api.GetAsync("/api/v1/disputes/screenings/status"),
        ["PAGE /joint-meetings"] = (c, _) => c.Page("/joint-meetings"),
        ["PAGE /joint-meetings/{Id:guid}"] = async (c, _) => await c.Page($"/joint-meetings/{(await JointMeetingFixtures.MeetingAsync(c.App, JointMeetingFixtures.Guishan)).Meeting}"),
        ["PAGE /joint-meetings/new"] = (c, _) => c.Page("/joint-meetings/new"),
        ["PAGE /joint-meetings/{Id:guid}/edit"] = async (c, _) =>
            await c.Page($"/joint-meetings/{(await JointMeetingFixtures.MeetingAsync(c.App, JointMeetingFixtures.Convener(c.Role, false))).Meeting}/edit"),
        ["GET /api/v1/joint-meetings/departments"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/joint-meetings/departments?orgUnitId={(await c.UnitByCode(o ? JointMeetingFixtures.Yangwu : JointMeetingFixtures.Guishan)).Id}"),
        ["POST /api/v1/joint-meetings/departments"] = (c, _) =>
            c.Api.PostAsJsonAsync("/api/v1/joint-meetings/departments", new { name = "市场监管所", contactName = "周强", contactPost = "所长", workPhone = "0877-7011009", sortOrder = 1 }),
        ["PUT /api/v1/joint-meetings/departments/{id:guid}"] = async (c, o) =>
            await c.Api.PutAsJsonAsync($"/api/v1/joint-meetings/departments/{await JointMeetingFixtures.DepartmentAsync(c.App, JointMeetingFixtures.Convener(c.Role, o))}",
                new { name = "公安派出所（改）", contactName = "李明", workPhone = "0877-7011001", version = 0 }),
        ["GET /api/v1/joint-meetings/"] = (c, _) => c.Api.GetAsync("/api/v1/joint-meetings?year=2026&page=1"),
        ["GET /api/v1/joint-meetings/overview"] = (c, _) => c.Api.GetAsync("/api/v1/joint-meetings/overview?year=2026"),
        ["GET /api/v1/joint-meetings/cases"] = (c, _) => c.Api.GetAsync("/api/v1/joint-meetings/cases?text=纠纷"),
        ["GET /api/v1/joint-meetings/{id:guid}"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/joint-meetings/{(await JointMeetingFixtures.MeetingAsync(c.App, o ? JointMeetingFixtures.Yangwu : JointMeetingFixtures.Guishan)).Meeting}"),
        ["POST /api/v1/joint-meetings/"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/joint-meetings", JointMeetingFixtures.MeetingBody()),
        ["PUT /api/v1/joint-meetings/{id:guid}"] = async (c, o) =>
            await c.Api.PutAsJsonAsync($"/api/v1/joint-meetings/{(await JointMeetingFixtures.MeetingAsync(c.App, JointMeetingFixtures.Convener(c.Role, o))).Meeting}", JointMeetingFixtures.MeetingBody()),
        ["POST /api/v1/joint-meetings/{id:guid}/record"] = async (c, o) =>
            await c.Api.PostAsync($"/api/v1/joint-meetings/{(await JointMeetingFixtures.MeetingAsync(c.App, o ? JointMeetingFixtures.Yangwu : JointMeetingFixtures.Guishan)).Meeting}/record", null),
        ["POST /api/v1/joint-meetings/{id:guid}/task-ledger"] = async (c, o) =>
            await c.Api.PostAsync($"/api/v1/joint-meetings/{(await JointMeetingFixtures.MeetingAsync(c.App, o ? JointMeetingFixtures.Yangwu : JointMeetingFixtures.Guishan)).Meeting}/task-ledger", null),
        ["POST /api/v1/joint-meetings/{id:guid}/summary"] = async (c, o) =>
            await c.Api.PostAsync($"/api/v1/joint-meetings/{(await JointMeetingFixtures.MeetingAsync(c.App, o ? JointMeetingFixtures.Yangwu : JointMeetingFixtures.Guishan)).Meeting}/summary", null),
        ["POST /api/v1/joint-meetings/{id:guid}/tasks"] = async (c, o) =>
        {
            var (meeting, dept) = await JointMeetingFixtures.MeetingAsync(c.App, JointMeetingFixtures.Convener(c.Role, o));
            return await c.Api.PostAsJsonAsync($"/api/v1/joint-meetings/{meeting}/tasks", new { matter = "化解界址纠纷", leadDepartmentId = dept, coDepartmentIds = Array.Empty<Guid>(), dueWorkingDays = 5 });
        },
        ["GET /api/v1/joint-meetings/tasks"] = (c, _) => c.Api.GetAsync("/api/v1/joint-meetings/tasks?timing=Open&page=1"),
        ["GET /api/v1/joint-meetings/tasks/{id:guid}"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/joint-meetings/tasks/{(await JointMeetingFixtures.TaskAsync(c.App, o ? JointMeetingFixtures.Yangwu : JointMeetingFixtures.Guishan)).Id}"),
        ["POST /api/v1/joint-meetings/tasks/{id:guid}/progress"] = async (c, o) =>
        {
            var t = await JointMeetingFixtures.TaskAsync(c.App, JointMeetingFixtures.Convener(c.Role, o));
            return await c.Api.PostAsJsonAsync($"/api/v1/joint-meetings/tasks/{t.Id}/progress",
                new { date = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow)).ToString("yyyy-MM-dd"), departmentId = t.LeadDepartmentId, text = "已实地走访" });
        },
        ["POST /api/v1/joint-meetings/tasks/{id:guid}/close"] = async (c, o) =>
            await c.Api.PostAsJsonAsync($"/api/v1/joint-meetings/tasks/{(await JointMeetingFixtures.TaskAsync(c.App, JointMeetingFixtures.Convener(c.Role, o))).Id}/close",
                new { evidenceId = await c.EvidenceId(false), note = "已办结", version = 0 }),
        ["POST /api/v1/joint-meetings/tasks/{id:guid}/reopen"] = async (c, o) =>
            await c.Api.PostAsJsonAsync($"/api/v1/joint-meetings/tasks/{(await JointMeetingFixtures.TaskAsync(c.App, JointMeetingFixtures.Convener(c.Role, o), closed: true)).Id}/reopen",
                new { reason = "督查发现未办结", version = 0 }),
        // 服务群众: each request made by ServiceCases/ServiceCaseRecipes.cs (a case, type or guide entry inside or outside the scope).
        ["PAGE /service-cases"] = (c, _) => c.Page("/service-cases"),
        ["PAGE /service-cases/{Id:guid}"] = ServiceCases.ServiceCaseRecipes.CasePage,
        ["PAGE /service-types"] = (c, _) => c.Page("/service-types"),
        ["PAGE /service-guide"] = (c, _) => c.Page("/service-guide"),
        ["PAGE /public/guide"] = (c, _) => c.Page("/public/guide"),
        ["GET /api/v1/service-cases/"] = (c, _) => c.Api.GetAsync("/api/v1/service-cases?overdue=false&page=1"),
        ["GET /api/v1/service-cases/{id:guid}"] = ServiceCases.ServiceCaseRecipes.Get,
        ["POST /api/v1/service-cases/"] = ServiceCases.ServiceCaseRecipes.Create,
        ["POST /api/v1/service-cases/{id:guid}/steps/{action}"] = ServiceCases.ServiceCaseRecipes.Step,
        ["PUT /api/v1/service-cases/{id:guid}/activities"] = ServiceCases.ServiceCaseRecipes.Activities,
        ["POST /api/v1/service-cases/{id:guid}/reveal"] = ServiceCases.ServiceCaseRecipes.Reveal,
        ["GET /api/v1/service-cases/figures"] = ServiceCases.ServiceCaseRecipes.Figures,
        ["POST /api/v1/service-cases/ledger"] = ServiceCases.ServiceCaseRecipes.Ledger,
        ["GET /api/v1/service-types/"] = (c, _) => c.Api.GetAsync("/api/v1/service-types"),
        ["POST /api/v1/service-types/"] = ServiceCases.ServiceCaseRecipes.CreateType,
        ["PUT /api/v1/service-types/{id:guid}"] = ServiceCases.ServiceCaseRecipes.UpdateType,
        ["GET /api/v1/service-guide/"] = (c, _) => c.Api.GetAsync("/api/v1/service-guide"),
        ["POST /api/v1/service-guide/entries"] = ServiceCases.ServiceCaseRecipes.CreateEntry,
        ["PUT /api/v1/service-guide/entries/{id:guid}"] = ServiceCases.ServiceCaseRecipes.UpdateEntry,
        ["DELETE /api/v1/service-guide/entries/{id:guid}"] = ServiceCases.ServiceCaseRecipes.DeleteEntry,
        ["POST /api/v1/service-guide/windows"] = ServiceCases.ServiceCaseRecipes.CreateWindow,
        ["PUT /api/v1/service-guide/windows/{id:guid}"] = ServiceCases.ServiceCaseRecipes.UpdateWindow,
        ["DELETE /api/v1/service-guide/windows/{id:guid}"] = ServiceCases.ServiceCaseRecipes.DeleteWindow,
        ["PAGE /commendations"] = (c, _) => c.Page("/commendations"),
        ["PAGE /commendations/nominations/{Id:guid}"] = async (c, o) =>
            await c.Page($"/commendations/nominations/{(await Commendations.CommendationRecipes.NominationAsync(c, o, Shiliu.Core.Commendations.NominationStatus.Submitted)).Id}"),
        ["PAGE /commendations/roll"] = (c, _) => c.Page("/commendations/roll"),
        ["PAGE /public/commendations"] = (c, _) => c.Page("/public/commendations"),
        ["PAGE /public/commendations/roll"] = (c, _) => c.Page("/public/commendations/roll"),
        ["PAGE /appeals"] = (c, _) => c.Page("/appeals"),
        ["PAGE /public/appeal"] = (c, _) => c.Page("/public/appeal"),
        ["PAGE /public/appeal/lookup"] = (c, _) => c.Page("/public/appeal/lookup"),
        ["POST /public/display"] = async (c, _) =>
        {
            // As a resident's browser does: the page's form token, the switch, then back to the page.
            var page = await (await c.Browser.GetAsync("/public")).Content.ReadAsStringAsync();
            var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            var res = await c.Browser.PostAsync("/public/display", new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("toggle", "large"), new("return", "/public")]));
            return res.StatusCode == HttpStatusCode.Redirect ? await c.Browser.GetAsync(res.Headers.Location) : res;
        },
        ["GET /api/v1/commendations/calls"] = (c, _) => c.Api.GetAsync("/api/v1/commendations/calls"),
        ["GET /api/v1/commendations/calls/{id:guid}"] = async (c, _) => await c.Api.GetAsync($"/api/v1/commendations/calls/{await Commendations.CommendationRecipes.CallAsync(c)}"),
        ["POST /api/v1/commendations/calls"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/commendations/calls", new
            { title = "矩阵评选", deadline = "2030-12-31", publicityDays = 5, quotas = new[] { new { category = "Family", count = 2 } } }),
        ["GET /api/v1/commendations/calls/{id:guid}/nominations"] = async (c, _) => await c.Api.GetAsync($"/api/v1/commendations/calls/{await Commendations.CommendationRecipes.CallAsync(c)}/nominations"),
        ["POST /api/v1/commendations/calls/{id:guid}/publicity"] = async (c, _) =>
        {
            var n = await Commendations.CommendationRecipes.NominationAsync(c, false, Shiliu.Core.Commendations.NominationStatus.Approved);
            return await c.Api.PostAsJsonAsync($"/api/v1/commendations/calls/{n.Call}/publicity", new { version = await Commendations.CommendationRecipes.CallVersionAsync(c, n.Call) });
        },
        ["GET /api/v1/commendations/calls/{id:guid}/objections"] = async (c, _) => await c.Api.GetAsync($"/api/v1/commendations/calls/{await Commendations.CommendationRecipes.CallAsync(c)}/objections"),
        ["POST /api/v1/commendations/calls/{id:guid}/decision"] = async (c, _) =>
        {
            var n = await Commendations.CommendationRecipes.NominationAsync(c, false, Shiliu.Core.Commendations.NominationStatus.Publicity);
            return await c.Api.PostAsJsonAsync($"/api/v1/commendations/calls/{n.Call}/decision", new
                { decisionNo = "新民发〔2026〕5号", decisionDate = Commendations.CommendationRecipes.Today(c).ToString("yyyy-MM-dd"), version = await Commendations.CommendationRecipes.CallVersionAsync(c, n.Call) });
        },
        ["POST /api/v1/commendations/nominations"] = async (c, _) => await c.Api.PostAsJsonAsync("/api/v1/commendations/nominations", new
            { callId = await Commendations.CommendationRecipes.CallAsync(c), category = "Family", nomineeName = "矩阵家庭", summary = "热心公益", deeds = "<p>事迹</p>" }),
        ["GET /api/v1/commendations/nominations/{id:guid}"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/commendations/nominations/{(await Commendations.CommendationRecipes.NominationAsync(c, o, Shiliu.Core.Commendations.NominationStatus.Submitted)).Id}"),
        ["POST /api/v1/commendations/nominations/{id:guid}/submit"] = async (c, o) =>
        {
            var n = await Commendations.CommendationRecipes.NominationAsync(c, o, Shiliu.Core.Commendations.NominationStatus.Draft, own: true);
            return await c.Api.PostAsJsonAsync($"/api/v1/commendations/nominations/{n.Id}/submit", new { version = n.Version });
        },
        ["POST /api/v1/commendations/nominations/{id:guid}/review"] = async (c, o) =>
        {
            var n = await Commendations.CommendationRecipes.NominationAsync(c, o, Shiliu.Core.Commendations.NominationStatus.Submitted);
            return await c.Api.PostAsJsonAsync($"/api/v1/commendations/nominations/{n.Id}/review", new { approve = true, version = n.Version });
        },
        ["POST /api/v1/commendations/nominations/{id:guid}/decide"] = async (c, o) =>
        {
            var n = await Commendations.CommendationRecipes.NominationAsync(c, o, Shiliu.Core.Commendations.NominationStatus.TownshipApproved);
            return await c.Api.PostAsJsonAsync($"/api/v1/commendations/nominations/{n.Id}/decide", new
                { pass = true, votesFor = 7, votesAgainst = 1, votesAbstain = 1, meetingDate = "2026-01-05", version = n.Version });
        },
        ["POST /api/v1/commendations/nominations/{id:guid}/revoke"] = async (c, o) =>
        {
            var n = await Commendations.CommendationRecipes.NominationAsync(c, o, Shiliu.Core.Commendations.NominationStatus.Commended);
            return await c.Api.PostAsJsonAsync($"/api/v1/commendations/nominations/{n.Id}/revoke", new { reason = "弄虚作假", version = n.Version });
        },
        ["GET /api/v1/commendations/nominations/{id:guid}/certificate"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/commendations/nominations/{(await Commendations.CommendationRecipes.NominationAsync(c, o, Shiliu.Core.Commendations.NominationStatus.Commended)).Id}/certificate"),
        ["POST /api/v1/commendations/objections/{id:guid}/answer"] = async (c, _) =>
        {
            var (id, version) = await Commendations.CommendationRecipes.ObjectionAsync(c);
            return await c.Api.PostAsJsonAsync($"/api/v1/commendations/objections/{id}/answer", new { answer = "经核查，异议不成立。", outcome = "Unfounded", version });
        },
        ["GET /api/v1/commendations/roll"] = (c, _) => c.Api.GetAsync("/api/v1/commendations/roll?year=2026"),
        ["GET /api/v1/appeals/"] = (c, _) => c.Api.GetAsync("/api/v1/appeals?status=Pending&keyword=路灯"),
        ["GET /api/v1/appeals/topics"] = (c, _) => c.Api.GetAsync("/api/v1/appeals/topics"),
        ["GET /api/v1/appeals/statistics"] = (c, _) => c.Api.GetAsync("/api/v1/appeals/statistics?year=2026"),
        ["GET /api/v1/appeals/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/appeals/{(await Appeals.AppealRecipes.AppealAsync(c, o)).Id}"),
        ["POST /api/v1/appeals/"] = async (c, _) => await c.Api.PostAsJsonAsync("/api/v1/appeals",
            new { topic = "environment", text = "热线反映垃圾未清运", placeUnitId = (await c.Community(false)).Id, channel = "Hotline", phone = "13800138000" }),
        ["POST /api/v1/appeals/{id:guid}/steps"] = async (c, o) =>
        {
            var a = await Appeals.AppealRecipes.AppealAsync(c, o);
            return await c.Api.PostAsJsonAsync($"/api/v1/appeals/{a.Id}/steps", new { action = "accept", version = a.Version });
        },
        ["POST /api/v1/appeals/{id:guid}/transfer"] = async (c, o) =>
        {
            var a = await Appeals.AppealRecipes.AppealAsync(c, o);
            return await c.Api.PostAsJsonAsync($"/api/v1/appeals/{a.Id}/transfer", new { toUnitId = (await c.Community(!o)).Id, reason = "属对方辖区", version = a.Version });
        },
        ["POST /api/v1/appeals/{id:guid}/answer"] = async (c, o) =>
        {
            var a = await Appeals.AppealRecipes.AppealAsync(c, o, accepted: true);
            return await c.Api.PostAsJsonAsync($"/api/v1/appeals/{a.Id}/answer", new { answer = "路灯已于今天修好。", version = a.Version });
        },
        // No intake target is registered on this branch: the owner unit is told to pick a kind; others are refused first.
        ["POST /api/v1/appeals/{id:guid}/convert"] = async (c, o) =>
        {
            var a = await Appeals.AppealRecipes.AppealAsync(c, o, accepted: true);
            return await c.Api.PostAsJsonAsync($"/api/v1/appeals/{a.Id}/convert", new { kind = "service-case", version = a.Version });
        },
        ["POST /api/v1/appeals/{id:guid}/reveal"] = async (c, o) =>
            await c.Api.PostAsJsonAsync($"/api/v1/appeals/{(await Appeals.AppealRecipes.AppealAsync(c, o)).Id}/reveal", new { purpose = "电话回访核实" }),
        ["GET /api/v1/appeals/{id:guid}/photos/{photoId:guid}"] = async (c, o) =>
        {
            var a = await Appeals.AppealRecipes.AppealAsync(c, o, photo: true);
            return await c.Api.GetAsync($"/api/v1/appeals/{a.Id}/photos/{a.PhotoId}");
        },
        ["POST /api/v1/appeals/export"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/appeals/export", new { status = "Pending" }),
    }, Assessment.AssessmentRecipes.All, Questionnaires.QuestionnaireRecipes.All, Public.NewsRecipes.All, Screens.ScreenRecipes.All);

    /// <summary>Recipes a module keeps beside its own tests, joined to the list.</summary>
    static Dictionary<string, Recipe> Merge(Dictionary<string, Recipe> recipes, params Dictionary<string, Recipe>[] more)
    {
        foreach (var (key, recipe) in more.SelectMany(m => m)) recipes.Add(key, recipe);
        return recipes;
    }

    static SkiaSharp.SKColor RandomColour() => new((byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256));

    static SaveResident ResidentBody(Guid unit, string? id = null) => new()
    {
        OrgUnitId = unit, Name = "矩阵居民", EthnicityCode = "07", IdNumber = id ?? Residents.Ids.Next(), ResidenceType = ResidenceType.Permanent, Phone = "13800001234",
    };

    static object ActivityBody(Guid unit) => new
    {
        orgUnitId = unit, typeCode = "A03", title = "火把节联欢", date = "2019-07-26", place = "社区广场", organiser = "城中社区", participantsTotal = 120,
        participants = new[] { new { ethnicityCode = "07", count = 60 } }, criteria = new[] { 5 }, version = 0,
    };

    internal sealed class Context
    {
        public required ShiliuApp App { get; init; }
        public required string Role { get; init; }
        public required HttpClient Api { get; init; }
        public required HttpClient Browser { get; init; }
        public Guid SpareTokenId { get; init; }
        public Guid ForeignTokenId { get; init; }

        public static async Task<Context> CreateAsync(ShiliuApp app, string role)
        {
            // A system administrator that has passed its first-sign-in steps, and TOTP for the three admins.
            await app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("sysadmin", "矩阵系统管理员",
                await app.UnitAsync("530427000000"), Db.DemoPassword, Roles.SystemAdmin, mustChange: false, demo: true));
            var secret = Totp.NewSecret();
            foreach (var admin in new[] { "sysadmin", "security", "auditor" }) await app.EnrollTotpAsync(admin, secret);
            var townIn = await app.UnitAsync("530427001000");
            var townOut = await app.UnitAsync("530427101000");
            await app.AsAsync(null, async sp =>
            {
                var orgs = sp.GetRequiredService<OrganizationService>();
                await orgs.CreateAsync(new CreateOrgUnit { ParentId = townIn.Id, Name = "待删除（内）", Code = "DEL-IN" });
                await orgs.CreateAsync(new CreateOrgUnit { ParentId = townOut.Id, Name = "待删除（外）", Code = "DEL-OUT" });
            });
            var foreign = await app.AsAsync(role == Roles.Leader ? "county" : "leader", sp => sp.GetRequiredService<TokenService>()
                .CreateAsync(new CreateToken { Name = "他人", Password = Db.DemoPassword }));
            if (role == "Anonymous")
                return new Context { App = app, Role = role, Api = app.ApiClient(null), Browser = app.BrowserClient(), ForeignTokenId = foreign.Id, SpareTokenId = foreign.Id };
            var user = UserOf[role];
            var browser = await ShiliuApp.WithAntiforgeryAsync(await app.SignedInClientAsync(user, Db.DemoPassword, secret));
            // The three admins have no tokens (they sign in with TOTP): their API calls go with the signed-in cookie.
            if (Roles.Admin.Contains(role))
                return new Context { App = app, Role = role, Api = browser, Browser = browser, SpareTokenId = Guid.NewGuid(), ForeignTokenId = foreign.Id };
            var token = await app.TokenForAsync(user);
            var spare = await app.AsAsync(user, sp => sp.GetRequiredService<TokenService>().CreateAsync(new CreateToken { Name = "备用", Password = Db.DemoPassword }));
            return new Context { App = app, Role = role, Api = app.ApiClient(token), Browser = browser, SpareTokenId = spare.Id, ForeignTokenId = foreign.Id };
        }

        /// <summary>Inside: a community of the caller's township (the caller's own grid for a grid worker). Outside: one of 扬武镇.</summary>
        public Task<OrgUnit> Unit(bool outside) =>
            UnitByCode(outside ? "530427101001" : Role == Roles.GridWorker ? "530427001001-G01" : "530427001001");

        public Task<OrgUnit> Parent(bool outside) => UnitByCode(outside ? "530427101000" : Role == Roles.TownshipOfficer ? "530427001000" : "530427000000");

        public async Task<OrgUnit> UnitByCode(string code)
        {
            await using var db = await App.SystemDbAsync();
            return await db.OrgUnits.AsNoTracking().SingleAsync(o => o.Code == code);
        }

        public async Task<Guid> UserId(string userName)
        {
            await using var db = await App.SystemDbAsync();
            return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        }

        /// <summary>Item 8 (民族文化墙) of a participating community, put into the given state by the system first.</summary>
        public async Task<Deliverable> Deliverable(bool outside, DeliverableStatus status)
        {
            var unit = await Community(outside);
            await using var db = await App.SystemDbAsync();
            var d = await db.Deliverables.SingleAsync(x => x.OrgUnitId == unit.Id && x.ItemNo == 8);
            d.Status = status;
            d.Evidence = "系统预置";
            await db.SaveChangesAsync();
            return d;
        }

        /// <summary>Whose draft to act on: the caller's own when it may write briefs, else any (the role is refused first).</summary>
        public string Writer(bool outside) =>
            outside ? "community2" : Role is Roles.CountyOfficer or Roles.TownshipOfficer or Roles.CommunityStaff ? UserOf[Role] : "community";

        /// <summary>A fresh brief of the user's unit, brought to the given state through the real service.</summary>
        public async Task<ReportDetail> Report(string user, ReportStatus status)
        {
            var id = await App.AsAsync(user, sp => sp.GetRequiredService<WorkReportService>().SaveAsync(null, new SaveReport { Title = "民族团结进步宣传月", Body = "<p>开展宣传活动</p>" }));
            if (status >= ReportStatus.Reported) await App.AsAsync(user, sp => sp.GetRequiredService<WorkReportService>().ReportAsync(id, 0));
            if (status == ReportStatus.Adopted) await App.AsAsync("county", async sp =>
                await sp.GetRequiredService<WorkReportService>().ReviewAsync(id, true, null, (await sp.GetRequiredService<WorkReportService>().GetAsync(id)).Version));
            return await App.AsAsync(null, sp => sp.GetRequiredService<WorkReportService>().GetAsync(id));
        }

        /// <summary>The current (open) campaign.</summary>
        public async Task<Guid> CampaignId()
        {
            await using var db = await App.SystemDbAsync();
            return await db.Campaigns.Where(x => x.ClosedUtc == null).Select(x => x.Id).SingleAsync();
        }

        /// <summary>Takes back campaigns a recipe created, so every later row works on the seeded campaign, open again.</summary>
        public async Task UndoNewCampaigns()
        {
            await using var db = await App.SystemDbAsync();
            var made = await db.Campaigns.Where(x => x.DocNumber != "新民发〔2019〕2号").ToListAsync();
            if (made.Count == 0) return;
            db.Campaigns.RemoveRange(made);
            foreach (var c in await db.Campaigns.Where(x => x.ClosedUtc != null).ToListAsync()) c.ClosedUtc = null;
            await db.SaveChangesAsync();
        }

        /// <summary>A unit's plan under the current campaign, put into the given state by the system, with a signed original in its archive.</summary>
        public async Task<UnitPlan> UnitPlan(OrgUnit unit, UnitPlanStatus status)
        {
            var campaign = await CampaignId();
            var doc = await App.AsAsync(null, async sp => (await sp.GetRequiredService<EvidenceService>().UploadAsync(
                new EvidenceMeta { OrgUnitId = unit.Id, Year = 2019, Title = "方案原件" }, "方案原件.jpg", new MemoryStream(Evidence.TestFiles.Jpeg(30, 20, RandomColour())))).Id);
            await using var db = await App.SystemDbAsync();
            var plan = await db.UnitPlans.SingleOrDefaultAsync(p => p.CampaignId == campaign && p.OrgUnitId == unit.Id);
            if (plan is null)
            {
                plan = new UnitPlan { CampaignId = campaign, OrgUnitId = unit.Id, OrgPath = unit.Path, Title = "系统预置方案", Body = "<p>系统预置</p>", CreatedUtc = db.UtcNow };
                db.UnitPlans.Add(plan);
            }
            plan.Status = status;
            plan.DocumentEvidenceId = doc;
            await db.SaveChangesAsync();
            return plan;
        }

        public async Task<Guid> FirstTaskId()
        {
            var detail = await App.AsAsync(null, async sp => await sp.GetRequiredService<CampaignService>().GetAsync(await CampaignId()));
            return detail.Phases[0].Tasks[0].Id;
        }

        /// <summary>A participating community: 城中社区 of 桂山街道 inside, 扬武镇's first outside.</summary>
        public Task<OrgUnit> Community(bool outside) => UnitByCode(outside ? "530427101001" : "530427001001");

        /// <summary>The newest published version, or a draft (made by the system from it when there is none).</summary>
        public async Task<Guid> FrameworkId(bool draft)
        {
            await using var db = await App.SystemDbAsync();
            var status = draft ? FrameworkStatus.Draft : FrameworkStatus.Published;
            var id = await db.IndicatorFrameworks.Where(f => f.Status == status).OrderByDescending(f => f.VersionNo).Select(f => (Guid?)f.Id).FirstOrDefaultAsync();
            if (id is not null || !draft) return id ?? throw new InvalidOperationException("no published framework");
            return await App.AsAsync(null, async sp => await sp.GetRequiredService<IndicatorService>().CreateDraftAsync(await FrameworkId(draft: false)));
        }

        /// <summary>A fresh photo in a community's archive (fresh content, so the duplicate check never interferes).</summary>
        public async Task<Guid> EvidenceId(bool outside)
        {
            var unit = await Community(outside);
            var r = await App.AsAsync(null, sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
                new EvidenceMeta { OrgUnitId = unit.Id, Year = 2019 }, "预置照片.jpg", new MemoryStream(Evidence.TestFiles.Jpeg(30, 20, RandomColour()))));
            return r.Id;
        }

        /// <summary>A dossier of a community, built for real by the system.</summary>
        public async Task<Guid> DossierId(bool outside)
        {
            var unit = await Community(outside);
            await EvidenceId(outside);
            var job = new DossierJob { OrgUnitId = unit.Id, OrgPath = unit.Path, UnitName = unit.Name, RequestedBy = "system", RequesterPath = unit.Path };
            await using (var db = await App.SystemDbAsync())
            {
                db.DossierJobs.Add(job);
                await db.SaveChangesAsync();
            }
            await App.AsAsync(null, sp => sp.GetRequiredService<DossierService>().BuildAsync(job.Id, CancellationToken.None));
            return job.Id;
        }

        /// <summary>Inside: the first grid of 城中社区 (a grid worker's own, and within every wider scope). Outside: 扬武镇's first community.</summary>
        public Task<OrgUnit> ResidentUnit(bool outside) => UnitByCode(outside ? "530427101001" : "530427001001-G01");

        /// <summary>Inside: the first grid of 城中社区 (a grid worker's own). Outside: the first grid of 扬武镇's first community.</summary>
        public Task<OrgUnit> Grid(bool outside) => UnitByCode(outside ? "530427101001-G01" : "530427001001-G01");

        public async Task<Guid> ResidentId(bool outside)
        {
            var unit = await ResidentUnit(outside);
            return await App.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().CreateAsync(ResidentBody(unit.Id)));
        }

        /// <summary>
        /// A ledger export request put into the given state by the system. Inside: asked by the grid worker (or by the caller
        /// itself, <paramref name="ownWhereAllowed"/>, where its role may ask) for the first grid of 城中社区. Outside: asked
        /// by 扬武镇's community staff for their community.
        /// </summary>
        public async Task<Guid> ExportRequest(bool outside, LedgerExportStatus status, bool ownWhereAllowed = false)
        {
            var unit = await ResidentUnit(outside);
            var requester = outside ? "community2"
                : ownWhereAllowed && UserOf.TryGetValue(Role, out var own) && Permissions.Allows(ResidentPermissions.View, [Role]) ? own : "grid";
            await using var db = await App.SystemDbAsync();
            var user = await db.Users.Where(u => u.UserName == requester).Select(u => new { u.Id, u.OrgPath }).SingleAsync();
            var now = DateTime.UtcNow;
            var request = new LedgerExportRequest
            {
                OrgPath = user.OrgPath, OrgUnitId = unit.Id, UnitName = unit.Name, Selection = $"{unit.Name} · 在册", Purpose = "矩阵核对数据",
                Filter = System.Text.Json.JsonSerializer.Serialize(new ResidentQuery { OrgUnitId = unit.Id }),
                Count = await db.Residents.CountAsync(r => r.OrgPath.StartsWith(unit.Path)), RequestedBy = requester, RequestedById = user.Id.ToString(),
                RequestedUtc = now, Status = status,
            };
            if (status == LedgerExportStatus.Approved) (request.DecidedBy, request.DecidedUtc, request.ExpiresUtc) = ("leader", now, now.AddDays(7));
            db.LedgerExportRequests.Add(request);
            await db.SaveChangesAsync();
            return request.Id;
        }

        /// <summary>An import checked by the system and waiting for its commit (each call a fresh one with new people).</summary>
        /// <param name="ownUpload">Uploaded by the caller itself where it may import (the error sheet goes back only to its uploader).</param>
        public async Task<Guid> ImportId(bool outside, int bad = 0, bool ownUpload = false)
        {
            var unit = await ResidentUnit(outside);
            var user = ownUpload && !outside && UserOf.TryGetValue(Role, out var u) && Permissions.Allows(ResidentPermissions.Manage, [Role]) ? u : null;
            var id = await Residents.ImportTests.StartAsync(App, user, unit.Id, Residents.ImportTests.Book(4, bad, seed: Random.Shared.Next(100, 100_000)));
            await Residents.ImportTests.WaitAsync(App, user, id, ImportStatus.Previewed);
            return id;
        }

        public async Task<Guid> ActivityId(bool outside)
        {
            var unit = await Community(outside);
            return await App.AsAsync(null, sp => sp.GetRequiredService<ActivityService>().SaveAsync(null, new SaveActivity
            {
                OrgUnitId = unit.Id, TypeCode = "A01", Title = "政策宣讲", Date = new DateOnly(2019, 5, 1), Place = "会议室", Organiser = unit.Name, ParticipantsTotal = 30,
            }));
        }

        public Task<HttpResponseMessage> Page(string path) => Browser.GetAsync(path);

        public async Task<string> SendAsync(string endpoint, bool outside)
        {
            using var res = await Recipes[endpoint](this, outside);
            if (res.StatusCode == HttpStatusCode.Redirect)
            {
                var to = res.Headers.Location!.OriginalString;
                return to.Contains("/account/login") ? "401" : to.Contains("/account/denied") ? "403" : $"302→{to}";
            }
            return ((int)res.StatusCode).ToString();
        }
    }
}
