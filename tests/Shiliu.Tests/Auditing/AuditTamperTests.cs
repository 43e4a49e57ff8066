using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;
using Shiliu.Web.Hosting;

namespace Shiliu.Tests.Auditing;

/// <summary>
/// Someone with the database in hand (issue 11, item 7): deleting the newest rows, editing a row, and re-computing the
/// chain without the key are each found — by the chain and by its anchors outside the database — at start and by the
/// verifiers; on PostgreSQL the app's own role cannot even switch the guard off.
/// </summary>
public sealed class AuditTamperTests
{
    static async Task<ShiliuApp> StartAsync(DbProvider kind, Dictionary<string, string>? settings = null, string? connection = null)
    {
        var app = new ShiliuApp(kind, connection ?? await Db.FreshAsync(kind)) { Settings = settings ?? [] };
        var started = DateTime.UtcNow;
        _ = app.Server;
        // The check is a recurring job due at every start: wait for this start's run.
        for (var i = 0; i < 300; i++)
        {
            await using var db = await app.SystemDbAsync();
            if (await db.BackgroundJobs.AnyAsync(j => j.UniqueKey == AuditCheck.Kind && j.FinishedUtc >= started)) return app;
            await Task.Delay(100);
        }
        throw new TimeoutException("审计日志的启动校验没有在 30 秒内完成");
    }

    static async Task SomeWorkAsync(ShiliuApp app)
    {
        var unit = await app.UnitAsync("530427001002");
        await app.AsAsync("township", sp => sp.GetRequiredService<OrganizationService>()
            .UpdateAsync(unit.Id, new UpdateOrgUnit { Name = "桂山社区（一）", Code = unit.Code, Version = unit.Version }));
        unit = await app.UnitAsync("530427001002");
        await app.AsAsync("township", sp => sp.GetRequiredService<OrganizationService>()
            .UpdateAsync(unit.Id, new UpdateOrgUnit { Name = "桂山社区（二）", Code = unit.Code, Version = unit.Version }));
    }

