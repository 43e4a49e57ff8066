using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Residents;

/// <summary>The retention schedule: approved by the county office, run by an operator, exactly what it names and nothing else.</summary>
public sealed class RetentionTests
{
    static SaveResident Person(Guid unit, string name, string? household = null) => new()
    {
        OrgUnitId = unit, Name = name, EthnicityCode = "07", IdNumber = Ids.Next(), ResidenceType = ResidenceType.Permanent, Phone = "13800001234", Address = "城中社区1号",
        HouseholdNo = household,
    };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_county_approves_a_schedule_and_a_wrong_one_is_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var s = (IServiceProvider sp) => sp.GetRequiredService<RetentionService>();
        var denied = await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).ApproveAsync(new ApproveRetention { Category = ResidentStatus.MovedOut, ArchiveAfterMonths = 12, DeleteAfterMonths = 36 })));
        Assert.Equal(RetentionErrors.Denied, denied.Code);
        var order = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).ApproveAsync(new ApproveRetention { Category = ResidentStatus.MovedOut, ArchiveAfterMonths = 36, DeleteAfterMonths = 12 })));
        Assert.Equal("deleteAfterMonths", Assert.Single(order.Fields).Key);
        var registered = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).ApproveAsync(new ApproveRetention { Category = ResidentStatus.Registered, ArchiveAfterMonths = 1, DeleteAfterMonths = 2 })));
        Assert.Contains("只适用于迁出居民和死亡居民", registered.Message);

        await app.AsAsync("county", sp => s(sp).ApproveAsync(new ApproveRetention { Category = ResidentStatus.Deceased, ArchiveAfterMonths = 6, DeleteAfterMonths = 24 }));
        var schedule = await app.AsAsync("leader", sp => s(sp).ScheduleAsync());
        Assert.Equal([(ResidentStatus.MovedOut, false), (ResidentStatus.Deceased, true)], schedule.Select(r => (r.Category, r.Approved)));
        Assert.Equal(("county", 6, 24), (schedule[1].ApprovedBy, schedule[1].ArchiveAfterMonths, schedule[1].DeleteAfterMonths));
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(RetentionRule)));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_operator_verb_reports_first_then_archives_and_deletes_exactly_what_the_schedule_names_and_keeps_the_audit_log(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var grid = await app.UnitAsync("530427001001-G01");
        var residents = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var ids = new Dictionary<string, Guid>();
        foreach (var name in new[] { "早迁出", "中迁出", "新迁出", "早死亡", "在册", "无日期" })
            ids[name] = await app.AsAsync("community", sp => residents(sp).CreateAsync(Person(grid.Id, name, name is "中迁出" or "在册" ? "R-7" : null)));
        // The verb runs on the real clock: status dates are set from today's date in China.
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(TimeProvider.System.GetUtcNow().UtcDateTime));
        // Household R-7 was visited last month, both its members: the one archived below leaves the household in that list.
        foreach (var name in new[] { "中迁出", "在册" })
            await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().CreateAsync(
                new SaveVisit { ResidentId = ids[name], VisitDate = today.AddDays(-30), Visitor = "网格员", Findings = "家中情况正常" }));
        var lastMonth = new VisitPageQuery { OrgUnitId = grid.Id, From = today.AddDays(-40), To = today.AddDays(-20) };
        Assert.Equal([("R-7", "中迁出、在册")], await VisitedAsync(app, lastMonth));
        await using (var db = await app.SystemDbAsync())
        {
            async Task Set(string name, ResidentStatus status, DateOnly? date)
            {
                var r = await db.Residents.SingleAsync(x => x.Id == ids[name]);
                (r.Status, r.StatusDate) = (status, date);
            }
            await Set("早迁出", ResidentStatus.MovedOut, today.AddMonths(-40));
            await Set("中迁出", ResidentStatus.MovedOut, today.AddMonths(-20));
            await Set("新迁出", ResidentStatus.MovedOut, today.AddMonths(-6));
            await Set("早死亡", ResidentStatus.Deceased, today.AddMonths(-60));
            await Set("无日期", ResidentStatus.MovedOut, null);
            await db.SaveChangesAsync();
        }
        await app.AsAsync("county", sp => sp.GetRequiredService<RetentionService>()
            .ApproveAsync(new ApproveRetention { Category = ResidentStatus.MovedOut, ArchiveAfterMonths = 12, DeleteAfterMonths = 36 }));
        var before = await SnapshotAsync(app);
        List<(long Id, string? Summary)> audit;
        await using (var db = await app.SystemDbAsync())
            audit = (await db.AuditEntries.OrderBy(a => a.Id).Select(a => new { a.Id, a.Summary }).ToListAsync()).Select(a => (a.Id, a.Summary)).ToList();

        // Dry run: the report, and nothing changed.
        var (exit, output) = await Cli.RunAsync(app, "retention");
        Assert.Equal(0, exit);
        Assert.Contains("试运行，不做改动", output);
        Assert.Contains("迁出居民：12个月后归档，36个月后删除 —— 将归档 1 人，将删除 1 人", output);
        Assert.Matches(@"\n    \S+：归档 1 人，删除 1 人", output);
        Assert.Contains("死亡居民：保存期限尚未经县领导小组办公室审批，不处理", output);
        Assert.Contains("审计日志不在保存期限之内", output);
        Assert.Equal(before, await SnapshotAsync(app));

        (exit, output) = await Cli.RunAsync(app, "retention", "--commit");
        Assert.Equal(0, exit);
        Assert.Contains("已归档 1 人、删除 1 人，已记入审计日志", output);
        var after = await SnapshotAsync(app);
        Assert.DoesNotContain("早迁出", after.Keys);
        Assert.Equal(new[] { "中迁出", "在册", "新迁出", "早死亡", "无日期" }.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var untouched in new[] { "新迁出", "早死亡", "在册", "无日期" }) Assert.Equal(before[untouched], after[untouched]);
        Assert.Equal((true, false, false), (after["中迁出"].Archived, after["中迁出"].HasPhone, after["中迁出"].HasAddress));
        Assert.Equal(before["中迁出"].IdHash, after["中迁出"].IdHash);
        // The archived person's visit is kept, without the 户号: a household of one now, and R-7 is the registered member's.
        Assert.Equal([("R-7", "在册"), ((string?)null, "中迁出")], await VisitedAsync(app, lastMonth));
        await using (var db = await app.SystemDbAsync())
        {
            Assert.False(await db.ResidentChanges.IgnoreQueryFilters().AnyAsync(c => c.ResidentId == ids["早迁出"]));
            // Every audit row from before is still there, as it was; the deletion added its own.
            var now = (await db.AuditEntries.OrderBy(a => a.Id).Select(a => new { a.Id, a.Summary }).ToListAsync()).Select(a => (a.Id, a.Summary)).ToList();
            Assert.Equal(audit, now.Take(audit.Count));
            Assert.Contains(now.Skip(audit.Count), a => a.Summary is { } text && text.StartsWith("按保存期限处理迁出居民：归档 1 人", StringComparison.Ordinal) && text.Contains("删除 1 人"));
        }
        Assert.Equal(0, (await Cli.RunAsync(app, "verify-audit")).Exit);
        // The population figures follow: the community's moved-out months no longer count the deleted person.
        Assert.Equal(await PopulationStatisticTests.FreshGroupByAsync(app), await PopulationStatisticTests.StoredAsync(app));

        // Run again: nothing more is due.
        (exit, output) = await Cli.RunAsync(app, "retention", "--commit");
        Assert.Contains("已归档 0 人、删除 0 人", output);
        Assert.Equal(after, await SnapshotAsync(app));
    }

    /// <summary>The households a period's visits reached, with who was visited in each, as the grids page lists them.</summary>
    static async Task<List<(string? HouseholdNo, string People)>> VisitedAsync(ShiliuApp app, VisitPageQuery period) =>
        (await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().HouseholdsAsync(period))).Households.Items
        .Select(h => (h.HouseholdNo, string.Join("、", h.People.Select(p => p.Name)))).ToList();

    sealed record Kept(ResidentStatus Status, DateOnly? StatusDate, bool Archived, bool HasPhone, bool HasAddress, string IdHash, int Version);

    static async Task<Dictionary<string, Kept>> SnapshotAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return (await db.Residents.IgnoreQueryFilters().Where(r => r.Name.EndsWith("迁出") || r.Name == "早死亡" || r.Name == "在册" || r.Name == "无日期").ToListAsync())
            .ToDictionary(r => r.Name, r => new Kept(r.Status, r.StatusDate, r.ArchivedUtc is not null, r.PhoneCipher is not null, r.Address is not null, r.IdNumberHash, r.Version));
    }
}
