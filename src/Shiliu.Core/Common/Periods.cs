namespace Shiliu.Core.Common;

/// <summary>
/// A figures period as the dashboard and the report draft take it: inclusive China-time dates, 1 January of this year to
/// today when left out, never past today nor longer than five years; refusals name the field.
/// </summary>
public static class Periods
{
    static readonly DateOnly Floor = new(2000, 1, 1);

    public static (DateOnly From, DateOnly To) Check(DateOnly? from, DateOnly? to, DateOnly today, ErrorCode invalid)
    {
        var f = from ?? new DateOnly(today.Year, 1, 1);
        var t = to ?? today;
        if (t > today) throw RuleViolation.ForField(invalid, "to", "统计截止日期不能晚于今天");
        if (f < Floor) throw RuleViolation.ForField(invalid, "from", "统计起始日期不能早于2000年1月1日");
        if (f > t) throw RuleViolation.ForField(invalid, "from", "统计起始日期不能晚于截止日期");
        if (t.DayNumber - f.DayNumber > 366 * 5) throw RuleViolation.ForField(invalid, "from", "统计期间不能超过5年");
        return (f, t);
    }

    /// <summary>A period as a list's filter line reads it: "2026年1月1日至2026年3月31日", "…以来", "…以前", or empty.</summary>
    public static string Text(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        ({ } f, { } t) => $"{f:yyyy年M月d日}至{t:yyyy年M月d日}",
        ({ } f, null) => $"{f:yyyy年M月d日}以来",
        (null, { } t) => $"{t:yyyy年M月d日}以前",
        _ => "",
    };
}

/// <summary>
/// A period cut for a monthly tally: the whole calendar months inside it, which the tally answers, and the days before
/// and after them, which only the rows can answer. Bounds left out are open; <see cref="Days"/> ranges are half-open.
/// </summary>
public sealed record MonthSplit(bool HasMonths, DateOnly? FirstMonth, DateOnly? EndMonth, IReadOnlyList<(DateOnly From, DateOnly Until)> Days)
{
    /// <param name="from">First day, inclusive (null: from the beginning).</param>
    /// <param name="to">Last day, inclusive (null: with no end).</param>
    /// <param name="today">
    /// Today, for rows that are never dated after it: a period running to today then takes its last month whole (the
    /// rest of the month holds nothing yet), so the usual period, 1 January to today, is whole months only.
    /// </param>
    public static MonthSplit Of(DateOnly? from, DateOnly? to, DateOnly? today = null)
    {
        if (to is { } t && today is { } now && t >= now) to = new DateOnly(t.Year, t.Month, 1).AddMonths(1).AddDays(-1);
        var end = to?.AddDays(1);
        // The first month that starts on or after the period's start, and the first day of the month the period ends in.
        var first = from is { } f ? (f.Day == 1 ? f : new DateOnly(f.Year, f.Month, 1).AddMonths(1)) : (DateOnly?)null;
        var last = end is { } e ? new DateOnly(e.Year, e.Month, 1) : (DateOnly?)null;
        // No whole month inside (both bounds are given then): every day comes from the rows.
        if (first is { } a && last is { } b && a >= b) return new MonthSplit(false, null, null, [(from!.Value, end!.Value)]);
        var days = new List<(DateOnly, DateOnly)>();
        if (from is { } start && first is { } m0 && start < m0) days.Add((start, m0));
        if (end is { } stop && last is { } m1 && m1 < stop) days.Add((m1, stop));
        return new MonthSplit(true, first, last, days);
    }

    /// <summary>The first whole month as a tally key (yyyy-MM), or null when open.</summary>
    public string? FirstKey => FirstMonth?.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
    /// <summary>The month after the last whole month as a tally key (yyyy-MM, exclusive), or null when open.</summary>
    public string? EndKey => EndMonth?.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
