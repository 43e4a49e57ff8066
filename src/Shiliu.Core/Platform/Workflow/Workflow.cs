using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Notifications;

namespace Shiliu.Core.Platform.Workflow;

/// <summary>Who may take a step, by where the caller's unit sits relative to the item's unit.</summary>
public enum Actor
{
    /// <summary>Only the item's own unit (a unit files and submits its own work).</summary>
    OwnUnit,
    /// <summary>Only a unit above the item's unit (nobody reviews what they submitted themselves).</summary>
    Above,
    /// <summary>The item's unit or any unit above it.</summary>
    InScope,
    /// <summary>The unit an <see cref="IHandedOver"/> item is being handed to, or a unit above that one (accepts or returns it).</summary>
    Receiver,
}

public enum ReasonRule
{
    None,
    Optional,
    Required,
}

public static class WorkflowErrors
{
    public static readonly ErrorCode State = ErrorCode.Invalid("workflow.state");
    public static readonly ErrorCode Denied = ErrorCode.Denied("workflow.denied");
    public static readonly ErrorCode Reason = ErrorCode.Invalid("workflow.reason");
    /// <summary>The one who asked for the item tried to decide it (四眼原则).</summary>
    public static readonly ErrorCode FourEyes = ErrorCode.Denied("workflow.four_eyes");
}

/// <summary>A step as declared: its action key, its Chinese verb, from which states to which, who may take it, whether it needs a reason.</summary>
public sealed record StepDefinition(string Action, string Verb, IReadOnlyList<int> From, int To, string Permission, Actor Actor, ReasonRule Reason,
    string ReasonLabel);

/// <summary>What the registry and the tests need of any workflow, whatever its item and state types.</summary>
public interface IWorkflowDefinition
{
    string Name { get; }
    string ItemName { get; }
    IReadOnlyList<StepDefinition> Steps { get; }
    IReadOnlyList<(int Value, string Name)> States { get; }
    Type ItemType { get; }
    string StateName(int state);
    int StateOf(object item);

    /// <summary>Takes a step on an item of <see cref="ItemType"/> (for code that holds items untyped, such as the tests).</summary>
    Task<StepRow> ApplyAsync(ShiliuDb db, object item, string action, string? reason = null, CancellationToken ct = default);
}

/// <summary>A recorded step, with its state names, for histories.</summary>
public sealed record StepRow(string Action, string Verb, string From, string To, string? Reason, string UserName, DateTime TimeUtc, string? DisplayName = null)
{
    /// <summary>Who took the step as colleagues know them (演示城中社区工作人员), or the account name when it has none.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // the API carries both names; Who is for pages
    public string Who => DisplayName ?? UserName;
}

/// <summary>
/// The one workflow primitive: items that move through states by declared steps. <see cref="ApplyAsync"/> refuses an
/// illegal step with a Chinese message (the state it is in, the role or unit it needs, the reason it lacks), records the
/// step (who, when, from, to, reason), queues one audit sentence and arms the concurrency check; the service saves.
/// </summary>
public sealed class Workflow<TItem, TState> : IWorkflowDefinition where TItem : class, IOrgOwned where TState : struct, Enum
{
    readonly Func<TItem, TState> _get;
    readonly Action<TItem, TState> _set;
    readonly Func<TState, string> _stateName;
    readonly Func<TItem, string> _title;
    readonly Func<TItem, Guid> _id;
    readonly List<StepDefinition> _steps = [];
    readonly Dictionary<string, Action<TItem, StepContext>> _effects = [];
    readonly Dictionary<string, (Func<TItem, string> Path, string Permission)> _notify = [];
    readonly HashSet<string> _fourEyes = [];
    Func<TItem, string?>? _requester;
    Func<TItem, string>? _link;

    public Workflow(string name, string itemName, Expression<Func<TItem, TState>> state, Func<TState, string> stateName, Func<TItem, string> title,
        Func<TItem, Guid> id)
    {
        Name = name;
        ItemName = itemName;
        _get = state.Compile();
        var member = (System.Reflection.PropertyInfo)((MemberExpression)state.Body).Member;
        _set = (item, value) => member.SetValue(item, value);
        _stateName = stateName;
        _title = title;
        _id = id;
    }

    public string Name { get; }
    public string ItemName { get; }
    public IReadOnlyList<StepDefinition> Steps => _steps;
    public IReadOnlyList<(int Value, string Name)> States => Enum.GetValues<TState>().Select(s => (Convert.ToInt32(s), _stateName(s))).ToList();

    public string StateName(int state) => _stateName((TState)Enum.ToObject(typeof(TState), state));

    public Type ItemType => typeof(TItem);

    int IWorkflowDefinition.StateOf(object item) => Convert.ToInt32(_get((TItem)item));

    Task<StepRow> IWorkflowDefinition.ApplyAsync(ShiliuDb db, object item, string action, string? reason, CancellationToken ct) =>
        ApplyAsync(db, (TItem)item, action, reason, ct: ct);

