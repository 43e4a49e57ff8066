using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shiliu.Core.Data;

namespace Shiliu.Tests.Infrastructure;

/// <summary>
/// Every data test runs once per engine: <c>[Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]</c>.
/// PostgreSQL is left out (loudly) only where no server can be had.
/// </summary>
public static class Db
{
    public static IReadOnlyList<DbProvider> Engines =>
        PostgresServer.AdminConnectionString is not null ? [DbProvider.Sqlite, DbProvider.Postgres] : [DbProvider.Sqlite];

    public static TheoryData<DbProvider> Kinds => new(Engines);

    public const string DemoPassword = "Pomegranate#2026";
    public const string AdminPassword = "Xinping#Init2026";
    public static readonly string AuditKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    static readonly SemaphoreSlim Gate = new(1, 1);
    static string? _sqliteTemplate;
    static bool _pgTemplate;
    static readonly string Root = Path.Combine(Path.GetTempPath(), $"shiliu-tests-{Environment.ProcessId}");

    static Db()
    {
        Environment.SetEnvironmentVariable("SHILIU_DEMO_PASSWORD", DemoPassword);
        Environment.SetEnvironmentVariable("SHILIU_ADMIN_PASSWORD", AdminPassword);
    }

    /// <summary>A fresh database, migrated and seeded with the demo county, cloned from a template made once per run.</summary>
    public static async Task<string> FreshAsync(DbProvider kind)
    {
        await Gate.WaitAsync();
        try
        {
            if (kind == DbProvider.Sqlite && _sqliteTemplate is null) _sqliteTemplate = await MakeSqliteTemplateAsync();
            if (kind == DbProvider.Postgres && !_pgTemplate) { await MakePgTemplateAsync(); _pgTemplate = true; }
        }
        finally
        {
            Gate.Release();
        }
        if (kind == DbProvider.Sqlite)
        {
            var file = Path.Combine(Root, $"t-{Guid.NewGuid():N}.db");
            File.Copy(_sqliteTemplate!, file);
            return $"Data Source={file}";
        }
        var name = $"t_{Guid.NewGuid():N}";
        await PostgresServer.ExecAsync($"CREATE DATABASE {name} TEMPLATE shiliu_template");
        return PostgresServer.ConnectionStringFor(name);
    }

    static async Task<string> MakeSqliteTemplateAsync()
    {
        Directory.CreateDirectory(Root);
        var file = Path.Combine(Root, "template.db");
        await using (var app = new ShiliuApp(DbProvider.Sqlite, $"Data Source={file}"))
        {
            app.Server.ToString(); // starting the host migrates and seeds
            await DemoUsersHaveChangedTheirPasswordsAsync(app);
        }
        SqliteConnection.ClearAllPools();
        // Fold the WAL into the main file so a plain copy is a complete database.
        await using (var conn = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await cmd.ExecuteNonQueryAsync();
        }
        return file;
    }

    /// <summary>
    /// Demo accounts must change the shared password at first sign-in; the suite's tests start after that step (as if each
    /// user had done it, keeping the test password), while the first-sign-in tests use accounts of their own.
    /// </summary>
    static async Task DemoUsersHaveChangedTheirPasswordsAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        var now = DateTime.UtcNow;
        await db.Users.Where(u => u.IsDemo).ExecuteUpdateAsync(x => x.SetProperty(u => u.MustChangePassword, false).SetProperty(u => u.PasswordChangedUtc, now));
    }

    static async Task MakePgTemplateAsync()
    {
        await PostgresServer.ExecAsync("DROP DATABASE IF EXISTS shiliu_template");
        await PostgresServer.ExecAsync("CREATE DATABASE shiliu_template");
        await using (var app = new ShiliuApp(DbProvider.Postgres, PostgresServer.ConnectionStringFor("shiliu_template")))
        {
            app.Server.ToString();
            await DemoUsersHaveChangedTheirPasswordsAsync(app);
        }
        NpgsqlConnection.ClearAllPools();
    }
}
