namespace Shiliu.Web.Components.Layout;

/// <summary>
/// Tells the bell in the header (one per circuit) that the caller's unread count changed on this page, so it is read
/// again now rather than at the next navigation or the minute's refresh.
/// </summary>
public sealed class UnreadBadge
{
    public event Func<Task>? Changed;

    public Task ChangedAsync() => Changed?.Invoke() ?? Task.CompletedTask;
}
