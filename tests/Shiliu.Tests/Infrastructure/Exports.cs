using Shiliu.Core.Platform.Exports;

namespace Shiliu.Tests.Infrastructure;

/// <summary>Reads an export the way a browser receives it (and lets its temporary file go).</summary>
public static class Exports
{
    public static async Task<byte[]> BytesAsync(ExportFile file)
    {
        using var ms = new MemoryStream();
        await file.Content.CopyToAsync(ms);
        return ms.ToArray();
    }

    public static async Task<(byte[] Bytes, string Name)> ReadAsync(ExportFile file)
    {
        await using (file) return (await BytesAsync(file), file.FileName);
    }
}
