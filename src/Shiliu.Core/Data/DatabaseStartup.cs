using Microsoft.EntityFrameworkCore;

namespace Shiliu.Core.Data;

/// <summary>Applies migrations and refuses to run on a SQLite connection without the durability settings.</summary>
public static class DatabaseStartup
{
    /// <param name="settings">The configured settings: with a separate owner role (PostgreSQL), the owner migrates.</param>
    public static async Task<IReadOnlyList<string>> MigrateAsync(ShiliuDb db, DatabaseSettings? settings = null, CancellationToken ct = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (settings?.MigrationConnectionString is { } owner) await MigrateAsOwnerAsync(db, settings, owner, ct);
        else await db.Database.MigrateAsync(ct);
        if (!db.IsPostgres) await CheckSqlitePragmasAsync(db, ct);
        return pending;
    }

    /// <summary>
    /// PostgreSQL with two roles: the owner migrates (so it owns the tables and the audit triggers, which only an owner or
    /// a superuser may drop or disable), then grants the app's role reads and writes on every table but the audit log,
    /// where it may only read and append.
    /// </summary>
    static async Task MigrateAsOwnerAsync(ShiliuDb db, DatabaseSettings settings, string owner, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<ShiliuDb>();
        (settings with { ConnectionString = owner, MigrationConnectionString = null }).Apply(options);
        await using var ownerDb = new ShiliuDb(options.Options, new Common.FixedCaller(Common.Caller.System("migrate")), db.Clock, Auditing.AuditChain.WithRandomKey());
        await ownerDb.Database.MigrateAsync(ct);
        var app = new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString).Username
            ?? throw new InvalidOperationException("ConnectionStrings__Shiliu 须写明应用角色（Username）");
        if (app == new Npgsql.NpgsqlConnectionStringBuilder(owner).Username)
            throw new InvalidOperationException("应用角色与迁移角色相同：ConnectionStrings__ShiliuMigrations 须使用另一个（属主）角色");
        var role = "\"" + app.Replace("\"", "\"\"") + "\"";
        foreach (var sql in new[]
        {
            $"GRANT USAGE ON SCHEMA public TO {role}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            $"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON \"AuditEntries\" FROM {role}",
            $"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON \"__EFMigrationsHistory\" FROM {role}",
        })
            await ownerDb.Database.ExecuteSqlRawAsync(sql, ct);
    }

    static async Task CheckSqlitePragmasAsync(ShiliuDb db, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            foreach (var (pragma, expected) in new[] { ("journal_mode", "wal"), ("synchronous", "2"), ("foreign_keys", "1"), ("secure_delete", "1") })
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = $"PRAGMA {pragma};";
                var actual = Convert.ToString(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException($"SQLite 设置 {pragma} 为 {actual}，应为 {expected}：数据库无法保证持久性，拒绝启动");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
