using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Activities;

public sealed record FestivalRow(Guid Id, string Name, string Ethnicities, FestivalRule Rule, int Month, int Day, int Days, string? Description,
    bool Enabled, int Version)
{
    public string RuleText => FestivalCalendar.Describe(Rule, Month, Day, Days);
}

public sealed record FestivalDate(Guid FestivalId, string Name, string Ethnicities, DateOnly Start, int Days, string RuleText);

public sealed class SaveFestival
{
    [Required(ErrorMessage = "节日名称不能为空"), StringLength(40, ErrorMessage = "节日名称不能超过40字")]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "民族不能为空"), StringLength(60, ErrorMessage = "民族不能超过60字")]
    public string Ethnicities { get; set; } = "";

    [EnumDataType(typeof(FestivalRule), ErrorMessage = "日期规则无效")]
    public FestivalRule Rule { get; set; }

    [Range(1, 12, ErrorMessage = "月份须在1至12之间")]
    public int Month { get; set; } = 1;

    [Range(0, 31, ErrorMessage = "日期须在1至31之间")]
    public int Day { get; set; } = 1;

    [Range(1, 15, ErrorMessage = "节期须在1至15天之间")]
    public int Days { get; set; } = 1;

    [StringLength(500, ErrorMessage = "说明不能超过500字")]
    public string? Description { get; set; }

    public bool Enabled { get; set; } = true;
    public int Version { get; set; }
}

/// <summary>Turns festival rules into Gregorian dates: fixed dates, Chinese lunar dates, and "first 辰 day of lunar month 10".</summary>
public static class FestivalCalendar
{
    static readonly ChineseLunisolarCalendar Lunar = new();
    public static readonly string[] Branches = ["子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥"];
    static readonly string[] Zodiac = ["鼠", "牛", "虎", "兔", "龙", "蛇", "马", "羊", "猴", "鸡", "狗", "猪"];
    static readonly string[] LunarMonths = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"];
    // 2000-01-07 was a 甲子 day; the sexagenary day count runs unbroken from there.
    static readonly DateOnly JiaZi = new(2000, 1, 7);

    public static int BranchOf(DateOnly d) => ((d.DayNumber - JiaZi.DayNumber) % 60 + 60) % 60 % 12;

    public static string LunarDayName(int d) => d switch
    {
        <= 10 => "初" + "一二三四五六七八九十"[d - 1],
        < 20 => "十" + "一二三四五六七八九"[d - 11],
        20 => "二十",
        < 30 => "廿" + "一二三四五六七八九"[d - 21],
        _ => "三十",
    };

    public static string Describe(FestivalRule rule, int month, int day, int days) => rule switch
    {
        FestivalRule.Gregorian => $"公历{month}月{day}日",
        FestivalRule.Lunar => $"农历{LunarMonths[month - 1]}月{LunarDayName(day)}",
        _ => $"农历{LunarMonths[month - 1]}月首个{Branches[day]}（属{Zodiac[day]}）日",
    } + (days > 1 ? $"起，共{days}天" : "");

    /// <summary>The festival's start date in the given lunar/Gregorian year, if it exists.</summary>
    public static DateOnly? Start(FestivalRule rule, int month, int day, int year)
    {
        if (year < 1902 || year > 2099) return null;
        switch (rule)
        {
            case FestivalRule.Gregorian:
                return new DateOnly(year, month, Math.Min(day, DateTime.DaysInMonth(year, month)));
            case FestivalRule.Lunar:
            {
                var m = MonthIndex(year, month);
                return DateOnly.FromDateTime(Lunar.ToDateTime(year, m, Math.Min(day, Lunar.GetDaysInMonth(year, m)), 0, 0, 0, 0));
            }
            default:
            {
                var m = MonthIndex(year, month);
                var first = DateOnly.FromDateTime(Lunar.ToDateTime(year, m, 1, 0, 0, 0, 0));
                var len = Lunar.GetDaysInMonth(year, m);
                for (var i = 0; i < len; i++)
                    if (BranchOf(first.AddDays(i)) == day) return first.AddDays(i);
                return null;
            }
        }
    }

    /// <summary>Leap months take an index of their own; the ordinary month M sits after a leap month that precedes it.</summary>
    static int MonthIndex(int year, int month)
    {
        var leap = Lunar.GetLeapMonth(year);
        return leap > 0 && month >= leap ? month + 1 : month;
    }

    /// <summary>Every start date that falls between from and to (inclusive), looking at the lunar years that overlap.</summary>
    public static IEnumerable<DateOnly> Between(FestivalRule rule, int month, int day, DateOnly from, DateOnly to)
    {
        for (var y = from.Year - 1; y <= to.Year; y++)
            if (Start(rule, month, day, y) is { } d && d >= from && d <= to) yield return d;
    }
}

