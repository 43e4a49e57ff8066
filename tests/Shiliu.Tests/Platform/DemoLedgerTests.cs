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
        }
        Assert.Equal(await PopulationStatisticTests.FreshGroupByAsync(app), await PopulationStatisticTests.StoredAsync(app));

        var again = await app.AsAsync(null, sp => sp.GetRequiredService<Seeder>().SeedDemoAsync(null, ledgers: true));
        Assert.DoesNotContain(again.Lines, l => l.StartsWith("已为演示社区") || l.Contains("“十个一”推进"));
    }
}
