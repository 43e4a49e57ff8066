using Microsoft.EntityFrameworkCore;

namespace Shiliu.Core.Data;

/// <summary>Applies migrations and refuses to run on a SQLite connection without the durability settings.</summary>
public static class DatabaseStartup
{
    public static async Task<IReadOnlyList<string>> MigrateAsync(ShiliuDb db, CancellationToken ct = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        if (!db.IsPostgres) await CheckSqlitePragmasAsync(db, ct);
        return pending;
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
