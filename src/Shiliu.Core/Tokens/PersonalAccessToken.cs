using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Tokens;

/// <summary>A bearer token for system integration; acts as its owner with the owner's roles and scope.</summary>
public sealed class PersonalAccessToken
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>First characters of the token, shown so the owner can tell tokens apart.</summary>
    public string Prefix { get; set; } = "";
    [NotAudited] public string Hash { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
    public DateTime? LastUsedUtc { get; set; }
    /// <summary>False: GET only. Tokens made before scopes existed are read-only.</summary>
    public bool CanWrite { get; set; }
    /// <summary>"*" or a comma-separated list of <see cref="TokenScopes.Modules"/> keys.</summary>
    public string Modules { get; set; } = TokenScopes.All;
}

/// <summary>Token scopes; tokens older than scopes become read-only for every module.</summary>
sealed class PersonalAccessTokenScopeConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<PersonalAccessToken> b) =>
        b.Property(t => t.Modules).HasMaxLength(400).HasDefaultValue(TokenScopes.All);
}

sealed class AccessTokenConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> b)
    {
        b.ToTable("AccessTokens");
        b.Property(t => t.Name).HasMaxLength(60).IsRequired();
        b.Property(t => t.Prefix).HasMaxLength(16).IsRequired();
        b.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
