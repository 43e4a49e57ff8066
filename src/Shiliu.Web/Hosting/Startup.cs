using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Seed;

namespace Shiliu.Web.Hosting;

/// <summary>On start: migrate, seed the base data and (unless switched off) the demo county.</summary>
public static class Startup
{
    public static async Task PrepareDatabaseAsync(WebApplication app)
    {
        // An object store must have its bucket before the first upload.
        if (app.Services.GetRequiredService<Shiliu.Core.Evidence.IFileStore>() is Shiliu.Core.Evidence.S3FileStore s3) await s3.EnsureBucketAsync();
        var migrate = app.Configuration.GetValue("Database:MigrateOnStart", true);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerAccessor>().Override = Caller.System("系统初始化");
        var log = app.Logger;
        await using (var db = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ShiliuDb>>().CreateDbContextAsync())
        {
            // SECURITY.md #41: a server that may lose or corrupt acknowledged commits is refused before anything is written.
            if (db.IsPostgres)
                foreach (var warning in await DatabaseStartup.CheckPostgresDurabilityAsync(db, app.Environment.IsProduction()))
                    log.LogWarning("{Warning}", warning);
            if (migrate)
            {
                var applied = await DatabaseStartup.MigrateAsync(db, app.Services.GetRequiredService<DatabaseSettings>());
                if (applied.Count > 0) log.LogInformation("已应用数据库迁移：{Migrations}", string.Join(", ", applied));
            }
            // Before anything is written: a database sealed with keys this node lacks must not get a second set.
            await Shiliu.Core.Keys.KeyCheck.EnsureAsync(db, app.Services.GetRequiredService<Shiliu.Core.Keys.KeyRing>(),
                app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
            if (await Shiliu.Core.Keys.DataProtectionKeys.SecureAsync(db, app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>(),
                    app.Services.GetRequiredService<Shiliu.Core.Accounts.TotpSecrets>()) is { } secured)
                log.LogWarning("{Summary}", secured);
        }
        if (!migrate) return;
        var seeder = scope.ServiceProvider.GetRequiredService<Seeder>();
        // Demo data is seeded by default everywhere but Production, where asking for it is a start-up error (unless training).
        var production = app.Environment.IsProduction();
        var seedDemo = app.Configuration.GetValue("Shiliu:SeedDemo", !production);
        if (seedDemo && Seeder.DemoRefusal(production, app.Configuration.GetValue("Shiliu:TrainingServer", false)) is { } refusal)
            throw new InvalidOperationException(refusal);
        var seeded = await seeder.SeedBaseAsync(Environment.GetEnvironmentVariable("SHILIU_ADMIN_PASSWORD"));
        var lines = seeded.Lines;
        if (WriteAdminPassword(app.Configuration, app.Environment.ContentRootPath, seeded) is { } note) lines.Add(note);
        if (seedDemo)
        {
            lines.AddRange((await seeder.SeedDemoAsync(Environment.GetEnvironmentVariable("SHILIU_DEMO_PASSWORD"))).Lines);
            // A year of ledger records takes a while to write through the services: in the background, once, so the site answers at once.
            if (DemoLedgers(app.Configuration) && await seeder.QueueDemoLedgersAsync())
                lines.Add("演示县的台账数据（居民、走访、活动、“十个一”）将在后台填充，约需一两分钟");
        }
        foreach (var line in lines) Console.WriteLine(line);
    }

    /// <summary>Whether the demo county also gets a year of records in its ledgers (appsettings: on; tests: off).</summary>
    public static bool DemoLedgers(IConfiguration config) => config.GetValue("Shiliu:DemoLedgers", false);

    /// <summary>
    /// Writes a generated first password of admin to a file only the service user may read (0600) and returns the line
    /// saying where; the password itself never reaches the console or the log.
    /// </summary>
    public static string? WriteAdminPassword(IConfiguration config, string contentRoot, SeedReport report)
    {
        if (report.AdminPassword is not { } password) return null;
        var path = Path.Combine(WebSetup.DataDirectory(config, contentRoot), "admin-initial-password.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        // Created with its mode: never readable by others, not even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var w = new StreamWriter(path, System.Text.Encoding.UTF8, options)) w.WriteLine(password);
        return $"系统管理员 admin 的初始密码已写入 {path}（仅服务账户可读）；首次登录后请删除该文件";
    }
}
