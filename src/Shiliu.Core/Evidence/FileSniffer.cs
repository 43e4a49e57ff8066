using System.IO.Compression;
using System.Text;
using Shiliu.Core.Common;

namespace Shiliu.Core.Evidence;

/// <summary>The size classes limits are configured by.</summary>
public enum MediaClass
{
    Image,
    Video,
    Audio,
    Document,
    Text,
}

/// <summary>What a file really is, decided from its bytes.</summary>
public sealed record FileKind(string Format, string ContentType, MediaClass Class)
{
    public EvidenceCategory Category => Class switch
    {
        MediaClass.Image => EvidenceCategory.Image,
        MediaClass.Video or MediaClass.Audio => EvidenceCategory.Media,
        _ => EvidenceCategory.Text,
    };

}

public static class EvidenceErrors
{
    public static readonly ErrorCode Type = ErrorCode.Invalid("evidence.type");
    public static readonly ErrorCode Empty = ErrorCode.Invalid("evidence.empty");
    public static readonly ErrorCode TooLarge = ErrorCode.TooLarge("evidence.too_large");
    /// <summary>An image whose header claims more pixels than may be decoded (a decompression bomb): the bytes are fine, the picture is not.</summary>
    public static readonly ErrorCode TooManyPixels = ErrorCode.Invalid("evidence.too_many_pixels");
    public static readonly ErrorCode Damaged = ErrorCode.Invalid("evidence.damaged");
    public static readonly ErrorCode Duplicate = ErrorCode.Invalid("evidence.duplicate");
    public static readonly ErrorCode Denied = ErrorCode.Denied("evidence.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("evidence.invalid");
}

/// <summary>
/// Decides a file's type by its content (magic numbers, container structure), never by its name. Refuses executables,
/// unknown types and documents cut short, with a message a clerk can act on.
/// </summary>
public static class FileSniffer
{
    public const string Allowed = "照片（jpg、png、gif、webp）、视频（mp4、mov、webm、avi、3gp）、音频（mp3、m4a、wav、amr、ogg、flac）、" +
                                  "文档（pdf、docx、xlsx、pptx、doc、xls、ppt）和文本（txt）";

    public static FileKind Detect(string path, string originalName)
    {
        var length = new FileInfo(path).Length;
        if (length == 0) throw new RuleViolation(EvidenceErrors.Empty, $"“{originalName}”是空文件（0 字节），请检查后重新选择");
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[64];
        var n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..n];

        if (StartsWith(head, "MZ"u8) || StartsWith(head, [0x7F, (byte)'E', (byte)'L', (byte)'F']) || StartsWith(head, "#!"u8) && !StartsWith(head, "#!AMR"u8))
            throw new RuleViolation(EvidenceErrors.Type, $"“{originalName}”的内容是可执行程序或脚本，不能作为台账材料上传（文件名后缀与内容不符）");

