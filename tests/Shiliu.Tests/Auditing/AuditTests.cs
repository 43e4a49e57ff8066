using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Auditing;

public sealed class AuditTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_update_is_recorded_once_with_before_and_after(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001002");
        await app.AsAsync("township", sp => sp.GetRequiredService<OrganizationService>()
            .UpdateAsync(unit.Id, new UpdateOrgUnit { Name = "桂山社区（更名）", Code = unit.Code, Version = unit.Version }));
        await using var db = await app.SystemDbAsync();
        var row = await db.AuditEntries.SingleAsync(a => a.Event == AuditEvents.Update && a.EntityId == unit.Id.ToString());
        Assert.Contains(unit.Name, row.Before);
        Assert.Contains("桂山社区（更名）", row.After);
        Assert.Equal("township", row.UserName);
        Assert.Equal(unit.Path, row.OrgPath);
        Assert.Equal(DateTimeKind.Utc, row.TimeUtc.Kind);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_audit_table_refuses_update_and_delete(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await using var db = await app.SystemDbAsync();
        // Quoted identifiers work on both engines.
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Summary\" = 'x'"));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\""));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Verify_audit_reports_a_row_changed_in_the_database(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001002");
        await app.AsAsync("county", sp => sp.GetRequiredService<OrganizationService>()
            .UpdateAsync(unit.Id, new UpdateOrgUnit { Name = "改名一次", Code = unit.Code, Version = unit.Version }));
        Assert.Equal(0, await RunVerbAsync(app, "verify-audit"));

        // An attacker with database access switches the guard off and edits one row.
        await using (var db = await app.SystemDbAsync())
        {
            var target = await db.AuditEntries.Where(a => a.EntityId == unit.Id.ToString() && a.Event == AuditEvents.Update).Select(a => a.Id).SingleAsync();
            if (db.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER audit_append_only");
                await db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"UserName\" = 'someone-else' WHERE \"Id\" = {target}");
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_no_update");
                await db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET UserName = 'someone-else' WHERE Id = {target}");
            }
            var result = await app.Services.GetRequiredService<AuditChain>().VerifyAsync(db);
            Assert.Equal([target], result.BrokenIds);
        }
        Assert.Equal(3, await RunVerbAsync(app, "verify-audit"));

        // The daily check finds it too and records the break in the log it checks.
        var daily = await app.AsAsync(null, sp => sp.GetRequiredService<AuditCheck>().RunOnceAsync());
        Assert.False(daily.Intact);
        await using var check = await app.SystemDbAsync();
        var row = await check.AuditEntries.OrderByDescending(a => a.Id).FirstAsync();
        Assert.Equal(("audit.verified", false), (row.Event, row.Success));
        Assert.Contains("被篡改", row.Summary);
    }

    static async Task<int> RunVerbAsync(ShiliuApp app, string verb)
    {
        var (exit, text) = await Cli.RunAsync(app, verb);
        Assert.Contains(exit == 0 ? "审计日志完整" : "审计日志被篡改", text);
        return exit;
    }
}