/// <summary>The county's list of ethnic festivals; everyone sees it, the county office edits it.</summary>
public sealed class FestivalService(IDbContextFactory<ShiliuDb> dbs)
{
    public async Task<IReadOnlyList<FestivalRow>> ListAsync(bool includeDisabled = false, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.Festivals.AsNoTracking().Where(f => includeDisabled || f.Enabled).OrderBy(f => f.Month).ThenBy(f => f.Day).ToListAsync(ct))
            .Select(Row).ToList();
    }

    public async Task<FestivalRow> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return Row(await db.Festivals.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundInScope("节庆"));
    }

    static FestivalRow Row(Festival f) => new(f.Id, f.Name, f.Ethnicities, f.Rule, f.Month, f.Day, f.Days, f.Description, f.Enabled, f.Version);

    public async Task<IReadOnlyList<FestivalDate>> DatesAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (to < from || to.DayNumber - from.DayNumber > 800) throw RuleViolation.ForField(CommonErrors.Validation, "to", "日期范围无效（最长两年）");
        var list = await ListAsync(false, ct);
        return list.SelectMany(f => FestivalCalendar.Between(f.Rule, f.Month, f.Day, from, to)
                .Select(d => new FestivalDate(f.Id, f.Name, f.Ethnicities, d, f.Days, f.RuleText)))
            .OrderBy(d => d.Start).ToList();
    }

    public async Task<Guid> SaveAsync(Guid? id, SaveFestival req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ActivityPermissions.FestivalManage, ActivityErrors.FestivalDenied, "维护节庆日历（由县领导小组办公室维护）");
        var maxDay = req.Rule == FestivalRule.Lunar ? 30 : 31;
        if (req.Rule == FestivalRule.LunarMonthBranchDay ? req.Day is < 0 or > 11 : req.Day < 1 || req.Day > maxDay)
            throw new RuleViolation(CommonErrors.Validation, req.Rule == FestivalRule.LunarMonthBranchDay ? "地支须在子至亥之间" : "日期无效");
        var name = Validation.CleanText(req.Name, "节日名称");
        if (await db.Festivals.AnyAsync(f => f.Name == name && f.Id != id, ct)) throw new RuleViolation(CommonErrors.Validation, $"已有名为“{name}”的节日");
        Festival f;
        if (id is { } existing)
        {
            f = await db.Festivals.SingleOrDefaultAsync(x => x.Id == existing, ct) ?? throw new NotFoundInScope("节日");
            db.Entry(f).Property(x => x.Version).OriginalValue = req.Version;
        }
        else db.Festivals.Add(f = new Festival());
        f.Name = name;
        f.Ethnicities = Validation.CleanText(req.Ethnicities, "民族");
        f.Rule = req.Rule;
        f.Month = req.Month;
        f.Day = req.Day;
        f.Days = req.Days;
        f.Description = string.IsNullOrWhiteSpace(req.Description) ? null : Validation.CleanText(req.Description, "说明");
        f.Enabled = req.Enabled;
        await db.SaveOrConflictAsync(f, ct);
        return f.Id;
    }

    /// <summary>The festivals of 玉溪/新平 from DOMAIN.md §7 (editable afterwards).</summary>
    internal static async Task<int> SeedAsync(ShiliuDb db, CancellationToken ct)
    {
        if (await db.Festivals.AnyAsync(ct)) return 0;
        Festival F(string name, string eth, FestivalRule rule, int m, int d, int days, string desc) =>
            new() { Name = name, Ethnicities = eth, Rule = rule, Month = m, Day = d, Days = days, Description = desc };
        db.Festivals.AddRange(
            F("彝族火把节", "彝族", FestivalRule.Lunar, 6, 24, 3, "农历六月二十四（部分地方廿五）；新平磨盘山烽火台钻木取火、县城民族广场点火"),
            F("花腰傣花街节（上花街）", "傣族（花腰傣）", FestivalRule.Lunar, 1, 13, 1, "传统“上花街”，戛洒、漠沙等地"),
            F("花腰傣花街节（下花街）", "傣族（花腰傣）", FestivalRule.Lunar, 5, 6, 1, "传统“下花街”"),
            F("傣族泼水节", "傣族", FestivalRule.Gregorian, 4, 13, 3, "傣历新年，公历约4月13—15日"),
            F("花腰傣风情沐浴节", "傣族（花腰傣）", FestivalRule.Gregorian, 5, 1, 1, "戛洒凤凰广场"),
            F("戛洒汤锅节", "傣族、彝族", FestivalRule.Gregorian, 10, 1, 3, "公历10月1—3日"),
            F("哈尼十月年", "哈尼族", FestivalRule.LunarMonthBranchDay, 10, 4, 5, "农历十月首个属龙日起至属猴日"),
            F("春节", "各民族", FestivalRule.Lunar, 1, 1, 7, "戛洒花街节（旅游节庆）在春节期间举行；水塘春节后连赶三街"));
        await db.SaveChangesAsync(ct);
        return 8;
    }
}
