using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Platform.Jobs;
using Shiliu.Core.Platform.Notifications;
using Shiliu.Core.Platform.Todos;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>我的待办 gathered from the modules, notifications written with the step they tell about, and the outbox that never claims a send it did not make.</summary>
public sealed class TodoAndMessageTests
{
    static Task<IReadOnlyList<TodoItem>> TodosAsync(ShiliuApp app, string user) => app.AsAsync(user, sp => sp.GetRequiredService<TodoService>().MineAsync());

    static int Count(IReadOnlyList<TodoItem> todos, TodoKind kind, string module) => todos.Where(t => t.Kind == kind && t.Module == module).Sum(t => t.Count);

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_submission_waits_for_the_township_and_a_return_for_the_community_with_a_notification_each(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var campaign = await app.AsAsync("county", async sp => (await sp.GetRequiredService<CampaignService>().ListAsync()).First().Id);
        DeliverableService S(IServiceProvider sp) => sp.GetRequiredService<DeliverableService>();
        NotificationService N(IServiceProvider sp) => sp.GetRequiredService<NotificationService>();
        DeliverableDetail Item(int no) => app.AsAsync("community", async sp => (await S(sp).UnitAsync(campaign, unit.Id)).Single(d => d.ItemNo == no)).GetAwaiter().GetResult();

        Assert.Equal(0, Count(await TodosAsync(app, "township"), TodoKind.Review, "十个一"));
        var wall = Item(8);
        await app.AsAsync("community", sp => S(sp).UpdateAsync(wall.Id, new UpdateDeliverable { Status = DeliverableStatus.Completed, Evidence = "文化墙照片", Version = wall.Version }));
        // A second item due tomorrow and one already late.
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        var hall = Item(9);
        await app.AsAsync("community", sp => S(sp).UpdateAsync(hall.Id, new UpdateDeliverable { Status = DeliverableStatus.InProgress, DueDate = today.AddDays(-1), Version = hall.Version }));

        var township = await TodosAsync(app, "township");
        Assert.Equal(1, Count(township, TodoKind.Review, "十个一"));
        Assert.Equal("/deliverables", township.First(t => t.Kind == TodoKind.Review && t.Module == "十个一").Href);
        Assert.Equal(1, await app.AsAsync("township", sp => N(sp).UnreadCountAsync()));
        var told = Assert.Single((await app.AsAsync("township", sp => N(sp).ListAsync())).Items);
        Assert.Equal("城中社区提交审核了“完成一块民族文化墙”", told.Title);
        // The county is not the unit above a community: it is not told (it still sees the item in its matrix).
        Assert.Equal(0, await app.AsAsync("county", sp => N(sp).UnreadCountAsync()));
        Assert.Equal(1, Count(await TodosAsync(app, "community"), TodoKind.Overdue, "十个一"));

        wall = Item(8);
        await app.AsAsync("township", sp => S(sp).ReviewAsync(wall.Id, false, "照片不清晰，请补拍全景", wall.Version));
        var community = await TodosAsync(app, "community");
        Assert.Equal(1, Count(community, TodoKind.Returned, "十个一"));
        Assert.Equal(TodoKind.Overdue, community[0].Kind);
        var notice = Assert.Single((await app.AsAsync("community", sp => N(sp).ListAsync(unreadOnly: true))).Items);
        Assert.Equal("桂山街道退回了“完成一块民族文化墙”：照片不清晰，请补拍全景", notice.Title);
        // The reviewer is not told about their own step; other communities hear nothing.
        Assert.Equal(1, await app.AsAsync("township", sp => N(sp).UnreadCountAsync()));
        Assert.Equal(0, await app.AsAsync("community2", sp => N(sp).UnreadCountAsync()));
        Assert.Equal(0, Count(await TodosAsync(app, "township"), TodoKind.Review, "十个一"));

        Assert.Equal(1, await app.AsAsync("community", sp => N(sp).MarkReadAsync(notice.Id)));
        Assert.Equal(0, await app.AsAsync("community", sp => N(sp).UnreadCountAsync()));
        // Another user's notification cannot be marked by guessing its id.
        Assert.Equal(0, await app.AsAsync("community2", sp => N(sp).MarkReadAsync(told.Id)));

        // Roles with nothing to do get an empty list, not an error.
        Assert.Empty(await TodosAsync(app, "auditor"));
        Assert.Empty(await TodosAsync(app, "leader"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Without_a_channel_a_message_stays_in_the_outbox_marked_not_sent_and_masked(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await app.AsAsync("community", sp => sp.GetRequiredService<OutboxService>().SendAsync(MessageChannel.Sms, "13987654321", "您的诉求已受理，查询码 A1B2", "诉求"));
        var row = await UntilAsync(app, id, m => m.Status != MessageStatus.Pending);
        Assert.Equal((MessageStatus.Held, "139****4321", "outbox"), (row.Status, row.RecipientMasked, row.Sender));
        Assert.Null(row.SentUtc);
        Assert.DoesNotContain("13987654321", row.RecipientCipher);
        var listed = await app.AsAsync("county", sp => sp.GetRequiredService<OutboxService>().ListAsync());
        Assert.Equal("未发送（未配置短信通道，已存入发件箱）", Assert.Single(listed.Items).StatusName);
        var denied = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => sp.GetRequiredService<OutboxService>().ListAsync()));
        Assert.Equal(OutboxErrors.Denied, denied.Code);
        var bad = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() =>
            sp.GetRequiredService<OutboxService>().SendAsync(MessageChannel.Sms, "1234", "内容", "诉求")));
        Assert.Equal(["phone"], bad.Fields.Keys);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_gateway_message_is_sent_only_when_the_gateway_takes_it_and_retried_when_it_fails(DbProvider kind)
    {
        using var gateway = new Gateway();
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind))
        {
            Settings = new Dictionary<string, string>
            {
                ["Messaging:Sender"] = "http", ["Messaging:GatewayUrl"] = gateway.Url, ["Messaging:GatewayToken"] = "secret-1", ["Jobs:BackoffSeconds"] = "0",
            },
        };
        _ = app.Server;
        OutboxService O(IServiceProvider sp) => sp.GetRequiredService<OutboxService>();

        var sent = await app.AsAsync("community", sp => O(sp).SendAsync(MessageChannel.Sms, "13987654321", "您的诉求已办结", "诉求"));
        var ok = await UntilAsync(app, sent, m => m.Status != MessageStatus.Pending);
        Assert.Equal((MessageStatus.Sent, "gw-1"), (ok.Status, ok.ProviderId));
        var request = Assert.Single(gateway.Requests);
        Assert.Equal("Bearer secret-1", request.Auth);
        Assert.Contains("\"to\":\"13987654321\"", request.Body);

        gateway.Failing = true;
        var failed = await app.AsAsync("community", sp => O(sp).SendAsync(MessageChannel.Sms, "13987654322", "您的诉求已办结", "诉求"));
        var bad = await UntilAsync(app, failed, m => m.Status == MessageStatus.Failed);
        Assert.Equal(5, bad.Attempts);
        Assert.Equal("多次发送失败，请检查短信网关", bad.Error);
    }

    static async Task<OutboxMessage> UntilAsync(ShiliuApp app, Guid id, Func<OutboxMessage, bool> done)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var db = await app.SystemDbAsync();
            var m = await db.OutboxMessages.AsNoTracking().SingleAsync(x => x.Id == id);
            if (done(m)) return m;
            await Task.Delay(100);
        }
        throw new TimeoutException("message not handled");
    }

    /// <summary>A real HTTP listener on loopback standing in for the county's SMS gateway.</summary>
    sealed class Gateway : IDisposable
    {
        readonly HttpListener _listener = new();
        public string Url { get; }
        public bool Failing { get; set; }
        public List<(string? Auth, string Body)> Requests { get; } = [];

        public Gateway()
        {
            Url = $"http://127.0.0.1:{FreePort()}/sms/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = ServeAsync();
        }

        static int FreePort()
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); }
                catch (Exception) { return; }
                using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                lock (Requests) Requests.Add((ctx.Request.Headers["Authorization"], body));
                ctx.Response.StatusCode = Failing ? 503 : 200;
                var reply = Encoding.UTF8.GetBytes(Failing ? "busy" : "{\"id\":\"gw-1\"}");
                ctx.Response.ContentType = "application/json";
                await ctx.Response.OutputStream.WriteAsync(reply);
                ctx.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
