using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Activities;
using Shiliu.Core.Appeals;
using Shiliu.Core.Common;
using Shiliu.Core.Disputes;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Workflow;
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
    public async Task The_demo_ledgers_fill_every_demo_community_once_with_records_the_figures_agree_with_dated_in_the_past_and_marked_demo(DbProvider kind)
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

        await DisputesAppealsAndEvidenceAsync(app, first);

        var casesBefore = await CountCasesAsync(app);
        var before = await LedgerCountsAsync(app);
        var again = await app.AsAsync(null, sp => sp.GetRequiredService<Seeder>().SeedDemoAsync(null, ledgers: true));
        Assert.DoesNotContain(again.Lines, l => l.StartsWith("已为演示社区") || l.Contains("“十个一”推进"));
        Assert.DoesNotContain(again.Lines, l => l.Contains("演示矛盾纠纷") || l.Contains("演示群众诉求") || l.Contains("份演示材料"));
        Assert.Equal(casesBefore, await CountCasesAsync(app));
        Assert.Equal(before, await LedgerCountsAsync(app));
    }

    /// <summary>The disputes, appeals and evidence of the demo ledgers (one seeding serves both checks: it is the slow part).</summary>
    static async Task DisputesAppealsAndEvidenceAsync(ShiliuApp app, SeedReport first)
    {
        Assert.Contains(first.Lines, l => l.Contains("演示矛盾纠纷排查") && l.Contains("联席会议"));
        Assert.Contains(first.Lines, l => l.Contains("演示群众诉求"));
        Assert.Contains(first.Lines, l => l.Contains("份演示材料"));
        var now = DateTime.UtcNow.AddMinutes(5);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(now));

        await using (var db = await app.SystemDbAsync())
        {
            var units = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo).ToListAsync();
            var communities = units.Where(o => o.Level == OrgLevel.Community).ToList();
            var demoPaths = units.Select(u => u.Path).ToHashSet();

            // 排查 every month of the year in every community, 零报告 among them, each past month reported upward.
            var screenings = await db.DisputeScreenings.AsNoTracking().ToListAsync();
            Assert.All(communities, c => Assert.True(screenings.Where(s => s.OrgUnitId == c.Id).Select(s => s.Date.Year * 100 + s.Date.Month).Distinct().Count() >= 11));
            Assert.Contains(screenings, s => s.Nil);
            Assert.Contains(screenings, s => !s.Nil && s.FactorCount > 0);
            Assert.All(screenings, s => { Assert.True(s.Date <= today); Assert.Contains("演示", s.Area); });
            var reports = await db.DisputeScreeningReports.AsNoTracking().ToListAsync();
            Assert.All(communities, c => Assert.True(reports.Count(r => r.OrgUnitId == c.Id) >= 10));
            Assert.All(reports, r => Assert.True(r.ReportedUtc <= now));
            Assert.Contains(reports, r => r.Late);
            Assert.Contains(reports, r => !r.Late);
            // Each report's figures are its month's screenings recounted.
            Assert.All(reports, r =>
            {
                var of = screenings.Where(s => s.OrgUnitId == r.OrgUnitId && s.Date.Year * 100 + s.Date.Month == r.Month).ToList();
                Assert.Equal(of.Count, r.Screenings);
                Assert.Equal(of.Sum(s => s.FactorCount), r.Factors);
                Assert.Equal(of.All(s => s.Nil), r.Nil);
            });

            // Cases: in every community, all three colours, concluded with a resolution time, open, escalated, overdue, ethnic.
            var disputes = await db.Disputes.AsNoTracking().ToListAsync();
            Assert.All(communities, c => Assert.True(disputes.Count(d => d.RegisteredUnitId == c.Id) >= 2));
            Assert.All(disputes, d => { Assert.EndsWith("（演示）", d.Title); Assert.Contains(d.OrgPath, demoPaths); });
            Assert.Equal(3, disputes.Select(d => d.Colour).Distinct().Count());
            Assert.Contains(disputes, d => d.Status == DisputeStatus.Closed && d.ConcludedUtc > d.RegisteredUtc);
            Assert.Contains(disputes, d => d.Status == DisputeStatus.Registered);
            Assert.Contains(disputes, d => d.OrgPath != d.RegisteredPath);
            Assert.Contains(disputes, d => d.EthnicFactors);
            Assert.Contains(disputes, d => d.RegisteredUtc < now.AddDays(-200));
            Assert.All(disputes, d => Assert.Equal($"JF{ChinaTime.ToChina(d.RegisteredUtc).Year}-{d.Seq:0000}", d.Number));
            Assert.All(disputes, d => Assert.True(d.RegisteredUtc <= now && !(d.ConcludedUtc > now) && !(d.ClosedUtc > now) && !(d.ConcludedUtc < d.RegisteredUtc)));
            var ids = disputes.Select(d => d.Id).ToList();
            var steps = await db.WorkflowSteps.AsNoTracking().Where(s => s.Workflow == DisputeFlow.Name && ids.Contains(s.ItemId)).ToListAsync();
            Assert.DoesNotContain(steps, s => s.TimeUtc > now);
            Assert.False(await db.DisputeMediations.AnyAsync(m => m.Date > today));
            Assert.False(await db.DisputeFollowUps.AnyAsync(v => v.Date > today));
            var options = app.Services.GetRequiredService<DisputeOptions>();
            var cal = await app.Services.GetRequiredService<CalendarCache>().GetAsync(app.Services.GetRequiredService<IDbContextFactory<ShiliuDb>>(), default);
            var bySteps = steps.ToLookup(s => s.ItemId);
            var overdue = disputes.Count(d => d.ConcludedUtc is null && d.Status != DisputeStatus.Closed
                && Handover.Clock(cal, options.LimitOf(d.Colour), d.RegisteredUtc, bySteps[d.Id].ToList(), DisputeFlow.Concluded, DateTime.UtcNow).State == DeadlineState.Overdue);
            Assert.InRange(overdue, 1, 4);

            // A 联席会议 whose decisions became tasks, one closed with its evidence.
            var meetings = await db.JointMeetings.AsNoTracking().ToListAsync();
            Assert.InRange(meetings.Count, 1, 2);
            Assert.All(meetings, m => Assert.True(m.StartUtc < now && m.Title.Contains("演示")));
            var tasks = await db.MeetingTasks.AsNoTracking().ToListAsync();
            Assert.Equal(meetings.Count * 2, tasks.Count);
            Assert.Contains(tasks, t => t.Status == Shiliu.Core.JointMeetings.TaskStatus.Closed && t.CloseEvidenceId != null);
            Assert.True(await db.MeetingAgendaItems.AnyAsync(a => a.CaseKind == "dispute" && a.CaseId != null));

            // Appeals: answered and closed, awaiting the resident, converted both ways, one just filed; all marked.
            var appeals = await db.Appeals.AsNoTracking().ToListAsync();
            Assert.All(communities, c => Assert.True(appeals.Count(a => a.PlaceUnitId == c.Id) >= 2));
            Assert.All(appeals, a => { Assert.EndsWith("（演示）", a.Text); Assert.True(a.CreatedUtc <= now && !(a.AnsweredUtc > now) && !(a.ClosedUtc > now)); });
            Assert.Contains(appeals, a => a.Status == AppealStatus.Closed && a.Resolved == true && a.AnsweredUtc < a.ClosedUtc);
            Assert.Contains(appeals, a => a.Status == AppealStatus.Answered);
            Assert.Contains(appeals, a => a.Status == AppealStatus.Converted && a.ConvertedKind == "dispute");
            Assert.Contains(appeals, a => a.Status == AppealStatus.Converted && a.ConvertedKind == "service-case");
            Assert.Single(appeals, a => a.Status == AppealStatus.Pending);
            Assert.Contains(appeals, a => a.Channel == AppealChannel.Public);
            Assert.Contains(appeals, a => a.Channel != AppealChannel.Public);
            Assert.Contains(appeals, a => a.CreatedUtc < now.AddDays(-200));
            var appealIds = appeals.Select(a => a.Id).ToList();
            var appealSteps = (await db.WorkflowSteps.AsNoTracking().Where(s => s.Workflow == AppealFlow.Definition.Name && appealIds.Contains(s.ItemId)).ToListAsync()).ToLookup(s => s.ItemId);
            Assert.DoesNotContain(appealSteps.SelectMany(g => g), s => s.TimeUtc > now);
            Assert.Single(await AppealOverdue.IdsAsync(db, db.Appeals.AsNoTracking(), cal, default));
            // The on-time answer figure is the clock read again at the answer.
            Assert.All(appeals.Where(a => a.AnsweredUtc is not null), a => Assert.Equal(
                Handover.Clock(cal, AppealNames.Topic(a.Topic)!.Limit, a.CreatedUtc, appealSteps[a.Id].ToList(), AppealFlow.Pausing, a.AnsweredUtc!.Value).State != DeadlineState.Overdue,
                a.AnsweredOnTime));

            // Evidence under criteria: mixed coverage (none in some communities, most criteria in others), every file marked and past.
            var files = await db.Evidence.AsNoTracking().Where(e => e.Title.EndsWith(EvidenceDemo.Marker)).ToListAsync();
            Assert.All(files, e => Assert.True(e.UploadedUtc <= now));
            var fileIds = files.Select(e => e.Id).ToList();
            var refs = await db.EvidenceRefs.AsNoTracking().Where(r => fileIds.Contains(r.EvidenceId) && r.Kind == EvidenceRefKind.Criterion).ToListAsync();
            var perCommunity = communities.Select(c => refs.Where(r => files.Single(f => f.Id == r.EvidenceId).OrgUnitId == c.Id).Select(r => r.No).Distinct().Count()).ToList();
            Assert.Contains(0, perCommunity);
            Assert.True(perCommunity.Max() >= 10);
            Assert.True(perCommunity.Distinct().Count() >= 4);
        }

        // The statistics page's figures are the cases recounted (ethnic ones counted, never named).
        var year = ChinaTime.ToChina(DateTime.UtcNow).Year;
        var stats = await app.AsAsync(null, sp => sp.GetRequiredService<DisputeStatisticsService>().StatsAsync(new DisputeStatsQuery { Year = year }));
        await using (var db = await app.SystemDbAsync())
        {
            var from = ChinaTime.ToUtc(new DateTime(year, 1, 1));
            var mine = await db.Disputes.AsNoTracking().Where(d => d.RegisteredUtc >= from).ToListAsync();
            Assert.Equal(mine.Count, stats.Total);
            Assert.Equal(mine.Count(d => d.EthnicFactors), stats.Ethnic);
            foreach (var c in Enum.GetValues<RiskColour>())
                Assert.Equal(mine.Count(d => d.Colour == c), stats.ByColour.Single(x => x.Name == DisputeNames.Colour(c)).Value);
            Assert.Equal(mine.Count(d => d.ConcludedUtc is not null), stats.Concluded);
        }

        // Need to know holds for the demo: a leader of the county sees no case with ethnic factors; the handlers do.
        await using (var db = await app.SystemDbAsync())
        {
            var county = await db.OrgUnits.AsNoTracking().SingleAsync(o => o.Code == "530427000000");
            var ethnic = await db.Disputes.CountAsync(d => d.EthnicFactors);
            var all = await db.Disputes.CountAsync();
            var leader = await DemoCallers.AsUnitAsync(app.Services, county, Roles.Leader, sp => sp.GetRequiredService<DisputeService>().ListAsync(new DisputeQuery { PageSize = 100 }));
            Assert.Equal(all - ethnic, leader.Total);
            Assert.DoesNotContain(leader.Items, r => r.EthnicFactors);
            var officer = await DemoCallers.AsUnitAsync(app.Services, county, Roles.CountyOfficer, sp => sp.GetRequiredService<DisputeService>().ListAsync(new DisputeQuery { PageSize = 100 }));
            Assert.Equal(all, officer.Total);
        }

    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Seed_demo_size_bulk_loads_valid_residents_of_the_demo_county_once_per_size_and_the_tallies_agree(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await app.AsAsync(null, sp => sp.GetRequiredService<Seeder>().SeedDemoAsync(null, ledgers: false));
        // Someone already holds the first number the county size would draw: one person, one record — it is skipped.
        var first = DemoPopulation.IdOf(DemoSize.County, 0);
        var guishan = await app.UnitAsync("530427001001");
        await app.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
        {
            OrgUnitId = guishan.Id, Name = "演示已登记", EthnicityCode = "07", IdNumber = first.Value, Address = "演示地址", ResidenceType = ResidenceType.Permanent,
        }));

        var county = await app.AsAsync(null, sp => DemoPopulation.SeedAsync(sp, DemoSize.County, 900));
        Assert.Equal((0, 900), (county.Before, county.Added));
        await using (var db = await app.SystemDbAsync())
        {
            var communities = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Community).ToListAsync();
            Assert.Equal(communities.Count, county.Communities);
            var rows = await db.Residents.AsNoTracking().Where(r => r.HouseholdNo!.StartsWith("演示县-")).ToListAsync();
            Assert.Equal(900, rows.Count);
            Assert.Equal(rows.Count + 1, await db.Residents.Select(r => r.IdNumberHash).Distinct().CountAsync());
            // Spread over every community, under its own path; Xinping's mix: 彝 the largest, 汉 and 傣 next, the smaller peoples present.
            Assert.All(communities, c => Assert.Equal(25, rows.Count(r => r.CommunityId == c.Id)));
            Assert.All(rows, r => Assert.StartsWith(communities.Single(c => c.Id == r.CommunityId).Path, r.OrgPath));
            var byPeople = rows.GroupBy(r => r.EthnicityCode).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal("07", byPeople.MaxBy(p => p.Value).Key);
            Assert.InRange(byPeople["01"], 200, 350);
            Assert.InRange(byPeople["18"], 90, 200);
            Assert.True(byPeople.Count >= 6);
            Assert.Contains(rows, r => r.ResidenceType == ResidenceType.Floating && r.ArrivalDate is not null && r.OriginPlace is not null);
            Assert.All(rows, r => { Assert.StartsWith("530427", r.IdNumberMasked); Assert.Contains("演示", r.Address); Assert.Contains("演示", r.UpdatedBy); });
            // Sealed through the real protector: each opens to a valid checksummed number whose birth date, sex and hash are the row's.
            var pii = app.Services.GetRequiredService<PersonalData>();
            Assert.All(rows.Take(60), r =>
            {
                Assert.True(IdNumber.TryParse(pii.Open(r.IdNumberCipher), out var id, out _));
                Assert.Equal("530427", id!.AreaCode);
                Assert.Equal((id.BirthDate, id.Gender, pii.Hash(id.Value)), (r.BirthDate, r.Gender, r.IdNumberHash));
            });
            Assert.DoesNotContain(rows, r => r.IdNumberHash == pii.Hash(first.Value));
        }
        Assert.Equal(await PopulationStatisticTests.FreshGroupByAsync(app), await PopulationStatisticTests.StoredAsync(app));

        // A second run adds nothing; the other size is its own set, and the tallies follow again.
        var again = await app.AsAsync(null, sp => DemoPopulation.SeedAsync(sp, DemoSize.County, 900));
        Assert.Equal((900, 0), (again.Before, again.Added));
        var province = await app.AsAsync(null, sp => DemoPopulation.SeedAsync(sp, DemoSize.Province, 400));
        Assert.Equal((0, 400), (province.Before, province.Added));
        await using (var db = await app.SystemDbAsync())
        {
            Assert.Equal(900, await db.Residents.CountAsync(r => r.HouseholdNo!.StartsWith("演示县-")));
            Assert.Equal(400, await db.Residents.CountAsync(r => r.HouseholdNo!.StartsWith("演示省-")));
            Assert.Equal(1301, await db.Residents.CountAsync());
        }
        Assert.Equal(await PopulationStatisticTests.FreshGroupByAsync(app), await PopulationStatisticTests.StoredAsync(app));

        // The small demo households still come after a benchmark-size load, passing over numbers it already holds.
        var small = new SeedReport([]);
        await using (var db = await app.SystemDbAsync())
            await db.Residents.Where(r => r.Name == "演示已登记").ExecuteDeleteAsync();
        await app.AsAsync(null, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            await ResidentDemo.SeedAsync(new SeedContext(db, sp, small), default);
        });
        Assert.Contains(small.Lines, l => l.Contains("演示居民"));
        await using (var db = await app.SystemDbAsync())
        {
            Assert.Equal(await db.Residents.CountAsync(), await db.Residents.Select(r => r.IdNumberHash).Distinct().CountAsync());
            Assert.True(await db.Residents.CountAsync(r => !r.HouseholdNo!.StartsWith(DemoPopulation.BulkPrefix)) > 200);
        }
        Assert.Equal(DemoSize.Province, DemoPopulation.Parse("province"));
        Assert.Null(DemoPopulation.Parse("city"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_seed_demo_size_command_loads_a_small_county_once_and_refuses_an_unknown_size(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (exit, output) = await Cli.RunAsync(app, "seed-demo", "--size", "county", "--count", "360");
        Assert.True(exit == 0, output);
        Assert.Contains("已生成县级规模演示居民 360 人", output);
        var (again, said) = await Cli.RunAsync(app, "seed-demo", "--size", "county", "--count", "360");
        Assert.Equal(0, again);
        Assert.Contains("县级规模演示居民已有 360 人，未做改动", said);
        var (bad, refusal) = await Cli.RunAsync(app, "seed-demo", "--size", "city");
        Assert.Equal(2, bad);
        Assert.Contains("seed-demo --size county", refusal);
        await using (var db = await app.SystemDbAsync())
            Assert.Equal(360, await db.Residents.CountAsync(r => r.HouseholdNo!.StartsWith("演示县-")));
        Assert.Equal(await PopulationStatisticTests.FreshGroupByAsync(app), await PopulationStatisticTests.StoredAsync(app));
    }

    static async Task<string> LedgerCountsAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return $"{await db.Disputes.CountAsync()}|{await db.DisputeScreenings.CountAsync()}|{await db.DisputeScreeningReports.CountAsync()}|{await db.JointMeetings.CountAsync()}|" +
               $"{await db.MeetingTasks.CountAsync()}|{await db.Appeals.CountAsync()}|{await db.Evidence.CountAsync()}|{await db.ServiceCases.CountAsync()}";
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
