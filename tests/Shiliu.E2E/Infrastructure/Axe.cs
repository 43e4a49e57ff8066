using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Shiliu.E2E.Infrastructure;

/// <summary>
/// axe-core (the engine the bureau's acceptance testers use) over the page as it is now, at WCAG 2.1 A and AA.
/// A critical or serious violation fails; moderate and minor ones are returned for the log.
/// </summary>
public static class Axe
{
    static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>
    /// Rules switched off, each with its reason. Keep this empty unless a rule is wrong about something a person can
    /// verify is fine; a real problem is fixed in the page, not listed here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RulesOff = new Dictionary<string, string>();

    /// <summary>Parts of the page left out of every scan, each with its reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> Excluded = new Dictionary<string, string>
    {
        // A toast fades in and out over a few seconds; axe measures its text mid-fade (e.g. #939393 on white) and
        // reports a contrast the resting toast (rgba(0,0,0,.85) on white, 13:1) does not have. Its text is also
        // announced (role="alert"), so nothing depends on reading the fading picture.
        [".ant-message"] = "transient toast measured mid-fade",
    };

    static readonly string[] Failing = ["critical", "serious"];

    /// <summary>
    /// A script expression true once the page has a title and, if it is an interactive page, its circuit has rendered it.
    /// A prerendered title is not enough: when the circuit starts, the head outlet renders before the page does and
    /// clears the title in between (a fresh clone's first start, still compiling, once held that gap through a scan).
    /// The shell's prerendered page body is a disabled fieldset until the live render enables it.
    /// </summary>
    public const string TitledAndLive = "document.title.trim() !== '' && document.querySelector('fieldset.page-body[disabled]') === null";

    /// <summary>Scans the page; returns the violations that fail (critical/serious) and the rest, in that order.</summary>
    public static async Task<(IReadOnlyList<AxeResultItem> Failing, IReadOnlyList<AxeResultItem> Other)> ScanAsync(IPage page)
    {
        var options = new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
            Rules = RulesOff.ToDictionary(r => r.Key, _ => new RuleOptions { Enabled = false }),
        };
        // A page's <title> comes with its content; Blazor's HeadOutlet clears and re-renders it as the circuit starts,
        // which on a loaded 2-core machine was seen to take over 5 s: wait as long as any other step may.
        try
        {
            await page.WaitForFunctionAsync($"() => {TitledAndLive}", null, new() { Timeout = BrowserSession.TimeoutMs });
        }
        catch (TimeoutException)
        {
            // A page without a title: axe's document-title rule says so below.
        }
        var result = await page.RunAxe(new AxeRunContext { Exclude = Excluded.Keys.Select(s => new AxeSelector(s)).ToList() }, options);
        var failing = result.Violations.Where(v => Failing.Contains(v.Impact)).ToList();
        var other = result.Violations.Where(v => !Failing.Contains(v.Impact)).ToList();
        return (failing, other);
    }

    /// <summary>Fails with the rule, its impact, the element count and the first few targets of each failing violation.</summary>
    /// <remarks><paramref name="report"/>, when given, gets one tab-separated line per scan (where, address, failing and other
    /// violation counts, the other rules' ids), so a run's figures per page can be read back without reading its log.</remarks>
    public static async Task AssertCleanAsync(IPage page, string where, string? report = null)
    {
        var (failing, other) = await ScanAsync(page);
        if (report is not null)
            await File.AppendAllTextAsync(report, $"{where}\t{page.Url}\t{failing.Count}\t{other.Count}\t{string.Join(",", other.Select(v => v.Id))}\n");
        Assert.True(failing.Count == 0, $"axe: {failing.Count} critical/serious rule(s) broken on {where} ({page.Url}):\n{Describe(failing)}");
    }

    /// <summary>Rule, impact, element count and the first targets; <paramref name="detailed"/> adds each element's markup and axe's reason.</summary>
    public static string Describe(IEnumerable<AxeResultItem> violations, bool detailed = false) => string.Join("\n", violations.Select(v =>
        $"  {v.Id} [{v.Impact}] × {v.Nodes.Length}: {v.Help}\n" +
        string.Join("\n", v.Nodes.Take(detailed ? 60 : 4).Select(n => detailed
            ? $"    {n.Target}\n      {n.Html}\n      {string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))}"
            : $"    {n.Target}: {n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message).FirstOrDefault()}"))));
}
