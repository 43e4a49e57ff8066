namespace Shiliu.Core.Common;

/// <summary>A business rule refused the request; <see cref="Exception.Message"/> is shown to the user (Chinese).</summary>
public class RuleViolation(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The record does not exist or lies outside the caller's scope (the two are indistinguishable on purpose).</summary>
public sealed class NotFoundInScope(string what)
    : RuleViolation("common.not_found", $"{what}不存在或不在您的管辖范围内");

/// <summary>Someone else saved the record first; carries who and when so the UI can say so.</summary>
public sealed class ConcurrencyConflict(string? byUser, DateTime? atUtc)
    : RuleViolation("common.concurrency",
        $"该记录已被{byUser ?? "其他用户"}于{(atUtc is { } t ? ChinaTime.Format(t) : "刚才")}修改，您的修改尚未保存。请核对最新内容后重新提交。")
{
    public string? ByUser { get; } = byUser;
    public DateTime? AtUtc { get; } = atUtc;
}
