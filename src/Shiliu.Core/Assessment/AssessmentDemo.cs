using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Assessment;

/// <summary>
/// Demo data: a round in 互检互评 for nine communities of 古城街道, 漠沙镇 and 戛洒镇 — self-checks submitted, pairs drawn,
/// a few mutual sheets in. It leaves out 城中社区 and 中心村, whose demo accounts walk a round of their own in the journey.
/// </summary>
static class AssessmentDemo
{
    const string Name = "2026年12月综合考核（演示）";
    static readonly string[] Townships = ["530427002000", "530427102000", "530427103000"];
    static readonly string[] Reasons = ["会议记录不完整", "台账资料归档不规范", "活动照片缺少文字说明", "宣传栏内容未及时更新", "走访记录份数不足"];

    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        if (await db.AssessmentRounds.AnyAsync(r => r.IsDemo, ct)) return;
        var towns = await db.OrgUnits.Where(o => Townships.Contains(o.Code)).Select(o => o.Id).ToListAsync(ct);
        var units = await db.OrgUnits.Where(o => o.Level == OrgLevel.Community && o.ParentId != null && towns.Contains(o.ParentId.Value) && o.IsDemo)
            .OrderBy(o => o.Code).ToListAsync(ct);
        if (units.Count < 4) return;
        var service = seed.Services.GetRequiredService<AssessmentService>();
        var year = DateOnly.FromDateTime(Common.ChinaTime.ToChina(db.UtcNow)).Year;
        var id = await service.CreateAsync(new SaveRound { Name = Name, PeriodFrom = new DateOnly(year, 1, 1), PeriodTo = new DateOnly(year, 12, 31), UnitIds = units.Select(u => u.Id).ToList() }, ct);
        await service.OpenAsync(id, (await service.GetAsync(id, ct)).Version, ct);
        await service.DrawPairsAsync(id, 20190301, (await service.GetAsync(id, ct)).Version, ct);

        var criteria = await db.AssessmentCriteria.AsNoTracking().Where(c => c.RoundId == id).OrderBy(c => c.No).ToListAsync(ct);
        var pairs = await db.AssessmentPairs.AsNoTracking().Where(p => p.RoundId == id).ToListAsync(ct);
        var rng = new Random(20190301);
        foreach (var (u, i) in units.Select((u, i) => (u, i)))
        {
            // Seven of nine self-checks are in; the last two are still being filled.
            db.AssessmentSheets.Add(Sheet(id, AssessMode.Self, u, u, criteria, rng, db.UtcNow, i < units.Count - 2 ? SheetStatus.Submitted : SheetStatus.Draft));
            var pair = pairs.First(p => p.ScorerUnitId == u.Id);
            if (i < 3) db.AssessmentSheets.Add(Sheet(id, AssessMode.Mutual, units.Single(x => x.Id == pair.ScoredUnitId), u, criteria, rng, db.UtcNow, SheetStatus.Submitted));
        }
        var round = await db.AssessmentRounds.SingleAsync(r => r.Id == id, ct);
        round.IsDemo = true;
        await db.SaveChangesAsync(ct);
        await service.AdvanceAsync(id, round.Version, ct);
        seed.Report.Add($"已创建演示考评《{Name}》：{units.Count} 个社区，互检互评进行中");
    }

    static Scoresheet Sheet(Guid round, AssessMode mode, OrgUnit scored, OrgUnit scorer, List<RoundCriterion> criteria, Random rng, DateTime now, SheetStatus status)
    {
        var lines = criteria.Select(c =>
        {
            var lost = rng.Next(4) == 0 ? rng.Next(1, Math.Min(c.Points, 4) * 2) : 0; // in half points
            return new ScoreLine { CriterionNo = c.No, Tenths = c.Points * 10 - lost * 5, DeductionReason = lost > 0 ? Reasons[rng.Next(Reasons.Length)] : null };
        }).ToList();
        return new Scoresheet
        {
            RoundId = round, Mode = mode, ScoredUnitId = scored.Id, ScoredName = scored.Name, OrgUnitId = scorer.Id, OrgPath = scorer.Path, ScorerName = scorer.Name,
            ScorerKey = $"unit:{scorer.Id}", Status = status, SubmittedUtc = status == SheetStatus.Submitted ? now : null, Lines = lines,
            TotalTenths = lines.Sum(l => l.Tenths ?? 0), Deductions = lines.Count(l => l.DeductionReason is not null),
            Feedback = status == SheetStatus.Submitted ? "（演示）资料较齐全，部分台账需进一步规范" : null,
        };
    }
}
