using System.Net;
using QRCoder;
using SkiaSharp;
using Shiliu.Core.Common;

namespace Shiliu.Core.Questionnaires;

/// <summary>
/// The QR code of a publication's public address for posters, with the unit's name (and the questionnaire's title)
/// under it: PNG drawn with Skia and the CJK font the watermark finds, SVG with real text elements.
/// </summary>
public static class QrPoster
{
    const int Pixels = 12;

    static QRCodeData Data(string url) => new QRCodeGenerator().CreateQrCode(url, QRCodeGenerator.ECCLevel.M);

    public static byte[] Png(string url, string unitName, string title)
    {
        var qr = new PngByteQRCode(Data(url)).GetGraphic(Pixels);
        using var code = SKBitmap.Decode(qr);
        var width = code.Width;
        var height = code.Height + 110;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var c = surface.Canvas;
        c.Clear(SKColors.White);
        using (var img = SKImage.FromBitmap(code)) c.DrawImage(img, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        var face = Watermark.CjkTypeface ?? SKTypeface.Default;
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var big = new SKFont(face, Fit(face, unitName, 40, width - 40));
        using var small = new SKFont(face, Fit(face, title, 22, width - 40));
        c.DrawText(unitName, width / 2f, code.Height + 28, SKTextAlign.Center, big, paint);
        paint.Color = new SKColor(0x44, 0x44, 0x44);
        c.DrawText(title, width / 2f, code.Height + 76, SKTextAlign.Center, small, paint);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Shrinks the size until the text fits the width (a long unit name on a small poster).</summary>
    static float Fit(SKTypeface face, string text, float size, float width)
    {
        while (size > 10)
        {
            using var f = new SKFont(face, size);
            if (f.MeasureText(text) <= width) return size;
            size -= 2;
        }
        return size;
    }

    public static string Svg(string url, string unitName, string title)
    {
        var data = Data(url);
        var inner = new SvgQRCode(data).GetGraphic(Pixels);
        var size = data.ModuleMatrix.Count * Pixels;
        var at = inner.IndexOf("<svg", StringComparison.Ordinal);
        inner = at > 0 ? inner[at..] : inner;
        var h = size + 110;
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{size}" height="{h}" viewBox="0 0 {size} {h}">
            <rect width="{size}" height="{h}" fill="#ffffff"/>
            {inner}
            <text x="{size / 2}" y="{size + 36}" text-anchor="middle" font-size="34" font-family="Noto Sans CJK SC, Microsoft YaHei, SimHei, sans-serif" fill="#000000">{WebUtility.HtmlEncode(unitName)}</text>
            <text x="{size / 2}" y="{size + 80}" text-anchor="middle" font-size="20" font-family="Noto Sans CJK SC, Microsoft YaHei, SimHei, sans-serif" fill="#444444">{WebUtility.HtmlEncode(title)}</text>
            </svg>
            """;
    }
}
