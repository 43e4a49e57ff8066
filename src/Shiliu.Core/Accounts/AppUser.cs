using Shiliu.Core.Organizations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Shiliu.Core.Data;

namespace Shiliu.Core.Accounts;

[ScopedElsewhere("sign-in must find any user by name; staff read users through ShiliuDb.ScopedUsers")]
public sealed class AppUser : IdentityUser<Guid>, IVersioned
{
    public AppUser() => Id = Guid.CreateVersion7();

    public string DisplayName { get; set; } = "";
    public Guid OrgUnitId { get; set; }
    /// <summary>Copy of the unit's path: the user's data scope, kept in step when units move.</summary>
    public string OrgPath { get; set; } = "";
    public bool MustChangePassword { get; set; }
    public DateTime? PasswordChangedUtc { get; set; }
    /// <summary>Sealed with the data-protection key ring (see <see cref="TotpSecrets"/>); null until bound.</summary>
    [NotAudited] public string? TotpSecret { get; set; }
    /// <summary>Last accepted TOTP time step: a code is accepted only for a later step (no replay).</summary>
    [NotAudited] public long TotpLastStep { get; set; }
    public bool IsDisabled { get; set; }
    /// <summary>
    /// Set when the system administrator creates the account or resets its password: the password then is random and known
    /// to nobody until the security administrator issues a temporary one (the one who resets never learns it, 三权分立).
    /// </summary>
    public DateTime? PasswordIssueRequestedUtc { get; set; }
    public string? PasswordIssueRequestedBy { get; set; }
    public bool IsDemo { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? LastSignInUtc { get; set; }
    /// <summary>When an administrator last enabled the account: dormancy (<see cref="DormantAccounts"/>) counts from here too.</summary>
    public DateTime? EnabledUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() => Id = Guid.CreateVersion7();
    public AppRole(string name) : this() { Name = name; NormalizedName = name.ToUpperInvariant(); }
}

public sealed class PasswordHistory
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    [NotAudited] public string Hash { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
}

/// <summary>Server-side session: lets logout, disable and timeouts end every tab and circuit of a sign-in.</summary>
public sealed class UserSession
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid UserId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime LastSeenUtc { get; set; }
    public DateTime? EndedUtc { get; set; }
    public string? EndReason { get; set; }
    public string? Ip { get; set; }
}

sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(50);
        b.Property(u => u.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(u => u.TotpSecret).HasMaxLength(400);
        b.Property(u => u.UpdatedBy).HasMaxLength(100);
        b.HasIndex(u => u.OrgPath);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(u => u.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class PasswordHistoryConfiguration : IEntityTypeConfiguration<PasswordHistory>
{
    public void Configure(EntityTypeBuilder<PasswordHistory> b)
    {
        b.ToTable("PasswordHistories");
        b.Property(h => h.Hash).HasMaxLength(200).IsRequired();
        b.HasIndex(h => new { h.UserId, h.CreatedUtc });
        b.HasOne<AppUser>().WithMany().HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("UserSessions");
        b.Property(s => s.EndReason).HasMaxLength(40);
        b.Property(s => s.Ip).HasMaxLength(64);
        b.HasIndex(s => s.UserId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
