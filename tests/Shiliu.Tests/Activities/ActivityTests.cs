using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Shiliu.Core.Activities;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Activities;

public sealed class ActivityTests
{
    const string Chengzhong = "530427001001";

    static SaveActivity Torch(Guid unit) => new()
    {
        OrgUnitId = unit, TypeCode = "A03", Title = "2019年火把节联欢", Date = new DateOnly(2019, 7, 26), Place = "城中社区广场", Organiser = "城中社区居委会",
        ParticipantsTotal = 150, Participants = [new() { EthnicityCode = "07", Count = 80 }, new() { EthnicityCode = "01", Count = 50 }, new() { EthnicityCode = "17", Count = 20 }],
        Description = "点火仪式、左脚舞", Criteria = [5],
    };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_activity_keeps_head_counts_by_ethnicity_its_photos_go_to_the_archive_and_the_ledger_exports(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var id = await app.AsAsync("community", sp => sp.GetRequiredService<ActivityService>().SaveAsync(null, Torch(unit.Id)));
        await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
            new EvidenceMeta { OrgUnitId = unit.Id, Year = 2019, ActivityId = id, Criteria = [5] }, "点火.jpg", new MemoryStream(TestFiles.Jpeg(300, 200))));

        var detail = await app.AsAsync("community", sp => sp.GetRequiredService<ActivityService>().GetAsync(id));
        Assert.Equal((150, 100, 1, "民族节庆"), (detail.Row.ParticipantsTotal, detail.Row.MinorityCount, detail.Row.Photos, detail.Row.TypeName));
        Assert.Contains(detail.Participants, p => p.Name == "彝族" && p.Count == 80);

        var tooMany = Torch(unit.Id);
        tooMany.ParticipantsTotal = 100;
        var sum = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => sp.GetRequiredService<ActivityService>().SaveAsync(null, tooMany)));
        Assert.Contains("各民族人数之和（150）超过了参加总人数（100）", sum.Message);
        var badType = Torch(unit.Id);
        badType.TypeCode = "ZZ";
        Assert.Contains("活动类型不在字典中", (await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<ActivityService>().SaveAsync(null, badType)))).Message);
        var formula = Torch(unit.Id);
        formula.Title = "=HYPERLINK(\"http://x\")";
        await app.AsAsync("community", sp => sp.GetRequiredService<ActivityService>().SaveAsync(null, formula));
        var busy = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<ActivityService>().DeleteAsync(id, detail.Row.Version)));
        Assert.Contains("还有 1 件台账材料", busy.Message);

        var (bytes, name) = await app.AsAsync("community", async sp => await Exports.ReadAsync(await sp.GetRequiredService<ActivityService>().ExportLedgerAsync(unit.Id, 2019)));
        Assert.Equal("城中社区2019年活动台账.xlsx", name);
        var rows = (await new MemoryStream(bytes).QueryAsync(useHeaderRow: false)).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal("城中社区民族团结进步创建活动台账（2019年）", rows[0]["A"]);
        Assert.Equal("活动名称", rows[2]["C"]);
        Assert.Contains(rows, r => (r["C"] as string) == "2019年火把节联欢" && (r["I"] as string)!.StartsWith("彝族80人", StringComparison.Ordinal));
        Assert.Contains(rows, r => (r["C"] as string) == "'=HYPERLINK(\"http://x\")");
        Assert.Equal("合计", rows[^1]["A"]);

        Assert.Empty((await app.AsAsync("community2", sp => sp.GetRequiredService<ActivityService>().ListAsync(new ActivityQuery()))).Items);
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<ActivityService>().GetAsync(id)));
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Summary!.Contains("登记活动《2019年火把节联欢》")));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Summary!.Contains("导出城中社区2019年活动台账")));
    }

    [Fact]
    public void Festival_dates_follow_the_lunar_calendar_including_leap_months_and_branch_days()
    {
        // 春节 and 火把节 (六月廿四) in ordinary years and in 2023, which had a leap second month.
        Assert.Equal(new DateOnly(2024, 2, 10), FestivalCalendar.Start(FestivalRule.Lunar, 1, 1, 2024));
        Assert.Equal(new DateOnly(2019, 7, 26), FestivalCalendar.Start(FestivalRule.Lunar, 6, 24, 2019));
        Assert.Equal(new DateOnly(2023, 8, 10), FestivalCalendar.Start(FestivalRule.Lunar, 6, 24, 2023));
        Assert.Equal(new DateOnly(2025, 4, 13), FestivalCalendar.Start(FestivalRule.Gregorian, 4, 13, 2025));
        // 2024-02-10 was a 甲辰 day: branch 辰 (4).
        Assert.Equal(4, FestivalCalendar.BranchOf(new DateOnly(2024, 2, 10)));
        var shiyuenian = FestivalCalendar.Start(FestivalRule.LunarMonthBranchDay, 10, 4, 2024)!.Value;
        Assert.Equal(4, FestivalCalendar.BranchOf(shiyuenian));
        var lunar = new System.Globalization.ChineseLunisolarCalendar();
        var asDate = shiyuenian.ToDateTime(TimeOnly.MinValue);
        Assert.Equal(10, lunar.GetMonth(asDate) - (lunar.GetLeapMonth(2024) is > 0 and <= 10 ? 1 : 0));
        Assert.True(lunar.GetDayOfMonth(asDate) <= 12);
        Assert.Equal("农历六月廿四起，共3天", FestivalCalendar.Describe(FestivalRule.Lunar, 6, 24, 3));
        Assert.Equal("农历十月首个辰（属龙）日", FestivalCalendar.Describe(FestivalRule.LunarMonthBranchDay, 10, 4, 1));
        Assert.Single(FestivalCalendar.Between(FestivalRule.Lunar, 12, 23, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_festival_calendar_is_seeded_shown_in_the_month_and_edited_only_by_the_county(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var july = await app.AsAsync("community", sp => sp.GetRequiredService<ActivityService>().MonthAsync(2019, 7, null));
        Assert.Contains(july.Festivals, f => f.Name == "彝族火把节" && f.Start == new DateOnly(2019, 7, 26));
        var denied = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<FestivalService>().SaveAsync(null, new SaveFestival { Name = "三月三", Ethnicities = "壮族", Rule = FestivalRule.Lunar, Month = 3, Day = 3 })));
        Assert.Contains("县领导小组办公室", denied.Message);
        await app.AsAsync("county", sp => sp.GetRequiredService<FestivalService>().SaveAsync(null, new SaveFestival { Name = "三月三", Ethnicities = "壮族", Rule = FestivalRule.Lunar, Month = 3, Day = 3 }));
        var april = await app.AsAsync("community", sp => sp.GetRequiredService<FestivalService>().DatesAsync(new DateOnly(2019, 4, 1), new DateOnly(2019, 4, 30)));
        Assert.Contains(april, f => f.Name == "三月三" && f.Start == new DateOnly(2019, 4, 7));
        Assert.Contains(april, f => f.Name == "傣族泼水节" && f.Start == new DateOnly(2019, 4, 13));
    }
}
