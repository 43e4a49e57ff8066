using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Keys;

namespace Shiliu.Core.Platform.Backup;

/// <summary>What a backup holds, written beside it as manifest.json: enough to prove a restore gave back the same data.</summary>
public sealed record BackupManifest
{
    public int Format { get; init; } = 1;
    public DateTime CreatedUtc { get; init; }
    public DbProvider Provider { get; init; }
    public string? Migration { get; init; }
    public BackupFile Database { get; init; } = new("", 0, "");
    /// <summary>Rows per table at the moment of the database snapshot.</summary>
    public Dictionary<string, long> Tables { get; init; } = [];
    public long AuditLastId { get; init; }
    public string? AuditHead { get; init; }
    /// <summary>Stored files (evidence, dossiers), copied after the database snapshot; paths relative to files/.</summary>
    public List<BackupFile> Files { get; init; } = [];
    /// <summary>Fingerprints of the key versions the data was sealed and signed with; the keys themselves are backed up apart.</summary>
    public List<string> Keys { get; init; } = [];
}

public sealed record BackupFile(string Path, long Bytes, string Sha256);

public sealed record BackupCheck(bool Ok, IReadOnlyList<string> Lines);

/// <summary>
/// Backup and the restore drill (SECURITY.md #42). A backup is a consistent snapshot of the database (SQLite
/// <c>VACUUM INTO</c>, never a copy of a live file; PostgreSQL <c>pg_dump</c>), a copy of the local file store, and a
/// manifest with every file's SHA-256, the row count of every table and the audit chain's head. The drill restores the
/// snapshot into a scratch database, runs the engine's integrity check, compares the row counts and verifies the audit
/// chain with this node's keys: a backup is good only when the drill says so. Keys are never written into a backup.
/// </summary>
public sealed class BackupService(IDbContextFactory<ShiliuDb> dbs, DatabaseSettings settings, Evidence.IFileStore files, AuditChain chain)
{
    const string ManifestName = "manifest.json";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes a new backup folder under <paramref name="parent"/> and returns its path and manifest.</summary>
    public async Task<(string Folder, BackupManifest Manifest)> BackupAsync(string parent, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = db.UtcNow;
        var folder = Path.Combine(Path.GetFullPath(parent), $"shiliu-backup-{Common.ChinaTime.ToChina(now):yyyyMMdd-HHmmss}");
        if (Directory.Exists(folder)) throw new InvalidOperationException($"备份目录 {folder} 已存在");
        CreatePrivateDirectory(folder);
        var dbFile = settings.Provider == DbProvider.Sqlite ? "database.sqlite" : "database.dump";
        var dbPath = Path.Combine(folder, dbFile);

        // The counts and the audit head are those of the snapshot itself: read from the SQLite copy, or on PostgreSQL in
        // the transaction whose snapshot pg_dump is handed (so a write between the two cannot make the drill fail).
        Dictionary<string, long> tables;
        long lastId;
        string? head;
        if (settings.Provider == DbProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("VACUUM INTO {0}", [dbPath], ct);
            (tables, lastId, head) = await ReadCopyStateAsync(dbPath, ct);
        }
        else
        {
            var conn = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            var snapshot = await ScalarAsync(conn, tx, "SELECT pg_export_snapshot()");
            (tables, lastId, head) = await ReadStateAsync(db, conn, tx, ct);
            await PgToolAsync("pg_dump", new NpgsqlConnectionStringBuilder(settings.ConnectionString),
                ["--format=custom", "--no-owner", "--no-privileges", $"--snapshot={snapshot}", "--file", dbPath], ct);
            await tx.CommitAsync(ct);
            await db.Database.CloseConnectionAsync();
        }

        var copied = new List<BackupFile>();
        if (files is Evidence.LocalFileStore local && Directory.Exists(local.Root))
        {
            var target = Path.Combine(folder, "files");
            foreach (var source in Directory.EnumerateFiles(local.Root, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(local.Root, source);
                if (rel.StartsWith(".staging", StringComparison.Ordinal)) continue;
                var dest = Path.Combine(target, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
                File.Copy(source, dest);
                copied.Add(await DescribeAsync(dest, rel, ct));
            }
        }

        var keys = await db.Set<SealingKey>().AsNoTracking().OrderBy(k => k.Purpose).ThenBy(k => k.Version)
            .Select(k => k.Purpose + " v" + k.Version + " " + k.Fingerprint).ToListAsync(ct);
        var manifest = new BackupManifest
        {
            CreatedUtc = now, Provider = settings.Provider, Migration = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault(),
            Database = await DescribeAsync(dbPath, dbFile, ct), Tables = tables, AuditLastId = lastId, AuditHead = head, Files = copied, Keys = keys,
        };
        await File.WriteAllTextAsync(Path.Combine(folder, ManifestName), JsonSerializer.Serialize(manifest, Json), ct);
        db.Audit(AuditEvents.Operator, $"备份数据库和文件：{folder}（数据库 {manifest.Database.Bytes:N0} 字节，文件 {copied.Count:N0} 个，SHA-256 {manifest.Database.Sha256[..16]}…）");
        await db.SaveChangesAsync(ct);
        return (folder, manifest);
    }

    /// <summary>
    /// The restore drill: every file against its SHA-256, the snapshot restored into a scratch database, the engine's
    /// integrity check, row counts, and the audit chain verified with this node's keys. The live database is not touched.
    /// </summary>
    public async Task<BackupCheck> CheckAsync(string folder, CancellationToken ct = default)
    {
        var lines = new List<string>();
        var ok = true;
        void Fail(string line) { ok = false; lines.Add("✗ " + line); }
        var manifestPath = Path.Combine(folder, ManifestName);
        if (!File.Exists(manifestPath)) return new BackupCheck(false, [$"✗ {folder} 中没有 {ManifestName}，不是石榴的备份目录"]);
        var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(manifestPath, ct))!;
        if (manifest.Provider != settings.Provider)
            return new BackupCheck(false, [$"✗ 这是 {manifest.Provider} 的备份，本节点配置的是 {settings.Provider}"]);

        var badFiles = 0;
        foreach (var f in manifest.Files.Prepend(manifest.Database))
        {
            var path = Path.Combine(folder, f == manifest.Database ? "" : "files", f.Path);
            if (!File.Exists(path)) { badFiles++; Fail($"缺少文件 {f.Path}"); continue; }
            if ((await DescribeAsync(path, f.Path, ct)).Sha256 != f.Sha256) { badFiles++; Fail($"文件 {f.Path} 的 SHA-256 与清单不符（已损坏或被改动）"); }
        }
        if (badFiles == 0) lines.Add($"✓ {manifest.Files.Count + 1:N0} 个文件的 SHA-256 与清单一致");
        if (!File.Exists(Path.Combine(folder, manifest.Database.Path))) return new BackupCheck(false, lines);

        var scratch = Path.Combine(Path.GetTempPath(), $"shiliu-drill-{Guid.NewGuid():N}");
        CreatePrivateDirectory(scratch);
        string? pgScratch = null;
        try
        {
            DatabaseSettings restored;
            if (settings.Provider == DbProvider.Sqlite)
            {
                var copy = Path.Combine(scratch, "restored.sqlite");
                File.Copy(Path.Combine(folder, manifest.Database.Path), copy);
                restored = new DatabaseSettings(DbProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            }
            else
            {
                var live = new NpgsqlConnectionStringBuilder(settings.MigrationConnectionString ?? settings.ConnectionString);
                pgScratch = $"{live.Database}_drill_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000):000}";
                await using (var conn = new NpgsqlConnection(live.ConnectionString))
                {
                    await conn.OpenAsync(ct);
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{pgScratch}\"", conn);
                    await create.ExecuteNonQueryAsync(ct);
                }
                var target = new NpgsqlConnectionStringBuilder(live.ConnectionString) { Database = pgScratch, Pooling = false };
                await PgToolAsync("pg_restore", target, ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", pgScratch,
                    Path.Combine(folder, manifest.Database.Path)], ct);
                restored = new DatabaseSettings(DbProvider.Postgres, target.ConnectionString);
            }
            lines.Add("✓ 已还原到临时数据库");

            await using var db = Other(restored.Apply, "备份还原演练");
            var conn2 = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            var integrity = settings.Provider == DbProvider.Sqlite ? await ScalarAsync(conn2, null, "PRAGMA integrity_check") : "ok";
            if (integrity == "ok") lines.Add(settings.Provider == DbProvider.Sqlite ? "✓ SQLite 完整性检查：ok" : "✓ pg_restore 无错误完成");
            else Fail($"SQLite 完整性检查：{integrity}");

            var (tables, lastId, head) = await ReadStateAsync(db, conn2, null, ct);
            var differ = manifest.Tables.Where(t => tables.GetValueOrDefault(t.Key, -1) != t.Value)
                .Select(t => $"{t.Key}（清单 {t.Value:N0}，还原后 {tables.GetValueOrDefault(t.Key, -1):N0}）").ToList();
            if (differ.Count == 0) lines.Add($"✓ {tables.Count} 张表的行数与清单一致（共 {tables.Values.Sum():N0} 行）");
            else Fail("行数不符：" + string.Join("、", differ));
            if (manifest.AuditLastId != lastId || manifest.AuditHead != head) Fail($"审计日志末条不符：清单第 {manifest.AuditLastId} 条，还原后第 {lastId} 条");

            var verified = await chain.VerifyAsync(db, ct: ct);
            if (verified.Intact) lines.Add($"✓ 审计日志哈希链完整（{verified.Checked:N0} 条，用本节点的审计密钥校验）");
            else Fail($"审计日志哈希链校验失败：{verified.Text}");
            await db.Database.CloseConnectionAsync();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            Fail($"还原失败：{e.Message}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
            if (pgScratch is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(settings.MigrationConnectionString ?? settings.ConnectionString).ConnectionString);
                await conn.OpenAsync(CancellationToken.None);
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{pgScratch}\" WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        return new BackupCheck(ok, lines);
    }

    /// <summary>Row count of every table of the model, and the audit chain's last id and hash.</summary>
    static async Task<(Dictionary<string, long> Tables, long LastId, string? Head)> ReadStateAsync(ShiliuDb db, DbConnection conn, DbTransaction? tx, CancellationToken ct)
    {
        var names = db.Model.GetEntityTypes().Where(e => e.GetViewName() is null && e.GetTableName() is not null)
            .Select(e => e.GetTableName()!).Distinct().Order(StringComparer.Ordinal).ToList();
        var tables = new Dictionary<string, long>();
        foreach (var name in names) tables[name] = long.Parse(await ScalarAsync(conn, tx, $"SELECT COUNT(*) FROM \"{name}\"") ?? "0");
        var audit = db.Model.FindEntityType(typeof(AuditEntry))!.GetTableName();
        var last = await ScalarAsync(conn, tx, $"SELECT MAX(\"Id\") FROM \"{audit}\"");
        var lastId = long.TryParse(last, out var id) ? id : 0;
        var head = lastId == 0 ? null : await ScalarAsync(conn, tx, $"SELECT \"Hash\" FROM \"{audit}\" WHERE \"Id\" = {lastId}");
        return (tables, lastId, head);
    }

    async Task<(Dictionary<string, long>, long, string?)> ReadCopyStateAsync(string path, CancellationToken ct)
    {
        // Read-only and without the pragma interceptor: reading the copy must not change the file the manifest hashes.
        await using var copy = Other(o => o.UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()),
            "备份");
        var conn = copy.Database.GetDbConnection();
        await copy.Database.OpenConnectionAsync(ct);
        try { return await ReadStateAsync(copy, conn, null, ct); }
        finally { await copy.Database.CloseConnectionAsync(); }
    }

    /// <summary>A context on a database other than the live one (the snapshot or its restored copy), as the system.</summary>
    ShiliuDb Other(Action<DbContextOptionsBuilder> configure, string who)
    {
        var options = new DbContextOptionsBuilder<ShiliuDb>();
        configure(options);
        return new ShiliuDb(options.Options, new Common.FixedCaller(Common.Caller.System(who)), TimeProvider.System, chain);
    }

    static async Task<string?> ScalarAsync(DbConnection conn, DbTransaction? tx, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return (await cmd.ExecuteScalarAsync())?.ToString();
    }

    static async Task<BackupFile> DescribeAsync(string path, string rel, CancellationToken ct)
    {
        await using var s = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct));
        return new BackupFile(rel.Replace('\\', '/'), s.Length, hash);
    }

    /// <summary>Runs pg_dump or pg_restore with the connection's parameters in the environment (the password never on a command line).</summary>
    static async Task PgToolAsync(string tool, NpgsqlConnectionStringBuilder cs, IEnumerable<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PGHOST"] = cs.Host ?? "localhost";
        psi.Environment["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PGUSER"] = cs.Username ?? "";
        psi.Environment["PGPASSWORD"] = cs.Password ?? "";
        psi.Environment["PGDATABASE"] = cs.Database ?? "";
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"找不到 {tool}：请安装与数据库同版本的 PostgreSQL 客户端（如 apt install postgresql-client）");
        }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync(ct);
            await p.StandardOutput.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} 失败（退出码 {p.ExitCode}）：{(await err).Trim()}");
        }
    }

    static void CreatePrivateDirectory(string path)
    {
        // Sealed personal data and the audit log: readable by the service user only.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
