using Ganss.Xss;

namespace Shiliu.Core.Common;

/// <summary>
/// Rich text from users is stored only after sanitising: formatting tags survive, scripts, event handlers, styles
/// that can load things, and foreign links do not (SECURITY.md #24).
/// </summary>
public static class RichText
{
    static readonly HtmlSanitizer Sanitizer = Create();

    static HtmlSanitizer Create()
    {
        var s = new HtmlSanitizer();
        s.AllowedTags.Clear();
        foreach (var t in new[] { "p", "br", "b", "strong", "i", "em", "u", "ol", "ul", "li", "h3", "h4", "blockquote", "table", "thead", "tbody", "tr", "th", "td" })
            s.AllowedTags.Add(t);
        s.AllowedAttributes.Clear();
        s.AllowedAttributes.Add("colspan");
        s.AllowedAttributes.Add("rowspan");
        s.AllowedCssProperties.Clear();
        s.AllowedSchemes.Clear();
        return s;
    }

    public static string Sanitize(string html) => Sanitizer.Sanitize(Visible(html)).Trim();

    /// <summary>Plain text typed in a text box becomes paragraphs, every character encoded.</summary>
    public static string FromPlainText(string text) =>
        string.Concat(Visible(text).Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => $"<p>{System.Net.WebUtility.HtmlEncode(line)}</p>"));

    /// <summary>Drops control characters other than line breaks and tabs, and bidi overrides (pasted text brings them along).</summary>
    static string Visible(string? text) =>
        string.Concat((text ?? "").Where(c => !(char.IsControl(c) && c is not ('\n' or '\r' or '\t')) && !Validation.IsBidiControl(c)));

    /// <summary>Stored rich text ready to render: sanitised again (defence in depth); older plain text becomes paragraphs.</summary>
    public static string ForDisplay(string stored) =>
        (stored ?? "").TrimStart().StartsWith('<') ? Sanitize(stored!) : FromPlainText(stored ?? "");

    /// <summary>Rich text back to paragraphs of plain text, one per line, for a plain editing box.</summary>
    public static string ToParagraphs(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(html ?? "", @"</(p|li|h3|h4|tr|blockquote)>|<br\s*/?>", "\n"), "<[^>]+>", "")).Trim();

    /// <summary>The text without markup, e.g. to check that a body is not empty.</summary>
    public static string ToPlainText(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html ?? "", "<[^>]+>", " ")).Trim();
}
