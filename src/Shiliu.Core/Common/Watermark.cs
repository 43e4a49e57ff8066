using SkiaSharp;

namespace Shiliu.Core.Common;

/// <summary>
/// The tile behind an export of personal data: who exported it, when, and why, repeated diagonally in light grey, so a
/// printed or photographed ledger still tells where it came from.
/// </summary>
public static class Watermark
{
    // The Linux Skia build has no fontconfig; CJK fonts are looked up where distributions put them.
    static readonly string[] CjkFonts =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "C:\\Windows\\Fonts\\msyh.ttc", "C:\\Windows\\Fonts\\simsun.ttc",
    ];

    static readonly Lazy<SKTypeface?> Cjk = new(() => CjkFonts.Where(File.Exists).Select(f => SKTypeface.FromFile(f)).FirstOrDefault(t => t is not null));

    /// <summary>The installed CJK typeface (shared; never disposed), or null: the one lookup for anything that draws Chinese text (certificates, QR captions, demo photos).</summary>
    public static SKTypeface? CjkTypeface => Cjk.Value;

    /// <summary>A PNG tile; lines that need CJK glyphs fall back to their ASCII parts when no CJK font is installed.</summary>
    public static byte[] Png(IReadOnlyList<string> lines, int width = 520, int height = 300)
    {
        var face = Cjk.Value;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var c = surface.Canvas;
        c.Clear(SKColors.Transparent);
        using var font = new SKFont(face ?? SKTypeface.Default, 17);
        using var paint = new SKPaint { Color = new SKColor(0, 0, 0, 34), IsAntialias = true };
        c.Translate(width / 2f, height / 2f);
        c.RotateDegrees(-24);
        var y = -(lines.Count - 1) * 13f;
        foreach (var raw in lines)
        {
            var text = face is null ? new string(raw.Where(ch => ch < 128).ToArray()).Trim() : raw;
            c.DrawText(text, 0, y, SKTextAlign.Center, font, paint);
            y += 26;
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
