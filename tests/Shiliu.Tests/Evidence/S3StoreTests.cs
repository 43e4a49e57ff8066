using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Evidence;

/// <summary>The same archive on an S3-compatible object store (s3rver), selected by configuration alone.</summary>
public sealed class S3StoreTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Uploads_previews_zips_and_dossiers_work_against_an_s3_compatible_store(DbProvider kind)
    {
        await using var s3 = await S3Server.StartAsync();
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string>
        {
            ["Storage:Kind"] = "s3", ["Storage:S3ServiceUrl"] = s3.Url, ["Storage:S3Bucket"] = "shiliu-evidence",
            ["Storage:S3AccessKey"] = "S3RVER", ["Storage:S3SecretKey"] = "S3RVER",
        });
        var store = app.Services.GetRequiredService<IFileStore>();
        Assert.IsType<S3FileStore>(store);
        var unit = await app.UnitAsync("530427001001");
        var photo = TestFiles.Jpeg(800, 600);
        var up = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
            new EvidenceMeta { OrgUnitId = unit.Id, Year = 2019, Criteria = [5], Deliverables = [8] }, "文化墙.jpg", new MemoryStream(photo)));
        Assert.True(await store.ExistsAsync(EvidenceService.BlobKey(up.Sha256)));
        Assert.False(Directory.Exists(Path.Combine(app.DataDir, "files", "blobs")));

        var opened = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().OpenAsync(up.Id, thumbnail: false, download: true));
        using (var ms = new MemoryStream())
        {
            await using (opened.Content) await opened.Content.CopyToAsync(ms);
            Assert.Equal(SHA256.HashData(photo), SHA256.HashData(ms.ToArray()));
        }
        var thumb = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().OpenAsync(up.Id, thumbnail: true, download: false));
        await thumb.Content.DisposeAsync();

        using var zip = new MemoryStream();
        await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().WriteArchiveAsync(unit.Id, null, zip));
        zip.Position = 0;
        using (var archive = new ZipArchive(zip))
            Assert.Equal(photo.Length, archive.GetEntry("2019年/图片/文化墙.jpg")!.Length);

        var job = await app.AsAsync("county", sp => sp.GetRequiredService<DossierService>().RequestAsync(unit.Id, 2019, null));
        DossierRow row;
        var waited = 0;
        do
        {
            await Task.Delay(200);
            row = await app.AsAsync("county", sp => sp.GetRequiredService<DossierService>().GetAsync(job));
        } while (row.Status <= DossierStatus.Running && (waited += 200) < 30_000);
        Assert.Equal(DossierStatus.Done, row.Status);
        Assert.True(await store.ExistsAsync($"dossiers/{job:N}.zip"));
    }
}
