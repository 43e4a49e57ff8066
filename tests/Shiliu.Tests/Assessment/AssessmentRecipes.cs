using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Assessment;
using Shiliu.Core.Data;
using Shiliu.Tests.Authorization;
using Ctx = Shiliu.Tests.Authorization.AuthorizationMatrixTests.Context;

namespace Shiliu.Tests.Assessment;

/// <summary>State for the access matrix's assessment rows: rounds over 城中社区 (inside) and 中心村 (outside) at a given stage, and sheets.</summary>
static class AssessmentRecipes
{
    public static async Task<(Guid Id, int Version)> RoundAsync(Ctx c, RoundStage stage, bool assessorOnInsideOnly = false)
    {
        var (inside, outside) = (await c.UnitByCode(AssessmentFixtures.Chengzhong), await c.UnitByCode(AssessmentFixtures.Zhongxin));
        var a = c.App;
        var id = await a.AsAsync(null, sp => AssessmentFixtures.A(sp).CreateAsync(AssessmentFixtures.Round($"矩阵考评{Guid.NewGuid():N}", [inside.Id, outside.Id])));
        async Task<int> V() => await a.AsAsync(null, async sp => (await AssessmentFixtures.A(sp).GetAsync(id)).Version);
        if (stage >= RoundStage.SelfCheck)
        {
            await a.AsAsync(null, async sp => await AssessmentFixtures.A(sp).OpenAsync(id, await V()));
            await a.AsAsync(null, async sp => await AssessmentFixtures.A(sp).SavePairsAsync(id,
                [new() { ScorerUnitId = inside.Id, ScoredUnitId = outside.Id }, new() { ScorerUnitId = outside.Id, ScoredUnitId = inside.Id }], await V()));
        }
        if (stage >= RoundStage.Mutual) await a.AsAsync(null, async sp => await AssessmentFixtures.A(sp).AdvanceAsync(id, await V()));
        if (stage >= RoundStage.Supervision)
        {
            await AssignAsync(c, id, inside, outside);
            await a.AsAsync(null, async sp => await AssessmentFixtures.A(sp).AdvanceAsync(id, await V()));
        }
        // Every unit needs an assessor to reach 调研督查; the assessor keeps 城中社区 only where asked.
        if (assessorOnInsideOnly) await AssignAsync(c, id, inside);
        if (stage >= RoundStage.Published) await a.AsAsync(null, async sp => await AssessmentFixtures.A(sp).AdvanceAsync(id, await V()));
        return (id, await V());
    }

    /// <summary>
    /// The demo assessor on the units, written directly: the password-expiry suite replays these recipes 91 days on, when the
    /// service would rightly refuse an account that dormancy has disabled.
    /// </summary>
    static async Task AssignAsync(Ctx c, Guid round, params Shiliu.Core.Organizations.OrgUnit[] units)
    {
        await using var db = await c.App.SystemDbAsync();
        var user = await db.Users.Where(u => u.UserName == "assessor").Select(u => new { u.Id, u.DisplayName }).SingleAsync();
        await db.AssessmentAssessors.Where(x => x.RoundId == round).ExecuteDeleteAsync();
        db.AssessmentAssessors.AddRange(units.Select(u => new AssessorAssignment
        {
            RoundId = round, UserId = user.Id.ToString(), UserName = "assessor", DisplayName = user.DisplayName, OrgUnitId = u.Id, UnitName = u.Name,
        }));
        await db.SaveChangesAsync();
    }

    /// <summary>The self-check sheet of 城中社区 (inside) or 中心村 (outside), written by the unit; filled in full, and submitted if asked.</summary>
    public static async Task<(Guid Id, int Version, SaveSheet Full)> SheetAsync(Ctx c, bool outside, bool filled = false, bool submitted = false)
    {
        var (round, _) = await RoundAsync(c, RoundStage.SelfCheck);
        var user = outside ? "community2" : "community";
        var unit = await c.UnitByCode(outside ? AssessmentFixtures.Zhongxin : AssessmentFixtures.Chengzhong);
        var id = await c.App.AsAsync(user, sp => AssessmentFixtures.A(sp).OpenSheetAsync(round, AssessMode.Self, unit.Id));
        var view = await c.App.AsAsync(user, sp => AssessmentFixtures.A(sp).GetSheetAsync(id));
        if (filled || submitted)
        {
            await c.App.AsAsync(user, sp => AssessmentFixtures.A(sp).SaveSheetAsync(id, AssessmentFixtures.Scores(view)));
            view = await c.App.AsAsync(user, sp => AssessmentFixtures.A(sp).GetSheetAsync(id));
        }
        if (submitted)
        {
            await c.App.AsAsync(user, sp => AssessmentFixtures.A(sp).SubmitSheetAsync(id, view.Version));
            view = await c.App.AsAsync(user, sp => AssessmentFixtures.A(sp).GetSheetAsync(id));
        }
        return (id, view.Version, AssessmentFixtures.Scores(view));
    }

