using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Shiliu.Core.Common;

/// <summary>The same DataAnnotations the forms use, enforced again in the service for API and CLI callers.</summary>
public static class Validation
{
    /// <summary>Refuses the request with every message, each under the field (JSON name) it is about.</summary>
    public static void Check(object request)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(request, new ValidationContext(request), results, validateAllProperties: true)) return;
        var fields = results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Field: JsonName(m), Message: r.ErrorMessage ?? "")))
            .GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.Message).Distinct().ToArray());
        throw new RuleViolation(CommonErrors.Validation, string.Join("；", results.Select(r => r.ErrorMessage).Distinct())) { Fields = fields };
    }

    /// <summary>
    /// Trims, and refuses control and bidi-override characters (they break logs, exports and displays, or reorder what a
    /// reader sees). The refusal names the field after the argument the caller passed (req.Name → name).
    /// </summary>
    public static string CleanText(string value, string field, [CallerArgumentExpression(nameof(value))] string? source = null)
    {
        var v = value.Trim();
        if (v.Length == 0) throw Refuse(source, $"{field}不能为空");
        if (v.Any(c => char.IsControl(c) || IsBidiControl(c))) throw Refuse(source, $"{field}含有不可见的控制字符，请删除后重新输入");
        return v;
    }

    /// <summary>
    /// A search or filter value: trimmed, null when empty. Longer than any stored value, or with control characters no
    /// stored value has, it is refused naming the field: such a value can only cost (SQLite refuses LIKE patterns past
    /// 50,000 characters, PostgreSQL any NUL).
    /// </summary>
    public static string? Filter(string? value, string label, int max = 100, [CallerArgumentExpression(nameof(value))] string? source = null)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        if (v.Length > max) throw Refuse(source, $"{label}不能超过{max}字");
        if (v.Any(c => char.IsControl(c) || IsBidiControl(c))) throw Refuse(source, $"{label}含有不可见的控制字符，请删除后重新输入");
        return v;
    }

    /// <summary>Embedding, override and isolate marks (U+202A–U+202E, U+2066–U+2069): no form needs them, spoofing does.</summary>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>A refusal filed under the JSON field an argument expression names ("req.Name", "title ?? \"\"" → name, title).</summary>
    public static RuleViolation Refuse(string? source, string message, ErrorCode? code = null)
    {
        var e = (source ?? "").Split("??")[0].Trim();
        var name = e[(e.LastIndexOf('.') + 1)..];
        return name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c == '_')
            ? RuleViolation.ForField(code ?? CommonErrors.Validation, JsonName(name), message)
            : new RuleViolation(code ?? CommonErrors.Validation, message);
    }

    /// <summary>The name a property has in the API's JSON (camelCase), so a client can find the field an error names.</summary>
    public static string JsonName(string property) => property.Length == 0 ? "" : JsonNamingPolicy.CamelCase.ConvertName(property);
}
