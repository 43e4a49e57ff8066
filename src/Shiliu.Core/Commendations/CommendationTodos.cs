using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Commendations;

/// <summary>Nominations to review or decide, returned ones, objections to answer, and calls whose deadline is near.</summary>
sealed class CommendationTodos(TimeProvider clock) : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        var items = new List<TodoItem>();
        var own = db.Caller.OrgPath ?? "\u0001";
        if (db.Caller.Can(CommendationPermissions.Review))
            items.Add(new("模范评选", TodoKind.Review, "待审核的模范推荐",
                await db.Nominations.CountAsync(n => n.Status == NominationStatus.Submitted && n.OrgPath != own, ct), "/commendations"));
        if (db.Caller.Can(CommendationPermissions.Manage))
        {
            items.Add(new("模范评选", TodoKind.Review, "待县级审定的模范推荐",
                await db.Nominations.CountAsync(n => n.Status == NominationStatus.TownshipApproved && n.OrgPath != own, ct), "/commendations"));
            items.Add(new("模范评选", TodoKind.Waiting, "待答复的公示异议",
                await db.CommendationObjections.CountAsync(o => o.Status == ObjectionStatus.Open, ct), "/commendations"));
        }
        if (db.Caller.Can(CommendationPermissions.Nominate))
        {
            items.Add(new("模范评选", TodoKind.Returned, "被退回的模范推荐",
                await db.Nominations.CountAsync(n => n.OrgPath == own && n.Status == NominationStatus.Returned, ct), "/commendations"));
            var today = DateOnly.FromDateTime(Common.ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
            var soon = today.AddDays(7);
            items.Add(new("模范评选", TodoKind.DueSoon, "7天内截止申报的评选通知",
                await db.CommendationCalls.CountAsync(c => c.Status == CallStatus.Open && c.Deadline >= today && c.Deadline <= soon, ct), "/commendations"));
        }
        return items;
    }
}
