namespace Shiliu.Core.Common;

/// <summary>Times are stored in UTC and shown in China Standard Time (UTC+8, no daylight saving).</summary>
public static class ChinaTime
{
    static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTime ToChina(DateTime utc) =>
        DateTime.SpecifyKind(DateTime.SpecifyKind(utc, DateTimeKind.Utc).Add(Offset), DateTimeKind.Unspecified);

    public static DateTime ToUtc(DateTime chinaLocal) =>
        DateTime.SpecifyKind(chinaLocal - Offset, DateTimeKind.Utc);

    /// <summary>
    /// The UTC instant a China calendar day begins (00:00 China time = 16:00 UTC the day before). A period of days
    /// [from, to] is <c>DayStartUtc(from) &lt;= t &lt; DayStartUtc(to.AddDays(1))</c>: the one way to turn dates into bounds.
    /// </summary>
    public static DateTime DayStartUtc(DateOnly day) => ToUtc(day.ToDateTime(TimeOnly.MinValue));

    public static string Format(DateTime utc) => ToChina(utc).ToString("yyyy年M月d日 HH:mm");

    public static string FormatDate(DateTime utc) => ToChina(utc).ToString("yyyy年M月d日");
}
