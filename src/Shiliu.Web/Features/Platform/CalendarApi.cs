using Shiliu.Web.Hosting;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Calendar;

namespace Shiliu.Web.Features.Platform;

public static class CalendarApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("节假日安排", "国务院办公厅公布的放假和调休安排，以及按工作日计算的办理期限");

    public static void MapCalendarApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/calendar").WithTag(Tag).RequireAuthorization(PlatformPermissions.Staff);

        g.MapGet("/", async (CalendarService s, CancellationToken ct) => TypedResults.Ok(await s.YearsAsync(ct)))
            .WithName("Calendar_Years").WithSummary("各年度的节假日和调休安排（含依据、是否暂定）");

        g.MapGet("/{year:int}", async (int year, CalendarService s, CancellationToken ct) => TypedResults.Ok(await s.YearAsync(year, ct)))
            .WithName("Calendar_Year").WithSummary("某年的放假日和调休上班日");

        g.MapPut("/{year:int}", async (int year, SaveHolidayYear req, CalendarService s, CancellationToken ct) =>
            {
                await s.SaveYearAsync(year, req, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(PlatformPermissions.CalendarManage).WithName("Calendar_Save")
            .WithSummary("录入或修改某年的安排（国务院办公厅通知发布后由县领导小组办公室录入）");

        g.MapGet("/due", async ([AsParameters] DueQuery q, CalendarService s, CancellationToken ct) => TypedResults.Ok(await s.DueAsync(q.From, q.Days, ct)))
            .WithName("Calendar_Due").WithSummary("从某日起 N 个工作日的截止日期（不含起始日），及其间的节假日和调休");
    }

    public sealed record DueQuery(DateOnly From, int Days);
}
