using Microsoft.AspNetCore.Mvc;
using Shiliu.Core.Common;

namespace Shiliu.Web.Hosting;

/// <summary>Problem-details responses in Chinese: one place maps rule violations to HTTP statuses.</summary>
public static class Problems
{
    public static Task Write(HttpContext ctx, int status, string title, string detail, string? code = null)
    {
        ctx.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["traceId"] = ctx.TraceIdentifier;
        if (code is not null) problem.Extensions["code"] = code;
        return ctx.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    /// <summary>A refused request as a problem response: status from the error's kind, its code, the fields at fault.</summary>
    public static IResult From(RuleViolation v)
    {
        var status = (int)v.Kind;
        var extensions = new Dictionary<string, object?>(v.Extensions) { ["code"] = v.Code };
        if (v.Fields.Count > 0) extensions["errors"] = v.Fields;
        return TypedResults.Problem(v.Message, statusCode: status, title: v is ConcurrencyConflict ? "数据已被他人修改" : TitleFor(status), extensions: extensions);
    }

    public static string TitleFor(int status) => status switch
    {
        400 => "请求有误",
        401 => "未登录",
        403 => "没有权限",
        404 => "未找到",
        405 => "不支持该请求方法",
        409 => "数据冲突",
        413 => "上传内容过大",
        415 => "不支持的内容类型",
        429 => "请求过于频繁",
        _ when status >= 500 => "服务器内部错误",
        _ => "请求未完成",
    };
}

/// <summary>Turns a <see cref="RuleViolation"/> thrown by a service into a problem response.</summary>
public sealed class RuleViolationFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RuleViolation v)
        {
            if (v.Kind == ErrorKind.Denied) await AccessDeniedAudit.RecordAsync(context.HttpContext, v.Permission ?? v.Code);
            return Problems.From(v);
        }
    }
}
