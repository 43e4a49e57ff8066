using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;

namespace Shiliu.Core.Questionnaires;

/// <summary>
/// What the questionnaires hold toward their criteria for a unit (its subtree) and period: per questionnaire tied to a
/// criterion, the sheets answered in the period and the share of the favourable options, offered as a suggested share
/// with its figures in words. Fewer than five sheets give a line and no suggestion (the five-sheet rule).
/// </summary>
sealed class QuestionnaireCriterionRecords : ICriterionRecordSource
{
    public async Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery query, CancellationToken ct)
    {
        var pubs = await db.QuestionnairePublications.AsNoTracking().Under(p => p.OrgPath, query.OrgPath)
            .Where(p => p.CriterionNo != null && p.ScoreQuestion != null && p.OpensOn <= query.To && p.ClosesOn >= query.From)
            .Select(p => new { p.Id, p.QuestionnaireId, p.Title, p.CriterionNo, p.ScoreQuestion, p.ScoreOptions, p.FormJson, p.Revision, p.CreatedUtc }).ToListAsync(ct);
        var lines = new List<CriterionRecord>();
        if (pubs.Count == 0) return lines;
        // Three queries whatever the number of questionnaires: the publications, their sheets in the period, and the
        // options chosen for their score questions in the period (by publication, then split per questionnaire here).
        var ids = pubs.Select(p => p.Id).ToList();
        var questions = pubs.Select(p => p.ScoreQuestion!).Distinct().ToList();
        var sheetsOf = await db.QuestionnaireResponses.AsNoTracking()
            .Where(r => ids.Contains(r.PublicationId) && r.AnsweredOn >= query.From && r.AnsweredOn <= query.To)
            .GroupBy(r => r.PublicationId).Select(x => new { x.Key, Count = x.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var chosen = await db.QuestionnaireAnswers.AsNoTracking()
            .Where(a => ids.Contains(a.PublicationId) && questions.Contains(a.Question) && a.Row == "" && a.Choice != ""
                && db.Set<QuestionnaireResponse>().Any(r => r.Id == a.ResponseId && r.AnsweredOn >= query.From && r.AnsweredOn <= query.To))
            .GroupBy(a => new { a.PublicationId, a.Question, a.Choice }).Select(x => new { x.Key.PublicationId, x.Key.Question, x.Key.Choice, Count = x.Count() })
            .ToListAsync(ct);
        foreach (var g in pubs.GroupBy(p => p.QuestionnaireId))
        {
            var newest = g.OrderByDescending(p => p.Revision).ThenByDescending(p => p.CreatedUtc).First();
            var mine = g.Select(p => p.Id).ToHashSet();
            var sheets = mine.Sum(id => sheetsOf.GetValueOrDefault(id));
            var href = $"/questionnaires/{g.Key}/results";
            if (sheets < QuestionnaireResults.MinApart)
            {
                lines.Add(new CriterionRecord(newest.CriterionNo!.Value, "问卷调查", $"问卷《{newest.Title}》", $"问卷 {sheets} 份（不足5份，不计算满意率）", href));
                continue;
            }
            var question = newest.ScoreQuestion!;
            var favourable = QuestionnaireService.SplitOptions(newest.ScoreOptions).ToList();
            var counts = chosen.Where(c => mine.Contains(c.PublicationId) && c.Question == question)
                .GroupBy(c => c.Choice).Select(x => new { Choice = x.Key, Count = x.Sum(c => c.Count) }).ToList();
            var answered = counts.Sum(c => c.Count);
            var options = QuestionForm.FromJson(newest.FormJson).Questions.FirstOrDefault(q => q.Key == question)?.Options ?? [];
            var fav = favourable.Select(k => (Label: options.FirstOrDefault(o => o.Key == k)?.Label ?? k, Count: counts.FirstOrDefault(c => c.Choice == k)?.Count ?? 0)).ToList();
            var favoured = fav.Sum(f => f.Count);
            var share = answered == 0 ? 0m : (decimal)favoured / answered;
            var names = string.Join("+", fav.Select(f => f.Label));
            var figure = string.Create(CultureInfo.InvariantCulture, $"问卷 {sheets} 份，{names} {Math.Round(share * 100, 1, MidpointRounding.AwayFromZero):0.0}%");
            var basis = $"{string.Join(" + ", fav.Select(f => $"{f.Label} {f.Count}"))} / 有效答卷 {answered}";
            lines.Add(new CriterionRecord(newest.CriterionNo!.Value, "问卷调查", $"问卷《{newest.Title}》", figure, href,
                answered == 0 ? null : new SuggestedShare(Math.Round(share, 4), basis)));
        }
        return lines;
    }
}
