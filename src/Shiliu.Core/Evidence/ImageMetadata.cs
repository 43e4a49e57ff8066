using System.Buffers.Binary;
using Shiliu.Core.Common;

namespace Shiliu.Core.Evidence;

/// <summary>
/// SECURITY.md #29: a photo loses what it tells about where, when and with what it was taken (EXIF with its GPS block,
/// XMP, IPTC, comments, text chunks, appended previews) before it is stored. Nothing is re-encoded: whole segments or
/// chunks are dropped and the compressed pixels stay byte for byte. A JPEG keeps its orientation as a one-tag EXIF block
/// so that it still shows upright. GIF carries no EXIF and is left as it is.
/// </summary>
public static class ImageMetadata
{
    /// <summary>Rewrites the file without its metadata; true when anything was removed.</summary>
    /// <param name="orientation">The EXIF orientation (1–8) the photo was decoded with, kept for a JPEG.</param>
    public static bool Strip(string path, string format, string fileName, int orientation = 1)
    {
        var bytes = File.ReadAllBytes(path);
        var stripped = format switch
        {
            "jpg" => Jpeg(bytes, orientation),
            "png" => Png(bytes),
            "webp" => WebP(bytes),
            _ => bytes,
        } ?? throw new RuleViolation(EvidenceErrors.Damaged, $"“{fileName}”这张图片的结构已损坏，无法去除其中的拍摄位置等信息，请用原图重新上传");
        if (stripped.AsSpan().SequenceEqual(bytes)) return false;
        File.WriteAllBytes(path, stripped);
        return true;
    }

    /// <summary>Keeps SOI, APP0 (JFIF), APP2 ICC profiles, APP14 (Adobe colour), tables, frames and scans up to EOI.</summary>
    static byte[]? Jpeg(byte[] b, int orientation)
    {
        using var o = new MemoryStream(b.Length);
        o.Write(b, 0, 2);
        var oriented = orientation is < 2 or > 8;
        var i = 2;
        while (i + 1 < b.Length)
        {
            if (b[i] != 0xFF) return null;
            var marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (!oriented && marker != 0xE0)
            {
                WriteOrientation(o, orientation);
                oriented = true;
            }
            if (marker == 0xD9)
            {
                o.Write(b, i, 2);
                return o.ToArray(); // anything after EOI (a phone's appended previews, each with its own EXIF) is dropped
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                o.Write(b, i, 2);
                i += 2;
                continue;
            }
            if (i + 3 >= b.Length) return null;
            var end = i + 2 + ((b[i + 2] << 8) | b[i + 3]);
            if (end > b.Length || end < i + 4) return null;
            if (marker == 0xDA)
                while (end + 1 < b.Length && !(b[end] == 0xFF && b[end + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7)))) end++;
            var keep = marker is not ((>= 0xE1 and <= 0xEF) or 0xFE) || marker == 0xEE
                || (marker == 0xE2 && b.AsSpan(i + 4, end - i - 4).StartsWith("ICC_PROFILE\0"u8));
            if (keep) o.Write(b, i, end - i);
            i = end;
        }
        return null;
    }

    static void WriteOrientation(Stream o, int orientation)
    {
        // APP1 "Exif\0\0", a big-endian TIFF header and IFD0 with the one tag 0x0112 (SHORT, 1 value), no next IFD.
        ReadOnlySpan<byte> block =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        o.Write(block);
    }

    static readonly HashSet<string> PngMetadata = ["eXIf", "tEXt", "zTXt", "iTXt", "tIME"];

    /// <summary>Drops the EXIF, text and time chunks and anything after IEND; chunks carry their own CRC, so the rest is untouched.</summary>
    static byte[]? Png(byte[] b)
    {
        using var o = new MemoryStream(b.Length);
        o.Write(b, 0, 8);
        var i = 8;
        while (i + 12 <= b.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(i));
            if (length > int.MaxValue || i + 12 + (long)length > b.Length) return null;
            var type = System.Text.Encoding.ASCII.GetString(b, i + 4, 4);
            var size = 12 + (int)length;
            if (!PngMetadata.Contains(type)) o.Write(b, i, size);
            if (type == "IEND") return o.ToArray();
            i += size;
        }
        return null;
    }

    /// <summary>Drops the EXIF and XMP chunks of a RIFF WebP, clears their flags in VP8X and fixes the RIFF size.</summary>
    static byte[]? WebP(byte[] b)
    {
        if (b.Length < 12) return null;
        using var o = new MemoryStream(b.Length);
        o.Write(b, 0, 12);
        var i = 12;
        var vp8x = -1;
        while (i + 8 <= b.Length)
        {
            var type = System.Text.Encoding.ASCII.GetString(b, i, 4);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(i + 4));
            var size = 8 + (long)length + (length & 1);
            if (i + 8 + (long)length > b.Length) return null;
            size = Math.Min(size, b.Length - i);
            if (type is not ("EXIF" or "XMP "))
            {
                if (type == "VP8X") vp8x = (int)o.Position + 8;
                o.Write(b, i, (int)size);
            }
            i += (int)size;
        }
        var result = o.ToArray();
        if (vp8x >= 0 && vp8x < result.Length) result[vp8x] &= unchecked((byte)~0x0C); // the EXIF (0x08) and XMP (0x04) flags
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }
}
