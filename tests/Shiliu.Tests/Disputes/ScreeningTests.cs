using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Disputes;
using Shiliu.Core.Platform.Todos;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Disputes;

public sealed class ScreeningTests
{
    static ScreeningService S(IServiceProvider sp) => sp.GetRequiredService<ScreeningService>();

    static FakeTimeProvider At(int day) => new(new DateTimeOffset(2026, 11, day, 2, 0, 0, TimeSpan.Zero));

    static SaveScreening Nil(int day) => new() { Date = new DateOnly(2026, 11, day), Area = "全社区六个网格", Nil = true, Screener = "王调解员" };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_nil_report_counts_as_reported_and_the_township_sees_who_has_not_reported(DbProvider kind)
    {
        var clock = At(12);
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        // Before the 20th the community has the report as a to-do, the township nothing yet.
        Assert.Contains(await app.AsAsync("community", sp => sp.GetRequiredService<TodoService>().MineAsync()),
            t => t.Kind == TodoKind.Waiting && t.Title.StartsWith("本月矛盾纠纷排查待上报（11月20日前") && t.Count == 1);
        Assert.DoesNotContain(await app.AsAsync("township", sp => sp.GetRequiredService<TodoService>().MineAsync()), t => t.Title == "本月未上报矛盾纠纷排查的社区");

        var empty = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => S(sp).ReportAsync(null)));
        Assert.Equal("month", Assert.Single(empty.Fields!).Key);
        var mixed = Nil(10);
        mixed.Factors = "邻里口角";
        Assert.Equal("factors", Assert.Single((await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => S(sp).SaveAsync(mixed)))).Fields!).Key);
        var found = Nil(11);
        found.Nil = false;
        Assert.Equal("factors", Assert.Single((await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => S(sp).SaveAsync(found)))).Fields!).Key);
        var future = Nil(13);
        Assert.Equal("date", Assert.Single((await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => S(sp).SaveAsync(future)))).Fields!).Key);
        await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("grid", sp => S(sp).SaveAsync(Nil(10))));

        await app.AsAsync("community", sp => S(sp).SaveAsync(Nil(10)));
        await app.AsAsync("community", sp => S(sp).ReportAsync(null));
        var twice = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => S(sp).ReportAsync(202611)));
        Assert.Equal(DisputeErrors.ScreeningReported, twice.Code);
        var late = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => S(sp).SaveAsync(Nil(11))));
        Assert.Equal(DisputeErrors.ScreeningReported, late.Code);

        // 中心村 of 扬武镇 found something and reports it after the 20th.
        var factors = new SaveScreening { Date = new DateOnly(2026, 11, 5), Area = "一组", Nil = false, Factors = "两户因灌溉用水争执", FactorCount = 1, Risk = ScreeningRisk.Medium, Screener = "李" };
        await app.AsAsync("community2", sp => S(sp).SaveAsync(factors));

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        await app.AsAsync("community2", sp => S(sp).ReportAsync(null));
        var township = await app.AsAsync("township", sp => S(sp).StatusAsync(null));
        var chengzhong = Assert.Single(township.Units, u => u.UnitName == "城中社区");
        Assert.True(chengzhong.Reported && chengzhong.Nil && !chengzhong.Late);
        Assert.Equal(township.Units.Count - 1, township.NotReported.Count);
        Assert.True(township.PastDue);
        Assert.DoesNotContain(township.Units, u => u.TownshipName == "扬武镇");
        var county = await app.AsAsync("county", sp => S(sp).StatusAsync(202611));
        var zhongxin = Assert.Single(county.Units, u => u.UnitName == "中心村");
        Assert.True(zhongxin.Reported && !zhongxin.Nil && zhongxin.Late);
        Assert.Equal((2, 1), (county.ReportedCount, county.NilCount));

        // After the 20th the township's to-do names how many of its communities have not reported.
        var todos = await app.AsAsync("township", sp => sp.GetRequiredService<TodoService>().MineAsync());
        Assert.Contains(todos, t => t.Title == "本月未上报矛盾纠纷排查的社区" && t.Count == township.NotReported.Count && t.Kind == TodoKind.Overdue);
        Assert.DoesNotContain(await app.AsAsync("community", sp => sp.GetRequiredService<TodoService>().MineAsync()), t => t.Title.StartsWith("本月矛盾纠纷排查待上报"));

        // What a screening found is for those who handle disputes; the leader sees the count.
        var leaderRows = await app.AsAsync("leader", sp => S(sp).ListAsync(new ScreeningQuery { Month = 202611 }));
        Assert.Equal(2, leaderRows.Total);
        Assert.All(leaderRows.Items, r => Assert.Null(r.Factors));
        var stats = await app.AsAsync("county", sp => sp.GetRequiredService<DisputeStatisticsService>().StatsAsync(new DisputeStatsQuery { Year = 2026 }));
        var nov = stats.Months[10];
        Assert.Equal((2, 1, 2), (nov.Screenings, nov.NilScreenings, nov.UnitsReported));
    }
}