    /// <summary>Declares a step; <paramref name="effect"/> sets what else the step changes on the item (e.g. a timestamp).</summary>
    public Workflow<TItem, TState> Step(string action, string verb, TState[] from, TState to, string permission, Actor actor,
        ReasonRule reason = ReasonRule.None, string reasonLabel = "原因", Action<TItem, StepContext>? effect = null)
    {
        _steps.Add(new StepDefinition(action, verb, from.Select(f => Convert.ToInt32(f)).ToList(), Convert.ToInt32(to), permission, actor, reason, reasonLabel));
        if (effect is not null) _effects[action] = effect;
        return this;
    }

    /// <summary>Where a notification about an item takes its reader.</summary>
    public Workflow<TItem, TState> Link(Func<TItem, string> link)
    {
        _link = link;
        return this;
    }

    /// <summary>
    /// After <paramref name="action"/>, tells the accounts of the unit at <paramref name="unitPath"/> that hold
    /// <paramref name="permission"/> (e.g. a return tells the unit, a submission the unit above).
    /// </summary>
    public Workflow<TItem, TState> NotifyOn(string action, Func<TItem, string> unitPath, string permission)
    {
        if (_steps.All(s => s.Action != action)) throw new InvalidOperationException($"Workflow {Name} has no step {action}");
        _notify[action] = (unitPath, permission);
        return this;
    }

    /// <summary>
    /// Four eyes (四眼原则): the user who asked for the item (<paramref name="requester"/> gives their user id) may not take
    /// <paramref name="actions"/> on it, whatever their role and unit, and is told of each of these steps.
    /// </summary>
    public Workflow<TItem, TState> FourEyes(Func<TItem, string?> requester, params string[] actions)
    {
        foreach (var action in actions)
            if (_steps.All(s => s.Action != action)) throw new InvalidOperationException($"Workflow {Name} has no step {action}");
        _requester = requester;
        _fourEyes.UnionWith(actions);
        return this;
    }

    public TState StateOf(TItem item) => _get(item);

    /// <summary>The steps this caller could take on the item now (for the buttons a page shows).</summary>
    public IReadOnlyList<StepDefinition> Available(TItem item, Caller caller) =>
        _steps.Where(s => s.From.Contains(Convert.ToInt32(_get(item))) && caller.Can(s.Permission) && ActorAllows(s.Actor, item, caller)
                          && !OwnRequest(s.Action, item, caller)).ToList();

    public bool CanTake(TItem item, Caller caller, string action) => Available(item, caller).Any(s => s.Action == action);

    /// <summary>
    /// Takes a step on a tracked item, or refuses it; queues the step's record, audit sentence and notifications for the
    /// caller's save. Pass the version the user saw to refuse a stale decision.
    /// </summary>
    public async Task<StepRow> ApplyAsync(ShiliuDb db, TItem item, string action, string? reason = null, int? version = null, CancellationToken ct = default)
    {
        var step = _steps.SingleOrDefault(s => s.Action == action) ?? throw new InvalidOperationException($"Workflow {Name} has no step {action}");
        var caller = db.Caller;
        // Someone decided since the user looked: say who, rather than refusing the step for a state they never saw.
        if (version is { } seen && item is IVersioned current && current.Version != seen) throw new ConcurrencyConflict(current.UpdatedBy, current.UpdatedUtc);
        var from = _get(item);
        var title = _title(item);
        if (!step.From.Contains(Convert.ToInt32(from)))
        {
            var allowed = string.Join("、", step.From.Select(f => $"“{StateName(f)}”"));
            throw new RuleViolation(WorkflowErrors.State, $"{title}当前为“{_stateName(from)}”，不能{step.Verb}（只有{allowed}的{ItemName}才能{step.Verb}）");
        }
        if (!caller.Can(step.Permission)) throw new RuleViolation(WorkflowErrors.Denied, $"您的角色无权{step.Verb}{ItemName}");
        if (!ActorAllows(step.Actor, item, caller))
            throw new RuleViolation(WorkflowErrors.Denied, step.Actor switch
            {
                Actor.OwnUnit => $"{ItemName}由本单位{step.Verb}，上级单位不能代为{step.Verb}",
                Actor.Above => $"本单位的{ItemName}由上级单位{step.Verb}，不能自己{step.Verb}",
                Actor.Receiver => $"{ItemName}由接收单位{step.Verb}，转出单位不能代为{step.Verb}",
                _ => $"{title}不在您的管辖范围内",
            });
        if (OwnRequest(action, item, caller))
            throw new RuleViolation(WorkflowErrors.FourEyes, $"不能{step.Verb}自己提出的{ItemName}：须由另一人{step.Verb}（四眼原则）");
        string? why = null;
        if (step.Reason != ReasonRule.None && !string.IsNullOrWhiteSpace(reason))
        {
            why = reason.Trim();
            if (why.Any(c => char.IsControl(c) || Validation.IsBidiControl(c))) throw RuleViolation.ForField(WorkflowErrors.Reason, "reason", $"{step.ReasonLabel}含有不可见的控制字符，请删除后重新输入");
            if (why.Length > 500) throw RuleViolation.ForField(WorkflowErrors.Reason, "reason", $"{step.ReasonLabel}不能超过500字");
        }
        if (step.Reason == ReasonRule.Required && why is null)
            throw RuleViolation.ForField(WorkflowErrors.Reason, "reason", $"{step.Verb}须写明{step.ReasonLabel}");

        if (version is { } v && item is IVersioned) db.Entry(item).Property(nameof(IVersioned.Version)).OriginalValue = v;
        // Notification addresses are read before the step's effect: an accepted hand-over moves the item, and the news goes
        // to the unit that offered it.
        var notifyPath = _notify.TryGetValue(action, out var notifyTo) ? notifyTo.Path(item) : null;
        var to = (TState)Enum.ToObject(typeof(TState), step.To);
        _set(item, to);
        var now = db.UtcNow;
        if (_effects.TryGetValue(action, out var effect)) effect(item, new StepContext(caller, now, why));
        var record = new WorkflowStep
        {
            Workflow = Name, ItemId = _id(item), OrgPath = item.OrgPath, Action = action, FromState = Convert.ToInt32(from), ToState = step.To,
            Reason = why, UserName = caller.UserName, UserId = caller.UserId, TimeUtc = now,
            HandoverToPath = (item as IHandedOver)?.HandoverToPath,
        };
        db.Set<WorkflowStep>().Add(record);
        // A receiver's return leaves the item (and so its step record) with the holder, outside the receiver's subtree;
        // the actor check above has just established that the caller is the receiver.
        if (step.Actor == Actor.Receiver) db.AllowCrossScopeWrite(record);
        db.Audit(AuditEvents.WorkflowStep, $"{step.Verb}{title}：{_stateName(from)} → {_stateName(to)}{(why is null ? "" : $"（{step.ReasonLabel}：{why}）")}",
            typeof(TItem).Name, _id(item).ToString(), item.OrgPath);
        if (_notify.ContainsKey(action) || _fourEyes.Contains(action))
        {
            // Says who: "城中社区提交审核了…", "桂山街道退回了…：原因".
            var by = caller.OrgPath is { } path
                ? await db.OrgUnits.IgnoreQueryFilters().Where(o => o.Path == path).Select(o => o.Name).FirstOrDefaultAsync(ct)
                : null;
            var news = $"{by ?? caller.UserName}{step.Verb}了{title}{(why is null ? "" : $"：{why}")}";
            if (notifyPath is not null)
                await NotificationService.ToUnitAsync(db, notifyPath, notifyTo.Permission, news, _link?.Invoke(item), Name, ct);
            // The requester hears of the decision on their own request.
            if (_fourEyes.Contains(action) && Guid.TryParse(_requester!(item), out var requester))
                NotificationService.ToUser(db, requester, news, _link?.Invoke(item), Name);
        }
        return new StepRow(action, step.Verb, _stateName(from), _stateName(to), why, caller.UserName, now);
    }

