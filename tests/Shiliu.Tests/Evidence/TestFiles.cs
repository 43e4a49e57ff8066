using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using SkiaSharp;

namespace Shiliu.Tests.Evidence;

/// <summary>Real files made on the spot: a photo Skia can decode, a PDF with a proper trailer, a Word document, an executable header.</summary>
public static class TestFiles
{
    public static byte[] Jpeg(int width = 1200, int height = 800, SKColor? color = null, int quality = 85)
    {
        using var bmp = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bmp))
        {
            canvas.Clear(color ?? new SKColor(200, 60, 40));
            using var paint = new SKPaint { Color = SKColors.Gold };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 3f, paint);
        }
        using var img = SKImage.FromBitmap(bmp);
        return img.Encode(SKEncodedImageFormat.Jpeg, quality).ToArray();
    }

    /// <summary>Random pixels: a JPEG that does not compress (about 1 MB per 600×600 at quality 95).</summary>
    public static byte[] Noise(int width, int height)
    {
        var rnd = new Random(7);
        using var bmp = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++) bmp.SetPixel(x, y, new SKColor((byte)rnd.Next(256), (byte)rnd.Next(256), (byte)rnd.Next(256)));
        using var img = SKImage.FromBitmap(bmp);
        return img.Encode(SKEncodedImageFormat.Jpeg, 95).ToArray();
    }

    public static byte[] Png(int width = 64, int height = 64)
    {
        using var bmp = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bmp)) canvas.Clear(SKColors.SeaGreen);
        using var img = SKImage.FromBitmap(bmp);
        return img.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>A one-page PDF with a correct cross-reference table.</summary>
    public static byte[] Pdf(string text = "Shiliu test")
    {
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            null,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var content = $"BT /F1 24 Tf 72 760 Td ({text}) Tj ET";
        objects[3] = $"<< /Length {content.Length} >>\nstream\n{content}\nendstream";
        var sb = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.ASCII.GetByteCount(sb.ToString()));
            sb.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = Encoding.ASCII.GetByteCount(sb.ToString());
        sb.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) sb.Append($"{o:D10} 00000 n \n");
        sb.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    public static byte[] Docx(string text)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body(new Paragraph(new Run(new Text(text)))));
            main.Document.Save();
        }
        return ms.ToArray();
    }

    /// <summary>The first bytes of a Windows program (DOS stub + PE signature).</summary>
    public static byte[] Exe()
    {
        var b = new byte[1024];
        b[0] = (byte)'M'; b[1] = (byte)'Z';
        b[0x3C] = 0x80;
        b[0x80] = (byte)'P'; b[0x81] = (byte)'E';
        Encoding.ASCII.GetBytes("This program cannot be run in DOS mode.").CopyTo(b, 0x4E);
        return b;
    }

    const string SheetNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>
    /// A minimal .xlsx written by hand: one sheet with this sheetData, and a shared-string table (either its items, or a
    /// whole sharedStrings.xml document when it starts with "&lt;?xml") — for workbooks no library would write.
    /// </summary>
    public static MemoryStream HandWorkbook(string sheetData, string? sharedStrings = null)
    {
        var ms = new MemoryStream();
        using (var z = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string xml)
            {
                using var w = new StreamWriter(z.CreateEntry(name).Open());
                w.Write(xml);
            }
            Add("xl/workbook.xml", $"""<workbook xmlns="{SheetNs}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add("xl/_rels/workbook.xml.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>""");
            if (sharedStrings is not null)
                Add("xl/sharedStrings.xml", sharedStrings.StartsWith("<?xml", StringComparison.Ordinal) ? sharedStrings : $"""<sst xmlns="{SheetNs}">{sharedStrings}</sst>""");
            Add("xl/worksheets/sheet1.xml", $"""<worksheet xmlns="{SheetNs}">{sheetData}</worksheet>""");
        }
        ms.Position = 0;
        return ms;
    }
}