        if (StartsWith(head, [0xFF, 0xD8, 0xFF])) return new("jpg", "image/jpeg", MediaClass.Image);
        if (StartsWith(head, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return new("png", "image/png", MediaClass.Image);
        if (StartsWith(head, "GIF87a"u8) || StartsWith(head, "GIF89a"u8)) return new("gif", "image/gif", MediaClass.Image);
        if (StartsWith(head, "RIFF"u8) && n >= 12)
        {
            var form = head.Slice(8, 4);
            if (form.SequenceEqual("WEBP"u8)) return new("webp", "image/webp", MediaClass.Image);
            if (form.SequenceEqual("WAVE"u8)) return new("wav", "audio/wav", MediaClass.Audio);
            if (form.SequenceEqual("AVI "u8)) return new("avi", "video/x-msvideo", MediaClass.Video);
        }
        if (n >= 12 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(head.Slice(8, 4));
            return brand switch
            {
                "M4A " or "M4B " => new("m4a", "audio/mp4", MediaClass.Audio),
                "qt  " => new("mov", "video/quicktime", MediaClass.Video),
                "heic" or "heix" or "heim" or "heis" or "mif1" or "msf1" or "hevc" => throw new RuleViolation(EvidenceErrors.Type,
                    $"“{originalName}”是 HEIC 格式照片，浏览器无法显示。请在手机相机设置中选择“兼容性最佳”，或转换为 JPG 后上传"),
                _ when brand.StartsWith("3g", StringComparison.Ordinal) => new("3gp", "video/3gpp", MediaClass.Video),
                _ => new("mp4", "video/mp4", MediaClass.Video),
            };
        }
        if (StartsWith(head, [0x1A, 0x45, 0xDF, 0xA3])) return new("webm", "video/webm", MediaClass.Video);
        if (StartsWith(head, "ID3"u8) || n >= 2 && head[0] == 0xFF && (head[1] & 0xE6) == 0xE2) return new("mp3", "audio/mpeg", MediaClass.Audio);
        if (StartsWith(head, "OggS"u8)) return new("ogg", "audio/ogg", MediaClass.Audio);
        if (StartsWith(head, "#!AMR"u8)) return new("amr", "audio/amr", MediaClass.Audio);
        if (StartsWith(head, "fLaC"u8)) return new("flac", "audio/flac", MediaClass.Audio);
        if (StartsWith(head, "%PDF-"u8)) return Pdf(f, length, originalName);
        if (StartsWith(head, [0x50, 0x4B, 0x03, 0x04])) return Office(path, originalName);
        if (StartsWith(head, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return LegacyOffice(originalName);
        if (Path.GetExtension(originalName).Equals(".txt", StringComparison.OrdinalIgnoreCase) && TextCharset(f) is { } charset)
            return new("txt", $"text/plain; charset={charset}", MediaClass.Text);
        throw new RuleViolation(EvidenceErrors.Type, $"无法识别“{originalName}”的文件类型。只能上传{Allowed}");
    }

    static bool StartsWith(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.StartsWith(magic);

    /// <summary>A PDF ends with %%EOF (possibly followed by whitespace); without it the file was cut short.</summary>
    static FileKind Pdf(FileStream f, long length, string name)
    {
        var tail = new byte[(int)Math.Min(2048, length)];
        f.Seek(-tail.Length, SeekOrigin.End);
        f.ReadExactly(tail);
        if (tail.AsSpan().IndexOf("%%EOF"u8) < 0)
            throw new RuleViolation(EvidenceErrors.Damaged, $"“{name}”这个 PDF 文件不完整（缺少文件结尾，可能下载或复制时中断），请用原文件重新上传");
        return new("pdf", "application/pdf", MediaClass.Document);
    }

    /// <summary>docx/xlsx/pptx are zip packages; the part names say which (entries are listed, never extracted).</summary>
    static FileKind Office(string path, string name)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in zip.Entries.Take(5000)) names.Add(e.FullName);
            if (names.Contains("[Content_Types].xml"))
            {
                if (names.Contains("word/document.xml")) return new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", MediaClass.Document);
                if (names.Contains("xl/workbook.xml")) return new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", MediaClass.Document);
                if (names.Contains("ppt/presentation.xml")) return new("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", MediaClass.Document);
            }
        }
        catch (InvalidDataException)
        {
            throw new RuleViolation(EvidenceErrors.Damaged, $"“{name}”已损坏或不完整，无法打开，请用原文件重新上传");
        }
        throw new RuleViolation(EvidenceErrors.Type, $"“{name}”是压缩包而不是 Word/Excel/PowerPoint 文档。只能上传{Allowed}");
    }

    /// <summary>Word/Excel/PowerPoint 97–2003 share one container; the name tells which of the three it claims to be.</summary>
    static FileKind LegacyOffice(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".xls" => new("xls", "application/vnd.ms-excel", MediaClass.Document),
        ".ppt" => new("ppt", "application/vnd.ms-powerpoint", MediaClass.Document),
        _ => new("doc", "application/msword", MediaClass.Document),
    };

    /// <summary>UTF-8 (or GB18030 as old Notepad writes it) without NULs or stray control characters.</summary>
    static string? TextCharset(FileStream f)
    {
        f.Seek(0, SeekOrigin.Begin);
        var buf = new byte[(int)Math.Min(65536, f.Length)];
        f.ReadExactly(buf);
        foreach (var b in buf)
            if (b < 0x09 || b is > 0x0D and < 0x20 && b != 0x1B) return null;
        try
        {
            // The sample may end inside a character; only whole-file-sized samples must decode exactly.
            var sample = buf.Length == f.Length ? buf : buf[..^4];
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(sample);
            return "utf-8";
        }
        catch (DecoderFallbackException)
        {
            return "gb18030";
        }
    }
}

/// <summary>Makes a user-supplied file name safe to store, show and put into a zip.</summary>
public static class FileNames
{
    static readonly char[] Reserved = ['<', '>', ':', '"', '|', '?', '*', '/', '\\'];

    public static string Sanitize(string? name, string format)
    {
        var n = name ?? "";
        // Only the last path segment counts: "../../x.jpg" and "C:\\a\\x.jpg" become "x.jpg".
        n = n[(n.LastIndexOfAny(['/', '\\']) + 1)..];
        var sb = new StringBuilder(n.Length);
        foreach (var c in n)
            if (!char.IsControl(c) && Array.IndexOf(Reserved, c) < 0 && !Validation.IsBidiControl(c) && c is not ('\u200B' or '\u200E' or '\u200F' or '\uFEFF'))
                sb.Append(char.IsWhiteSpace(c) ? ' ' : c);
        var stem = Path.GetFileNameWithoutExtension(sb.ToString()).Trim().Trim('.').Trim();
        while (stem.Contains("  ", StringComparison.Ordinal)) stem = stem.Replace("  ", " ", StringComparison.Ordinal);
        if (stem.Length == 0) stem = "未命名";
        if (stem.Length > 100) stem = stem[..100];
        return $"{stem}.{format}";
    }
}
