using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Calendar;

namespace Shiliu.Core.Platform.Workflow;

/// <summary>
/// An item one unit holds at a time and can hand to another unit (转办, 上报升级), which accepts it or sends it back with
/// a reason. While the hand-over waits, the receiving unit (and the units above it) see the item and may take the steps
/// declared with <see cref="Actor.Receiver"/>; the data scope and the save check both honour
/// <see cref="HandoverToPath"/>, so no service needs a cross-scope exception.
/// </summary>
public interface IHandedOver : IOrgOwned
{
    Guid OrgUnitId { get; set; }
    new string OrgPath { get; set; }
    /// <summary>The unit the item is being handed to while that unit has not yet accepted or returned it.</summary>
    Guid? HandoverToUnitId { get; set; }
    string? HandoverToPath { get; set; }
}

public static class HandoverErrors
{
    public static readonly ErrorCode Target = ErrorCode.Invalid("handover.target");
}

/// <summary>
/// Hand-overs between units as workflow steps. A module declares three steps on its flow — offer (e.g. 转办, with a
/// reason, <see cref="Actor.OwnUnit"/>), accept (<see cref="Actor.Receiver"/>, effect <see cref="Accept"/>) and return
/// (<see cref="Actor.Receiver"/>, reason required, effect <see cref="Return"/>) —, calls <see cref="OfferAsync"/>
/// before applying the offer step, and reads who held the item how long with <see cref="Holdings"/>.
/// </summary>
public static class Handover
{
    /// <summary>
    /// Names the receiving unit before the offer step is applied: refuses the item's own unit and a unit that does not
    /// exist, names the field <paramref name="field"/> in the refusal.
    /// </summary>
    public static async Task<OrgUnit> OfferAsync(ShiliuDb db, IHandedOver item, Guid toUnitId, string field = "toUnitId", CancellationToken ct = default)
    {
        // The receiver is usually outside the caller's subtree (a sister community, the township above): look it up unfiltered.
        var to = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(o => o.Id == toUnitId && !o.IsDisabled, ct)
                 ?? throw RuleViolation.ForField(HandoverErrors.Target, field, "接收单位不存在或已停用，请重新选择");
        if (to.Id == item.OrgUnitId) throw RuleViolation.ForField(HandoverErrors.Target, field, "不能转给本单位，请选择其他单位");
        if (item.HandoverToPath is not null) throw RuleViolation.ForField(HandoverErrors.Target, field, "已在转交中，须等接收单位接收或退回");
        item.HandoverToUnitId = to.Id;
        item.HandoverToPath = to.Path;
        return to;
    }

    /// <summary>Step effect of "accept": the receiving unit becomes the holder.</summary>
    public static void Accept(IHandedOver item, StepContext _)
    {
        if (item.HandoverToUnitId is not { } unit || item.HandoverToPath is not { } path) return;
        item.OrgUnitId = unit;
        item.OrgPath = path;
        item.HandoverToUnitId = null;
        item.HandoverToPath = null;
    }

    /// <summary>Step effect of "return" (or of the sender withdrawing): the item stays with its holder.</summary>
    public static void Return(IHandedOver item, StepContext _)
    {
        item.HandoverToUnitId = null;
        item.HandoverToPath = null;
    }

    /// <summary>
    /// Who held the item how long, in office minutes, from its steps (oldest first): each span runs from the step that
    /// gave the item to a unit until the next change of holder; time an offer waited for its receiver is a span of its
    /// own (<see cref="Holding.Waiting"/>), so a slow receiver shows as slow.
    /// </summary>
    public static IReadOnlyList<Holding> Holdings(WorkCalendar cal, string firstPath, DateTime startUtc, IReadOnlyList<WorkflowStep> steps, DateTime endUtc)
    {
        var spans = new List<Holding>();
        var holder = firstPath;
        var waiting = false;
        var since = startUtc;
        foreach (var s in steps.OrderBy(s => s.TimeUtc).ThenBy(s => s.Id))
        {
            var nextWaiting = s.HandoverToPath is not null;
            var nextHolder = nextWaiting ? s.HandoverToPath! : s.OrgPath;
            if (nextHolder == holder && nextWaiting == waiting) continue;
            spans.Add(new Holding(holder, waiting, since, s.TimeUtc, cal.OfficeMinutesBetween(since, s.TimeUtc)));
            (holder, waiting, since) = (nextHolder, nextWaiting, s.TimeUtc);
        }
        spans.Add(new Holding(holder, waiting, since, null, cal.OfficeMinutesBetween(since, endUtc)));
        return spans;
    }

    /// <summary>
    /// The item's deadline clock: started at <paramref name="startUtc"/>, stopped by every step into one of
    /// <paramref name="pausing"/> states and restarted by the step out of it.
    /// </summary>
    public static ClockReading Clock(WorkCalendar cal, TimeLimit limit, DateTime startUtc, IReadOnlyList<WorkflowStep> steps, IReadOnlySet<int> pausing,
        DateTime nowUtc)
    {
        var changes = new List<(DateTime, bool)>();
        foreach (var s in steps.OrderBy(s => s.TimeUtc).ThenBy(s => s.Id))
        {
            var into = pausing.Contains(s.ToState);
            if (into != pausing.Contains(s.FromState)) changes.Add((s.TimeUtc, into));
        }
        return DeadlineClock.Read(cal, limit, startUtc, changes, nowUtc);
    }

    /// <summary>The steps of items of one workflow, for <see cref="Holdings"/> and <see cref="Clock"/>, whatever unit holds them now.</summary>
    public static async Task<ILookup<Guid, WorkflowStep>> StepsAsync(ShiliuDb db, string workflow, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return Array.Empty<WorkflowStep>().ToLookup(s => s.ItemId);
        var list = ids.ToList();
        // Steps taken while an earlier unit held the item carry that unit's path; the item's own scope was checked by the caller.
        var rows = await db.Set<WorkflowStep>().IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.Workflow == workflow && list.Contains(s.ItemId)).OrderBy(s => s.Id).ToListAsync(ct);
        return rows.ToLookup(s => s.ItemId);
    }
}

/// <summary>
/// A span during which <see cref="OrgPath"/> held the item — or, with <see cref="Waiting"/>, had been offered it and not
/// yet answered —, from <see cref="FromUtc"/> to <see cref="ToUtc"/> (null: still), <see cref="OfficeMinutes"/> long.
/// </summary>
public sealed record Holding(string OrgPath, bool Waiting, DateTime FromUtc, DateTime? ToUtc, long OfficeMinutes);
