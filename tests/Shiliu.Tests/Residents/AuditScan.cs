using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Residents;

/// <summary>
/// The audit log must not give back what the masks hide (issue 11, item 1): no whole ID number that passes the checksum,
/// and no resident's birth date in any of the ways dates are written. Called at the end of the resident, import, visit
/// and transfer tests, so it scans every audit row they wrote.
/// </summary>
public static partial class AuditScan
{
    public static async Task AssertNoWholeIdOrBirthDateAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        var births = await db.Residents.IgnoreQueryFilters().Select(r => r.BirthDate).Distinct().ToListAsync();
        var needles = births.SelectMany(b => new[]
        {
            b.ToString("yyyy-MM-dd"), b.ToString("yyyyMMdd"), b.ToString("yyyy/MM/dd"), b.ToString("yyyy.MM.dd"),
            $"{b.Year}-{b.Month}-{b.Day}", $"{b.Year}/{b.Month}/{b.Day}", $"{b.Year}.{b.Month}.{b.Day}", $"{b.Year}年{b.Month}月{b.Day}日",
        }).ToHashSet();
        var leaks = new List<string>();
        var rows = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        foreach (var a in rows)
            foreach (var text in new[] { a.Summary, a.Before, a.After })
            {
                if (string.IsNullOrEmpty(text)) continue;
                foreach (Match m in WholeId().Matches(text))
                    if (IdNumber.TryParse(m.Value, out _, out _)) leaks.Add($"audit #{a.Id} {a.Event} {a.EntityType}: whole ID number {m.Value}");
                foreach (var n in needles.Where(n => Standalone(text, n))) leaks.Add($"audit #{a.Id} {a.Event} {a.EntityType}: birth date {n}");
            }
        Assert.True(rows.Count > 0, "no audit rows to scan");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    // A date written inside a longer run of letters and digits (a content hash, a storage key, a stamp) is not a date:
    // CI once found "19820819" inside a deliverable's file hash. Only a date standing apart counts as a leak.
    private static bool Standalone(string text, string needle)
    {
        for (var at = text.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = text.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            var end = at + needle.Length;
            if ((at == 0 || !char.IsAsciiLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsAsciiLetterOrDigit(text[end])))
                return true;
        }
        return false;
    }

    [GeneratedRegex("(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex WholeId();
}
