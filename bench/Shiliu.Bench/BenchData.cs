using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Shiliu.Bench;

sealed record OrgRef(Guid Id, string Path);

/// <summary>
/// Writes bench data straight into the app's SQLite file (WAL mode, so the running app sees it on its next query),
/// in the shapes EF Core uses there: Guids as upper-case text, DateTimes as "yyyy-MM-dd HH:mm:ss.FFFFFFF".
/// </summary>
static class BenchData
{
    const string TimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    const int CommunitiesPerTownship = 10;

    static SqliteConnection Open(string dbPath)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false, DefaultTimeout = 30 }.ToString());
        c.Open();
        return c;
    }

    static string Text(Guid id) => id.ToString("D").ToUpperInvariant();

    static string Now() => DateTime.UtcNow.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static async Task<OrgRef> CountyAsync(string dbPath)
    {
        await using var db = Open(dbPath);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT Id, Path FROM OrgUnits WHERE ParentId IS NULL";
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) throw new InvalidOperationException("the app did not seed the county");
        return new OrgRef(Guid.Parse(r.GetString(0)), r.GetString(1));
    }

    public static async Task<long> CountOrgUnitsAsync(string dbPath)
    {
        await using var db = Open(dbPath);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM OrgUnits";
        return (long)(await cmd.ExecuteScalarAsync() ?? 0L);
    }

    /// <summary>
    /// Adds <paramref name="units"/> units breadth-first under the county: ~units/1000 townships, 10 communities each,
    /// the rest as grids spread evenly. Returns the number of townships added.
    /// </summary>
    public static async Task<int> AddOrgUnitsAsync(string dbPath, OrgRef county, int units)
    {
        if (units == 0) return 0;
        await using var db = Open(dbPath);
        await using var tx = db.BeginTransaction();
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO OrgUnits (Id, ParentId, Name, Code, Level, Path, SortOrder, IsDisabled, IsDemo, CreatedUtc, Version, UpdatedUtc, UpdatedBy)
            VALUES ($id, $parent, $name, $code, $level, $path, $sort, 0, 1, $now, 0, $now, 'bench')
            """;
        var p = new[] { "$id", "$parent", "$name", "$code", "$level", "$path", "$sort", "$now" }
            .ToDictionary(n => n, n => cmd.Parameters.Add(new SqliteParameter { ParameterName = n }));
        p["$now"].Value = Now();
        await cmd.PrepareAsync();

        var added = 0;
        var townships = Math.Max(1, (units + 999) / 1000);
        var parents = new List<OrgRef> { county };
        // Level 2..4 (township, community, grid); demo townships already hold sort orders 0..11.
        for (var level = 2; level <= 4 && added < units; level++)
        {
            var next = new List<OrgRef>();
            var fanOut = level switch
            {
                2 => townships,
                3 => CommunitiesPerTownship,
                _ => (units - added + parents.Count - 1) / parents.Count,
            };
            foreach (var parent in parents)
            {
                for (var i = 0; i < fanOut && added < units; i++)
                {
                    var id = Guid.CreateVersion7();
                    var path = $"{parent.Path}{id:N}/";
                    added++;
                    p["$id"].Value = Text(id);
                    p["$parent"].Value = Text(parent.Id);
                    p["$name"].Value = $"压测{(level == 2 ? "乡镇" : level == 3 ? "社区" : "网格")}{added}";
                    p["$code"].Value = $"B{added:D7}";
                    p["$level"].Value = level;
                    p["$path"].Value = path;
                    p["$sort"].Value = level == 2 ? 12 + i : i;
                    await cmd.ExecuteNonQueryAsync();
                    next.Add(new OrgRef(id, path));
                }
            }
            parents = next;
        }
        await tx.CommitAsync();
        return Math.Min(townships, units);
    }

    /// <summary>A personal access token for <paramref name="userName"/>, stored as TokenService stores it (SHA-256 of the text).</summary>
    public static async Task<string> AddTokenAsync(string dbPath, string userName)
    {
        var text = "shl_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var db = Open(dbPath);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO AccessTokens (Id, UserId, Name, Prefix, Hash, CreatedUtc, ExpiresUtc, RevokedUtc, LastUsedUtc)
            SELECT $id, Id, 'bench', $prefix, $hash, $created, $expires, NULL, NULL FROM AspNetUsers WHERE UserName = $user
            """;
        cmd.Parameters.AddWithValue("$id", Text(Guid.CreateVersion7()));
        cmd.Parameters.AddWithValue("$prefix", text[..10]);
        cmd.Parameters.AddWithValue("$hash", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
        cmd.Parameters.AddWithValue("$created", Now());
        cmd.Parameters.AddWithValue("$expires", DateTime.UtcNow.AddDays(1).ToString(TimeFormat, CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$user", userName);
        if (await cmd.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException($"the app did not seed the user '{userName}'");
        // The demo users must change their first password; until they have, their tokens only reach the account pages.
        await using var changed = db.CreateCommand();
        changed.CommandText = "UPDATE AspNetUsers SET MustChangePassword = 0, PasswordChangedUtc = $now WHERE UserName = $user";
        changed.Parameters.AddWithValue("$now", Now());
        changed.Parameters.AddWithValue("$user", userName);
        await changed.ExecuteNonQueryAsync();
        return text;
    }

    /// <summary>
    /// A 大屏 key for <paramref name="unit"/>, stored as ScreenService stores it (SHA-256 of the text, its first ten characters
    /// as the prefix), as if the county office had issued it on /screens.
    /// </summary>
    public static async Task<string> AddScreenAsync(string dbPath, OrgRef unit, string name)
    {
        var key = "shs_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var db = Open(dbPath);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO DisplayScreens (Id, Name, OrgUnitId, OrgPath, KeyPrefix, KeyHash, CreatedUtc, CreatedBy, Version, UpdatedUtc, UpdatedBy)
            VALUES ($id, $name, $unit, $path, $prefix, $hash, $now, 'bench', 0, $now, 'bench')
            """;
        cmd.Parameters.AddWithValue("$id", Text(Guid.CreateVersion7()));
        cmd.Parameters.AddWithValue("$name", name);
        cmd.Parameters.AddWithValue("$unit", Text(unit.Id));
        cmd.Parameters.AddWithValue("$path", unit.Path);
        cmd.Parameters.AddWithValue("$prefix", key[..10]);
        cmd.Parameters.AddWithValue("$hash", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
        cmd.Parameters.AddWithValue("$now", Now());
        await cmd.ExecuteNonQueryAsync();
        return key;
    }
}
