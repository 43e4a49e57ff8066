using Shiliu.Web.Hosting;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Notifications;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Web.Features.Platform;

public static class NotificationApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("待办与通知", "我的待办（各模块中等我处理的事项）、站内通知和发件箱（短信等对外消息）");

    public static void MapNotificationApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me/todos", async (TodoService s, CancellationToken ct) => TypedResults.Ok(await s.MineAsync(ct)))
            .WithTag(Tag).WithName("Me_Todos").WithSummary("我的待办：各模块中等待我处理的事项、数量和链接")
            .RequireAuthorization(PlatformPermissions.Staff);

        var n = api.MapGroup("/notifications").WithTag(Tag).RequireAuthorization(PlatformPermissions.Staff);

        n.MapGet("/", async ([AsParameters] NotificationQuery q, NotificationService s, CancellationToken ct) =>
                TypedResults.Ok(await s.ListAsync(q.UnreadOnly ?? false, q.Page ?? 1, q.PageSize ?? 20, ct)))
            .WithName("Notifications_List").WithSummary("我的通知，最新的在前");

        n.MapGet("/unread-count", async (NotificationService s, CancellationToken ct) => TypedResults.Ok(new UnreadCount(await s.UnreadCountAsync(ct))))
            .WithName("Notifications_UnreadCount").WithSummary("未读通知数");

        n.MapPost("/{id:long}/read", async (long id, NotificationService s, CancellationToken ct) =>
            {
                await s.MarkReadAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithName("Notifications_Read").WithSummary("标为已读");

        n.MapPost("/read-all", async (NotificationService s, CancellationToken ct) =>
            {
                await s.MarkReadAsync(null, ct);
                return TypedResults.NoContent();
            })
            .WithName("Notifications_ReadAll").WithSummary("全部标为已读");

        api.MapGet("/outbox", async ([AsParameters] OutboxQuery q, OutboxService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q.Page ?? 1, q.PageSize ?? 50, ct)))
            .WithTag(Tag).WithName("Outbox_List").WithSummary("发件箱：待发、已发出、未发送（未配置通道）和失败的消息；收件人号码脱敏")
            .RequireAuthorization(PlatformPermissions.Outbox);
    }

    public sealed record NotificationQuery(bool? UnreadOnly, int? Page, int? PageSize);
    public sealed record OutboxQuery(int? Page, int? PageSize);
    public sealed record UnreadCount(int Count);
}
