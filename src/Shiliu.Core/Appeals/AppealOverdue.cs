using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Appeals;

/// <summary>Which open appeals are past their time limit: read from each one's steps (pauses count), shared by the list filter and the dashboard.</summary>
static class AppealOverdue
{
    public static readonly AppealStatus[] Open = [AppealStatus.Pending, AppealStatus.Handling, AppealStatus.Transferring, AppealStatus.Reopened];

    public static async Task<List<Guid>> IdsAsync(ShiliuDb db, IQueryable<Appeal> candidates, WorkCalendar cal, CancellationToken ct)
    {
        var open = await candidates.Where(a => Open.Contains(a.Status)).Select(a => new { a.Id, a.Topic, a.CreatedUtc }).ToListAsync(ct);
        var steps = await Handover.StepsAsync(db, AppealFlow.Definition.Name, open.Select(a => a.Id).ToList(), ct);
        return open.Where(a => Handover.Clock(cal, AppealNames.Topic(a.Topic)?.Limit ?? new TimeLimit(10, ClockUnit.WorkingDays), a.CreatedUtc,
            steps[a.Id].ToList(), AppealFlow.Pausing, db.UtcNow).State == DeadlineState.Overdue).Select(a => a.Id).ToList();
    }
}
