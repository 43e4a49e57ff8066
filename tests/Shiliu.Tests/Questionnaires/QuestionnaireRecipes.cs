using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Questionnaires;
using Shiliu.Tests.Authorization;

namespace Shiliu.Tests.Questionnaires;

/// <summary>
/// Requests for the access matrix. Inside: a questionnaire of 桂山街道 published for 城中社区; outside: one of 扬武镇 for its
/// first community (the county sees both).
/// </summary>
static class QuestionnaireRecipes
{
    static async Task<(Guid Questionnaire, Guid Publication, string Slug, int Version, int PublicationVersion)> FixtureAsync(AuthorizationMatrixTests.Context c, bool outside)
    {
        var town = await c.UnitByCode(outside ? "530427101000" : "530427001000");
        var place = await c.Community(outside);
        var t = QuestionnaireTemplate.Satisfaction();
        await using var db = await c.App.SystemDbAsync();
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        var q = new Questionnaire { OrgUnitId = town.Id, OrgPath = town.Path, Title = "矩阵问卷", FormJson = t.Form.ToJson(), CreatedBy = "test", CreatedUtc = DateTime.UtcNow };
        var p = new Publication
        {
            QuestionnaireId = q.Id, OrgUnitId = place.Id, OrgPath = place.Path, Slug = "m" + Guid.NewGuid().ToString("N")[..12], Title = q.Title, FormJson = q.FormJson,
            Revision = 1, OpensOn = today.AddDays(-1), ClosesOn = today.AddDays(10), Target = 10, Distribution = Distribution.Codes, CreatedBy = "test", CreatedUtc = DateTime.UtcNow,
        };
        db.Questionnaires.Add(q);
        db.QuestionnairePublications.Add(p);
        await db.SaveChangesAsync();
        return (q.Id, p.Id, p.Slug, q.Version, p.Version);
    }

    static object Body(int version) => new
    {
        title = "居民满意度调查", form = QuestionnaireTemplate.Satisfaction().Form, criterionNo = (int?)null, scoreOptions = Array.Empty<string>(), version,
    };

    public static readonly Dictionary<string, AuthorizationMatrixTests.Recipe> All = new()
    {
        ["PAGE /questionnaires"] = (c, _) => c.Page("/questionnaires"),
        ["PAGE /questionnaires/{Id:guid}"] = async (c, o) => await c.Page($"/questionnaires/{(await FixtureAsync(c, o)).Questionnaire}"),
        ["PAGE /questionnaires/{Id:guid}/results"] = async (c, o) => await c.Page($"/questionnaires/{(await FixtureAsync(c, o)).Questionnaire}/results"),
        ["PAGE /questionnaires/publications/{Id:guid}/codes"] = async (c, o) => await c.Page($"/questionnaires/publications/{(await FixtureAsync(c, o)).Publication}/codes"),
        ["PAGE /public/q/{Slug}"] = async (c, o) => await c.Page($"/public/q/{(await FixtureAsync(c, o)).Slug}"),
        ["GET /api/v1/questionnaires/"] = (c, _) => c.Api.GetAsync("/api/v1/questionnaires"),
        ["GET /api/v1/questionnaires/criteria"] = (c, _) => c.Api.GetAsync("/api/v1/questionnaires/criteria"),
        ["POST /api/v1/questionnaires/"] = (c, _) => c.Api.PostAsJsonAsync("/api/v1/questionnaires", Body(0)),
        ["POST /api/v1/questionnaires/from-template"] = (c, _) => c.Api.PostAsync("/api/v1/questionnaires/from-template", null),
        ["GET /api/v1/questionnaires/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/questionnaires/{(await FixtureAsync(c, o)).Questionnaire}"),
        ["PUT /api/v1/questionnaires/{id:guid}"] = async (c, o) =>
        {
            var f = await FixtureAsync(c, o);
            return await c.Api.PutAsJsonAsync($"/api/v1/questionnaires/{f.Questionnaire}", Body(f.Version));
        },
        ["POST /api/v1/questionnaires/{id:guid}/publications"] = async (c, o) =>
        {
            var f = await FixtureAsync(c, o);
            var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
            return await c.Api.PostAsJsonAsync($"/api/v1/questionnaires/{f.Questionnaire}/publications", new
            {
                unitId = (await c.Community(o)).Id, opensOn = today, closesOn = today.AddDays(7), target = 20, distribution = "OpenLink",
            });
        },
        ["GET /api/v1/questionnaires/publications"] = (c, _) => c.Api.GetAsync("/api/v1/questionnaires/publications"),
        ["GET /api/v1/questionnaires/publications/{id:guid}"] = async (c, o) => await c.Api.GetAsync($"/api/v1/questionnaires/publications/{(await FixtureAsync(c, o)).Publication}"),
        ["PUT /api/v1/questionnaires/publications/{id:guid}/closing"] = async (c, o) =>
        {
            var f = await FixtureAsync(c, o);
            var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
            return await c.Api.PutAsJsonAsync($"/api/v1/questionnaires/publications/{f.Publication}/closing", new { closesOn = today.AddDays(20), version = f.PublicationVersion });
        },
        ["POST /api/v1/questionnaires/publications/{id:guid}/codes"] = async (c, o) =>
            await c.Api.PostAsJsonAsync($"/api/v1/questionnaires/publications/{(await FixtureAsync(c, o)).Publication}/codes", new { count = 5 }),
        ["POST /api/v1/questionnaires/publications/{id:guid}/codes/export"] = async (c, o) =>
            await c.Api.PostAsync($"/api/v1/questionnaires/publications/{(await FixtureAsync(c, o)).Publication}/codes/export", null),
        ["GET /api/v1/questionnaires/publications/{id:guid}/qr.png"] = async (c, o) => await c.Api.GetAsync($"/api/v1/questionnaires/publications/{(await FixtureAsync(c, o)).Publication}/qr.png"),
        ["GET /api/v1/questionnaires/publications/{id:guid}/qr.svg"] = async (c, o) => await c.Api.GetAsync($"/api/v1/questionnaires/publications/{(await FixtureAsync(c, o)).Publication}/qr.svg"),
        ["GET /api/v1/questionnaires/{id:guid}/results"] = async (c, o) => await c.Api.GetAsync($"/api/v1/questionnaires/{(await FixtureAsync(c, o)).Questionnaire}/results"),
        ["POST /api/v1/questionnaires/{id:guid}/results/export"] = async (c, o) =>
            await c.Api.PostAsync($"/api/v1/questionnaires/{(await FixtureAsync(c, o)).Questionnaire}/results/export", null),
        ["POST /api/v1/questionnaires/{id:guid}/results/raw"] = async (c, o) =>
            await c.Api.PostAsync($"/api/v1/questionnaires/{(await FixtureAsync(c, o)).Questionnaire}/results/raw", null),
    };
}
