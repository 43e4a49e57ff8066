using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Calendar;

public sealed record HolidayDayRow(DateOnly Date, DayKind Kind, string Name)
{
    public string KindName => Kind == DayKind.Off ? "放假" : "调休上班";
}

public sealed record HolidayYearView(int Year, string Source, bool Provisional, IReadOnlyList<HolidayDayRow> Days, int Version, string? UpdatedBy, DateTime? UpdatedUtc)
{
    public int OffDays => Days.Count(d => d.Kind == DayKind.Off);
    public int WorkDays => Days.Count(d => d.Kind == DayKind.Work);
}

public sealed class SaveHolidayDay
{
    public DateOnly Date { get; set; }
    [EnumDataType(typeof(DayKind), ErrorMessage = "请选择放假或调休上班")]
    public DayKind Kind { get; set; }
    [Required(ErrorMessage = "请填写节日名称"), StringLength(20, ErrorMessage = "节日名称不能超过20字")]
    public string Name { get; set; } = "";
}

public sealed class SaveHolidayYear
{
    [Required(ErrorMessage = "请填写依据（通知名称、文号或日期）"), StringLength(300, ErrorMessage = "依据不能超过300字")]
    public string Source { get; set; } = "";
    /// <summary>Still provisional (the State Council's notice not yet out).</summary>
    public bool Provisional { get; set; }
    public List<SaveHolidayDay> Days { get; set; } = [];
    public int Version { get; set; }
}

public sealed record DueDate(DateOnly From, int WorkingDays, DateOnly Due, IReadOnlyList<HolidayDayRow> Crossed, bool Provisional);

public sealed class CalendarOptions
{
    /// <summary>Office hours for working-hour limits, China time.</summary>
    public string OfficeHours { get; set; } = "09:00-12:00,14:30-18:00";
}

public static class CalendarErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("calendar.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("calendar.invalid");
}

/// <summary>
/// 节假日安排: the public holidays and make-up working days of each year (2019–2026 from the State Council's notices,
/// later years provisional until the county office enters the new notice), and the working calendar deadlines count on.
/// </summary>
public sealed class CalendarService(IDbContextFactory<ShiliuDb> dbs, CalendarCache cache)
{
    public async Task<WorkCalendar> CurrentAsync(CancellationToken ct = default) => await cache.GetAsync(dbs, ct);

