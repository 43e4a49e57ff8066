using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.ServiceCases;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.ServiceCases;

/// <summary>
/// The service figures add up kept tallies for whole months: every save of a case must leave them as a recount from
/// scratch would, and the figures of any period must equal a count of the cases themselves.
/// </summary>
public sealed class ServiceTallyTests
{
    static ServiceCaseService S(IServiceProvider sp) => sp.GetRequiredService<ServiceCaseService>();

    static async Task StepAsync(ShiliuApp app, string user, Guid id, string action, string? reason = null, Guid? to = null, Satisfaction? answer = null)
    {
        var version = (await app.AsAsync(user, sp => S(sp).GetAsync(id))).Version;
        await app.AsAsync(user, sp => S(sp).StepAsync(id, action, new ServiceStep(reason, version, to, answer)));
    }

    static async Task<List<string>> TalliesAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return (await db.ServiceCaseTallies.AsNoTracking().ToListAsync())
            .Select(t => $"{t.OrgPath}|{t.OrgUnitId}|{t.TypeId}|{t.Month:yyyy-MM}|{t.Received}|{t.Closed}|{t.ClosedOnTime}|{t.RevisitDue}|{t.Revisited}|{t.Satisfied}|{t.Reopened}|{t.DaysSum:0.###}")
            .Order(StringComparer.Ordinal).ToList();
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Tallies_follow_every_step_and_the_figures_of_any_period_equal_a_count_of_the_cases(DbProvider kind)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 30, 15, 50, 0, TimeSpan.Zero)); // 31 July 23:50 in China
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var zhongxin = await app.UnitAsync(ServiceCaseTests.Zhongxin);
        var ids = new List<Guid>();
        // Cases received over four months, either side of China's month ends (UTC still says the day before).
        foreach (var (days, user, type) in new[] { (0, "community", "就业指导"), (0, "community2", "医疗卫生"), (1, "community", "就业指导"), (33, "community", "民族语文翻译"),
                     (40, "community2", "就业指导"), (64, "community", "就业指导"), (70, "community", "医疗卫生"), (95, "community2", "医疗卫生") })
        {
            clock.SetUtcNow(new DateTimeOffset(2026, 7, 30, 15, 50, 0, TimeSpan.Zero).AddDays(days));
            ids.Add(await ServiceCaseTests.OpenAsync(app, user, type));
        }
        Assert.Equal(await TalliesAsync(app), await RebuiltAsync(app));

        // Steps that change the counts: close, revisit (one not satisfied: reopened), close again, a hand-over accepted.
        await StepAsync(app, "community", ids[0], "close", "已推荐岗位");
        await StepAsync(app, "community", ids[0], "revisit", answer: Satisfaction.Satisfied);
        await StepAsync(app, "community", ids[2], "close", "已推荐岗位");
        await StepAsync(app, "community", ids[2], "revisit", "不合适", answer: Satisfaction.Unsatisfied);
        await StepAsync(app, "community", ids[2], "close", "再次推荐");
        await StepAsync(app, "community", ids[3], "close", "已翻译");
        await StepAsync(app, "community", ids[5], "transfer", "当事人已搬到中心村", zhongxin.Id);
        Assert.Equal(await TalliesAsync(app), await RebuiltAsync(app));
        await StepAsync(app, "community2", ids[5], "receive");
        await StepAsync(app, "community2", ids[5], "close", "已办结");
        var kept = await TalliesAsync(app);
        Assert.Contains(kept, t => t.Contains($"|{zhongxin.Id}|") && t.Contains("|2026-10|"));
        Assert.Equal(kept, await RebuiltAsync(app));

        // The figures of whole months, of days inside one month, across month ends, open-ended, and all time.
        var periods = new (DateOnly? From, DateOnly? To)[]
        {
            (null, null), (new(2026, 7, 1), new(2026, 7, 31)), (new(2026, 8, 1), new(2026, 8, 1)), (new(2026, 7, 31), new(2026, 8, 31)),
            (new(2026, 7, 15), new(2026, 10, 3)), (new(2026, 8, 2), null), (null, new(2026, 9, 30)), (new(2026, 9, 1), new(2026, 11, 30)), (new(2025, 1, 1), new(2025, 12, 31)),
        };
        List<ServiceCase> cases;
        await using (var db = await app.SystemDbAsync()) cases = await db.ServiceCases.AsNoTracking().ToListAsync();
        foreach (var (from, to) in periods)
        {
            var figures = await app.AsAsync("county", sp => sp.GetRequiredService<ServiceFigures>().ComputeAsync(new ServiceFigureQuery { From = from, To = to }));
            var inPeriod = cases.Where(c => (from is null || DateOnly.FromDateTime(ChinaTime.ToChina(c.AcceptedUtc)) >= from)
                                            && (to is null || DateOnly.FromDateTime(ChinaTime.ToChina(c.AcceptedUtc)) <= to)).ToList();
            bool Revisited(ServiceCase c) => c.Status is ServiceCaseStatus.Revisited or ServiceCaseStatus.Archived && c.Satisfaction is not null;
            var expected = inPeriod.GroupBy(c => (c.OrgUnitId, c.TypeId)).Select(g =>
                    $"{g.Key.OrgUnitId}|{g.Key.TypeId}|{g.Count()}|{g.Count(c => c.ClosedUtc != null)}|{g.Count(c => c.ClosedUtc != null && c.ClosedOnTime == true)}|" +
                    $"{g.Count(c => c.ClosedUtc != null && c.NeedsRevisit)}|{g.Count(Revisited)}|" +
                    $"{g.Count(c => Revisited(c) && c.Satisfaction is Satisfaction.Satisfied or Satisfaction.Basic)}|{g.Sum(c => c.ReopenCount)}")
                .Order(StringComparer.Ordinal).ToList();
            var actual = figures.Rows.Select(r => $"{r.OrgUnitId}|{r.TypeId}|{r.Received}|{r.Closed}|{r.ClosedOnTime}|{r.RevisitDue}|{r.Revisited}|{r.Satisfied}|{r.Reopened}")
                .Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"{from}–{to}: expected {string.Join("; ", expected)} got {string.Join("; ", actual)}");
            Assert.Equal(inPeriod.Count, figures.Total.Received);
        }
        Assert.Equal(8, cases.Count);
    }

    /// <summary>What a recount from scratch (the operator's rebuild) makes of the same cases.</summary>
    static async Task<List<string>> RebuiltAsync(ShiliuApp app)
    {
        await using (var db = await app.SystemDbAsync()) await ServiceTally.RebuildAllAsync(db, CancellationToken.None);
        return await TalliesAsync(app);
    }
}
