using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Tokens;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.AccessTokens</c>), declared here rather than in ShiliuDb.</summary>
public static class TokenTables
{
    extension(ShiliuDb db)
    {
        public DbSet<PersonalAccessToken> AccessTokens => db.Set<PersonalAccessToken>();
    }
}