    public async Task<IReadOnlyList<HolidayYearView>> YearsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var years = await db.HolidayYears.AsNoTracking().OrderBy(y => y.Year).ToListAsync(ct);
        var days = (await db.HolidayDays.AsNoTracking().ToListAsync(ct)).ToLookup(d => d.Year);
        return years.Select(y => View(y, days[y.Year])).ToList();
    }

    public async Task<HolidayYearView> YearAsync(int year, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var y = await db.HolidayYears.AsNoTracking().SingleOrDefaultAsync(x => x.Year == year, ct);
        if (y is null) return new HolidayYearView(year, "", true, [], 0, null, null);
        return View(y, await db.HolidayDays.AsNoTracking().Where(d => d.Year == year).ToListAsync(ct));
    }

    /// <summary>Replaces a year's arrangement (the county office enters next year's notice when it is published).</summary>
    public async Task SaveYearAsync(int year, SaveHolidayYear req, CancellationToken ct = default)
    {
        Validation.Check(req);
        foreach (var d in req.Days) Validation.Check(d);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(PlatformPermissions.CalendarManage, CalendarErrors.Denied, "修改节假日安排");
        if (year is < 2019 or > 2100) throw RuleViolation.ForField(CalendarErrors.Invalid, "year", "年份须在2019至2100之间");
        var source = Validation.CleanText(req.Source, "依据");
        var first = new DateOnly(year - 1, 12, 1);
        var last = new DateOnly(year, 12, 31);
        foreach (var (d, i) in req.Days.Select((d, i) => (d, i)))
        {
            var field = $"days[{i}]";
            if (d.Date < first || d.Date > last)
                throw RuleViolation.ForField(CalendarErrors.Invalid, field, $"第{i + 1}行 {d.Date:yyyy年M月d日} 不在{year}年的安排内（元旦可从上一年12月开始）");
            if (d.Kind == DayKind.Work && d.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                throw RuleViolation.ForField(CalendarErrors.Invalid, field, $"第{i + 1}行 {d.Date:yyyy年M月d日}是工作日，不需要标为调休上班");
            Validation.CleanText(d.Name, $"第{i + 1}行的节日名称");
        }
        if (req.Days.GroupBy(d => d.Date).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw RuleViolation.ForField(CalendarErrors.Invalid, "days", $"{twice.Key:yyyy年M月d日}填写了两次");
        var taken = req.Days.Select(d => d.Date).ToList();
        if (await db.HolidayDays.Where(d => d.Year != year && taken.Contains(d.Date)).Select(d => (DateOnly?)d.Date).FirstOrDefaultAsync(ct) is { } other)
            throw RuleViolation.ForField(CalendarErrors.Invalid, "days", $"{other:yyyy年M月d日}已在相邻年份的安排中");

        var y = await db.HolidayYears.SingleOrDefaultAsync(x => x.Year == year, ct);
        if (y is null) db.HolidayYears.Add(y = new HolidayYear { Year = year });
        else db.Entry(y).Property(x => x.Version).OriginalValue = req.Version;
        y.Source = source;
        y.Provisional = req.Provisional;
        await db.HolidayDays.Where(d => d.Year == year).ExecuteDeleteAsync(ct);
        db.HolidayDays.AddRange(req.Days.Select(d => new HolidayDay { Date = d.Date, Year = year, Kind = d.Kind, Name = d.Name.Trim() }));
        db.Audit(AuditEvents.Update, $"保存{year}年节假日安排{(req.Provisional ? "（暂定）" : "")}：放假 {req.Days.Count(d => d.Kind == DayKind.Off)} 天，调休上班 {req.Days.Count(d => d.Kind == DayKind.Work)} 天；依据：{source}",
            nameof(HolidayYear), year.ToString());
        await db.SaveOrConflictAsync(y, ct);
        cache.Invalidate();
    }

    /// <summary>The due date of "N个工作日" from a day, and the holidays and make-up days it crosses.</summary>
    public async Task<DueDate> DueAsync(DateOnly from, int workingDays, CancellationToken ct = default)
    {
        if (workingDays is < 1 or > 365) throw RuleViolation.ForField(CalendarErrors.Invalid, "days", "工作日数须在1至365之间");
        var cal = await CurrentAsync(ct);
        var due = cal.AddWorkingDays(from, workingDays);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var crossed = await db.HolidayDays.AsNoTracking().Where(d => d.Date > from && d.Date <= due).OrderBy(d => d.Date)
            .Select(d => new HolidayDayRow(d.Date, d.Kind, d.Name)).ToListAsync(ct);
        var provisional = Enumerable.Range(from.Year, due.Year - from.Year + 1).Any(y => !cal.OfficialYears.Contains(y));
        return new DueDate(from, workingDays, due, crossed, provisional);
    }

    static HolidayYearView View(HolidayYear y, IEnumerable<HolidayDay> days) =>
        new(y.Year, y.Source, y.Provisional, days.OrderBy(d => d.Date).Select(d => new HolidayDayRow(d.Date, d.Kind, d.Name)).ToList(), y.Version, y.UpdatedBy,
            y.UpdatedUtc == default ? null : y.UpdatedUtc);

    /// <summary>Enters the years of the seed file the database does not have yet.</summary>
    internal static async Task<int> SeedAsync(ShiliuDb db, CancellationToken ct)
    {
        await using var json = Assembly.GetExecutingAssembly().GetManifestResourceStream("Shiliu.Core.Platform.Calendar.holidays.json")!;
        using var doc = await JsonDocument.ParseAsync(json, cancellationToken: ct);
        var have = await db.HolidayYears.Select(y => y.Year).ToListAsync(ct);
        var added = 0;
        foreach (var y in doc.RootElement.GetProperty("years").EnumerateArray())
        {
            var year = y.GetProperty("year").GetInt32();
            if (have.Contains(year)) continue;
            db.HolidayYears.Add(new HolidayYear
            {
                Year = year, Source = y.GetProperty("source").GetString()!, Provisional = y.TryGetProperty("provisional", out var p) && p.GetBoolean(),
            });
            foreach (var f in y.GetProperty("days").EnumerateArray())
            {
                var name = f.GetProperty("name").GetString()!;
                var off = f.GetProperty("off").EnumerateArray().Select(e => DateOnly.Parse(e.GetString()!)).ToList();
                for (var d = off[0]; d <= off[1]; d = d.AddDays(1)) db.HolidayDays.Add(new HolidayDay { Date = d, Year = year, Kind = DayKind.Off, Name = name });
                if (f.TryGetProperty("work", out var work))
                    foreach (var w in work.EnumerateArray())
                        db.HolidayDays.Add(new HolidayDay { Date = DateOnly.Parse(w.GetString()!), Year = year, Kind = DayKind.Work, Name = name });
            }
            added++;
        }
        if (added > 0) await db.SaveChangesAsync(ct);
        return added;
    }
}

/// <summary>The working calendar, read once and kept for a few minutes (an edit on this node refreshes it at once).</summary>
public sealed class CalendarCache(CalendarOptions options, TimeProvider clock)
{
    readonly OfficeHours _hours = OfficeHours.Parse(options.OfficeHours);
    readonly SemaphoreSlim _gate = new(1, 1);
    WorkCalendar? _current;
    DateTimeOffset _loaded;

    public void Invalidate() => _current = null;

    internal async Task<WorkCalendar> GetAsync(IDbContextFactory<ShiliuDb> dbs, CancellationToken ct)
    {
        if (_current is { } c && clock.GetUtcNow() - _loaded < TimeSpan.FromMinutes(5)) return c;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && clock.GetUtcNow() - _loaded < TimeSpan.FromMinutes(5)) return again;
            await using var db = await dbs.CreateDbContextAsync(ct);
            var days = await db.HolidayDays.AsNoTracking().ToDictionaryAsync(d => d.Date, d => d.Kind, ct);
            var official = await db.HolidayYears.Where(y => !y.Provisional).Select(y => y.Year).ToListAsync(ct);
            _loaded = clock.GetUtcNow();
            return _current = new WorkCalendar(days, official, _hours);
        }
        finally
        {
            _gate.Release();
        }
    }
}
