using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Shiliu.Core.Data;

public enum DbProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Chooses the engine from configuration: <c>Database:Provider</c> and <c>ConnectionStrings:Shiliu</c>. On PostgreSQL,
/// <c>ConnectionStrings:ShiliuMigrations</c> may name a separate owner role that runs the migrations (and owns the
/// tables and the audit log's append-only triggers); the app's own role then gets only the rights it needs.
/// </summary>
public sealed record DatabaseSettings(DbProvider Provider, string ConnectionString, string? MigrationConnectionString = null)
{
    public const string DefaultSqlite = "Data Source=data/shiliu.db";

    public static DatabaseSettings From(IConfiguration config, string contentRoot)
    {
        var raw = config["Database:Provider"] ?? "Sqlite";
        if (!Enum.TryParse<DbProvider>(raw, ignoreCase: true, out var provider))
            throw new InvalidOperationException($"Database:Provider 配置值“{raw}”无效，应为 Sqlite 或 Postgres");
        var cs = config.GetConnectionString("Shiliu");
        if (provider == DbProvider.Postgres && string.IsNullOrWhiteSpace(cs))
            throw new InvalidOperationException("使用 PostgreSQL 时必须配置 ConnectionStrings__Shiliu");
        if (provider == DbProvider.Sqlite)
            cs = AnchorSqlitePath(string.IsNullOrWhiteSpace(cs) ? DefaultSqlite : cs, contentRoot);
        var owner = config.GetConnectionString("ShiliuMigrations");
        if (!string.IsNullOrWhiteSpace(owner) && provider != DbProvider.Postgres)
            throw new InvalidOperationException("ConnectionStrings__ShiliuMigrations（迁移用的属主角色）只用于 PostgreSQL");
        return new DatabaseSettings(provider, cs!, string.IsNullOrWhiteSpace(owner) ? null : owner);
    }

    /// <summary>Resolves a relative SQLite file against the content root and makes sure its folder exists.</summary>
    static string AnchorSqlitePath(string cs, string contentRoot)
    {
        var b = new SqliteConnectionStringBuilder(cs);
        if (b.DataSource != ":memory:" && !b.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = Path.IsPathRooted(b.DataSource) ? b.DataSource : Path.GetFullPath(Path.Combine(contentRoot, b.DataSource));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            b.DataSource = path;
        }
        b.Pooling = true;
        b.DefaultTimeout = 30;
        return b.ToString();
    }

    public void Apply(DbContextOptionsBuilder o)
    {
        if (Provider == DbProvider.Sqlite)
        {
            o.UseSqlite(ConnectionString, x => x.MigrationsAssembly("Shiliu.Migrations.Sqlite"));
            o.AddInterceptors(SqlitePragmas.Instance, SqliteIndexHintInterceptor.Instance);
        }
        else
        {
            o.UseNpgsql(ConnectionString, x => x.MigrationsAssembly("Shiliu.Migrations.Postgres"));
        }
    }
}

/// <summary>
/// Durability settings for every SQLite connection (SECURITY.md #39, #41): WAL, FULL sync, foreign keys,
/// a 5 s busy timeout and secure_delete so removed personal data does not linger in free pages. Reads go through a memory
/// map of up to 256 MB: with SQLite's default 2 MB page cache a county-wide list spent more time copying pages out of the
/// OS (system time) than reading them; the map shares the OS page cache instead of copying into each connection.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public const string Sql =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON; PRAGMA mmap_size=268435456;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Run(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static void Run(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }
}
