using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Activities;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Organizations;
using Shiliu.Core.Residents;
using Shiliu.Core.Seed;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>The living demo county: a year of records in its ledgers, consistent with the tallies, moved through the workflow, once.</summary>
public sealed class DemoLedgerTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_demo_ledgers_fill_every_demo_community_once_with_records_the_figures_agree_with(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var first = await app.AsAsync(null, sp => sp.GetRequiredService<Seeder>().SeedDemoAsync(null, ledgers: true));
        Assert.Contains(first.Lines, l => l.StartsWith("已为演示社区登记") && l.Contains("演示居民"));

        await using (var db = await app.SystemDbAsync())
        {
            var communities = await db.OrgUnits.Where(o => o.IsDemo && o.Level == OrgLevel.Community).Select(o => o.Id).ToListAsync();
            var residents = await db.Residents.AsNoTracking().ToListAsync();
            // Every community has its households, in the county's mix of peoples, with floating residents among them.
            Assert.All(communities, c => Assert.True(residents.Count(r => r.CommunityId == c) >= 6));
            Assert.True(residents.Count(r => r.EthnicityCode == "07") > residents.Count / 3);
            Assert.Contains(residents, r => r.EthnicityCode == "18");
            Assert.Contains(residents, r => r.ResidenceType == ResidenceType.Floating && r.ArrivalDate is not null);
            Assert.Equal(residents.Count, residents.Select(r => r.IdNumberHash).Distinct().Count());
            Assert.All(residents, r => Assert.StartsWith("530427", r.IdNumberMasked));
            Assert.True(await db.Visits.CountAsync() > communities.Count * 3);

            // Three activities a community, each with its generated photo filed under the activity.
            var activities = await db.Activities.AsNoTracking().ToListAsync();
            Assert.Equal(communities.Count * 3, activities.Count);
            Assert.Contains(activities, a => a.FestivalId is not null);
            Assert.Equal(activities.Count, await db.Evidence.CountAsync(e => e.ActivityId != null && e.Title.EndsWith("（演示照片）")));

            // 十个一 in every state but returned, each step on record.
            var states = await db.Deliverables.GroupBy(d => d.Status).Select(g => g.Key).ToListAsync();
            Assert.Contains(DeliverableStatus.Approved, states);
            Assert.Contains(DeliverableStatus.Completed, states);
            Assert.Contains(DeliverableStatus.NotStarted, states);
            var approved = await db.Deliverables.Where(d => d.Status == DeliverableStatus.Approved).Select(d => d.Id).ToListAsync();
            Assert.Equal(approved.Count * 3, await db.WorkflowSteps.CountAsync(s => approved.Contains(s.ItemId)));

            // Service cases over the year: most closed and rated, a few overdue, each marked 演示 and dated back with its steps.
            var cases = await db.ServiceCases.AsNoTracking().ToListAsync();
            Assert.All(communities, c => Assert.True(cases.Count(x => x.OrgUnitId == c) >= 6));
            Assert.All(cases, c => Assert.EndsWith("（演示）", c.Title));
            var now = DateTime.UtcNow;
            Assert.Contains(cases, c => c.AcceptedUtc < now.AddDays(-200));
            Assert.Contains(cases, c => c.ClosedUtc is null && c.DueUtc < now);
            Assert.Contains(cases, c => c.Satisfaction == Shiliu.Core.ServiceCases.Satisfaction.Satisfied);
            Assert.Contains(cases, c => c.ClosedOnTime == false);
            var caseIds = cases.Select(c => c.Id).ToList();
            Assert.False(await db.WorkflowSteps.AnyAsync(s => caseIds.Contains(s.ItemId) && s.TimeUtc > now.AddMinutes(5)));
        }
        // The unit-month tallies followed the cases' back-dating: a recount from scratch finds the same figures.
        Assert.Equal(await ServiceTalliesAsync(app, rebuild: false), await ServiceTalliesAsync(app, rebuild: true));
        Assert.Equal(await PopulationStatisticTests.FreshGroupByAsync(app), await PopulationStatisticTests.StoredAsync(app));

        var casesBefore = await CountCasesAsync(app);
        var again = await app.AsAsync(null, sp => sp.GetRequiredService<Seeder>().SeedDemoAsync(null, ledgers: true));
        Assert.DoesNotContain(again.Lines, l => l.StartsWith("已为演示社区") || l.Contains("“十个一”推进"));
        Assert.Equal(casesBefore, await CountCasesAsync(app));
    }

    static async Task<int> CountCasesAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return await db.ServiceCases.CountAsync();
    }

    static async Task<List<string>> ServiceTalliesAsync(ShiliuApp app, bool rebuild)
    {
        await using var db = await app.SystemDbAsync();
        if (rebuild) await Shiliu.Core.ServiceCases.ServiceTally.RebuildAllAsync(db, CancellationToken.None);
        var rows = await db.ServiceCaseTallies.AsNoTracking().ToListAsync();
        return rows.Select(t => $"{t.OrgUnitId}|{t.TypeId}|{t.Month}|{t.Received}|{t.Closed}|{t.ClosedOnTime}|{t.Revisited}|{t.Satisfied}").Order(StringComparer.Ordinal).ToList();
    }
}
