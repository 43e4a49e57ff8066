using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Backup;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>SECURITY.md #42: a backup is a consistent snapshot with a manifest, and the restore drill proves it whole.</summary>
public sealed class BackupTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_backup_restores_whole_in_the_drill_and_any_damage_is_named(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var store = app.Services.GetRequiredService<IFileStore>();
        var local = Path.Combine(store.StagingDirectory, "photo.bin");
        await File.WriteAllBytesAsync(local, Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        await store.PutFileAsync("evidence/2026/photo.bin", local, "application/octet-stream");
        var parent = Path.Combine(app.DataDir, "..", $"shiliu-backups-{Guid.NewGuid():N}");
        try
        {
            var (exit, output) = await Cli.RunAsync(app, "backup", "--to", parent);
            Assert.True(exit == 0, output);
            Assert.Contains("结论：备份可以完整还原。", output);
            Assert.Contains("审计日志哈希链完整", output);
            var folder = Directory.GetDirectories(parent).Single();
            var manifestPath = Path.Combine(folder, "manifest.json");
            var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(manifestPath))!;

            // The manifest holds the snapshot's own figures: what the live database had (nothing was written since but the
            // backup's own audit row, which comes after the snapshot).
            await using (var db = await app.SystemDbAsync())
            {
                Assert.Equal(await db.OrgUnits.IgnoreQueryFilters().LongCountAsync(), manifest.Tables["OrgUnits"]);
                Assert.True(manifest.Tables["OrgUnits"] > 30);
                var backupRow = await db.AuditEntries.OrderByDescending(a => a.Id).FirstAsync();
                Assert.Equal(AuditEvents.Operator, backupRow.Event);
                Assert.StartsWith("备份数据库和文件", backupRow.Summary);
                Assert.Equal(backupRow.Id - 1, manifest.AuditLastId);
            }
            Assert.Contains(manifest.Files, f => f.Path == "evidence/2026/photo.bin" && f.Bytes == 5000);
            Assert.DoesNotContain(manifest.Files, f => f.Path.StartsWith(".staging", StringComparison.Ordinal));
            Assert.NotEmpty(manifest.Keys);
            // No key material in the backup: only fingerprints in the manifest.
            Assert.DoesNotContain(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), f => f.EndsWith(".key", StringComparison.Ordinal));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));

            // A damaged stored file is named; the drill exits 3.
            var copy = Path.Combine(folder, "files", "evidence", "2026", "photo.bin");
            var bytes = await File.ReadAllBytesAsync(copy);
            bytes[100] ^= 0xFF;
            await File.WriteAllBytesAsync(copy, bytes);
            (exit, output) = await Cli.RunAsync(app, "check-backup", "--from", folder);
            Assert.Equal(3, exit);
            Assert.Contains("文件 evidence/2026/photo.bin 的 SHA-256 与清单不符", output);
            bytes[100] ^= 0xFF;
            await File.WriteAllBytesAsync(copy, bytes);

            // A manifest that promises rows the snapshot does not hold fails on the count.
            var promised = manifest with { Tables = new Dictionary<string, long>(manifest.Tables) { ["OrgUnits"] = manifest.Tables["OrgUnits"] + 1 } };
            await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(promised));
            (exit, output) = await Cli.RunAsync(app, "check-backup", "--from", folder);
            Assert.Equal(3, exit);
            Assert.Contains("行数不符：OrgUnits", output);

            // Restored as it was, it passes again; the live database was never touched by the drills.
            await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest));
            (exit, output) = await Cli.RunAsync(app, "check-backup", "--from", folder);
            Assert.True(exit == 0, output);
        }
        finally
        {
            try { Directory.Delete(parent, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>SQLite only: its snapshot is a database file the test can edit in place; a PostgreSQL dump is not.</summary>
    [Fact]
    public async Task An_audit_log_edited_in_the_backup_fails_the_drill()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var parent = Path.Combine(app.DataDir, "..", $"shiliu-backups-{Guid.NewGuid():N}");
        try
        {
            var (exit, output) = await Cli.RunAsync(app, "backup", "--to", parent);
            Assert.True(exit == 0, output);
            var folder = Directory.GetDirectories(parent).Single();
            var file = Path.Combine(folder, "database.sqlite");
            await using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await conn.OpenAsync();
                await using var cmd = conn.CreateCommand();
                // The append-only trigger guards the live log; someone holding the backup file can drop it.
                cmd.CommandText = """
                    SELECT group_concat('DROP TRIGGER "' || name || '";', ' ') FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'AuditEntries'
                    """;
                var drops = (string?)await cmd.ExecuteScalarAsync();
                cmd.CommandText = (drops ?? "") + " UPDATE \"AuditEntries\" SET \"Summary\" = \"Summary\" || '（改）' WHERE \"Id\" = 1";
                await cmd.ExecuteNonQueryAsync();
            }
            // Re-seal the manifest's hash so only the chain can notice.
            var manifestPath = Path.Combine(folder, "manifest.json");
            var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(manifestPath))!;
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(file)));
            await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest with { Database = manifest.Database with { Sha256 = sha, Bytes = new FileInfo(file).Length } }));
            (exit, output) = await Cli.RunAsync(app, "check-backup", "--from", folder);
            Assert.Equal(3, exit);
            Assert.Contains("审计日志哈希链校验失败", output);
        }
        finally
        {
            try { Directory.Delete(parent, recursive: true); } catch (IOException) { }
        }
    }
}