    /// <summary>The item's steps, oldest first.</summary>
    public async Task<IReadOnlyList<StepRow>> HistoryAsync(ShiliuDb db, Guid id, CancellationToken ct = default)
    {
        var rows = await db.Set<WorkflowStep>().IgnoreQueryFilters().AsNoTracking().Where(s => s.Workflow == Name && s.ItemId == id)
            .OrderBy(s => s.Id).ToListAsync(ct);
        var names = await db.DisplayNamesAsync(rows.Select(r => r.UserName), ct);
        return rows.Select(r => Row(r) with { DisplayName = names.GetValueOrDefault(r.UserName) }).ToList();
    }

    /// <summary>The latest step of each item (e.g. who returned it and why), in one query.</summary>
    public async Task<Dictionary<Guid, StepRow>> LastStepsAsync(ShiliuDb db, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        var list = ids.ToList();
        var steps = db.Set<WorkflowStep>().IgnoreQueryFilters().AsNoTracking().Where(s => s.Workflow == Name && list.Contains(s.ItemId));
        var last = await steps.Where(s => s.Id == steps.Where(o => o.ItemId == s.ItemId).Max(o => o.Id)).ToListAsync(ct);
        return last.ToDictionary(s => s.ItemId, Row);
    }

    StepRow Row(WorkflowStep s) =>
        new(s.Action, _steps.FirstOrDefault(d => d.Action == s.Action)?.Verb ?? s.Action, StateName(s.FromState), StateName(s.ToState), s.Reason, s.UserName, s.TimeUtc);

    bool OwnRequest(string action, TItem item, Caller caller) =>
        _fourEyes.Contains(action) && !caller.IsSystem && caller.UserId is not null && _requester!(item) == caller.UserId;

    static bool ActorAllows(Actor actor, TItem item, Caller caller) => actor switch
    {
        _ when caller.IsSystem => true,
        Actor.OwnUnit => caller.OrgPath == item.OrgPath,
        Actor.Above => caller.InScope(item.OrgPath) && caller.OrgPath != item.OrgPath,
        Actor.Receiver => item is IHandedOver { HandoverToPath: { } to } && caller.InScope(to),
        _ => caller.InScope(item.OrgPath),
    };
}

/// <summary>What a step's effect knows: who takes it, when, and the reason given.</summary>
public sealed record StepContext(Caller Caller, DateTime NowUtc, string? Reason);
