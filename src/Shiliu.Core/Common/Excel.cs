namespace Shiliu.Core.Common;

/// <summary>Export hygiene for spreadsheets (SECURITY.md #32).</summary>
public static class Excel
{
    /// <summary>Text that a spreadsheet would run as a formula gets a leading apostrophe, so it stays text.</summary>
    public static string Safe(string? value) =>
        value is { Length: > 0 } v && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0' ? "'" + v : value ?? "";
}