    public static async Task<int> UnitVersionAsync(Ctx c, Guid round, Guid unit)
    {
        await using var db = await c.App.SystemDbAsync();
        return await db.AssessmentUnits.Where(u => u.RoundId == round && u.OrgUnitId == unit).Select(u => u.Version).SingleAsync();
    }

    public static readonly Dictionary<string, AuthorizationMatrixTests.Recipe> All = new()
    {
        ["PAGE /assessment"] = (c, _) => c.Page("/assessment"),
        ["PAGE /assessment/rounds/new"] = (c, _) => c.Page("/assessment/rounds/new"),
        ["PAGE /assessment/rounds/{Id:guid}"] = async (c, _) => await c.Page($"/assessment/rounds/{(await RoundAsync(c, RoundStage.SelfCheck)).Id}"),
        ["PAGE /assessment/rounds/{Id:guid}/results"] = async (c, _) => await c.Page($"/assessment/rounds/{(await RoundAsync(c, RoundStage.SelfCheck)).Id}/results"),
        ["PAGE /assessment/sheets/{Id:guid}"] = async (c, o) => await c.Page($"/assessment/sheets/{(await SheetAsync(c, o)).Id}"),
        ["PAGE /assessment/rounds/{Id:guid}/edit"] = async (c, _) => await c.Page($"/assessment/rounds/{(await RoundAsync(c, RoundStage.Draft)).Id}/edit"),
        ["PUT /api/v1/assessment-rounds/{id:guid}"] = async (c, _) =>
        {
            var (id, v) = await RoundAsync(c, RoundStage.Draft);
            var req = AssessmentFixtures.Round($"矩阵修改{Guid.NewGuid():N}", [(await c.UnitByCode(AssessmentFixtures.Chengzhong)).Id, (await c.UnitByCode(AssessmentFixtures.Zhongxin)).Id]);
            req.Version = v;
            return await c.Api.PutAsJsonAsync($"/api/v1/assessment-rounds/{id}", req);
        },
        ["POST /api/v1/assessment-rounds/{id:guid}/units/{unitId:guid}/veto/clear"] = async (c, _) =>
        {
            var (id, _) = await RoundAsync(c, RoundStage.Supervision);
            var unit = (await c.UnitByCode(AssessmentFixtures.Chengzhong)).Id;
            await c.App.AsAsync(null, async sp => await AssessmentFixtures.A(sp).SetVetoAsync(id, unit,
                new SaveVeto { Reason = "发生涉及民族因素的群体性事件", Reference = "县委办通报〔2026〕1号", Version = await UnitVersionAsync(c, id, unit) }));
            return await c.Api.PostAsJsonAsync($"/api/v1/assessment-rounds/{id}/units/{unit}/veto/clear",
                new { reason = "经核实不涉及民族因素", version = await UnitVersionAsync(c, id, unit) });
        },
        ["GET /api/v1/assessment-rounds/"] = (c, _) => c.Api.GetAsync("/api/v1/assessment-rounds"),
        ["GET /api/v1/assessment-rounds/{id:guid}"] = async (c, _) => await c.Api.GetAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.SelfCheck)).Id}"),
        ["POST /api/v1/assessment-rounds/"] = async (c, _) => await c.Api.PostAsJsonAsync("/api/v1/assessment-rounds",
            AssessmentFixtures.Round($"矩阵新建{Guid.NewGuid():N}", [(await c.UnitByCode(AssessmentFixtures.Chengzhong)).Id, (await c.UnitByCode(AssessmentFixtures.Zhongxin)).Id])),
        ["POST /api/v1/assessment-rounds/{id:guid}/open"] = async (c, _) =>
        {
            var (id, v) = await RoundAsync(c, RoundStage.Draft);
            return await c.Api.PostAsJsonAsync($"/api/v1/assessment-rounds/{id}/open", new { version = v });
        },
        ["POST /api/v1/assessment-rounds/{id:guid}/advance"] = async (c, _) =>
        {
            var (id, v) = await RoundAsync(c, RoundStage.SelfCheck);
            return await c.Api.PostAsJsonAsync($"/api/v1/assessment-rounds/{id}/advance", new { version = v });
        },
        ["GET /api/v1/assessment-rounds/{id:guid}/pairs"] = async (c, _) => await c.Api.GetAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.SelfCheck)).Id}/pairs"),
        ["POST /api/v1/assessment-rounds/{id:guid}/pairs/draw"] = async (c, _) =>
        {
            var (id, v) = await RoundAsync(c, RoundStage.SelfCheck);
            return await c.Api.PostAsJsonAsync($"/api/v1/assessment-rounds/{id}/pairs/draw", new { seed = 7, version = v });
        },
        ["PUT /api/v1/assessment-rounds/{id:guid}/pairs"] = async (c, _) =>
        {
            var (id, v) = await RoundAsync(c, RoundStage.SelfCheck);
            var (a, b) = ((await c.UnitByCode(AssessmentFixtures.Chengzhong)).Id, (await c.UnitByCode(AssessmentFixtures.Zhongxin)).Id);
            return await c.Api.PutAsJsonAsync($"/api/v1/assessment-rounds/{id}/pairs",
                new { pairs = new[] { new { scorerUnitId = a, scoredUnitId = b }, new { scorerUnitId = b, scoredUnitId = a } }, version = v });
        },
        ["GET /api/v1/assessment-rounds/{id:guid}/assessors"] = async (c, _) =>
            await c.Api.GetAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.Supervision)).Id}/assessors"),
        ["PUT /api/v1/assessment-rounds/{id:guid}/assessors/{userName}"] = async (c, _) =>
            await c.Api.PutAsJsonAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.Mutual)).Id}/assessors/assessor",
                new { unitIds = new[] { (await c.UnitByCode(AssessmentFixtures.Chengzhong)).Id } }),
        ["PUT /api/v1/assessment-rounds/{id:guid}/units/{unitId:guid}/veto"] = async (c, _) =>
        {
            var (id, _) = await RoundAsync(c, RoundStage.Supervision);
            var unit = (await c.UnitByCode(AssessmentFixtures.Chengzhong)).Id;
            return await c.Api.PutAsJsonAsync($"/api/v1/assessment-rounds/{id}/units/{unit}/veto",
                new { reason = "发生涉及民族因素的群体性事件", reference = "县委办通报〔2026〕1号", version = await UnitVersionAsync(c, id, unit) });
        },
        ["GET /api/v1/assessment-rounds/{id:guid}/results"] = async (c, _) => await c.Api.GetAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.Published)).Id}/results"),
        ["GET /api/v1/assessment-rounds/{id:guid}/units/{unitId:guid}/result"] = async (c, o) =>
            await c.Api.GetAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.Published, assessorOnInsideOnly: true)).Id}/units/{(await c.Unit(o)).Id}/result"),
        ["POST /api/v1/assessment-rounds/{id:guid}/exports/ranking"] = async (c, _) =>
            await c.Api.PostAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.Published)).Id}/exports/ranking", null),
        ["POST /api/v1/assessment-rounds/{id:guid}/exports/units/{unitId:guid}"] = async (c, o) =>
            await c.Api.PostAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.Published, assessorOnInsideOnly: true)).Id}/exports/units/{(await c.Unit(o)).Id}", null),
        ["POST /api/v1/assessment-rounds/{id:guid}/exports/recommendation"] = async (c, _) =>
            await c.Api.PostAsync($"/api/v1/assessment-rounds/{(await RoundAsync(c, RoundStage.Published)).Id}/exports/recommendation", null),
        ["GET /api/v1/assessment-sheets/mine"] = (c, _) => c.Api.GetAsync("/api/v1/assessment-sheets/mine"),
        ["POST /api/v1/assessment-sheets/"] = async (c, o) =>
        {
            var unit = (await c.UnitByCode(o ? AssessmentFixtures.Zhongxin : AssessmentFixtures.Chengzhong)).Id;
            // The assessor scores in 调研督查 (assigned 城中社区 only); units fill their own 自检自查.
            var supervision = c.Role == Shiliu.Core.Common.Roles.Assessor;
            var (id, _) = await RoundAsync(c, supervision ? RoundStage.Supervision : RoundStage.SelfCheck, assessorOnInsideOnly: supervision);
            return await c.Api.PostAsJsonAsync("/api/v1/assessment-sheets", new { roundId = id, mode = supervision ? "Supervision" : "Self", scoredUnitId = unit });
        },
        ["GET /api/v1/assessment-sheets/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/assessment-sheets/{(await SheetAsync(c, o)).Id}"),
        ["PUT /api/v1/assessment-sheets/{id:guid}"] = async (c, o) =>
        {
            var (id, _, full) = await SheetAsync(c, o);
            return await c.Api.PutAsJsonAsync($"/api/v1/assessment-sheets/{id}", full);
        },
        ["POST /api/v1/assessment-sheets/{id:guid}/submit"] = async (c, o) =>
        {
            var (id, v, _) = await SheetAsync(c, o, filled: true);
            return await c.Api.PostAsJsonAsync($"/api/v1/assessment-sheets/{id}/submit", new { version = v });
        },
        ["POST /api/v1/assessment-sheets/{id:guid}/reopen"] = async (c, o) =>
        {
            var (id, v, _) = await SheetAsync(c, o, submitted: true);
            return await c.Api.PostAsJsonAsync($"/api/v1/assessment-sheets/{id}/reopen", new { reason = "扣分原因不具体", version = v });
        },
        ["GET /api/v1/assessment-sheets/{id:guid}/holdings"] = async (c, o) => await c.Api.GetAsync($"/api/v1/assessment-sheets/{(await SheetAsync(c, o)).Id}/holdings"),
    };
}
