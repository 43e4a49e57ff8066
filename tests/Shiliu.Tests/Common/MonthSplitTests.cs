using Shiliu.Core.Common;

namespace Shiliu.Tests.Common;

/// <summary>How a period is cut for the monthly tallies: whole months from the tally, the days around them from the rows.</summary>
public sealed class MonthSplitTests
{
    static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void Part_months_at_both_ends_are_read_from_the_rows_and_the_months_between_from_the_tally()
    {
        var s = MonthSplit.Of(D(2026, 3, 15), D(2026, 10, 10));
        Assert.True(s.HasMonths);
        Assert.Equal(("2026-04", "2026-10"), (s.FirstKey, s.EndKey));
        Assert.Equal([(D(2026, 3, 15), D(2026, 4, 1)), (D(2026, 10, 1), D(2026, 10, 11))], s.Days);
    }

    [Fact]
    public void Whole_months_and_open_bounds_need_no_rows()
    {
        var year = MonthSplit.Of(D(2025, 1, 1), D(2025, 12, 31));
        Assert.Equal((true, "2025-01", "2026-01"), (year.HasMonths, year.FirstKey, year.EndKey));
        Assert.Empty(year.Days);
        var open = MonthSplit.Of(null, null);
        Assert.Equal((true, (string?)null, (string?)null), (open.HasMonths, open.FirstKey, open.EndKey));
        Assert.Empty(open.Days);
        var since = MonthSplit.Of(D(2026, 2, 10), null);
        Assert.Equal(("2026-03", (string?)null), (since.FirstKey, since.EndKey));
        Assert.Equal([(D(2026, 2, 10), D(2026, 3, 1))], since.Days);
    }

    [Fact]
    public void A_period_inside_one_month_is_all_rows()
    {
        var s = MonthSplit.Of(D(2026, 3, 2), D(2026, 3, 30));
        Assert.False(s.HasMonths);
        Assert.Equal([(D(2026, 3, 2), D(2026, 3, 31))], s.Days);
        // Across a month's end without a whole month between.
        Assert.Equal([(D(2026, 3, 20), D(2026, 4, 11))], MonthSplit.Of(D(2026, 3, 20), D(2026, 4, 10)).Days);
    }

    [Fact]
    public void A_period_to_today_takes_this_month_whole_because_nothing_is_dated_later()
    {
        var today = D(2026, 12, 7);
        var s = MonthSplit.Of(D(2026, 1, 1), today, today);
        Assert.Equal(("2026-01", "2027-01"), (s.FirstKey, s.EndKey));
        Assert.Empty(s.Days);
        // A past period keeps its part month; a period starting this month after the 1st still reads its first days.
        Assert.Equal([(D(2026, 11, 1), D(2026, 11, 21))], MonthSplit.Of(D(2026, 1, 1), D(2026, 11, 20), today).Days);
        var recent = MonthSplit.Of(D(2026, 12, 3), today, today);
        Assert.False(recent.HasMonths);
        Assert.Equal([(D(2026, 12, 3), D(2027, 1, 1))], recent.Days);
    }
}
