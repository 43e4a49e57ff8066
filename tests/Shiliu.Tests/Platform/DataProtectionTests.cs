using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>The data-protection key ring in the database is encrypted with a key kept outside it (issue 11, item 5).</summary>
public sealed class DataProtectionTests
{
    /// <summary>What someone holding only a copy of the database can do: load its key ring and try to open a sealed value.</summary>
    static string? OpenWithTheDatabaseAlone(IEnumerable<string> keyXml, string sealedValue)
    {
        var dir = Directory.CreateTempSubdirectory("shiliu-stolen-");
        try
        {
            foreach (var xml in keyXml) File.WriteAllText(Path.Combine(dir.FullName, $"key-{Guid.NewGuid()}.xml"), xml);
            var provider = DataProtectionProvider.Create(dir, b => b.SetApplicationName("Shiliu"));
            return provider.CreateProtector("shiliu.totp-secret.v1").Unprotect(sealedValue);
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    static async Task<(List<string> Keys, string Totp)> CopyOfDatabaseAsync(ShiliuApp app, string user)
    {
        await using var db = await app.SystemDbAsync();
        return (await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync(), (await db.Users.SingleAsync(u => u.UserName == user)).TotpSecret!);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_copy_of_the_database_alone_opens_no_totp_secret_and_a_plain_ring_from_before_is_secured_at_start(DbProvider kind)
    {
        var secret = Totp.NewSecret();
        string connection;
        await using (var app = await ShiliuApp.StartAsync(kind))
        {
            connection = app.ConnectionString;
            await app.EnrollTotpAsync("security", secret);
            var (keys, totp) = await CopyOfDatabaseAsync(app, "security");
            Assert.NotEmpty(keys);
            Assert.All(keys, k => Assert.Contains("shiliuEncryptedKey", k));
            Assert.All(keys, k => Assert.DoesNotContain("<value>", k));
            Assert.Null(OpenWithTheDatabaseAlone(keys, totp));
            Assert.Equal(secret, app.Services.GetRequiredService<TotpSecrets>().Open(totp));

            // A ring written before encryption: a plain key, and a TOTP secret sealed under it (a copy opens that one).
            var dir = Directory.CreateTempSubdirectory("shiliu-plain-");
            var legacy = DataProtectionProvider.Create(dir, b => b.SetApplicationName("Shiliu")).CreateProtector("shiliu.totp-secret.v1").Protect(secret);
            var plainXml = File.ReadAllText(Directory.EnumerateFiles(dir.FullName).Single());
            dir.Delete(recursive: true);
            await using var db = await app.SystemDbAsync();
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "legacy", Xml = plainXml });
            db.SaveChanges();
            await db.Users.Where(u => u.UserName == "auditor").ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpSecret, legacy).SetProperty(u => u.TwoFactorEnabled, true));
            Assert.Equal(secret, OpenWithTheDatabaseAlone([plainXml], legacy));
        }
        // The next start seals the secret again under an encrypted key and deletes the plain one.
        await using var restarted = new ShiliuApp(kind, connection);
        _ = restarted.Server;
        var (after, resealed) = await CopyOfDatabaseAsync(restarted, "auditor");
        Assert.All(after, k => Assert.Contains("shiliuEncryptedKey", k));
        Assert.Null(OpenWithTheDatabaseAlone(after, resealed));
        Assert.Equal(secret, restarted.Services.GetRequiredService<TotpSecrets>().Open(resealed));
        var browser = await restarted.SignedInClientAsync("auditor", Db.DemoPassword, secret);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }
}
