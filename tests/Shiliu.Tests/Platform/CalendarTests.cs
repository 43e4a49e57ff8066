using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>Working days as the State Council's notices set them, and deadline clocks that pause without losing time.</summary>
public sealed class CalendarTests
{
    static DateTime China(int y, int m, int d, int h = 0, int min = 0) => ChinaTime.ToUtc(new DateTime(y, m, d, h, min, 0));

    static Task<WorkCalendar> CalendarAsync(ShiliuApp app) => app.AsAsync("community", sp => sp.GetRequiredService<CalendarService>().CurrentAsync());

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Working_days_cross_the_spring_festival_and_national_day_with_their_make_up_weekends(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var cal = await CalendarAsync(app);

        // 2024 春节: 2月10日至17日放假, 2月4日（周日）、2月18日（周日）上班.
        Assert.True(cal.IsWorkday(new DateOnly(2024, 2, 4)));
        Assert.False(cal.IsWorkday(new DateOnly(2024, 2, 12)));
        Assert.Equal(new DateOnly(2024, 2, 21), cal.AddWorkingDays(new DateOnly(2024, 2, 8), 5));   // 9, 18, 19, 20, 21
        // 2026 国庆: 10月1日至7日放假, 9月20日（周日）、10月10日（周六）上班.
        Assert.Equal(new DateOnly(2026, 9, 20), cal.AddWorkingDays(new DateOnly(2026, 9, 18), 1));
        Assert.Equal(new DateOnly(2026, 10, 10), cal.AddWorkingDays(new DateOnly(2026, 9, 30), 3)); // 8, 9, 10
        Assert.Equal(3, cal.WorkingDaysBetween(new DateOnly(2026, 9, 30), new DateOnly(2026, 10, 10)));
        // 2020: the spring festival extended to 2月2日 cancelled the make-up Saturday of 2月1日.
        Assert.False(cal.IsWorkday(new DateOnly(2020, 2, 1)));
        Assert.Equal(new DateOnly(2020, 2, 3), cal.AddWorkingDays(new DateOnly(2020, 1, 23), 1));
        // 2027 is entered provisionally (statutory days only) until its notice is out.
        Assert.False(cal.IsWorkday(new DateOnly(2027, 2, 8)));
        Assert.DoesNotContain(2027, cal.OfficialYears);
        Assert.Contains(2026, cal.OfficialYears);

        // Office hours: 09:00–12:00, 14:30–18:00; the make-up Sunday counts, the Saturday does not.
        Assert.Equal(60 + 390 + 60, cal.OfficeMinutesBetween(China(2026, 9, 18, 17), China(2026, 9, 21, 10)));
        Assert.Equal(China(2024, 2, 9, 17, 30), cal.AddOfficeMinutes(China(2024, 2, 8, 16), 8 * 60));
        Assert.Equal(China(2024, 2, 8, 16), cal.AddOfficeMinutes(China(2024, 2, 9, 17, 30), -8 * 60));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_clock_paused_while_waiting_for_the_resident_keeps_the_time_already_used(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var cal = await CalendarAsync(app);
        var limit = new TimeLimit(3, ClockUnit.WorkingDays);
        var start = China(2026, 9, 30, 10);
        (DateTime, bool)[] changes = [(China(2026, 10, 8, 9, 30), true), (China(2026, 10, 12, 9), false)];

        var fresh = DeadlineClock.Read(cal, limit, start, [], China(2026, 9, 30, 11));
        Assert.Equal((DeadlineState.OnTime, China(2026, 10, 10, 18)), (fresh.State, fresh.DueUtc!.Value));

        // Waiting for the resident from 10月8日 09:30: 360 office minutes used, 1,140 kept for later.
        var paused = DeadlineClock.Read(cal, limit, start, changes, China(2026, 10, 10, 17));
        Assert.Equal((DeadlineState.Paused, 1140L, 360L), (paused.State, paused.RemainingMinutes, paused.UsedMinutes));
        Assert.Null(paused.DueUtc);

        // Resumed 10月12日 09:00: the 1,140 minutes run to 10月14日 17:30.
        var resumed = DeadlineClock.Read(cal, limit, start, changes, China(2026, 10, 13, 9));
        Assert.Equal((DeadlineState.OnTime, China(2026, 10, 14, 17, 30)), (resumed.State, resumed.DueUtc!.Value));
        Assert.Equal(DeadlineState.DueSoon, DeadlineClock.Read(cal, limit, start, changes, China(2026, 10, 14, 10)).State);
        var late = DeadlineClock.Read(cal, limit, start, changes, China(2026, 10, 15, 9, 30));
        Assert.Equal((DeadlineState.Overdue, -60L), (late.State, late.RemainingMinutes));   // 17:30–18:00 and 09:00–09:30
        Assert.Equal("已逾期", late.StateName);

        var hours = DeadlineClock.Read(cal, new TimeLimit(8, ClockUnit.WorkingHours), China(2024, 2, 8, 16), [], China(2024, 2, 8, 16));
        Assert.Equal(China(2024, 2, 9, 17, 30), hours.DueUtc);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_county_office_enters_next_years_notice_and_bad_rows_are_named(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        CalendarService S(IServiceProvider sp) => sp.GetRequiredService<CalendarService>();
        var y2027 = await app.AsAsync("county", sp => S(sp).YearAsync(2027));
        Assert.True(y2027.Provisional);
        Assert.Equal(13, y2027.OffDays);

        var save = new SaveHolidayYear
        {
            Source = "国务院办公厅关于2027年部分节假日安排的通知", Version = y2027.Version,
            Days = [.. y2027.Days.Select(d => new SaveHolidayDay { Date = d.Date, Kind = d.Kind, Name = d.Name }),
                new() { Date = new DateOnly(2027, 2, 9), Kind = DayKind.Off, Name = "春节" },
                new() { Date = new DateOnly(2027, 2, 20), Kind = DayKind.Work, Name = "春节" }],
        };
        var denied = await app.AsAsync("township", sp => Assert.ThrowsAsync<RuleViolation>(() => S(sp).SaveYearAsync(2027, save)));
        Assert.Equal(CalendarErrors.Denied, denied.Code);
        var weekday = new SaveHolidayYear { Source = save.Source, Version = save.Version, Days = [new() { Date = new DateOnly(2027, 2, 10), Kind = DayKind.Work, Name = "春节" }] };
        var refused = await app.AsAsync("county", sp => Assert.ThrowsAsync<RuleViolation>(() => S(sp).SaveYearAsync(2027, weekday)));
        Assert.Equal("第1行 2027年2月10日是工作日，不需要标为调休上班", refused.Message);
        Assert.Equal(["days[0]"], refused.Fields.Keys);

        await app.AsAsync("county", sp => S(sp).SaveYearAsync(2027, save));
        var cal = await CalendarAsync(app);
        Assert.True(cal.IsWorkday(new DateOnly(2027, 2, 20)));
        Assert.False(cal.IsWorkday(new DateOnly(2027, 2, 9)));
        var due = await app.AsAsync("community", sp => S(sp).DueAsync(new DateOnly(2027, 2, 4), 3));
        // 2月5日至9日放假: the third working day after 2月4日 is 2月12日.
        Assert.Equal(new DateOnly(2027, 2, 12), due.Due);
        Assert.Equal(5, due.Crossed.Count);
        Assert.False(due.Provisional);
    }

    /// <summary>
    /// A case 转办 from one community to another: who held it how long comes from its steps, the time the offer waited for
    /// the receiver is its own span, and a pause (等待群众补充材料) stops the deadline without losing the time used.
    /// </summary>
    [Fact]
    public void Hand_over_spans_and_the_paused_clock_are_read_from_the_steps()
    {
        var cal = new WorkCalendar(new Dictionary<DateOnly, DayKind>(), [], OfficeHours.Default);
        const string a = "/county/t1/a/", b = "/county/t1/b/";
        var start = China(2026, 11, 2, 9);                       // Monday
        WorkflowStep Step(long id, DateTime at, string path, string? to, int from, int toState) =>
            new() { Id = id, TimeUtc = at, OrgPath = path, HandoverToPath = to, FromState = from, ToState = toState, Workflow = "t", Action = "x" };
        var steps = new[]
        {
            Step(1, China(2026, 11, 2, 10), a, null, 0, 1),       // 受理 at A
            Step(2, China(2026, 11, 3, 9), a, b, 1, 2),           // 转办 offered to B (A held it 1 day less 1 hour)
            Step(3, China(2026, 11, 3, 14, 30), b, null, 2, 1),   // B accepts after 3 office hours
            Step(4, China(2026, 11, 4, 9), b, null, 1, 3),        // 挂起: waits for the resident
            Step(5, China(2026, 11, 9, 9), b, null, 3, 1),        // resumed the next Monday
        };
        var spans = Handover.Holdings(cal, a, start, steps, China(2026, 11, 9, 12));
        Assert.Equal([(a, false), (b, true), (b, false)], spans.Select(s => (s.OrgPath, s.Waiting)));
        Assert.Equal(390, spans[0].OfficeMinutes);               // Monday 09:00 → Tuesday 09:00
        Assert.Equal(180, spans[1].OfficeMinutes);               // 09:00–12:00
        Assert.Null(spans[2].ToUtc);

        // 3 working days from Monday: due Thursday 18:00. Paused Wednesday 09:00 with 2 days left, resumed Monday 09:00:
        // due Tuesday 18:00 (two office days), not Thursday; the four paused days are not counted as used.
        var clock = Handover.Clock(cal, new TimeLimit(3, ClockUnit.WorkingDays), start, steps, new HashSet<int> { 3 }, China(2026, 11, 9, 12));
        Assert.Equal(DeadlineState.OnTime, clock.State);
        Assert.Equal(China(2026, 11, 10, 18), clock.DueUtc);
        Assert.Equal(2 * 390 + 180, clock.UsedMinutes);
        var paused = Handover.Clock(cal, new TimeLimit(3, ClockUnit.WorkingDays), start, steps.Take(4).ToList(), new HashSet<int> { 3 }, China(2026, 11, 6, 12));
        Assert.Equal(DeadlineState.Paused, paused.State);
    }
}
