using System.Text.Json;
using System.Text.RegularExpressions;
using Shiliu.Core.Common;

namespace Shiliu.Web.Hosting;

/// <summary>
/// A request the API cannot read (bad JSON, a value of the wrong type, a missing parameter, no body, the wrong content
/// type) answers 400 naming the field and what it expects, in Chinese — in the same problem shape as a rule violation,
/// so an integrator reads one kind of error.
/// </summary>
public sealed partial class UnreadableRequests(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
        }
        catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
        {
            var (field, message) = Explain(e);
            if (!WebSetup.IsApi(ctx.Request))
            {
                // A page's form that could not be read (e.g. without its antiforgery field): a plain answer, no stack.
                ctx.Response.Clear();
                ctx.Response.StatusCode = e.StatusCode;
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync($"请求未能处理：{message}");
                return;
            }
            var violation = field is null ? new RuleViolation(CommonErrors.BadRequest, message) : RuleViolation.ForField(CommonErrors.BadRequest, field, message);
            ctx.Response.Clear();
            await Problems.From(violation).ExecuteAsync(ctx);
        }
    }

    /// <summary>The field at fault (its JSON or query name) and a Chinese sentence saying what it should be.</summary>
    public static (string? Field, string Message) Explain(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            var target = ConvertedTo().Match(json.Message) is { Success: true } m ? TypeByName(m.Groups[1].Value) : null;
            if (field is not null && target is not null) return (field, $"字段 {field} 的值无效，{Expected(target)}");
            return (null, field is null ? "请求体不是有效的 JSON，请检查引号、逗号和括号" : $"请求体不是有效的 JSON（在字段 {field} 处），请检查引号、逗号和括号");
        }
        if (RequiredParameter().Match(e.Message) is { Success: true } req)
        {
            var (type, name, source) = (req.Groups[1].Value, Shiliu.Core.Common.Validation.JsonName(req.Groups[2].Value), req.Groups[3].Value);
            return source.Contains("body", StringComparison.Ordinal)
                ? (null, "缺少请求体：请以 JSON 提交（Content-Type: application/json）")
                : (name, $"缺少参数 {name}（{Expected(TypeByName(type))}）");
        }
        if (FailedToBind().Match(e.Message) is { Success: true } bind)
        {
            var (type, name, value) = (bind.Groups[1].Value, Shiliu.Core.Common.Validation.JsonName(bind.Groups[2].Value), bind.Groups[3].Value);
            return (name, $"参数 {name} 的值“{(value.Length > 40 ? value[..40] + "…" : value)}”无效，{Expected(TypeByName(type))}");
        }
        if (e.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("body was empty", StringComparison.OrdinalIgnoreCase))
            return (null, "缺少请求体：请以 JSON 提交（Content-Type: application/json）");
        if (e.StatusCode == StatusCodes.Status415UnsupportedMediaType || e.Message.Contains("media type", StringComparison.OrdinalIgnoreCase))
            return (null, "请以 JSON 提交（Content-Type: application/json）；上传文件请用 multipart/form-data");
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge) return (null, "请求内容过大");
        return (null, $"请求的格式无法识别，请对照接口文档检查参数和请求体（{e.Message}）");
    }

    /// <summary>What a value of this type looks like, in words a clerk-turned-integrator can act on.</summary>
    static string Expected(Type? t)
    {
        var type = Nullable.GetUnderlyingType(t ?? typeof(string)) ?? t ?? typeof(string);
        if (type.IsEnum)
        {
            var names = string.Join("、", Enum.GetNames(type));
            return type.IsDefined(typeof(FlagsAttribute), false) ? $"应为以下一项或用逗号分隔的多项：{names}" : $"应为以下之一：{names}";
        }
        return type switch
        {
            _ when type == typeof(Guid) => "应为 GUID（如 0195a6f2-7c3e-7a10-9f1b-2c4d5e6f7a8b）",
            _ when type == typeof(int) || type == typeof(long) => "应为整数",
            _ when type == typeof(bool) => "应为 true 或 false",
            _ when type == typeof(DateOnly) => "应为日期（如 2026-03-01）",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "应为时间（如 2026-03-01T08:00:00Z）",
            _ when type == typeof(decimal) || type == typeof(double) => "应为数字",
            _ when type == typeof(string) => "应为文本",
            _ when type.IsArray || type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) => "应为数组（[…]）",
            _ => "应为一个对象（{…}）",
        };
    }

    /// <summary>A type as the framework names it in messages ("Guid", "System.Int32", "Nullable`1[…]", "Shiliu.Core.Residents.ResidentNeeds").</summary>
    static Type? TypeByName(string name)
    {
        name = name.Trim();
        if (name.EndsWith('?')) name = name[..^1];
        if (name.StartsWith("Nullable<", StringComparison.Ordinal)) name = name[9..^1];
        if (NullableOf().Match(name) is { Success: true } n) name = n.Groups[1].Value;
        var simple = name switch
        {
            "Guid" => typeof(Guid), "int" or "Int32" => typeof(int), "long" or "Int64" => typeof(long), "bool" or "Boolean" => typeof(bool),
            "DateOnly" => typeof(DateOnly), "DateTime" => typeof(DateTime), "string" or "String" => typeof(string), "decimal" => typeof(decimal),
            "double" => typeof(double), _ => null,
        };
        return simple ?? Type.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null)
            ?? AppDomain.CurrentDomain.GetAssemblies().Where(a => a.FullName?.StartsWith("Shiliu", StringComparison.Ordinal) == true)
                .SelectMany(a => a.GetTypes()).FirstOrDefault(t => t.Name == name);
    }

    [GeneratedRegex(@"converted to ([\w.`\[\], =]+?)\. Path", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"^Required parameter ""(.+?) (\w+)"" was not provided from ([\w ]+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredParameter();

    [GeneratedRegex(@"^Failed to bind parameter ""(.+?) (\w+)"" from ""(.*)""\.", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?([\w.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex NullableOf();
}
