namespace Shiliu.Core.Platform.Calendar;

public enum ClockUnit
{
    /// <summary>"N个工作日": due at the end of office hours of the Nth working day after the start day.</summary>
    WorkingDays,
    /// <summary>"N个工作小时": counted in office hours from the moment the clock starts.</summary>
    WorkingHours,
}

/// <summary>A time limit such as 5 working days.</summary>
public sealed record TimeLimit(int Amount, ClockUnit Unit)
{
    public string Text => Unit == ClockUnit.WorkingDays ? $"{Amount}个工作日" : $"{Amount}个工作小时";
}

public enum DeadlineState
{
    OnTime,
    DueSoon,
    Overdue,
    /// <summary>Stopped in a state that waits for someone else (e.g. 等待群众补充材料); the time used so far is kept.</summary>
    Paused,
}

/// <summary>Where a clock stands: due when (null while paused), office minutes left (negative when overdue), used so far.</summary>
public sealed record ClockReading(DeadlineState State, DateTime? DueUtc, long RemainingMinutes, long UsedMinutes)
{
    public string StateName => State switch
    {
        DeadlineState.OnTime => "未到期",
        DeadlineState.DueSoon => "即将到期",
        DeadlineState.Overdue => "已逾期",
        _ => "已暂停计时",
    };
}

/// <summary>
/// A deadline on working time that can be paused: started at a moment with a limit, stopped and restarted by the item's
/// steps into and out of waiting states, read at any moment. Time spent paused does not count; time used before a pause
/// is not lost.
/// </summary>
public static class DeadlineClock
{
    /// <param name="changes">Moments the clock stopped (Paused true) or ran again (false), in order.</param>
    /// <param name="dueSoonMinutes">How close to the due time counts as 即将到期; by default one working day.</param>
    public static ClockReading Read(WorkCalendar cal, TimeLimit limit, DateTime startUtc, IEnumerable<(DateTime AtUtc, bool Paused)> changes, DateTime nowUtc,
        long? dueSoonMinutes = null)
    {
        var due = limit.Unit == ClockUnit.WorkingDays
            ? cal.EndOfDayUtc(cal.AddWorkingDays(DateOnly.FromDateTime(Common.ChinaTime.ToChina(startUtc)), limit.Amount))
            : cal.AddOfficeMinutes(startUtc, limit.Amount * 60L);
        long? frozen = null;
        var used = 0L;
        var runningSince = startUtc;
        foreach (var (at, paused) in changes.Where(c => c.AtUtc <= nowUtc).OrderBy(c => c.AtUtc))
        {
            if (paused && frozen is null)
            {
                frozen = cal.OfficeMinutesBetween(at, due);
                used += cal.OfficeMinutesBetween(runningSince, at);
            }
            else if (!paused && frozen is { } left)
            {
                due = cal.AddOfficeMinutes(at, left);
                runningSince = at;
                frozen = null;
            }
        }
        if (frozen is { } still) return new ClockReading(DeadlineState.Paused, null, still, used);
        used += cal.OfficeMinutesBetween(runningSince, nowUtc);
        var remaining = cal.OfficeMinutesBetween(nowUtc, due);
        var soon = dueSoonMinutes ?? cal.Hours.MinutesPerDay;
        var state = nowUtc > due ? DeadlineState.Overdue : remaining <= soon ? DeadlineState.DueSoon : DeadlineState.OnTime;
        return new ClockReading(state, due, remaining, used);
    }
}
