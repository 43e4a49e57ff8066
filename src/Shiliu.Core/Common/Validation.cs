using System.ComponentModel.DataAnnotations;
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

    /// <summary>Trims, and refuses control characters (they break logs, exports and displays).</summary>
    public static string CleanText(string value, string field)
    {
        var v = value.Trim();
        if (v.Length == 0) throw new RuleViolation(CommonErrors.Validation, $"{field}不能为空");
        if (v.Any(char.IsControl)) throw new RuleViolation(CommonErrors.Validation, $"{field}含有不可见的控制字符，请删除后重新输入");
        return v;
    }

    /// <summary>The name a property has in the API's JSON (camelCase), so a client can find the field an error names.</summary>
    public static string JsonName(string property) => property.Length == 0 ? "" : JsonNamingPolicy.CamelCase.ConvertName(property);
}
