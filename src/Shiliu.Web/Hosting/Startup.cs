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
        var lines = (await seeder.SeedBaseAsync(Environment.GetEnvironmentVariable("SHILIU_ADMIN_PASSWORD"))).Lines;
        if (seedDemo)
            lines.AddRange((await seeder.SeedDemoAsync(Environment.GetEnvironmentVariable("SHILIU_DEMO_PASSWORD"))).Lines);
        // Printed to the console, not the log: the admin's one-time password must not end up in log files.
        foreach (var line in lines) Console.WriteLine(line);
    }
}
