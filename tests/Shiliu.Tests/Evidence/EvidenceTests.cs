using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Tests.Infrastructure;
using SkiaSharp;

namespace Shiliu.Tests.Evidence;

public sealed class EvidenceTests
{
    const string Chengzhong = "530427001001";

    static Task<UploadResult> Upload(ShiliuApp app, string user, Guid unit, string name, byte[] bytes, int year = 2019, List<int>? criteria = null,
        List<int>? items = null) =>
        app.AsAsync(user, sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
            new EvidenceMeta { OrgUnitId = unit, Year = year, Criteria = criteria ?? [], Deliverables = items ?? [] }, name, new MemoryStream(bytes)));

    static async Task<RuleViolation> Refused(ShiliuApp app, Guid unit, string name, byte[] bytes) =>
        await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<EvidenceService>().UploadAsync(new EvidenceMeta { OrgUnitId = unit, Year = 2019 }, name, new MemoryStream(bytes))));

    static string[] StoredBlobs(ShiliuApp app) =>
        Directory.Exists(Path.Combine(app.DataDir, "files", "blobs")) ? Directory.GetFiles(Path.Combine(app.DataDir, "files", "blobs"), "*", SearchOption.AllDirectories) : [];

    /// <summary>SECURITY.md #29: the stored photo keeps its pixels and orientation but loses its EXIF (camera, GPS) and text chunks.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Photos_are_stored_without_their_gps_and_camera_metadata_and_with_their_pixels_untouched(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var plain = TestFiles.Jpeg(1200, 800);
        var taken = WithExif(plain);
        using (var codec = SKCodec.Create(new MemoryStream(taken))) Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin);
        Assert.Contains(JpegSegments(taken), x => x.Marker == 0xE1 && x.Payload.AsSpan().IndexOf("ShiliuTestCam"u8) >= 0);

        var photo = await Upload(app, "community", unit.Id, "走访现场.jpg", taken);
        var stored = await StoredAsync(app, photo.Id);
        Assert.Equal(-1, stored.AsSpan().IndexOf("ShiliuTestCam"u8));
        // One APP1 is left: the orientation alone (6 bytes "Exif\0\0", a TIFF header, one IFD entry, tag 0x0112 = 6). No GPS block.
        var app1 = Assert.Single(JpegSegments(stored), x => x.Marker == 0xE1).Payload;
        Assert.Equal(32, app1.Length);
        Assert.Equal((1, 0x0112, 6), (app1[15], (app1[16] << 8) | app1[17], (int)app1[25]));
        // The compressed pixels are the original's, byte for byte; the photo still shows upright.
        Assert.True(stored.AsSpan(ScanStart(stored)).SequenceEqual(taken.AsSpan(ScanStart(taken))), "scan data changed");
        using (var codec = SKCodec.Create(new MemoryStream(stored))) Assert.Equal((SKEncodedOrigin.RightTop, 1200, 800), (codec.EncodedOrigin, codec.Info.Width, codec.Info.Height));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stored)), photo.Sha256);
        Assert.Equal(stored.Length, photo.Size);
        Assert.Contains(photo.Notices, n => n.Contains("拍摄位置", StringComparison.Ordinal));
        await using (var db = await app.SystemDbAsync())
        {
            var e = await db.Evidence.AsNoTracking().SingleAsync(x => x.Id == photo.Id);
            Assert.Equal((800, 1200), (e.Width, e.Height));
        }

        // A PNG with an eXIf and a text chunk: both go, the image data stays.
        var png = WithPngChunks(TestFiles.Png(80, 60), ("eXIf", Tiff()), ("tEXt", "Comment\0GPS 23.35N 103.54E ShiliuTestCam"u8.ToArray()));
        var image = await Upload(app, "community", unit.Id, "签到表.png", png);
        var storedPng = await StoredAsync(app, image.Id);
        Assert.Equal(-1, storedPng.AsSpan().IndexOf("ShiliuTestCam"u8));
        var chunks = PngChunks(storedPng).Select(c => c.Type).ToList();
        Assert.DoesNotContain("eXIf", chunks);
        Assert.DoesNotContain("tEXt", chunks);
        Assert.Equal(PngChunks(png).Where(c => c.Type == "IDAT").SelectMany(c => c.Data), PngChunks(storedPng).Where(c => c.Type == "IDAT").SelectMany(c => c.Data));
        using (var decoded = SKBitmap.Decode(storedPng)) Assert.Equal((80, 60), (decoded.Width, decoded.Height));

        // A photo with nothing to remove is stored as sent.
        var untouched = await Upload(app, "community", unit.Id, "无附加信息.jpg", TestFiles.Jpeg(90, 90));
        Assert.Empty(untouched.Notices);
    }

    /// <summary>
    /// #29: a WebP in the extended format with an EXIF chunk (camera, GPS) and an XMP chunk is stored without both, with
    /// their VP8X flags cleared and the RIFF size right; the image chunk is unchanged and the file still decodes to the same pixels.
    /// </summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_webp_is_stored_without_its_exif_and_xmp_chunks_and_still_decodes_to_the_same_pixels(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        foreach (var (name, lossless) in new[] { ("签到.webp", true), ("合影.webp", false) })
        {
            byte[] simple;
            using (var bmp = new SKBitmap(120, 90))
            {
                using (var canvas = new SKCanvas(bmp))
                {
                    canvas.Clear(new SKColor(30, 120, 200));
                    using var paint = new SKPaint { Color = SKColors.Gold };
                    canvas.DrawCircle(60, 45, 30, paint);
                }
                using var img = SKImage.FromBitmap(bmp);
                simple = img.Encode(SKEncodedImageFormat.Webp, lossless ? 100 : 80).ToArray();
            }
            var image = Assert.Single(WebPChunks(simple));
            Assert.Equal(lossless ? "VP8L" : "VP8 ", image.Type);
            // An odd-length XMP payload, so the padding byte is exercised too.
            var xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><tiff:Make>ShiliuTestCam</tiff:Make><exif:GPSLatitude>23,21N</exif:GPSLatitude></x:xmpmeta>"u8.ToArray();
            var taken = WebPWith(simple, 120, 90, [.. "Exif\0\0"u8, .. Tiff()], xmp.Length % 2 == 1 ? xmp : [.. xmp, (byte)' ']);
            Assert.Equal(["VP8X", image.Type, "EXIF", "XMP "], WebPChunks(taken).Select(c => c.Type));
            Assert.Equal(0x0C, WebPChunks(taken)[0].Data[0] & 0x0C);
            using (var codec = SKCodec.Create(new MemoryStream(taken))) Assert.Equal((120, 90), (codec.Info.Width, codec.Info.Height));

            var photo = await Upload(app, "community", unit.Id, name, taken);
            var stored = await StoredAsync(app, photo.Id);
            Assert.Equal(-1, stored.AsSpan().IndexOf("ShiliuTestCam"u8));
            Assert.Equal(-1, stored.AsSpan().IndexOf("GPS"u8));
            var chunks = WebPChunks(stored);
            Assert.Equal(["VP8X", image.Type], chunks.Select(c => c.Type));
            Assert.Equal(0, chunks[0].Data[0] & 0x0C);
            Assert.Equal(image.Data, chunks[1].Data);
            Assert.Equal(stored.Length - 8, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(stored.AsSpan(4)));
            Assert.Equal((stored.Length, Convert.ToHexStringLower(SHA256.HashData(stored))), (photo.Size, photo.Sha256));
            Assert.Contains(photo.Notices, n => n.Contains("拍摄位置", StringComparison.Ordinal));
            using var before = SKBitmap.Decode(simple);
            using var after = SKBitmap.Decode(stored);
            Assert.NotNull(after);
            Assert.Equal((120, 90), (after.Width, after.Height));
            Assert.Equal(before.Pixels, after.Pixels);
        }
    }

    /// <summary>A simple-format WebP (one image chunk) rewritten in the extended format with EXIF and XMP chunks, flags set.</summary>
    static byte[] WebPWith(byte[] simple, int width, int height, byte[] exif, byte[] xmp)
    {
        static byte[] Chunk(string type, byte[] data) =>
            [.. System.Text.Encoding.ASCII.GetBytes(type), .. BitConverter.GetBytes((uint)data.Length), .. data, .. data.Length % 2 == 1 ? new byte[] { 0 } : []];
        static byte[] U24(int v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16)];
        byte[] vp8x = [0x08 | 0x04, 0, 0, 0, .. U24(width - 1), .. U24(height - 1)];
        byte[] body = [.. "WEBP"u8, .. Chunk("VP8X", vp8x), .. simple[12..], .. Chunk("EXIF", exif), .. Chunk("XMP ", xmp)];
        return [.. "RIFF"u8, .. BitConverter.GetBytes((uint)body.Length), .. body];
    }

    static List<(string Type, byte[] Data)> WebPChunks(byte[] b)
    {
        Assert.True(b.AsSpan(0, 4).SequenceEqual("RIFF"u8) && b.AsSpan(8, 4).SequenceEqual("WEBP"u8));
        var chunks = new List<(string, byte[])>();
        for (var i = 12; i + 8 <= b.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(i + 4));
            chunks.Add((System.Text.Encoding.ASCII.GetString(b, i, 4), b[(i + 8)..(i + 8 + length)]));
            i += 8 + length + (length & 1);
        }
        return chunks;
    }

    static async Task<byte[]> StoredAsync(ShiliuApp app, Guid id)
    {
        var file = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().OpenAsync(id, thumbnail: false, download: true));
        await using var content = file.Content;
        using var ms = new MemoryStream();
        await content.CopyToAsync(ms);
        return ms.ToArray();
    }

    /// <summary>A little-endian TIFF as a phone writes it: IFD0 with the camera, orientation 6 and a GPS block (latitude, longitude).</summary>
    static byte[] Tiff()
    {
        var t = new List<byte>();
        void U16(int v) => t.AddRange([(byte)v, (byte)(v >> 8)]);
        void U32(long v) => t.AddRange([(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)]);
        const int makeAt = 8 + 2 + 3 * 12 + 4, gpsAt = makeAt + 14, latAt = gpsAt + 2 + 4 * 12 + 4, lonAt = latAt + 24;
        t.AddRange("II"u8); U16(42); U32(8);
        U16(3);
        U16(0x010F); U16(2); U32(14); U32(makeAt);
        U16(0x0112); U16(3); U32(1); U16(6); U16(0);
        U16(0x8825); U16(4); U32(1); U32(gpsAt);
        U32(0);
        t.AddRange("ShiliuTestCam\0"u8);
        U16(4);
        U16(0x0001); U16(2); U32(2); t.AddRange("N\0\0\0"u8);
        U16(0x0002); U16(5); U32(3); U32(latAt);
        U16(0x0003); U16(2); U32(2); t.AddRange("E\0\0\0"u8);
        U16(0x0004); U16(5); U32(3); U32(lonAt);
        U32(0);
        foreach (var (n, d) in new[] { (23, 1), (21, 1), (4521, 100), (103, 1), (32, 1), (1187, 100) }) { U32(n); U32(d); }
        return [.. t];
    }

    internal static byte[] WithExif(byte[] jpeg)
    {
        byte[] payload = [.. "Exif\0\0"u8, .. Tiff()];
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload, .. jpeg[2..]];
    }

    static List<(byte Marker, byte[] Payload)> JpegSegments(byte[] b)
    {
        var list = new List<(byte, byte[])>();
        for (var i = 2; b[i + 1] != 0xDA; i += 2 + ((b[i + 2] << 8) | b[i + 3]))
            list.Add((b[i + 1], b[(i + 4)..(i + 2 + ((b[i + 2] << 8) | b[i + 3]))]));
        return list;
    }

    static int ScanStart(byte[] b)
    {
        var i = 2;
        while (b[i + 1] != 0xDA) i += 2 + ((b[i + 2] << 8) | b[i + 3]);
        return i;
    }

    static List<(string Type, byte[] Data)> PngChunks(byte[] b)
    {
        var list = new List<(string, byte[])>();
        for (var i = 8; i + 12 <= b.Length;)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(i));
            list.Add((System.Text.Encoding.ASCII.GetString(b, i + 4, 4), b[(i + 8)..(i + 8 + length)]));
            i += 12 + length;
        }
        return list;
    }

    static byte[] WithPngChunks(byte[] png, params (string Type, byte[] Data)[] extra)
    {
        var iend = png.Length - 12;
        var o = new List<byte>(png[..iend]);
        foreach (var (type, data) in extra)
        {
            byte[] body = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
            o.AddRange([(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length]);
            o.AddRange(body);
            var crc = Crc32(body);
            o.AddRange([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
        }
        o.AddRange(png[iend..]);
        return [.. o];
    }

    static uint Crc32(byte[] data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var x in data)
        {
            c ^= x;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_photo_and_a_pdf_are_typed_by_content_thumbnailed_stored_once_and_duplicates_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var jpeg = TestFiles.Jpeg(1600, 1200);
        var photo = await Upload(app, "community", unit.Id, "文化墙全景.jpg", jpeg, criteria: [5], items: [8]);
        Assert.Equal((EvidenceCategory.Image, "jpg", (long)jpeg.Length), (photo.Category, photo.Format, photo.Size));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(jpeg)), photo.Sha256);
        var pdf = await Upload(app, "community", unit.Id, "文化墙设计方案.pdf", TestFiles.Pdf());
        Assert.Equal((EvidenceCategory.Text, "pdf"), (pdf.Category, pdf.Format));

        var row = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().GetAsync(photo.Id));
        Assert.Equal(("文化墙全景", 5, 8, true), (row.Title, row.Criteria.Single(), row.Deliverables.Single(), row.HasThumbnail));
        var thumb = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().OpenAsync(photo.Id, thumbnail: true, download: false));
        using (var ms = new MemoryStream())
        {
            await thumb.Content.CopyToAsync(ms);
            await thumb.Content.DisposeAsync();
            using var decoded = SKBitmap.Decode(ms.ToArray());
            Assert.Equal((320, 240), (decoded.Width, decoded.Height));
        }

        // The same bytes again in the same unit: refused, naming the earlier item; another unit may file the same photo.
        var dup = await Refused(app, unit.Id, "复制的照片.jpg", jpeg);
        Assert.Equal(EvidenceErrors.Duplicate, dup.Code);
        Assert.Contains("《文化墙全景》", dup.Message);
        var other = await app.UnitAsync("530427101001");
        await Upload(app, "community2", other.Id, "同一张照片.jpg", jpeg);
        Assert.Equal(2, StoredBlobs(app).Length);   // one photo + one pdf: identical content is stored once
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Bad_files_are_refused_with_a_chinese_message_and_leave_nothing_behind(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        await Upload(app, "community", unit.Id, "已有材料.pdf", TestFiles.Pdf("kept"));
        var blobsBefore = StoredBlobs(app).Length;
        app.Services.GetRequiredService<EvidenceOptions>().ImageMaxMb = 1;

        var exe = await Refused(app, unit.Id, "合影.jpg", TestFiles.Exe());
        Assert.Equal(EvidenceErrors.Type, exe.Code);
        Assert.Contains("可执行程序", exe.Message);
        var empty = await Refused(app, unit.Id, "空白.jpg", []);
        Assert.Equal(EvidenceErrors.Empty, empty.Code);
        Assert.Contains("0 字节", empty.Message);
        var big = await Refused(app, unit.Id, "超大照片.jpg", TestFiles.Noise(1200, 1200));
        Assert.Equal(EvidenceErrors.TooLarge, big.Code);
        Assert.Contains("照片不能超过 1 MB", big.Message);
        var pdf = TestFiles.Pdf();
        var cut = await Refused(app, unit.Id, "方案.pdf", pdf[..(pdf.Length / 2)]);
        Assert.Equal(EvidenceErrors.Damaged, cut.Code);
        Assert.Contains("PDF 文件不完整", cut.Message);
        var jpeg = TestFiles.Jpeg(400, 300);
        var halfPhoto = await Refused(app, unit.Id, "半张.jpg", jpeg[..(jpeg.Length / 2)]);
        Assert.Equal(EvidenceErrors.Damaged, halfPhoto.Code);
        var zip = await Refused(app, unit.Id, "材料.docx", ZipWith("readme.txt", "not a document"));
        Assert.Equal(EvidenceErrors.Type, zip.Code);
        var unknown = await Refused(app, unit.Id, "data.bin", [0x00, 0x01, 0x02, 0x03, 0x04]);
        Assert.Contains("无法识别", unknown.Message);

        await using (var db = await app.SystemDbAsync()) Assert.Equal(1, await db.Evidence.CountAsync());
        Assert.Equal(blobsBefore, StoredBlobs(app).Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDir, "files", ".staging")));

        // Hostile names are neutralised: only the last segment, no control or reserved characters, extension by content.
        var traversal = await Upload(app, "community", unit.Id, "../../x.jpg", TestFiles.Jpeg(50, 50));
        Assert.Equal("x.jpg", traversal.FileName);
        Assert.Contains(traversal.Notices, n => n.Contains("已保存为“x.jpg”"));
        var control = await Upload(app, "community", unit.Id, "会议\u0007记录\r\n<签到>.png", TestFiles.Png());
        Assert.Equal("会议记录签到.png", control.FileName);
        var renamed = await Upload(app, "community", unit.Id, "照片.png", TestFiles.Jpeg(60, 60));
        Assert.Equal("照片.jpg", renamed.FileName);
        Assert.Contains(renamed.Notices, n => n.Contains("文件内容是 JPG"));
        Assert.DoesNotContain(Directory.GetFiles(app.DataDir, "x.jpg", SearchOption.AllDirectories), _ => true);
    }

    static byte[] ZipWith(string name, string text)
    {
        using var ms = new MemoryStream();
        using (var z = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        using (var w = new StreamWriter(z.CreateEntry(name).Open())) w.Write(text);
        return ms.ToArray();
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Deleting_is_soft_and_audited_and_only_the_county_restores(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var up = await Upload(app, "community", unit.Id, "宣传月照片.jpg", TestFiles.Jpeg(300, 200));
        var row = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().GetAsync(up.Id));
        await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().DeleteAsync(up.Id, row.Version));

        var list = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().ListAsync(new EvidenceQuery { OrgUnitId = unit.Id }));
        Assert.Equal(0, list.Total);
        var gone = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<EvidenceService>().GetAsync(up.Id)));
        var denied = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => sp.GetRequiredService<EvidenceService>().RestoreAsync(up.Id)));
        Assert.Equal(EvidenceErrors.Denied, denied.Code);
        var bin = await app.AsAsync("county", sp => sp.GetRequiredService<EvidenceService>().ListAsync(new EvidenceQuery { Deleted = true }));
        Assert.Equal(("宣传月照片", "community"), (bin.Items.Single().Title, bin.Items.Single().DeletedBy));
        await app.AsAsync("county", sp => sp.GetRequiredService<EvidenceService>().RestoreAsync(up.Id));
        Assert.Equal(1, (await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().ListAsync(new EvidenceQuery()))).Total);

        await using var db = await app.SystemDbAsync();
        var audit = await db.AuditEntries.Where(a => a.EntityType == nameof(EvidenceItem) && a.EntityId == up.Id.ToString()).Select(a => new { a.Event, a.Summary, a.UserName }).ToListAsync();
        Assert.Contains(audit, a => a.Event == AuditEvents.Delete && a.UserName == "community" && a.Summary!.Contains("删除台账材料《宣传月照片》"));
        Assert.Contains(audit, a => a.UserName == "county" && a.Summary!.Contains("恢复台账材料"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Other_units_cannot_see_list_or_open_a_units_files(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var up = await Upload(app, "community", unit.Id, "座谈会.jpg", TestFiles.Jpeg(200, 200));
        Assert.Equal(0, (await app.AsAsync("community2", sp => sp.GetRequiredService<EvidenceService>().ListAsync(new EvidenceQuery()))).Total);
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<EvidenceService>().OpenAsync(up.Id, false, true)));
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() =>
            sp.GetRequiredService<EvidenceService>().UploadAsync(new EvidenceMeta { OrgUnitId = unit.Id, Year = 2019 }, "闯入.jpg", new MemoryStream(TestFiles.Jpeg(10, 10)))));
        Assert.Equal(1, (await app.AsAsync("township", sp => sp.GetRequiredService<EvidenceService>().ListAsync(new EvidenceQuery()))).Total);
        Assert.Equal(1, (await app.AsAsync("assessor", sp => sp.GetRequiredService<EvidenceService>().ListAsync(new EvidenceQuery { OrgUnitId = unit.Id }))).Total);
        var grid = await app.AsAsync("leader", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<EvidenceService>().UploadAsync(new EvidenceMeta { OrgUnitId = unit.Id, Year = 2019 }, "领导.jpg", new MemoryStream(TestFiles.Jpeg(10, 10)))));
        Assert.Equal(EvidenceErrors.Denied, grid.Code);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_archive_zip_is_laid_out_by_year_and_class_and_coverage_shows_what_is_missing(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var photo = TestFiles.Jpeg(320, 240);
        await Upload(app, "community", unit.Id, "火把节.jpg", photo, 2019, criteria: [5]);
        await Upload(app, "community", unit.Id, "总结.pdf", TestFiles.Pdf("summary"), 2020, criteria: [5, 13]);
        await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().CreateTextAsync(
            new EvidenceMeta { OrgUnitId = unit.Id, Year = 2020 }, "联席会议记录", "时间：2020年3月1日\n参加：社区、派出所"));

        using var zipBytes = new MemoryStream();
        var n = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().WriteArchiveAsync(unit.Id, null, zipBytes));
        Assert.Equal(3, n);
        zipBytes.Position = 0;
        using (var zip = new ZipArchive(zipBytes))
        {
            Assert.Equal(["2019年/图片/火把节.jpg", "2020年/文字/总结.pdf", "2020年/文字/联席会议记录.txt"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray());
            using var ms = new MemoryStream();
            await using (var s = zip.GetEntry("2019年/图片/火把节.jpg")!.Open()) await s.CopyToAsync(ms);
            Assert.Equal(photo, ms.ToArray());
        }

        var coverage = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().CoverageAsync(unit.Id));
        Assert.Equal(13, coverage.Criteria.Count);
        Assert.Equal(2, coverage.Criteria.Single(c => c.No == 5).Count);
        Assert.Equal(1, coverage.Criteria.Single(c => c.No == 13).Count);
        Assert.Equal(11, coverage.Missing);
        Assert.Equal(1, (await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().CoverageAsync(unit.Id, 2019))).Criteria.Single(c => c.No == 5).Count);
        var bad = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<EvidenceService>().UploadAsync(new EvidenceMeta { OrgUnitId = unit.Id, Year = 2019, Criteria = [99] }, "a.jpg", new MemoryStream(TestFiles.Jpeg(20, 20)))));
        Assert.Contains("测评标准第 99 条不存在", bad.Message);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_inspection_dossier_is_built_in_the_background_by_criterion_and_item_with_a_word_catalogue(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        await Upload(app, "community", unit.Id, "文化墙.jpg", TestFiles.Jpeg(300, 300), criteria: [5], items: [8]);
        await Upload(app, "community", unit.Id, "领导小组文件.pdf", TestFiles.Pdf("group"), criteria: [2], items: [1]);
        await Upload(app, "community", unit.Id, "其他.docx", TestFiles.Docx("其他材料"));

        var id = await app.AsAsync("assessor", sp => sp.GetRequiredService<DossierService>().RequestAsync(unit.Id, null, null));
        DossierRow job;
        var waited = 0;
        do
        {
            await Task.Delay(200);
            job = await app.AsAsync("assessor", sp => sp.GetRequiredService<DossierService>().GetAsync(id));
        } while (job.Status <= DossierStatus.Running && (waited += 200) < 30_000);
        Assert.Equal(DossierStatus.Done, job.Status);
        Assert.Equal((5, 5, 100), (job.Total, job.Done, job.Percent));

        var file = await app.AsAsync("assessor", sp => sp.GetRequiredService<DossierService>().OpenAsync(id));
        using var ms = new MemoryStream();
        await using (file.Content) await file.Content.CopyToAsync(ms);
        ms.Position = 0;
        using var zip = new ZipArchive(ms);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains(names, n => n.StartsWith("一、测评标准/05 ", StringComparison.Ordinal) && n.EndsWith("/文化墙.jpg", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("一、测评标准/02 ", StringComparison.Ordinal) && n.EndsWith("/领导小组文件.pdf", StringComparison.Ordinal));
        Assert.Contains("二、十个一/08 完成一块民族文化墙/文化墙.jpg", names);
        Assert.Contains("二、十个一/01 成立一个领导小组/领导小组文件.pdf", names);
        Assert.Contains("三、其他材料/2019年/其他.docx", names);
        using var catalogue = new MemoryStream();
        await using (var s = zip.GetEntry("目录.docx")!.Open()) await s.CopyToAsync(catalogue);
        using var doc = WordprocessingDocument.Open(catalogue, false);
        var text = doc.MainDocumentPart!.Document.Body!.InnerText;
        Assert.Contains("城中社区民族团结进步创建迎检台账", text);
        Assert.Contains("完成一块民族文化墙", text);
        Assert.Contains("文化墙", text);

        await using var db = await app.SystemDbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(DossierJob) && a.Summary!.Contains("下载城中社区的迎检台账")));
        var outside = await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<DossierService>().OpenAsync(id)));
        Assert.NotNull(outside);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Upload_over_http_streams_a_multipart_file_and_previews_are_sandboxed(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var api = app.ApiClient(await app.TokenForAsync("community"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(unit.Id.ToString()), "orgUnitId" }, { new StringContent("2019"), "year" }, { new StringContent("5"), "criteria" },
            { new StringContent("花街节<script>alert(1)</script>"), "title" },
        };
        var file = new ByteArrayContent(TestFiles.Jpeg(640, 480));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "花街节.jpg");
        var res = await api.PostAsync("/api/v1/evidence", form);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var up = new { Id = (await res.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid() };
        Assert.Equal($"/api/v1/evidence/{up.Id}", res.Headers.Location?.ToString());

        var content = await api.GetAsync($"/api/v1/evidence/{up.Id}/content");
        Assert.Equal("image/jpeg", content.Content.Headers.ContentType!.MediaType);
        Assert.Contains("sandbox", content.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", content.Headers.GetValues("X-Content-Type-Options").Single());
        var range = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/evidence/{up.Id}/content");
        range.Headers.Range = new RangeHeaderValue(0, 99);
        var partial = await api.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);

        using var bad = new MultipartFormDataContent { { new StringContent(unit.Id.ToString()), "orgUnitId" }, { new StringContent("2019"), "year" } };
        bad.Add(new ByteArrayContent(TestFiles.Exe()), "file", "照片.jpg");
        var refused = await api.PostAsync("/api/v1/evidence", bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("可执行程序", await refused.Content.ReadAsStringAsync());

        var text = await api.PostAsJsonAsync("/api/v1/evidence/text", new { orgUnitId = unit.Id, year = 2019, title = "说明", body = "<script>alert('x')</script>" });
        var t = new { Id = (await text.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid() };
        var served = await api.GetAsync($"/api/v1/evidence/{t.Id}/content");
        Assert.Equal("text/plain", served.Content.Headers.ContentType!.MediaType);
        Assert.Contains("sandbox", served.Headers.GetValues("Content-Security-Policy").Single());
    }

    /// <summary>
    /// #28 over HTTP: one byte over a class's limit is refused with 413 naming the limit, as is a file past the largest limit
    /// (reading stops there); a small PNG that declares 20000×20000 pixels is refused from its header, before any pixel is
    /// decoded. None leaves a row, a stored file or a staged one.
    /// </summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Over_http_one_byte_over_the_limit_answers_413_naming_it_and_a_pixel_bomb_is_refused_unread(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);
        var api = app.ApiClient(await app.TokenForAsync("community"));
        var options = app.Services.GetRequiredService<EvidenceOptions>();
        options.ImageMaxMb = 1;
        const int limit = 1024 * 1024;
        async Task<HttpResponseMessage> Post(string name, byte[] bytes)
        {
            using var form = new MultipartFormDataContent { { new StringContent(unit.Id.ToString()), "orgUnitId" }, { new StringContent("2019"), "year" } };
            form.Add(new ByteArrayContent(bytes), "file", name);
            return await api.PostAsync("/api/v1/evidence", form);
        }
        async Task AssertRefused(HttpResponseMessage res, HttpStatusCode status, string detail)
        {
            Assert.Equal(status, res.StatusCode);
            Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
            Assert.Contains(detail, (await res.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("detail").GetString());
        }

        var over = await Post("超限照片.jpg", JpegOfSize(limit + 1));
        await AssertRefused(over, HttpStatusCode.RequestEntityTooLarge, "照片不能超过 1 MB");
        Assert.Empty(StoredBlobs(app));

        // Past the largest class limit the body is not read to its end: the upload stops at the limit.
        options.VideoMaxMb = options.AudioMaxMb = options.DocumentMaxMb = options.TextMaxMb = 1;
        var pastAll = await Post("超限文档.pdf", TestFiles.Pdf(new string('x', limit)));
        await AssertRefused(pastAll, HttpStatusCode.RequestEntityTooLarge, "超过了上传上限 1 MB");

        var bomb = PngDeclaring(20_000, 20_000);
        Assert.True(bomb.Length < 2_000, $"{bomb.Length} bytes");
        var refused = await Post("像素炸弹.png", bomb);
        await AssertRefused(refused, HttpStatusCode.BadRequest, "尺寸过大（20000×20000 像素）");
        Assert.Contains(EvidenceErrors.TooManyPixels.Code, await refused.Content.ReadAsStringAsync());

        Assert.Empty(StoredBlobs(app));
        Assert.Empty(Directory.GetFiles(app.Services.GetRequiredService<IFileStore>().StagingDirectory));
        await using (var db = await app.SystemDbAsync()) Assert.Equal(0, await db.Evidence.CountAsync());

        // Exactly at the limit is accepted.
        Assert.Equal(HttpStatusCode.Created, (await Post("刚好1MB.jpg", JpegOfSize(limit))).StatusCode);
    }

    /// <summary>A real JPEG padded with comment segments to exactly <paramref name="size"/> bytes.</summary>
    static byte[] JpegOfSize(int size)
    {
        var jpeg = TestFiles.Jpeg(64, 64);
        var padding = new List<byte>();
        for (var left = size - jpeg.Length; left > 0;)
        {
            var segment = Math.Min(left, 65_537);
            if (left - segment is > 0 and < 4) segment -= 4;
            var length = segment - 2;
            padding.AddRange([0xFF, 0xFE, (byte)(length >> 8), (byte)length]);
            padding.AddRange(Enumerable.Repeat((byte)'c', length - 2));
            left -= segment;
        }
        byte[] result = [.. jpeg[..2], .. padding, .. jpeg[2..]];
        Assert.Equal(size, result.Length);
        return result;
    }

    /// <summary>A PNG whose header claims width×height 8-bit grey pixels but whose data holds only its first rows.</summary>
    static byte[] PngDeclaring(int width, int height)
    {
        static byte[] Chunk(string type, byte[] data)
        {
            var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            var crc = 0xFFFFFFFFu;
            foreach (var b in body)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
            crc ^= 0xFFFFFFFFu;
            return [.. BigEndian((uint)data.Length), .. body, .. BigEndian(crc)];
        }
        static byte[] BigEndian(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];
        var rows = new MemoryStream();
        using (var z = new ZLibStream(rows, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(new byte[(width + 1) * 4]);
        byte[] header = [.. BigEndian((uint)width), .. BigEndian((uint)height), 8, 0, 0, 0, 0];
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", header), .. Chunk("IDAT", rows.ToArray()), .. Chunk("IEND", [])];
    }
}
