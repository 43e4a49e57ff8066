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
}
