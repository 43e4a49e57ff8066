using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Notifications;

/// <summary>An in-app message to one staff member (shown under the bell in the header until read).</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public string Title { get; set; } = "";
    public string? Href { get; set; }
    public string Module { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime? ReadUtc { get; set; }
}

public enum MessageChannel
{
    /// <summary>A text message to a resident's phone.</summary>
    Sms = 0,
    /// <summary>A message to a staff member outside the app (their phone), e.g. a red-risk dispute.</summary>
    Staff = 1,
}

public enum MessageStatus
{
    /// <summary>Waiting for the sender.</summary>
    Pending = 0,
    /// <summary>A sender reported it delivered to its gateway.</summary>
    Sent = 1,
    /// <summary>No sending channel is configured: kept in the outbox for the county office, not sent.</summary>
    Held = 2,
    Failed = 3,
}

/// <summary>An outbound message: kept whatever happens, marked sent only when a sender said so.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public MessageChannel Channel { get; set; }
    /// <summary>The phone number, sealed like residents' (the list shows it masked).</summary>
    [NotAudited] public string RecipientCipher { get; set; } = "";
    public string RecipientMasked { get; set; } = "";
    public string Text { get; set; } = "";
    public string Module { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public string CreatedBy { get; set; } = "";
    public MessageStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? Sender { get; set; }
    public string? ProviderId { get; set; }
    public DateTime? SentUtc { get; set; }
    public string? Error { get; set; }
}

sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("Notifications");
        b.Property(n => n.Title).HasMaxLength(200).IsRequired();
        b.Property(n => n.Href).HasMaxLength(300);
        b.Property(n => n.Module).HasMaxLength(40).IsRequired();
        b.HasIndex(n => new { n.UserId, n.ReadUtc, n.Id });
        b.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(m => m.RecipientCipher).HasMaxLength(400).IsRequired();
        b.Property(m => m.RecipientMasked).HasMaxLength(40).IsRequired();
        b.Property(m => m.Text).HasMaxLength(500).IsRequired();
        b.Property(m => m.Module).HasMaxLength(40).IsRequired();
        b.Property(m => m.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(m => m.Sender).HasMaxLength(40);
        b.Property(m => m.ProviderId).HasMaxLength(100);
        b.Property(m => m.Error).HasMaxLength(500);
        b.HasIndex(m => m.CreatedUtc);
        b.HasIndex(m => m.Status);
    }
}
