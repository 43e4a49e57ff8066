using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Core.WorkReports;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>The smaller holes of issue 11, item 12, each shut and kept shut.</summary>
public sealed class HardeningTests
{
    /// <summary>An endless form field: counts what the server actually read, never holds it.</summary>
    sealed class EndlessField(string boundary) : Stream
    {
        readonly byte[] _head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n");
        public long Served { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++) buffer[offset + i] = Served + i < _head.Length ? _head[Served + i] : (byte)'x';
            Served += count;
            return count;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_form_field_is_refused_once_it_passes_its_limit_without_reading_the_rest()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var api = app.ApiClient(await app.TokenForAsync("community"));
        var body = new EndlessField("b0undary");
        var content = new StreamContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b0undary");
        using var sent = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var res = await api.PostAsync("/api/v1/evidence", content, sent.Token);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Contains("字段 title 过长", await res.Content.ReadAsStringAsync());
        // A field is 4,000 characters at most; the server stopped within a few buffers of that, not at the end of 1 GB.
        Assert.True(body.Served < 4 * 1024 * 1024, $"server read {body.Served:N0} bytes");
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_work_report_body_written_past_the_sanitiser_is_sanitised_again_on_output(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await app.AsAsync("community", sp => sp.GetRequiredService<WorkReportService>().SaveAsync(null, new SaveReport { Title = "宣传月", Body = "<p>开展宣传</p>" }));
        await using (var db = await app.SystemDbAsync())
            await db.WorkReports.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Body, "<p>正文</p><img src=x onerror=alert(1)><script>alert(2)</script><a href=\"javascript:alert(3)\">链接</a>"));
        var detail = await app.AsAsync("community", sp => sp.GetRequiredService<WorkReportService>().GetAsync(id));
        var api = await app.ApiClient(await app.TokenForAsync("community")).GetStringAsync($"/api/v1/work-reports/{id}");
        foreach (var text in new[] { detail.Body, api })
        {
            Assert.Contains("正文", text);
            Assert.DoesNotContain("onerror", text);
            Assert.DoesNotContain("<script", text);
            Assert.DoesNotContain("javascript:", text);
        }
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Cookie_authenticated_api_writes_and_uploads_need_the_antiforgery_header_token_calls_do_not(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var township = await app.UnitAsync("530427001000");
        object Unit() => new { parentId = township.Id, name = "防伪测试", code = $"C{Guid.NewGuid():N}"[..12] };
        var browser = await app.SignedInClientAsync("township");
        var refused = await browser.PostAsJsonAsync("/api/v1/org-units", Unit());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("X-CSRF-TOKEN", await refused.Content.ReadAsStringAsync());
        var upload = new MultipartFormDataContent { { new StringContent(township.Id.ToString()), "orgUnitId" }, { new StringContent("2019"), "year" },
            { new ByteArrayContent(Evidence.TestFiles.Jpeg(20, 20, SkiaSharp.SKColors.Red)), "file", "a.jpg" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/api/v1/evidence", upload)).StatusCode);
        // A forged header is no better than none.
        browser.DefaultRequestHeaders.Add("X-CSRF-TOKEN", "forged");
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsJsonAsync("/api/v1/org-units", Unit())).StatusCode);
        await ShiliuApp.WithAntiforgeryAsync(browser);
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsJsonAsync("/api/v1/org-units", Unit())).StatusCode);
        // Reads need nothing; a token is not a cookie and needs no header.
        Assert.Equal(HttpStatusCode.OK, (await (await app.SignedInClientAsync("township")).GetAsync("/api/v1/org-units")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.ApiClient(await app.TokenForAsync("township")).PostAsJsonAsync("/api/v1/org-units", Unit())).StatusCode);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task After_a_transfer_the_old_community_no_longer_reads_the_households_visits(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var (from, to) = (await app.UnitAsync("530427001001"), await app.UnitAsync("530427101001"));
        var rid = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
            { OrgUnitId = from.Id, Name = "罗玉芬", EthnicityCode = "07", IdNumber = Ids.Next(), ResidenceType = ResidenceType.Permanent }));
        await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit
            { ResidentId = rid, VisitDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), Visitor = "李华", Findings = "老人独居，行动不便" }));
        Assert.Single(await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().ListAsync(null, null)));
        var t = await app.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().RequestTransferAsync(rid, to.Id, "搬到中心村"));
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().DecideTransferAsync(t, true, null));
        Assert.Empty(await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().ListAsync(null, null)));
        Assert.Equal("老人独居，行动不便", Assert.Single(await app.AsAsync("community2", sp => sp.GetRequiredService<VisitService>().ListAsync(rid, null))).Findings);
    }

    [Fact]
    public async Task The_first_admin_password_goes_to_a_file_only_the_service_user_reads_never_to_standard_output()
    {
        var file = Path.Combine(Path.GetTempPath(), $"shiliu-fresh-{Guid.NewGuid():N}.db");
        await using var app = new ShiliuApp(DbProvider.Sqlite, $"Data Source={file}");
        var (exit, output) = await Cli.RunAsync(app, new Dictionary<string, string> { ["SHILIU_ADMIN_PASSWORD"] = "" }, "migrate");
        Assert.True(exit == 0, output);
        var path = Path.Combine(app.DataDir, "admin-initial-password.txt");
        Assert.Contains(path, output);
        var password = File.ReadAllText(path).Trim();
        Assert.Equal(16, password.Length);
        Assert.DoesNotContain(password, output);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        _ = app.Server;
        var res = await ShiliuApp.PostFormAsync(app.BrowserClient(), "/account/login", "login", new() { ["Input.UserName"] = "admin", ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.DoesNotContain("/account/login", res.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_api_reference_is_off_in_production_unless_configured()
    {
        foreach (var (docs, expected) in new[] { ("false", HttpStatusCode.NotFound), ("true", HttpStatusCode.OK) })
        {
            await using var app = new ShiliuApp(DbProvider.Sqlite, await Db.FreshAsync(DbProvider.Sqlite))
                { Settings = new Dictionary<string, string> { ["environment"] = "Production", ["Shiliu:SeedDemo"] = "false", ["Api:DocsInProduction"] = docs } };
            _ = app.Server;
            var api = app.ApiClient(await app.TokenForAsync("county"));
            Assert.Equal(expected, (await api.GetAsync("/api/v1/openapi.json")).StatusCode);
            Assert.Equal(expected, (await api.GetAsync("/api/docs/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        }
    }

    [Fact]
    public void A_sealed_file_reads_back_what_was_written_at_any_position_and_holds_no_plaintext()
    {
        var keys = Shiliu.Core.Keys.KeyRing.Random();
        var path = Path.Combine(Path.GetTempPath(), $"sealed-{Guid.NewGuid():N}");
        var model = new MemoryStream();
        var random = new Random(7);
        using (var f = Shiliu.Core.Keys.SealedFile.Create(path, keys, Shiliu.Core.Keys.KeyPurpose.Staging, "test"))
            for (var i = 0; i < 300; i++)
            {
                // Writes and seeks as a zip writer does: forward runs, then back to patch a header.
                var at = random.Next(0, (int)model.Length + 1);
                var data = Encoding.UTF8.GetBytes(new string('身', random.Next(1, 70_000 / 3)) + i);
                f.Position = at;
                model.Position = at;
                f.Write(data);
                model.Write(data);
            }
        var raw = File.ReadAllBytes(path);
        Assert.Equal("SLF1", Encoding.ASCII.GetString(raw, 0, 4));
        Assert.DoesNotContain("身身身", Encoding.UTF8.GetString(raw));
        using (var f = Shiliu.Core.Keys.SealedFile.OpenRead(path, keys, Shiliu.Core.Keys.KeyPurpose.Staging, "test"))
        {
            Assert.Equal(model.Length, f.Length);
            var back = new byte[f.Length];
            f.ReadExactly(back);
            Assert.Equal(model.ToArray(), back);
            f.Position = 12_345;
            var part = new byte[100];
            f.ReadExactly(part);
            Assert.Equal(model.ToArray().AsSpan(12_345, 100).ToArray(), part);
        }
        // Another file's key (its context) reads noise.
        using (var f = Shiliu.Core.Keys.SealedFile.OpenRead(path, keys, Shiliu.Core.Keys.KeyPurpose.Staging, "other"))
        {
            var back = new byte[f.Length];
            f.ReadExactly(back);
            Assert.NotEqual(model.ToArray(), back);
        }
        File.Delete(path);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_imports_error_sheet_is_encrypted_at_rest_and_still_downloads_as_a_workbook(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var id = await ImportTests.StartAsync(app, "community", unit.Id, ImportTests.Book(12, 4, seed: 77));
        var view = await ImportTests.WaitAsync(app, "community", id, ImportStatus.Previewed);
        Assert.Equal(4, view.ErrorRows);
        var folder = Path.Combine(app.Services.GetRequiredService<Shiliu.Core.Evidence.IFileStore>().StagingDirectory, "imports");
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(folder, $"{id:N}-errors.xlsx"));
        Assert.Equal("SLF1", Encoding.ASCII.GetString(onDisk, 0, 4));
        Assert.ThrowsAny<InvalidDataException>(() => new System.IO.Compression.ZipArchive(new MemoryStream(onDisk)));
        Assert.All(Directory.EnumerateFiles(folder), f => Assert.NotEqual("PK", Encoding.ASCII.GetString(File.ReadAllBytes(f), 0, 2)));
        var (content, _) = await app.AsAsync("community", sp => sp.GetRequiredService<Shiliu.Core.Residents.Import.ResidentImportService>().ErrorSheetAsync(id));
        await using (content)
        {
            var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            using var reader = Shiliu.Core.Common.XlsxReader.Open(new MemoryStream(copy.ToArray()));
            Assert.Equal(5, reader.Rows().Count()); // header and the four rows with errors
        }
    }
}
