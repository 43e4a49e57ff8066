using Microsoft.EntityFrameworkCore;

namespace Shiliu.Core.Data;

/// <summary>Applies migrations and refuses to run on a database without the durability settings (SECURITY.md #41).</summary>
public static class DatabaseStartup
{
    /// <param name="settings">The configured settings: with a separate owner role (PostgreSQL), the owner migrates.</param>
    public static async Task<IReadOnlyList<string>> MigrateAsync(ShiliuDb db, DatabaseSettings? settings = null, CancellationToken ct = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (settings?.MigrationConnectionString is { } owner) await MigrateAsOwnerAsync(db, settings, owner, ct);
        else await db.Database.MigrateAsync(ct);
        if (!db.IsPostgres) await CheckSqlitePragmasAsync(db, ct);
        // A tally table a migration just added starts empty beside the rows it counts: count them once.
        foreach (var tally in ShiliuModules.Catalog.Tallies)
            if (await tally.MissingAsync(db, ct)) await tally.RebuildAllAsync(db, ct);
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

    /// <summary>The PostgreSQL settings that decide whether an acknowledged commit survives a crash or a power cut.</summary>
    public static readonly IReadOnlyList<string> PostgresDurabilitySettings = ["fsync", "full_page_writes", "synchronous_commit", "data_checksums"];

    /// <summary>Probes the server's durability settings; refuses (throws) in Production when one that can corrupt data is off, else returns warnings.</summary>
    public static async Task<IReadOnlyList<string>> CheckPostgresDurabilityAsync(ShiliuDb db, bool production, CancellationToken ct = default)
    {
        var verdict = JudgePostgresDurability(await ProbePostgresDurabilityAsync(db, ct), production);
        return verdict.Refusal is { } refusal ? throw new InvalidOperationException(refusal) : verdict.Warnings;
    }

    public static async Task<IReadOnlyDictionary<string, string>> ProbePostgresDurabilityAsync(ShiliuDb db, CancellationToken ct = default)
    {
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var values = new Dictionary<string, string>();
            foreach (var name in PostgresDurabilitySettings)
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = $"SHOW {name}";
                values[name] = Convert.ToString(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
            return values;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// fsync or full_page_writes off can corrupt the database on a crash or power cut: refused in Production, warned about
    /// elsewhere. synchronous_commit off loses only the last moments of commits, never integrity, and checksums off only
    /// hides a bad disk page: warnings everywhere.
    /// </summary>
    public static DurabilityVerdict JudgePostgresDurability(IReadOnlyDictionary<string, string> settings, bool production)
    {
        bool Off(string name) => settings.TryGetValue(name, out var v) && string.Equals(v, "off", StringComparison.OrdinalIgnoreCase);
        var fatal = new[] { ("fsync", "已确认的提交在崩溃或断电后可能丢失，数据库可能损坏"), ("full_page_writes", "断电时可能写坏半个数据页，数据库可能损坏") }
            .Where(f => Off(f.Item1)).Select(f => $"PostgreSQL 设置 {f.Item1} 为 off，应为 on：{f.Item2}").ToList();
        var warnings = new List<string>();
        if (Off("synchronous_commit"))
            warnings.Add("PostgreSQL 设置 synchronous_commit 为 off：崩溃时最近约 0.6 秒内已确认的提交可能丢失（数据库不会损坏），建议设为 on");
        if (Off("data_checksums"))
            warnings.Add("PostgreSQL 未启用数据页校验和（data_checksums 为 off）：磁盘损坏的数据页不会被发现，建议用 initdb --data-checksums 或 pg_checksums 启用");
        if (fatal.Count == 0) return new DurabilityVerdict(null, warnings);
        return production
            ? new DurabilityVerdict(string.Join("；", fatal) + "。生产环境拒绝启动，请在 postgresql.conf 中改正后重启数据库", warnings)
            : new DurabilityVerdict(null, [.. fatal, .. warnings]);
    }
}

/// <summary>What start-up makes of the database's durability settings: a refusal to start, or warnings to log.</summary>
public sealed record DurabilityVerdict(string? Refusal, IReadOnlyList<string> Warnings);
