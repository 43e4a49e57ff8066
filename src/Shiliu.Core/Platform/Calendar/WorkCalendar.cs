using Shiliu.Core.Common;

namespace Shiliu.Core.Platform.Calendar;

/// <summary>Office hours of a working day, in China time (e.g. 09:00–12:00 and 14:30–18:00).</summary>
public sealed record OfficeHours(IReadOnlyList<(TimeOnly From, TimeOnly To)> Periods)
{
    public static readonly OfficeHours Default = Parse("09:00-12:00,14:30-18:00");

    public int MinutesPerDay { get; } = Periods.Sum(p => (int)(p.To - p.From).TotalMinutes);

    /// <summary>"09:00-12:00,14:30-18:00"; periods in order, not overlapping.</summary>
    public static OfficeHours Parse(string text)
    {
        var periods = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p =>
        {
            var parts = p.Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !TimeOnly.TryParse(parts[0], out var from) || !TimeOnly.TryParse(parts[1], out var to) || to <= from)
                throw new InvalidOperationException($"Calendar:OfficeHours 中的“{p}”无效，应如 09:00-12:00");
            return (from, to);
        }).ToList();
        if (periods.Count == 0 || periods.Zip(periods.Skip(1)).Any(x => x.Second.from < x.First.to))
            throw new InvalidOperationException("Calendar:OfficeHours 应按时间顺序列出不重叠的时段，如 09:00-12:00,14:30-18:00");
        return new OfficeHours(periods);
    }
}

/// <summary>
/// China's working days for deadline arithmetic: Monday to Friday, less the public holidays, plus the make-up working days
/// of the State Council's yearly notices (调休). Immutable; <see cref="CalendarService"/> hands out the current one.
/// </summary>
public sealed class WorkCalendar(IReadOnlyDictionary<DateOnly, DayKind> days, IReadOnlyCollection<int> officialYears, OfficeHours hours)
{
    public OfficeHours Hours { get; } = hours;

    /// <summary>Years whose arrangement comes from a published notice (later years count plain weekends and statutory days only).</summary>
    public IReadOnlyCollection<int> OfficialYears { get; } = officialYears;

    public bool IsWorkday(DateOnly d) => days.TryGetValue(d, out var k) ? k == DayKind.Work : d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The <paramref name="n"/>th working day after <paramref name="start"/> (the start day itself is not counted, as in "N个工作日内").</summary>
    public DateOnly AddWorkingDays(DateOnly start, int n)
    {
        var d = start;
        for (var i = 0; i < n;)
        {
            d = d.AddDays(1);
            if (IsWorkday(d)) i++;
        }
        return d;
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var n = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (IsWorkday(d)) n++;
        return n;
    }

    /// <summary>The end of office hours of a day, as UTC.</summary>
    public DateTime EndOfDayUtc(DateOnly d) => ChinaTime.ToUtc(d.ToDateTime(Hours.Periods[^1].To));

    /// <summary>Office minutes from one instant to another (negative when <paramref name="toUtc"/> is earlier).</summary>
    public long OfficeMinutesBetween(DateTime fromUtc, DateTime toUtc)
    {
        if (toUtc < fromUtc) return -OfficeMinutesBetween(toUtc, fromUtc);
        var from = ChinaTime.ToChina(fromUtc);
        var to = ChinaTime.ToChina(toUtc);
        double minutes = 0;
        for (var d = DateOnly.FromDateTime(from); d <= DateOnly.FromDateTime(to); d = d.AddDays(1))
        {
            if (!IsWorkday(d)) continue;
            foreach (var (start, end) in Hours.Periods)
            {
                var a = Max(d.ToDateTime(start), from);
                var b = Min(d.ToDateTime(end), to);
                if (b > a) minutes += (b - a).TotalMinutes;
            }
        }
        return (long)Math.Floor(minutes);
    }

    /// <summary>The instant <paramref name="minutes"/> office minutes after (or, when negative, before) <paramref name="fromUtc"/>.</summary>
    public DateTime AddOfficeMinutes(DateTime fromUtc, long minutes)
    {
        var t = ChinaTime.ToChina(fromUtc);
        var left = (double)Math.Abs(minutes);
        var forward = minutes >= 0;
        for (var d = DateOnly.FromDateTime(t); ; d = forward ? d.AddDays(1) : d.AddDays(-1))
        {
            if (!IsWorkday(d)) continue;
            var periods = forward ? Hours.Periods : Hours.Periods.Reverse();
            foreach (var (start, end) in periods)
            {
                var a = forward ? Max(d.ToDateTime(start), t) : d.ToDateTime(start);
                var b = forward ? d.ToDateTime(end) : Min(d.ToDateTime(end), t);
                if (b <= a) continue;
                var span = (b - a).TotalMinutes;
                if (span >= left) return ChinaTime.ToUtc(forward ? a.AddMinutes(left) : b.AddMinutes(-left));
                left -= span;
            }
        }
    }

    static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
    static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
