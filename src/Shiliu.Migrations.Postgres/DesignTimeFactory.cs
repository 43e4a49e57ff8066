using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Migrations.Postgres;

/// <summary>Lets `dotnet ef` build the model for this provider without starting the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ShiliuDb>
{
    public ShiliuDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ShiliuDb>();
        new DatabaseSettings(DbProvider.Postgres, "Host=localhost;Database=shiliu_design").Apply(options);
        return new ShiliuDb(options.Options, new FixedCaller(Caller.System("design")), TimeProvider.System, AuditChain.WithRandomKey());
    }
}
