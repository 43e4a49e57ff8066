using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Keys;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>Keys by purpose and version, shared by nodes, never silently replaced (issue 11, item 4).</summary>
public sealed class KeyTests
{
    static readonly string Pii2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    static readonly string Lookup2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    static readonly string Audit2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    static SaveResident Person(Guid unit, string id) => new()
    {
        OrgUnitId = unit, Name = "罗玉芬", EthnicityCode = "07", IdNumber = id, Phone = "13912340000", ResidenceType = ResidenceType.Permanent,
    };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task New_writes_use_the_newest_key_version_old_ones_still_open_and_rotate_keys_reseals_in_batches(DbProvider kind)
    {
        var unit = Guid.Empty;
        var first = Ids.Next();
        var second = Ids.Next();
        string connection;
        Guid a;
        await using (var v1 = await ShiliuApp.StartAsync(kind))
        {
            connection = v1.ConnectionString;
            unit = (await v1.UnitAsync("530427001001")).Id;
            a = await v1.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Person(unit, first)));
        }
        // Another node (or the same after a restart) brings in version 2 of three keys, configured rather than in files.
        var settings = new Dictionary<string, string> { ["Keys:pii:2"] = Pii2, ["Keys:lookup:2"] = Lookup2, ["Keys:audit:2"] = Audit2 };
        await using var app = new ShiliuApp(kind, connection) { Settings = settings };
        _ = app.Server;
        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var b = await app.AsAsync("community", sp => s(sp).CreateAsync(Person(unit, second)));
        await using (var db = await app.SystemDbAsync())
        {
            var (old, fresh) = (await db.Residents.SingleAsync(r => r.Id == a), await db.Residents.SingleAsync(r => r.Id == b));
            Assert.Equal(("g1.", 64), (old.IdNumberCipher[..3], old.IdNumberHash.Length));
            Assert.Equal(("g2.", "k2."), (fresh.IdNumberCipher[..3], fresh.IdNumberHash[..3]));
            Assert.Equal(64, fresh.IdNumberHash.Length);
            Assert.StartsWith("k2.", (await db.AuditEntries.OrderByDescending(x => x.Id).FirstAsync()).Hash);
            Assert.Equal(["audit:1", "audit:2", "lookup:1", "lookup:2", "pii:1", "pii:2"],
                (await db.Set<SealingKey>().Where(k => k.Purpose != "staging" && k.Purpose != "dataprotection").ToListAsync()).Select(k => $"{k.Purpose}:{k.Version}").Order());
        }
        // The old record still opens, is still found by its number, and is still one person one record.
        Assert.Equal(first, (await app.AsAsync("community", sp => s(sp).RevealAsync(a, "核对身份"))).IdNumber);
        Assert.Equal(a, Assert.Single((await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery { IdNumber = first, Purpose = "核对身份" }))).Items).Id);
        Assert.Equal(ResidentErrors.Duplicate, (await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).CreateAsync(Person(unit, first))))).Code);
        Assert.True((await app.AsAsync("auditor", sp => sp.GetRequiredService<AuditService>().VerifyAsync())).Intact);

        // rotate-keys re-seals the old record, a batch at a time, and everything still opens, is found and verifies.
        var env = settings.ToDictionary(kv => "Keys__" + kv.Key[5..].Replace(":", "__"), kv => kv.Value);
        var (exit, output) = await Cli.RunAsync(app, env, "rotate-keys", "--batch", "1");
        Assert.True(exit == 0, output);
        Assert.Contains("居民身份证号：已重新加密 1 条", output);
        Assert.Contains("居民电话：已重新加密 1 条", output);
        await using (var db = await app.SystemDbAsync())
            Assert.All(await db.Residents.ToListAsync(), r => Assert.Equal(("g2.", "k2.", "g2.", "k2."), (r.IdNumberCipher[..3], r.IdNumberHash[..3], r.PhoneCipher![..3], r.PhoneHash![..3])));
        Assert.Equal(first, (await app.AsAsync("community", sp => s(sp).RevealAsync(a, "核对身份"))).IdNumber);
        Assert.Equal(1, (await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery { IdNumber = first, Purpose = "核对身份" }))).Total);
        Assert.True((await app.AsAsync("auditor", sp => sp.GetRequiredService<AuditService>().VerifyAsync())).Intact);
        (exit, output) = await Cli.RunAsync(app, env, "check-keys");
        Assert.True(exit == 0, output);
        Assert.Contains("密钥完整", output);
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_node_without_the_keys_the_database_was_sealed_with_refuses_to_start_and_says_how_to_restore_them(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Person(unit.Id, Ids.Next())));

        // A restore onto a new host whose key was made anew: another audit key, so every derived key differs too.
        var otherKey = new Dictionary<string, string> { ["Audit__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var (exit, output) = await Cli.RunAsync(app, otherKey);
        Assert.Equal(1, exit);
        Assert.Contains("启动失败：数据库中有用以下密钥加密或签名的数据，但本机没有这些密钥", output);
        Assert.Contains("审计日志签名密钥第 1 版", output);
        Assert.Contains("身份证号和电话加密密钥第 1 版", output);
        Assert.Contains("check-keys", output);
        (exit, output) = await Cli.RunAsync(app, otherKey, "check-keys");
        Assert.Equal(3, exit);
        Assert.Contains("不一致", output);
        // Nor may a verb write with the wrong keys.
        (exit, _) = await Cli.RunAsync(app, otherKey, "rebuild-statistics");
        Assert.NotEqual(0, exit);

        // Production never makes keys of its own: without configured keys it stops at once.
        (exit, output) = await Cli.RunAsync(app, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Audit__Key"] = "" }, "check-keys");
        Assert.Equal(1, exit);
        Assert.Contains("生产环境未配置密钥", output);
        Assert.Contains("generate-keys", output);
        Assert.False(Directory.Exists(Path.Combine(app.DataDir, "keys")) && Directory.EnumerateFiles(Path.Combine(app.DataDir, "keys")).Any());

        // With the right key again everything starts; the database's own record of its keys is unchanged.
        (exit, output) = await Cli.RunAsync(app, "check-keys");
        Assert.True(exit == 0, output);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(5, await db.Set<SealingKey>().CountAsync());
    }
}
