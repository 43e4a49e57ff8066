using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Jobs;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Platform.Notifications;

/// <summary>What a sender reports: delivered to its gateway (with the gateway's id), or not, and why.</summary>
public sealed record SendResult(bool Delivered, string? ProviderId = null, string? Error = null);

/// <summary>
/// The one way out for messages (SMS to residents, messages to staff phones). Which implementation runs is configured
/// (Messaging:Sender); a message counts as sent only when the sender says it was delivered.
/// </summary>
public interface IMessageSender
{
    string Name { get; }
    Task<SendResult> SendAsync(MessageChannel channel, string recipient, string text, CancellationToken ct);
}

public sealed class MessagingOptions
{
    /// <summary>"outbox" (default: kept for the county office, nothing sent) or "http" (a gateway on the intranet).</summary>
    public string Sender { get; set; } = "outbox";
    /// <summary>For "http": the gateway's address; the message is POSTed as JSON {channel, to, text}.</summary>
    public string? GatewayUrl { get; set; }
    /// <summary>For "http": sent as "Authorization: Bearer …".</summary>
    public string? GatewayToken { get; set; }
}

/// <summary>No channel configured: every message stays in the outbox, visibly not sent.</summary>
public sealed class OutboxOnlySender : IMessageSender
{
    public string Name => "outbox";

    public Task<SendResult> SendAsync(MessageChannel channel, string recipient, string text, CancellationToken ct) => Task.FromResult(new SendResult(false));
}

/// <summary>An SMS gateway reached over HTTP: 2xx with JSON {"id": …} means it took the message.</summary>
public sealed class HttpGatewaySender(HttpClient http, MessagingOptions options) : IMessageSender
{
    public string Name => "http";

    public async Task<SendResult> SendAsync(MessageChannel channel, string recipient, string text, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.GatewayUrl)
        {
            Content = JsonContent.Create(new { channel = channel == MessageChannel.Sms ? "sms" : "staff", to = recipient, text }),
        };
        if (options.GatewayToken is { Length: > 0 } token) request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return new SendResult(false, Error: $"短信网关返回 {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync<GatewayReply>(ct);
        return new SendResult(true, body?.Id);
    }

    sealed record GatewayReply(string? Id);
}

public sealed record OutboxRow(Guid Id, MessageChannel Channel, string RecipientMasked, string Text, string Module, DateTime CreatedUtc, string CreatedBy,
    MessageStatus Status, int Attempts, string? Sender, DateTime? SentUtc, string? Error)
{
    public string StatusName => Status switch
    {
        MessageStatus.Pending => "待发送",
        MessageStatus.Sent => "已发出",
        MessageStatus.Held => "未发送（未配置短信通道，已存入发件箱）",
        _ => "发送失败",
    };
}

public static class OutboxErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("outbox.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("outbox.invalid");
}

/// <summary>发件箱: queues outbound messages with their record and sends them in the background through the configured sender.</summary>
public sealed class OutboxService(IDbContextFactory<ShiliuDb> dbs, JobQueue jobs, PersonalData pii)
{
    public const string JobKind = "platform.outbox-send";

    /// <summary>Queues a message and its sending job; both are saved by the caller's next save, with the record they belong to.</summary>
    public OutboxMessage Queue(ShiliuDb db, MessageChannel channel, string phone, string text, string module)
    {
        if (!Phone.TryNormalize(phone, out var normal, out var error)) throw RuleViolation.ForField(OutboxErrors.Invalid, "phone", error!);
        var clean = Validation.CleanText(text, "短信内容");
        if (clean.Length > 500) throw RuleViolation.ForField(OutboxErrors.Invalid, "text", "短信内容不能超过500字");
        var message = new OutboxMessage
        {
            Channel = channel, RecipientCipher = pii.Seal(normal), RecipientMasked = Phone.Mask(normal), Text = clean, Module = module,
            CreatedUtc = db.UtcNow, CreatedBy = db.Caller.UserName, Status = MessageStatus.Pending,
        };
        db.OutboxMessages.Add(message);
        jobs.Enqueue(db, JobKind, message.Id.ToString(), $"发送{(channel == MessageChannel.Sms ? "短信" : "工作消息")}（{message.RecipientMasked}）");
        return message;
    }

    /// <summary>Queues and saves at once, with its sending job (for a caller with nothing else to save).</summary>
    public async Task<Guid> SendAsync(MessageChannel channel, string phone, string text, string module, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var message = Queue(db, channel, phone, text, module);
        await db.SaveChangesAsync(ct);
        return message.Id;
    }

    public async Task<Paged<OutboxRow>> ListAsync(int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(PlatformPermissions.Outbox, OutboxErrors.Denied, "查看发件箱");
        var (p, size) = Paged<OutboxRow>.Bounds(page, pageSize);
        var total = await db.OutboxMessages.CountAsync(ct);
        var rows = await db.OutboxMessages.AsNoTracking().OrderByDescending(m => m.Id).Skip((p - 1) * size).Take(size)
            .Select(m => new OutboxRow(m.Id, m.Channel, m.RecipientMasked, m.Text, m.Module, m.CreatedUtc, m.CreatedBy, m.Status, m.Attempts, m.Sender, m.SentUtc, m.Error))
            .ToListAsync(ct);
        return new Paged<OutboxRow>(rows, total, p, size);
    }

    internal async Task DeliverAsync(Guid id, IMessageSender sender, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var m = await db.OutboxMessages.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (m is null || m.Status is MessageStatus.Sent or MessageStatus.Held) return;
        m.Attempts++;
        m.Sender = sender.Name;
        var result = await sender.SendAsync(m.Channel, pii.Open(m.RecipientCipher), m.Text, ct);
        if (result.Error is not null)
        {
            m.Error = result.Error;
            await db.SaveChangesAsync(CancellationToken.None);
            throw new IOException(result.Error);
        }
        m.Status = result.Delivered ? MessageStatus.Sent : MessageStatus.Held;
        m.ProviderId = result.ProviderId;
        m.SentUtc = result.Delivered ? db.UtcNow : null;
        m.Error = null;
        db.Audit(AuditEvents.Update, result.Delivered ? $"消息已由{sender.Name}发出（{m.RecipientMasked}）" : $"未配置短信通道，消息留在发件箱（{m.RecipientMasked}）",
            nameof(OutboxMessage), m.Id.ToString());
        await db.SaveChangesAsync(ct);
    }

    internal async Task FailAsync(Guid id, string error)
    {
        await using var db = await dbs.CreateDbContextAsync();
        await db.OutboxMessages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed).SetProperty(m => m.Error, error));
    }
}

/// <summary>Hands one message to the configured sender; a gateway error is retried with the job's backoff.</summary>
sealed class OutboxSendHandler(OutboxService outbox, IMessageSender sender, ILogger<OutboxSendHandler> log) : IJobHandler
{
    public Task RunAsync(JobContext job, CancellationToken ct) => outbox.DeliverAsync(Guid.Parse(job.Payload!), sender, ct);

    public Task FailedAsync(JobContext job, string error, CancellationToken ct)
    {
        log.LogWarning("Message {Id} could not be sent: {Error}", job.Payload, error);
        return outbox.FailAsync(Guid.Parse(job.Payload!), "多次发送失败，请检查短信网关");
    }
}
