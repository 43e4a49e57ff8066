using SkiaSharp;
using Shiliu.Core.Common;

namespace Shiliu.Core.Commendations;

public sealed record CertificateText(string Name, string UnitName, ModelCategory Category, string CallTitle, string Issuer, string DecisionNo, DateOnly DecisionDate,
    string CertificateNo);

/// <summary>
/// 荣誉证书: one A4 landscape page in a fixed layout (red double frame, 荣誉证书, the awardee, the title, the issuing county
/// and date, the certificate and decision numbers), drawn by Skia's PDF backend as real, selectable text in the CJK font
/// <see cref="Watermark"/> finds. Without any CJK font the page still renders: the font manager is asked for one that has
/// the glyphs, and failing that the certificate is drawn with the default font and carries, in ASCII, its number, the
/// decision number and date and a note that the server lacks a Chinese font, so the file is never blank or broken.
/// </summary>
public static class Certificate
{
    const float W = 842, H = 595;
    static readonly SKColor Red = new(0xB7, 0x1C, 0x1C);
    static readonly SKColor Gold = new(0xC8, 0x9B, 0x3C);

    public static byte[] Pdf(CertificateText t)
    {
        var face = Watermark.CjkTypeface ?? SKFontManager.Default.MatchCharacter('荣');
        var cjk = face is not null;
        face ??= SKTypeface.Default;
        using var stream = new MemoryStream();
        using (var doc = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
               {
                   Title = $"荣誉证书 {t.CertificateNo}", Author = t.Issuer, Creator = "石榴 民族团结进步创建管理平台", RasterDpi = 150,
               }))
        {
            var c = doc.BeginPage(W, H);
            Draw(c, t, face, cjk);
            doc.EndPage();
            doc.Close();
        }
        return stream.ToArray();
    }

    static void Draw(SKCanvas c, CertificateText t, SKTypeface face, bool cjk)
    {
        c.Clear(SKColors.White);
        using (var outer = new SKPaint { Color = Red, Style = SKPaintStyle.Stroke, StrokeWidth = 6, IsAntialias = true })
            c.DrawRect(24, 24, W - 48, H - 48, outer);
        using (var inner = new SKPaint { Color = Gold, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true })
            c.DrawRect(36, 36, W - 72, H - 72, inner);

        using var red = new SKPaint { Color = Red, IsAntialias = true };
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        using var title = new SKFont(face, 54) { Embolden = true };
        using var body = new SKFont(face, 22);
        using var big = new SKFont(face, 30) { Embolden = true };
        using var small = new SKFont(face, 12);

        c.DrawText("荣 誉 证 书", W / 2, 130, SKTextAlign.Center, title, red);
        var category = CommendationNames.Category(t.Category);
        c.DrawText($"{t.Name}", W / 2, 205, SKTextAlign.Center, big, ink);
        c.DrawText($"（{t.UnitName}）", W / 2, 238, SKTextAlign.Center, body, grey);
        var y = 290f;
        foreach (var line in Wrap($"　　在民族团结进步创建活动中表现突出，经{t.CallTitle}推荐、审定和公示，被评为“民族团结进步{category}”。特发此证，以资鼓励。", body, W - 220))
        {
            c.DrawText(line, 110, y, SKTextAlign.Left, body, ink);
            y += 36;
        }
        c.DrawText(t.Issuer, W - 130, H - 130, SKTextAlign.Right, body, ink);
        c.DrawText($"{t.DecisionDate.Year}年{t.DecisionDate.Month}月{t.DecisionDate.Day}日", W - 130, H - 96, SKTextAlign.Right, body, ink);
        c.DrawText($"证书编号：{t.CertificateNo}　　表彰决定：{t.DecisionNo}", 70, H - 56, SKTextAlign.Left, small, grey);
        if (!cjk)
            c.DrawText($"Certificate {t.CertificateNo} / decision of {t.DecisionDate:yyyy-MM-dd} / no CJK font installed on the server (install fonts-noto-cjk)",
                70, H - 42, SKTextAlign.Left, small, grey);
    }

    /// <summary>Breaks text into lines that fit, one character at a time (Chinese has no spaces to break at).</summary>
    internal static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var rune in text.EnumerateRunes())
        {
            var next = line + rune;
            if (line.Length > 0 && font.MeasureText(next) > width)
            {
                lines.Add(line);
                line = rune.ToString();
            }
            else line = next;
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }
}
