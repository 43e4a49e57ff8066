using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Platform.Exports;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>The one Word writer: GB/T 9704 page setup and faces, valid Open XML, and the export service's masking and audit.</summary>
public sealed class OfficialDocumentTests
{
    static byte[] Sample(Action<OfficialDocument>? more = null)
    {
        using var ms = new MemoryStream();
        using (var doc = new OfficialDocument(ms, "城中社区民族工作情况汇报", "test"))
        {
            doc.Mark("新平县民族团结进步创建工作领导小组办公室");
            doc.Title("城中社区民族团结进步创建工作情况汇报", "——城中社区民族工作情况汇报");
            doc.Heading(1, "一、基本情况");
            doc.Paragraph("城中社区辖区面积 1.2 平方公里，共有居民 3,456 户 10,234 人，其中少数民族 4,012 人，占 39.2%。");
            doc.Note("（数据来源：人口台账，截至2026年12月6日）");
            doc.Heading(2, "（一）组织领导");
            doc.Heading(3, "1. 成立领导小组");
            doc.Paragraph(new Span("主要做法：", GongwenFonts.HeiTi), new Span("每季度召开一次民族工作例会。"));
            doc.Table(["民族", "人数", "占比"], [["彝族", "2,101", "20.5%"], ["傣族", "1,034", "10.1%"], ["汉族", null]], [2, 1, 1]);
            doc.Picture(Png(), "图1　火把节活动现场");
            doc.Hanging("附件：", "1. 城中社区创建工作数据附表");
            doc.RightAligned("城中社区居民委员会");
            doc.RightAligned("2026年12月6日");
            more?.Invoke(doc);
        }
        return ms.ToArray();
    }

