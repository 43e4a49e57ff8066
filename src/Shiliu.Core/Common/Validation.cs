using System.ComponentModel.DataAnnotations;

namespace Shiliu.Core.Common;

/// <summary>The same DataAnnotations the forms use, enforced again in the service for API and CLI callers.</summary>
public static class Validation
{
    public static void Check(object request)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(request, new ValidationContext(request), results, validateAllProperties: true))
            throw new RuleViolation("validation", string.Join("；", results.Select(r => r.ErrorMessage)));
    }

    /// <summary>Trims, and refuses control characters (they break logs, exports and displays).</summary>
    public static string CleanText(string value, string field)
    {
        var v = value.Trim();
        if (v.Length == 0) throw new RuleViolation("validation", $"{field}不能为空");
        if (v.Any(char.IsControl)) throw new RuleViolation("validation", $"{field}含有不可见的控制字符，请删除后重新输入");
        return v;
    }
}
