using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Questionnaires;

/// <summary>A satisfaction survey for the demo county: published for 城中社区 with printed codes, a few dozen synthetic sheets.</summary>
static class QuestionnaireDemo
{
    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        if (await db.Questionnaires.AnyAsync(ct)) return;
        var county = await db.OrgUnits.SingleAsync(o => o.ParentId == null, ct);
        var place = await db.OrgUnits.FirstOrDefaultAsync(o => o.Name == "城中社区" && o.Level == OrgLevel.Community, ct);
        if (place is null) return;
        var t = QuestionnaireTemplate.Satisfaction();
        var criteria = await QuestionnaireService.CriteriaAsync(db, ct);
        var tied = criteria.Any(c => c.No == QuestionnaireTemplate.CriterionNo);
        var q = new Questionnaire
        {
            OrgUnitId = county.Id, OrgPath = county.Path, Title = "（演示）" + t.Title, Intro = t.Intro, FormJson = t.Form.ToJson(), RevisionPublished = true,
            CriterionNo = tied ? QuestionnaireTemplate.CriterionNo : null, ScoreQuestion = tied ? t.ScoreQuestion : null,
            ScoreOptions = tied ? string.Join(',', t.ScoreOptions) : null, CreatedBy = "演示数据", CreatedUtc = db.UtcNow,
        };
        db.Questionnaires.Add(q);
        var today = QuestionnaireService.Today(db);
        var p = new Publication
        {
            QuestionnaireId = q.Id, OrgUnitId = place.Id, OrgPath = place.Path, Slug = "demo" + Guid.NewGuid().ToString("N")[..8], Title = q.Title, Intro = q.Intro,
            FormJson = q.FormJson, Revision = 1, CriterionNo = q.CriterionNo, ScoreQuestion = q.ScoreQuestion, ScoreOptions = q.ScoreOptions,
            OpensOn = today.AddDays(-14), ClosesOn = today.AddDays(16), Target = 60, Distribution = Distribution.Codes, CreatedBy = "演示数据", CreatedUtc = db.UtcNow,
        };
        db.QuestionnairePublications.Add(p);
        // Fixed seed: the same demo every time, weighted toward 满意 / 基本满意 as such surveys come back.
        var rnd = new Random(13);
        string Pick(params (string Key, int Weight)[] w)
        {
            var n = rnd.Next(w.Sum(x => x.Weight));
            foreach (var (k, weight) in w) { if (n < weight) return k; n -= weight; }
            return w[^1].Key;
        }
        const int sheets = 38;
        for (var i = 0; i < 48; i++)
            db.QuestionnaireAnswerCodes.Add(new AnswerCode { PublicationId = p.Id, Code = $"DEMO{i:D2}" + (char)('A' + i % 20) + "XQ", Batch = 1, Used = i < sheets });
        var scale = new[] { ("a", 46), ("b", 38), ("c", 11), ("d", 5) };
        for (var i = 0; i < sheets; i++)
        {
            var r = new QuestionnaireResponse { PublicationId = p.Id, AnsweredOn = today.AddDays(-rnd.Next(0, 14)) };
            db.QuestionnaireResponses.Add(r);
            void Add(string question, string choice, string row = "") =>
                db.QuestionnaireAnswers.Add(new QuestionnaireAnswer { PublicationId = p.Id, ResponseId = r.Id, Question = question, Row = row, Choice = choice });
            Add("age", Pick(("a", 2), ("b", 10), ("c", 16), ("d", 18), ("e", 14), ("f", 20)));
            Add("years", Pick(("a", 8), ("b", 20), ("c", 22), ("d", 50)));
            Add("overall", Pick(scale));
            foreach (var row in new[] { "a", "b", "c", "d", "e" }) Add("items", Pick(scale), row);
            foreach (var ch in new[] { "a", "b", "c", "d" }.Where(_ => rnd.Next(100) < 55)) Add("channels", ch);
            var raised = Pick(("a", 35), ("b", 65));
            Add("raised", raised);
            if (raised == "a") Add("handled", Pick(("5", 40), ("4", 35), ("3", 15), ("2", 6), ("1", 4)));
        }
        await db.SaveChangesAsync(ct);
        seed.Report.Add($"已创建演示问卷《{q.Title}》，发布给{place.Name}，演示答卷 {sheets} 份");
    }
}
