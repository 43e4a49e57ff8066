using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Accounts;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.UserSessions</c>), declared here rather than in ShiliuDb.</summary>
public static class AccountTables
{
    extension(ShiliuDb db)
    {
        public DbSet<UserSession> UserSessions => db.Set<UserSession>();
        public DbSet<PasswordHistory> PasswordHistories => db.Set<PasswordHistory>();
    }
}
