using Shiliu.Core.Residents;

namespace Shiliu.Tests.Residents;

/// <summary>Valid test ID numbers of Xinping county (530427), distinct per call.</summary>
public static class Ids
{
    static int _seq = Random.Shared.Next(100, 700);

    public static string Next(DateOnly? birth = null, bool male = true)
    {
        var b = birth ?? new DateOnly(1985, 3, 1).AddDays(Interlocked.Increment(ref _seq) % 3000);
        var seq = Interlocked.Increment(ref _seq) % 500 * 2 + (male ? 1 : 0);
        var body = $"530427{b:yyyyMMdd}{seq:000}";
        return body + IdNumber.CheckChar(body);
    }
}
