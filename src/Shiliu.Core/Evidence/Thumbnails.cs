using Shiliu.Core.Common;
using SkiaSharp;

namespace Shiliu.Core.Evidence;

/// <summary>Decodes an uploaded image (which proves it is whole) and writes a small JPEG for lists.</summary>
public static class Thumbnails
{
    public const int MaxSide = 320;
    /// <summary>Refuses decompression bombs: a small file that claims a gigantic canvas.</summary>
    const long MaxPixels = 100_000_000;

    /// <param name="Orientation">The EXIF orientation (1–8) the photo was drawn with.</param>
    public sealed record Result(int Width, int Height, string ThumbnailPath, int Orientation);

    public static Result Make(string imagePath, string fileName, string outputDirectory)
    {
        using var codec = SKCodec.Create(imagePath)
            ?? throw new RuleViolation(EvidenceErrors.Damaged, $"“{fileName}”这张图片已损坏，无法打开，请用原图重新上传");
        using var data = Draw(codec, fileName, MaxSide);
        var output = Path.Combine(outputDirectory, Guid.NewGuid().ToString("N") + ".jpg");
        using (var fs = File.Create(output)) data.SaveTo(fs);
        var (ow, oh) = Oriented(codec.EncodedOrigin, codec.Info.Width, codec.Info.Height);
        return new Result(ow, oh, output, (int)codec.EncodedOrigin);
    }

    /// <summary>
    /// The photo redrawn as a fresh JPEG no larger than <paramref name="maxSide"/>: only pixels are carried over, so no
    /// EXIF (GPS, camera, time) or other metadata of the stored file can reach whoever receives it.
    /// </summary>
    public static byte[] Redrawn(Stream image, string fileName, int maxSide)
    {
        using var source = SKData.Create(image)
            ?? throw new RuleViolation(EvidenceErrors.Damaged, $"“{fileName}”这张图片已损坏，无法打开");
        using var codec = SKCodec.Create(source)
            ?? throw new RuleViolation(EvidenceErrors.Damaged, $"“{fileName}”这张图片已损坏，无法打开");
        using var data = Draw(codec, fileName, maxSide);
        return data.ToArray();
    }

    static SKData Draw(SKCodec codec, string fileName, int maxSide)
    {
        var info = codec.Info;
        if ((long)info.Width * info.Height > MaxPixels)
            throw new RuleViolation(EvidenceErrors.TooManyPixels, $"“{fileName}”的尺寸过大（{info.Width}×{info.Height} 像素），请缩小后上传");
        // Decode at a reduced scale where the codec can (JPEG), then finish the resize in Skia.
        var scaled = codec.GetScaledDimensions(Math.Min(1f, 2f * maxSide / Math.Max(info.Width, info.Height)));
        using var bitmap = new SKBitmap(new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var r = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (r is not (SKCodecResult.Success))
            throw new RuleViolation(EvidenceErrors.Damaged, r == SKCodecResult.IncompleteInput
                ? $"“{fileName}”这张图片不完整（可能上传或复制时中断），请用原图重新上传"
                : $"“{fileName}”这张图片已损坏，无法打开，请用原图重新上传");

        var (w, h) = Oriented(codec.EncodedOrigin, bitmap.Width, bitmap.Height);
        var k = Math.Min(1.0, (double)maxSide / Math.Max(w, h));
        var tw = Math.Max(1, (int)Math.Round(w * k));
        var th = Math.Max(1, (int)Math.Round(h * k));
        using var surface = SKSurface.Create(new SKImageInfo(tw, th, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale((float)tw / w, (float)th / h);
        ApplyOrigin(canvas, codec.EncodedOrigin, bitmap.Width, bitmap.Height);
        using (var image = SKImage.FromBitmap(bitmap))
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        canvas.Flush();
        using var snapshot = surface.Snapshot();
        return snapshot.Encode(SKEncodedImageFormat.Jpeg, 80);
    }

    static (int W, int H) Oriented(SKEncodedOrigin o, int w, int h) => o is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom ? (h, w) : (w, h);

    /// <summary>Phone photos are often stored sideways with an EXIF orientation; draw them the way they were taken.</summary>
    static void ApplyOrigin(SKCanvas c, SKEncodedOrigin o, int w, int h)
    {
        switch (o)
        {
            case SKEncodedOrigin.TopRight: c.Translate(w, 0); c.Scale(-1, 1); break;
            case SKEncodedOrigin.BottomRight: c.Translate(w, h); c.RotateDegrees(180); break;
            case SKEncodedOrigin.BottomLeft: c.Translate(0, h); c.Scale(1, -1); break;
            case SKEncodedOrigin.LeftTop: c.RotateDegrees(90); c.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: c.Translate(h, 0); c.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: c.Translate(h, w); c.RotateDegrees(90); c.Translate(w, 0); c.Scale(-1, 1); break;
            case SKEncodedOrigin.LeftBottom: c.Translate(0, w); c.RotateDegrees(-90); break;
        }
    }
}