    static byte[] Png()
    {
        using var bitmap = new SkiaSharp.SKBitmap(40, 30);
        bitmap.Erase(SkiaSharp.SKColors.IndianRed);
        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        return image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 90).ToArray();
    }

    [Fact]
    public void The_document_is_valid_open_xml_with_gbt9704_page_setup_and_east_asian_faces_on_every_run()
    {
        using var word = WordprocessingDocument.Open(new MemoryStream(Sample()), false);
        var errors = new OpenXmlValidator().Validate(word).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);

        var body = word.MainDocumentPart!.Document.Body!;
        var section = body.Elements<SectionProperties>().Single();
        var size = section.GetFirstChild<PageSize>()!;
        Assert.Equal((11906u, 16838u), (size.Width!.Value, size.Height!.Value)); // A4
        var margin = section.GetFirstChild<PageMargin>()!;
        // 37 / 35 / 28 / 26 mm to the twip.
        Assert.Equal(37, Math.Round(margin.Top!.Value / 56.6929));
        Assert.Equal(35, Math.Round(margin.Bottom!.Value / 56.6929));
        Assert.Equal(28, Math.Round(margin.Left!.Value / 56.6929));
        Assert.Equal(26, Math.Round(margin.Right!.Value / 56.6929));
        var grid = section.GetFirstChild<DocGrid>()!;
        // 22 lines in the 225 mm type area, every body line exactly one pitch.
        Assert.Equal(22, (int)((16838 - margin.Top.Value - margin.Bottom.Value) / grid.LinePitch!.Value));
        Assert.Equal(grid.LinePitch.Value.ToString(), word.MainDocumentPart!.Document.Descendants<Paragraph>()
            .First(p => p.InnerText.StartsWith("城中社区辖区面积")).ParagraphProperties!.SpacingBetweenLines!.Line!.Value);
        // 28 characters of 3号 across the 156 mm type area, with the Normal style's character spacing.
        var normal = word.MainDocumentPart.StyleDefinitionsPart!.Styles!.Elements<Style>().Single(s => s.StyleId == "Normal").StyleRunProperties!;
        var advance = 16 + normal.GetFirstChild<Spacing>()!.Val!.Value / 20.0;
        Assert.Equal(28, (int)((11906 - margin.Left.Value - margin.Right.Value) / 20.0 / advance));

        var runs = word.MainDocumentPart.Document.Descendants<Run>().Where(r => r.GetFirstChild<Text>() is not null).ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, r =>
        {
            var fonts = r.RunProperties!.RunFonts!;
            Assert.False(string.IsNullOrEmpty(fonts.EastAsia?.Value), $"run “{r.InnerText}” names no East-Asian face");
            Assert.Equal(GongwenFonts.Latin, fonts.Ascii!.Value);
        });
        string FaceOf(string text) => runs.First(r => r.InnerText == text).RunProperties!.RunFonts!.EastAsia!.Value!;
        string SizeOf(string text) => runs.First(r => r.InnerText == text).RunProperties!.FontSize!.Val!.Value!;
        Assert.Equal((GongwenFonts.XiaoBiaoSong, "44"), (FaceOf("城中社区民族团结进步创建工作情况汇报"), SizeOf("城中社区民族团结进步创建工作情况汇报")));
        Assert.Equal(GongwenFonts.HeiTi, FaceOf("一、基本情况"));
        Assert.Equal(GongwenFonts.KaiTi, FaceOf("（一）组织领导"));
        Assert.Equal((GongwenFonts.FangSong, "32"), (FaceOf("每季度召开一次民族工作例会。"), SizeOf("每季度召开一次民族工作例会。")));

        // Page numbers "— n —" outside: odd pages right, even pages left; PAGE is the only field.
        var footers = word.MainDocumentPart.FooterParts.Select(f => f.Footer!).ToList();
        Assert.Equal(2, footers.Count);
        Assert.All(footers, f => Assert.Equal("— 1 —", f.InnerText));
        Assert.NotNull(word.MainDocumentPart.DocumentSettingsPart!.Settings!.GetFirstChild<EvenAndOddHeaders>());
        var fields = word.MainDocumentPart.Document.Descendants<SimpleField>().Concat(footers.SelectMany(f => f.Descendants<SimpleField>())).ToList();
        Assert.All(fields, f => Assert.Equal("PAGE", f.Instruction!.Value!.Trim()));
        Assert.Empty(word.MainDocumentPart.Document.Descendants<FieldCode>());
        // Named, not embedded, with a common stand-in for each face.
        var table = word.MainDocumentPart.FontTablePart!.Fonts!.Elements<Font>().ToDictionary(f => f.Name!.Value!);
        Assert.Equal("仿宋", table[GongwenFonts.FangSong].AltName!.Val!.Value);
        Assert.Empty(word.MainDocumentPart.FontTablePart.FontParts);
        Assert.Single(word.MainDocumentPart.ImageParts);
    }

    [Fact]
    public void Chinese_numerals_read_as_offices_write_them()
    {
        Assert.Equal(["一", "九", "十", "十一", "十九", "二十", "二十三", "九十九"], new[] { 1, 9, 10, 11, 19, 20, 23, 99 }.Select(GongwenNumerals.Of));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_word_export_is_audited_with_its_hash_and_a_whole_id_number_in_running_text_stops_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var staging = app.Services.GetRequiredService<IFileStore>().StagingDirectory;
        var before = Directory.GetFiles(staging, "export-*").Length;
        var id = Ids.Next();
        var refused = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(async () =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            await sp.GetRequiredService<ExportService>().DocxAsync(db, new ExportSpec("x.docx", "测试汇报", "Report", null, null), "测试", doc =>
            {
                doc.Paragraph($"走访户主者玉兰（身份证{id}），了解其子女入学情况。");
                return Task.CompletedTask;
            });
        }));
        Assert.Equal(ExportErrors.Unmasked, refused.Code);
        Assert.DoesNotContain(id, refused.Message);
        Assert.Equal(before, Directory.GetFiles(staging, "export-*").Length);

        var (bytes, name) = await app.AsAsync("community", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            await using var file = await sp.GetRequiredService<ExportService>().DocxAsync(db,
                new ExportSpec("城中社区汇报.docx", "城中社区民族工作情况汇报", "Report", null, null), "城中社区民族工作情况汇报", doc =>
                {
                    doc.Title("城中社区民族工作情况汇报");
                    doc.Paragraph("本年度走访 1,204 户，联系电话 0877-7012345。");
                    return Task.CompletedTask;
                });
            Assert.Equal(ExportFile.DocxType, file.ContentType);
            using var ms = new MemoryStream();
            await file.Content.CopyToAsync(ms);
            return (ms.ToArray(), file.FileName);
        });
        Assert.Equal("城中社区汇报.docx", name);
        using (var word = WordprocessingDocument.Open(new MemoryStream(bytes), false))
        {
            Assert.Empty(new OpenXmlValidator().Validate(word).Select(e => $"{e.Path?.XPath}: {e.Description}"));
            Assert.StartsWith("community（石榴平台生成", word.PackageProperties.Creator);
        }
        await using var check = await app.SystemDbAsync();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var row = await check.AuditEntries.SingleAsync(a => a.Event == AuditEvents.Export && a.EntityType == "Report");
        Assert.Equal($"导出城中社区民族工作情况汇报（Word）：2 段文字，SHA-256 {sha}", row.Summary);
    }
}
