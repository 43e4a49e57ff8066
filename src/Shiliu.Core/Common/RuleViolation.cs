namespace Shiliu.Core.Common;

/// <summary>What kind of refusal an error is; the API answers with the matching HTTP status.</summary>
public enum ErrorKind
{
    Invalid = 400,
    Denied = 403,
    NotFound = 404,
    Conflict = 409,
    TooLarge = 413,
    TooMany = 429,
}

/// <summary>
/// A declared error code (e.g. "resident.denied") and its kind. Each module declares its codes in its own
/// <c>…Errors</c> class; the one problem mapper turns the kind into a status, so no central list knows module codes.
/// </summary>
public sealed class ErrorCode
{
    ErrorCode(string code, ErrorKind kind) => (Code, Kind) = (code, kind);

    public string Code { get; }
    public ErrorKind Kind { get; }

    public static ErrorCode Invalid(string code) => new(code, ErrorKind.Invalid);
    public static ErrorCode Denied(string code) => new(code, ErrorKind.Denied);
    public static ErrorCode NotFound(string code) => new(code, ErrorKind.NotFound);
    public static ErrorCode Conflict(string code) => new(code, ErrorKind.Conflict);
    public static ErrorCode TooLarge(string code) => new(code, ErrorKind.TooLarge);
    public static ErrorCode TooMany(string code) => new(code, ErrorKind.TooMany);

    public static implicit operator string(ErrorCode c) => c.Code;

    public override string ToString() => Code;
}

/// <summary>Codes every module uses.</summary>
public static class CommonErrors
{
    public static readonly ErrorCode Validation = ErrorCode.Invalid("validation");
    public static readonly ErrorCode NotFound = ErrorCode.NotFound("common.not_found");
    public static readonly ErrorCode Concurrency = ErrorCode.Conflict("common.concurrency");
    public static readonly ErrorCode ScopeDenied = ErrorCode.Denied("scope.denied");
    public static readonly ErrorCode RateLimited = ErrorCode.TooMany("common.rate_limited");
    /// <summary>An uploaded spreadsheet cannot be read (not xlsx, damaged, too large, a formula-only file).</summary>
    public static readonly ErrorCode Spreadsheet = ErrorCode.Invalid("xlsx.unreadable");
    /// <summary>The request could not be read (bad JSON, a value of the wrong type, a missing parameter).</summary>
    public static readonly ErrorCode BadRequest = ErrorCode.Invalid("request.unreadable");
}

/// <summary>A business rule refused the request; <see cref="Exception.Message"/> is shown to the user (Chinese).</summary>
public class RuleViolation(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Error { get; } = code;
    public string Code => Error.Code;
    public ErrorKind Kind => Error.Kind;

    /// <summary>Fields at fault, by the request's property name, each with its Chinese message (forms mark them; the API lists them).</summary>
    public IReadOnlyDictionary<string, string[]> Fields { get; init; } = new Dictionary<string, string[]>();

    /// <summary>Extra facts for API clients (e.g. the id of the open import a duplicate upload belongs to).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();

    /// <summary>The permission the caller lacks, when that is the refusal (named in the access-denied audit row).</summary>
    public string? Permission { get; init; }

    /// <summary>The same refusal, naming the field it is about.</summary>
    public static RuleViolation ForField(ErrorCode code, string field, string message) =>
        new(code, message) { Fields = new Dictionary<string, string[]> { [field] = [message] } };
}

/// <summary>The record does not exist or lies outside the caller's scope (the two are indistinguishable on purpose).</summary>
public sealed class NotFoundInScope(string what)
    : RuleViolation(CommonErrors.NotFound, $"{what}不存在或不在您的管辖范围内");

/// <summary>Someone else saved the record first; carries who and when so the UI can say so.</summary>
public sealed class ConcurrencyConflict(string? byUser, DateTime? atUtc)
    : RuleViolation(CommonErrors.Concurrency,
        $"该记录已被{byUser ?? "其他用户"}于{(atUtc is { } t ? ChinaTime.Format(t) : "刚才")}修改，您的修改尚未保存。请核对最新内容后重新提交。")
{
    public string? ByUser { get; } = byUser;
    public DateTime? AtUtc { get; } = atUtc;
}