    /// <summary>Runs raw SQL past the append-only guard, as an attacker with the database's owner or superuser would.</summary>
    static async Task TamperAsync(ShiliuDb db, params string[] sql)
    {
        if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER");
        else
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS audit_no_update");
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS audit_no_delete");
        }
        foreach (var s in sql) await db.Database.ExecuteSqlRawAsync(s);
    }

    static Task<AuditVerification> VerifyAsync(ShiliuApp app) =>
        app.AsAsync("auditor", sp => sp.GetRequiredService<AuditService>().VerifyAsync());

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Deleting_the_newest_rows_leaves_a_chain_that_verifies_but_its_anchors_outside_the_database_do_not(DbProvider kind)
    {
        using var syslog = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)syslog.Client.LocalEndPoint!).Port;
        await using var app = await StartAsync(kind, new() { ["Audit:SyslogServer"] = $"127.0.0.1:{port}" });
        await SomeWorkAsync(app);
        var daily = await app.AsAsync(null, sp => sp.GetRequiredService<AuditCheck>().RunOnceAsync());
        Assert.True(daily.Intact, daily.Text);
        var anchors = app.Services.GetRequiredService<AuditAnchors>().Read();
        Assert.Equal(2, anchors.Count); // at start, and now
        // The syslog server has the same heads.
        var received = new List<string>();
        while (received.Count < 2)
            received.Add(Encoding.UTF8.GetString((await syslog.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10))).Buffer));
        Assert.All(received, m => Assert.StartsWith("<109>1 ", m));
        Assert.Contains(received, m => m.Contains(anchors[^1].Head));

        await using (var db = await app.SystemDbAsync())
        {
            var last = await db.AuditEntries.MaxAsync(a => a.Id);
            await TamperAsync(db, $"DELETE FROM \"AuditEntries\" WHERE \"Id\" > {last - 3}");
        }
        var result = await VerifyAsync(app);
        Assert.Empty(result.BrokenIds); // what is left is a consistent chain
        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.Contains("末尾的记录被删除"));
        var (exit, text) = await Cli.RunAsync(app, "verify-audit");
        Assert.Equal(3, exit);
        Assert.Contains("锚点不符", text);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Recomputing_the_chain_without_the_key_after_an_edit_is_found_and_a_restart_reports_it(DbProvider kind)
    {
        string connection;
        long edited;
        await using (var app = await StartAsync(kind))
        {
            connection = app.ConnectionString;
            await SomeWorkAsync(app);
            await app.AsAsync(null, sp => sp.GetRequiredService<AuditCheck>().RunOnceAsync());
            await using var db = await app.SystemDbAsync();
            var rows = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
            var target = rows.Last(a => a.Event == AuditEvents.Update);
            edited = target.Id;
            // The attacker edits a row and re-links every later row with a hash of its own (it has no key).
            var guess = RandomNumberGenerator.GetBytes(32);
            var prev = rows.Single(a => a.Id == rows.Where(r => r.Id < target.Id).Max(r => r.Id)).Hash;
            var sql = new List<string>();
            foreach (var e in rows.Where(a => a.Id >= target.Id))
            {
                if (e.Id == target.Id) e.UserName = "someone-else";
                e.PrevHash = prev;
                e.Hash = prev = Convert.ToHexStringLower(HMACSHA256.HashData(guess, Encoding.UTF8.GetBytes($"{e.PrevHash}|{e.Id}|{e.UserName}|{e.Summary}")));
                sql.Add($"UPDATE \"AuditEntries\" SET \"UserName\" = '{e.UserName}', \"PrevHash\" = '{e.PrevHash}', \"Hash\" = '{e.Hash}' WHERE \"Id\" = {e.Id}");
            }
            await TamperAsync(db, [.. sql]);
            var result = await VerifyAsync(app);
            Assert.Equal(rows.Where(a => a.Id >= edited).Select(a => a.Id), result.BrokenIds);
            Assert.Contains(result.Problems, p => p.Contains("内容不同"));
        }
        // Verified again at the next start, without waiting a day: the break is in the log the auditor reads.
        await using var restarted = await StartAsync(kind, connection: connection);
        await using var check = await restarted.SystemDbAsync();
        var verified = await check.AuditEntries.Where(a => a.Event == AuditEvents.Verified).OrderByDescending(a => a.Id).FirstAsync();
        Assert.False(verified.Success);
        Assert.Contains("被篡改", verified.Summary);
        Assert.Contains(edited.ToString(), verified.Summary);
    }

    [Fact]
    public async Task On_postgres_the_app_role_cannot_drop_or_disable_the_audit_triggers_nor_delete_audit_rows()
    {
        if (PostgresServer.AdminConnectionString is null) return; // loudly warned about by PostgresServer
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (owner, appRole, database) = ($"shiliu_owner_{suffix}", $"shiliu_app_{suffix}", $"t_roles_{suffix}");
        await PostgresServer.ExecAsync($"CREATE ROLE {owner} LOGIN");
        await PostgresServer.ExecAsync($"CREATE ROLE {appRole} LOGIN");
        await PostgresServer.ExecAsync($"CREATE DATABASE {database} OWNER {owner}");
        string As(string role) => new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionStringFor(database)) { Username = role }.ToString();

        // Migrated by the owner, run by the app role: the demo county is seeded and work goes on as usual.
        await using var app = await StartAsync(DbProvider.Postgres, new() { ["ConnectionStrings:ShiliuMigrations"] = As(owner) }, As(appRole));
        var unit = await app.UnitAsync("530427001001");
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
        {
            OrgUnitId = unit.Id, Name = "罗玉芬", EthnicityCode = "07", IdNumber = Residents.Ids.Next(), ResidenceType = ResidenceType.Permanent,
        }));
        Assert.True((await VerifyAsync(app)).Intact);

        await using (var db = await app.SystemDbAsync())
        {
            Assert.Equal(appRole, await db.Database.SqlQueryRaw<string>("SELECT current_user AS \"Value\"").SingleAsync());
            foreach (var sql in new[]
            {
                "ALTER TABLE \"AuditEntries\" DISABLE TRIGGER audit_append_only", "ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER",
                "DROP TRIGGER audit_append_only ON \"AuditEntries\"", "DROP FUNCTION shiliu_audit_append_only() CASCADE",
                "DELETE FROM \"AuditEntries\"", "UPDATE \"AuditEntries\" SET \"UserName\" = 'x'", "TRUNCATE \"AuditEntries\"",
                "DELETE FROM \"__EFMigrationsHistory\"",
            })
            {
                var e = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql));
                Assert.True(e.SqlState is "42501" or "P0001", $"{sql}: {e.SqlState} {e.MessageText}");
            }
        }
        NpgsqlConnection.ClearAllPools();
    }
}
