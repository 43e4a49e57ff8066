using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Organizations;
using SkiaSharp;

namespace Shiliu.Core.Platform;

/// <summary>
/// Demo ledgers made the way a unit's own staff would make them: some services only let a unit's staff act for that unit
/// (排查 is the community's, a 联席会议 the convener's), so the demo acts as a built caller of that unit ("演示数据（桂山社区）"),
/// never a signed-in user, in a DI scope of its own.
/// </summary>
public static class DemoCallers
{
    public static async Task<T> AsUnitAsync<T>(IServiceProvider services, OrgUnit unit, string role, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<ICallerAccessor>() is not ISystemCallerSwitch s)
            throw new InvalidOperationException("demo records for a unit need the web host's caller accessor");
        s.UseCaller(new Caller(null, $"演示数据（{unit.Name}）", unit.Path, new HashSet<string> { role }));
        return await work(scope.ServiceProvider);
    }

    public static Task AsUnitAsync(IServiceProvider services, OrgUnit unit, string role, Func<IServiceProvider, Task> work) =>
        AsUnitAsync(services, unit, role, async sp => { await work(sp); return true; });

    /// <summary>A small drawn sheet (PNG) that says 演示材料 across it: a stand-in for a scanned document, showing nobody.</summary>
    public static byte[] Sheet(string title, IEnumerable<string> lines, int seed)
    {
        SKColor[] tints = [new(0xFD, 0xF6, 0xE3), new(0xEE, 0xF5, 0xFB), new(0xF1, 0xF8, 0xEE), new(0xFB, 0xEF, 0xEF)];
        using var bitmap = new SKBitmap(640, 900);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(tints[Math.Abs(seed) % tints.Length]);
            var face = Watermark.CjkTypeface ?? SKTypeface.Default;
            using var head = new SKFont(face, 34);
            using var body = new SKFont(face, 22);
            using var huge = new SKFont(face, 110);
            using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
            using var faint = new SKPaint { Color = new SKColor(0xC0, 0x39, 0x2B, 50), IsAntialias = true };
            canvas.DrawText("演示材料", 320, 520, SKTextAlign.Center, huge, faint);
            canvas.DrawText(title.Length > 18 ? title[..18] : title, 320, 90, SKTextAlign.Center, head, ink);
            var y = 160;
            foreach (var line in lines.Take(24))
            {
                canvas.DrawText(line.Length > 26 ? line[..26] : line, 50, y, SKTextAlign.Left, body, ink);
                y += 34;
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 90).ToArray();
    }
}
