using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core;
using Shiliu.Core.Appeals;
using Shiliu.Core.Auditing;
using Shiliu.Core.Data;
using Shiliu.Core.Disputes;
using Shiliu.Core.Platform.Notifications;
using Shiliu.Core.Residents;
using Shiliu.Core.ServiceCases;
using Shiliu.Tests.Disputes;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;
using Shiliu.Tests.ServiceCases;

namespace Shiliu.Tests.Platform;

/// <summary>Every module's sealed columns are declared by the module and re-sealed by <c>rotate-keys</c>, so an old key can be retired.</summary>
public sealed class SealedColumnTests
{
    const string Chengzhong = "530427001001";

    [Fact]
    public async Task Every_mapped_cipher_column_is_declared_sealed_by_its_module()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        await using var db = await app.SystemDbAsync();
        var declared = ShiliuModules.Catalog.SealedColumns.Select(c => (c.Type, c.Cipher)).ToHashSet();
        var ciphers = db.Model.GetEntityTypes().SelectMany(t => t.GetProperties().Where(p => p.ClrType == typeof(string) && p.Name.EndsWith("Cipher", StringComparison.Ordinal))
            .Select(p => (t.ClrType, p.Name))).ToList();
        Assert.NotEmpty(ciphers);
        Assert.Empty(ciphers.Where(c => !declared.Contains(c)).Select(c => $"{c.ClrType.Name}.{c.Name}"));
        // And every declaration names mapped string columns (a hash beside its cipher).
        Assert.All(ShiliuModules.Catalog.SealedColumns, c =>
        {
            var t = db.Model.FindEntityType(c.Type);
            Assert.NotNull(t);
            Assert.Equal(typeof(string), t.FindProperty(c.Cipher)?.ClrType);
            if (c.Hash is not null) Assert.Equal(typeof(string), t.FindProperty(c.Hash)?.ClrType);
        });
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Rotate_keys_reseals_every_modules_sealed_columns_and_hashes_still_find_them(DbProvider kind)
    {
        var idNumber = Ids.Next();
        var partyId = Ids.Next();
        const string residentPhone = "13912340000", appealPhone = "13912345678", partyPhone = "13711112222", casePhone = "13987654321", smsPhone = "13655556666",
            objectorPhone = "13600007777";
        string connection;
        Guid resident, appeal, serviceCase;
        await using (var v1 = await ShiliuApp.StartAsync(kind))
        {
            connection = v1.ConnectionString;
            var unit = (await v1.UnitAsync(Chengzhong)).Id;
            resident = await v1.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
            {
                OrgUnitId = unit, Name = "罗玉芬", EthnicityCode = "07", IdNumber = idNumber, Phone = residentPhone, ResidenceType = ResidenceType.Permanent,
            }));
            var file = (string text) => v1.Services.GetRequiredService<PublicAppealService>().FileAsync(new FileAppeal
            {
                Topic = "environment", Text = text, PlaceUnitId = unit, Address = "幸福路12号", Name = "马阿依", Phone = appealPhone,
            }, [], _ => Task.CompletedTask);
            await file("楼道灯坏了");
            appeal = (await file("楼道灯还是坏的")).Id;
            await DisputeTests.RegisterAsync(v1, "community", DisputeTests.Case(idNumber: partyId, phone: partyPhone));
            var type = await ServiceCaseTests.TypeAsync(v1, "就业指导");
            serviceCase = await v1.AsAsync(null, sp => sp.GetRequiredService<ServiceCaseService>().CreateAsync(new CreateServiceCase
                { TypeId = type, OrgUnitId = unit, PersonName = "者玉兰", Phone = casePhone, Title = "轮换密钥服务事项", Request = "希望帮助联系务工岗位" }));
            await using var db = await v1.SystemDbAsync();
            v1.Services.GetRequiredService<OutboxService>().Queue(db, MessageChannel.Sms, smsPhone, "您的事项已办结。", "服务群众");
            // An objection to a nominee in 公示, its contact sealed as the public form seals it.
            var county = await db.OrgUnits.SingleAsync(o => o.ParentId == null);
            var call = new Shiliu.Core.Commendations.CommendationCall { IssuedByUnitId = county.Id, Title = "轮换密钥评选", Status = Shiliu.Core.Commendations.CallStatus.Publicity, CreatedBy = "test" };
            var nominee = new Shiliu.Core.Commendations.Nomination
                { CallId = call.Id, OrgUnitId = unit, OrgPath = (await v1.UnitAsync(Chengzhong)).Path, NomineeName = "马永福家庭", CreatedBy = "test", Status = Shiliu.Core.Commendations.NominationStatus.Publicity };
            db.AddRange(call, nominee, new Shiliu.Core.Commendations.Objection
                { CallId = call.Id, NominationId = nominee.Id, Text = "请核实", ContactCipher = v1.Services.GetRequiredService<PersonalData>().Seal(objectorPhone), ContactMasked = "136****7777" });
            await db.SaveChangesAsync();
        }

        var settings = new Dictionary<string, string>
        {
            ["Keys:pii:2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Keys:lookup:2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        await using var app = new ShiliuApp(kind, connection) { Settings = settings };
        _ = app.Server;
        var pii = app.Services.GetRequiredService<PersonalData>();
        Assert.Equal((2, 2), (pii.SealVersion, pii.HashVersion));
        await using (var db = await app.SystemDbAsync())
            Assert.StartsWith("g1.", (await db.Set<Appeal>().SingleAsync(a => a.Id == appeal)).PhoneCipher);
        var before = await AuditIdAsync(app);

        var env = settings.ToDictionary(kv => "Keys__" + kv.Key[5..].Replace(":", "__"), kv => kv.Value);
        var (exit, output) = await Cli.RunAsync(app, env, "rotate-keys", "--batch", "1");
        Assert.True(exit == 0, output);
        foreach (var (label, n) in new[] { ("居民身份证号", 1), ("居民电话", 1), ("诉求人姓名", 2), ("诉求人电话", 2), ("当事人身份证号", 1), ("当事人电话", 1),
                     ("服务事项联系电话", 1), ("发件箱收件人", 1), ("异议人联系电话", 1) })
            Assert.Contains($"{label}：已重新加密 {n} 条", output);

        await using (var db = await app.SystemDbAsync())
        {
            void Sealed(string? cipher, string plain, string? hash = null)
            {
                Assert.NotNull(cipher);
                Assert.StartsWith("g2.", cipher);
                Assert.Equal(plain, pii.Open(cipher));
                if (hash is not null) Assert.Equal(pii.Hash(plain), hash);
            }
            var r = await db.Residents.SingleAsync(x => x.Id == resident);
            Sealed(r.IdNumberCipher, idNumber, r.IdNumberHash);
            Sealed(r.PhoneCipher, residentPhone, r.PhoneHash);
            Assert.All(await db.Set<Appeal>().ToListAsync(), a =>
            {
                Sealed(a.NameCipher, "马阿依");
                Sealed(a.PhoneCipher, appealPhone, a.PhoneHash);
            });
            var party = await db.Set<DisputeParty>().SingleAsync(p => p.IdNumberCipher != null);
            Sealed(party.IdNumberCipher, partyId);
            Sealed(party.PhoneCipher, partyPhone);
            var c = await db.Set<ServiceCase>().SingleAsync(x => x.Id == serviceCase);
            Sealed(c.PhoneCipher, casePhone, c.PhoneHash);
            Sealed((await db.Set<OutboxMessage>().SingleAsync()).RecipientCipher, smsPhone);
            Sealed((await db.Set<Shiliu.Core.Commendations.Objection>().SingleAsync()).ContactCipher, objectorPhone);

            // Each batch is audited with its label and count, never a value; the verb's own line names every label.
            var audits = await db.AuditEntries.Where(a => a.Id > before && a.Event == AuditEvents.Operator).ToListAsync();
            Assert.All(ShiliuModules.Catalog.SealedColumns, col => Assert.Contains(audits, a => a.Summary!.StartsWith($"重新加密{col.Label} 1 条")));
            Assert.Contains(audits, a => a.Summary!.StartsWith("命令行轮换密钥：") && a.Summary.Contains("诉求人电话 2 条"));
            var plain = new[] { idNumber, partyId, residentPhone, appealPhone, partyPhone, casePhone, smsPhone, objectorPhone, "马阿依" };
            Assert.All(audits, a => Assert.DoesNotContain(plain, p => (a.Summary + a.After).Contains(p)));
        }

        // The hashes under the new lookup key still find the rows: the resident by ID number, the appeal's repeat by phone.
        Assert.Equal(resident, Assert.Single((await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>()
            .ListAsync(new ResidentQuery { IdNumber = idNumber, Purpose = "核对身份" }))).Items).Id);
        Assert.Single((await app.AsAsync("community", sp => sp.GetRequiredService<AppealService>().GetAsync(appeal))).Repeats);
        Assert.True((await app.AsAsync("auditor", sp => sp.GetRequiredService<AuditService>().VerifyAsync())).Intact);

        // A second run finds nothing left to re-seal.
        (exit, output) = await Cli.RunAsync(app, env, "rotate-keys");
        Assert.True(exit == 0, output);
        Assert.Contains("共重新加密 0 条", output);
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    static async Task<long> AuditIdAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return await db.AuditEntries.MaxAsync(a => a.Id);
    }
}
