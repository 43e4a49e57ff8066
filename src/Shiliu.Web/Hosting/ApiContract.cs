using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Shiliu.Core.Tokens;

namespace Shiliu.Web.Hosting;

/// <summary>A module's tag in the API document and what it covers (Chinese), declared beside the module's endpoints.</summary>
public sealed record ApiTag(string Name, string Description);

/// <summary>
/// An endpoint kept for v1 clients but on its way out: it answers with <c>Deprecation</c> (RFC 9745), <c>Sunset</c>
/// (RFC 8594) and a <c>Link</c> to its successor, and is marked deprecated in the document.
/// </summary>
public sealed record ApiDeprecation(DateOnly Since, DateOnly? Sunset, string? Successor);

/// <summary>
/// The API's contract, written once for every module: tags with descriptions, the two ways to authenticate, the
/// answers each operation can give (derived from its metadata, not claimed everywhere), one problem shape, and
/// deprecations. Modules only declare facts (<see cref="WithTag{TBuilder}"/>, <see cref="Deprecate{TBuilder}"/>,
/// <c>ProducesProblem(409)</c> for a refusal the metadata cannot show).
/// </summary>
public static class ApiContract
{
    public const string TokenScheme = "accessToken";
    public const string CookieScheme = "cookie";
    public const string CsrfScheme = "csrfHeader";
    public const string ProblemSchema = "Problem";
    const string ProblemJson = "application/problem+json";

    /// <summary>Tags the endpoints and states the tag's description for the document.</summary>
    public static TBuilder WithTag<TBuilder>(this TBuilder builder, ApiTag tag) where TBuilder : IEndpointConventionBuilder =>
        builder.WithTags(tag.Name).WithMetadata(tag);

    /// <summary>200 with a file body (binary, in the given media types), so a generated client reads it as a stream.</summary>
    public static TBuilder ProducesFile<TBuilder>(this TBuilder builder, string contentType, params string[] more) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Microsoft.AspNetCore.Http.ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), [contentType, .. more]));

    /// <summary>Announces that the endpoint goes away in v2 (or on <paramref name="sunset"/>); <paramref name="successor"/> is its replacement's path.</summary>
    public static TBuilder Deprecate<TBuilder>(this TBuilder builder, DateOnly since, DateOnly? sunset = null, string? successor = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiDeprecation(since, sunset, successor));

    /// <summary>Adds the deprecation headers to every answer of a deprecated endpoint (after routing, before the endpoint runs).</summary>
    public static void UseDeprecationHeaders(this IApplicationBuilder app) => app.Use((ctx, next) =>
    {
        if (ctx.GetEndpoint()?.Metadata.GetMetadata<ApiDeprecation>() is { } d)
        {
            var h = ctx.Response.Headers;
            h["Deprecation"] = "@" + new DateTimeOffset(d.Since.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            if (d.Sunset is { } sunset) h["Sunset"] = sunset.ToDateTime(TimeOnly.MinValue).ToString("R", CultureInfo.InvariantCulture);
            if (d.Successor is { } successor) h.Append("Link", $"<{successor}>; rel=\"successor-version\"");
        }
        return next(ctx);
    });

    /// <summary>The v1 document with the contract's transformers.</summary>
    public static IServiceCollection AddShiliuOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", o => o.AddShiliuContract());

    static void AddShiliuContract(this OpenApiOptions o)
    {
        o.AddSchemaTransformer((schema, _, _) =>
        {
            // The server also reads numbers sent as strings ("12"); the contract asks for numbers, which is what it answers
            // with, so a generated client gets int/long properties instead of an integer-or-string union.
            if (schema.Type is { } t && t.HasFlag(JsonSchemaType.String) && (t.HasFlag(JsonSchemaType.Integer) || t.HasFlag(JsonSchemaType.Number)))
            {
                schema.Type = t & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((op, ctx, _) =>
        {
            CamelCaseParameters(op);
            Describe(op, ctx);
            return Task.CompletedTask;
        });
        o.AddDocumentTransformer((doc, ctx, _) =>
        {
            doc.Info.Title = "石榴 · 民族团结进步创建管理平台 API";
            doc.Info.Description = """
                所有接口均按调用者所在单位的管辖范围过滤；个人信息默认脱敏。

                **认证**：系统对接使用个人访问令牌（在“访问令牌”页面创建），放在请求头 `Authorization: Bearer shl_…` 中，令牌可限定只读和可访问的模块；
                浏览器使用登录后的会话 Cookie，以 Cookie 调用写接口时还须在请求头 `X-CSRF-TOKEN` 中带上防伪令牌（`GET /api/v1/antiforgery` 取得）。

                **错误**：所有拒绝都是 RFC 9457 问题文档（`application/problem+json`），`code` 为稳定的错误代码，`errors` 按字段列出原因，`traceId` 供排查。

                **版本**：v1 内只做向后兼容的增加；不兼容的变更发布为 v2。将停用的接口在文档中标为 deprecated，并在响应头 `Deprecation`、`Sunset` 中预告。
                """;
            doc.Info.Version = "v1";
            // The address the document was read at, without a trailing slash; the build's copy names no host, so "/"
            // (relative to the document's own address) stands for wherever the platform is installed.
            var servers = (doc.Servers ?? []).Where(s => !string.IsNullOrEmpty(s.Url?.TrimEnd('/'))).ToList();
            foreach (var s in servers) s.Url = s.Url!.TrimEnd('/');
            doc.Servers = servers.Count > 0 ? servers : [new OpenApiServer { Url = "/", Description = "本平台的地址（与本文档同一地址）" }];
            AddComponents(doc);
            DescribeTags(doc, ctx);
            return Task.CompletedTask;
        });
    }

    /// <summary>Query filters bound from a query record ([AsParameters]) are named like the JSON bodies: camelCase.</summary>
    static void CamelCaseParameters(OpenApiOperation op)
    {
        foreach (var p in op.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (p.Name is { Length: > 0 } name && char.IsUpper(name[0])) p.Name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
    }

    /// <summary>Security, the refusals this operation can answer with, and its deprecation, from the endpoint's metadata.</summary>
    static void Describe(OpenApiOperation op, OpenApiOperationTransformerContext ctx)
    {
        var description = ctx.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "GET";
        var writes = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var inputs = description.ParameterDescriptions.Where(p => p.Source != BindingSource.Services && p.Source != BindingSource.Special).ToList();
        var declared = metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
        var multipart = op.RequestBody?.Content?.Keys.Any(k => k.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)) == true;

        var path = "/" + (description.RelativePath ?? "").TrimEnd('/');
        if (anonymous) op.Security = [];
        else
        {
            var requirements = new List<OpenApiSecurityRequirement>();
            // The token's own rule says which paths a token can ever reach (never the token endpoints themselves).
            if (TokenScopes.Check(ExamplePath(path), method, canWrite: true, TokenScopes.All) is null)
                requirements.Add(new() { [new OpenApiSecuritySchemeReference(TokenScheme, ctx.Document)] = [] });
            var cookie = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, ctx.Document)] = [] };
            if (writes) cookie[new OpenApiSecuritySchemeReference(CsrfScheme, ctx.Document)] = [];
            requirements.Add(cookie);
            op.Security = requirements;
        }

        var permissions = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct()
            .Select(p => Core.ShiliuModules.Catalog.Permissions.FirstOrDefault(d => d.Code == p) is { } d ? $"{d.Code}（{d.Name}）" : p).ToList();
        var problems = new SortedDictionary<int, string>();
        if (inputs.Count > 0 || op.RequestBody is not null || writes || declared.Contains(400))
            problems[400] = "请求有误：参数或请求体无法读取，或未通过校验（errors 按字段列出原因）" + (writes && !anonymous ? "；以 Cookie 调用时缺少防伪令牌（code = csrf）" : "");
        if (!anonymous)
        {
            problems[401] = "未登录，或访问令牌无效、已过期、已吊销";
            problems[403] = "没有权限" + (permissions.Count > 0 ? $"（需要 {string.Join("、", permissions)}）" : "")
                            + "；或对象不在调用者的管辖范围内、访问令牌的范围不包括此接口（code = token.scope）、账户须先完成安全设置（code = account.gate）";
        }
        if (op.Parameters?.Any(p => p.In == ParameterLocation.Path) == true || declared.Contains(404))
            problems[404] = "未找到：对象不存在，或不在调用者的管辖范围内";
        // A version in the request is an optimistic-concurrency check: someone else may have saved first.
        if (inputs.Any(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase)
                            || p.Source == BindingSource.Body && p.Type.GetProperty("Version") is not null) || declared.Contains(409))
            problems[409] = "数据冲突：他人已先保存（version 已过期，重新读取后再提交），或与已有数据重复";
        if (multipart || declared.Contains(413)) problems[413] = "上传内容过大";
        if (metadata.OfType<EnableRateLimitingAttribute>().Any() || declared.Contains(429))
            problems[429] = "请求过于频繁或超过次数限制：detail 说明限制，稍后再试（带 Retry-After 响应头时按其秒数等待）";

        op.Responses ??= [];
        // Creates and work started say where the new item (or the job) is.
        foreach (var created in new[] { "201", "202" })
            if (op.Responses.TryGetValue(created, out var answer) && answer is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Location"] = new OpenApiHeader
                {
                    Description = created == "201" ? "新建对象的地址" : "后台任务的地址：轮询它查看进度和结果",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
                };
            }
        foreach (var key in op.Responses.Keys.Where(k => k.Length == 3 && k[0] == '4').ToList()) op.Responses.Remove(key);
        foreach (var (status, text) in problems)
            op.Responses[status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = text,
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, ctx.Document) } },
            };

        if (metadata.OfType<ApiDeprecation>().LastOrDefault() is { } d)
        {
            op.Deprecated = true;
            op.Description = $"{op.Description}\n\n已弃用（自 {d.Since:yyyy-MM-dd} 起）" + (d.Sunset is { } s ? $"，{s:yyyy-MM-dd} 停用" : "，v2 中移除")
                             + (d.Successor is { } next ? $"；请改用 `{next}`" : "") + "。";
        }
    }

    /// <summary>A path template with its parameters filled in, for rules that look at real paths.</summary>
    static string ExamplePath(string template) => System.Text.RegularExpressions.Regex.Replace(template, "{[^}]+}", "x");

    static void AddComponents(OpenApiDocument doc)
    {
        doc.Components ??= new OpenApiComponents();
        doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        doc.Components.SecuritySchemes[TokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "shl_…",
            Description = "个人访问令牌（系统对接用）：登录后在“访问令牌”页面创建，可设只读和可访问的模块，最长 90 天；请求头 Authorization: Bearer shl_…",
        };
        doc.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "__Host-shiliu",
            Description = "浏览器登录后的会话 Cookie（生产环境名为 __Host-shiliu，开发环境为 shiliu.auth）；空闲和绝对时长到期后须重新登录",
        };
        doc.Components.SecuritySchemes[CsrfScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiAntiforgery.Header,
            Description = "防伪令牌：以 Cookie 调用写接口（POST、PUT、DELETE）时必带，GET /api/v1/antiforgery 取得；使用访问令牌时不需要",
        };

        doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        // Whatever the framework generated for its own problem types is replaced by the shape the API really writes (Problems.cs).
        doc.Components.Schemas.Remove("ProblemDetails");
        doc.Components.Schemas.Remove("HttpValidationProblemDetails");
        static OpenApiSchema Text(string description, bool nullable = false) =>
            new() { Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String, Description = description };
        doc.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "拒绝请求时的问题文档（RFC 9457）",
            Required = new HashSet<string> { "title", "status" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("问题类型的说明地址", nullable: true),
                ["title"] = Text("简短标题，如“请求有误”"),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "HTTP 状态码" },
                ["detail"] = Text("给人看的原因（中文）", nullable: true),
                ["instance"] = Text("出错的请求地址", nullable: true),
                ["code"] = Text("稳定的错误代码，如 resident.invalid、common.concurrency、token.scope，供程序判断", nullable: true),
                ["traceId"] = Text("请求编号，联系管理员排查时提供", nullable: true),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "出错的字段（按请求中的字段名，JSON 为 camelCase）及各自的原因",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }

    /// <summary>Each tag's description from the modules' <see cref="ApiTag"/> declarations; two different ones for a name is a bug.</summary>
    static void DescribeTags(OpenApiDocument doc, OpenApiDocumentTransformerContext ctx)
    {
        var declared = new Dictionary<string, string>();
        foreach (var tag in ctx.DescriptionGroups.SelectMany(g => g.Items).SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<ApiTag>()))
        {
            if (declared.TryGetValue(tag.Name, out var other) && other != tag.Description)
                throw new InvalidOperationException($"API tag '{tag.Name}' is declared with two descriptions");
            declared[tag.Name] = tag.Description;
        }
        foreach (var tag in doc.Tags ?? new HashSet<OpenApiTag>())
            if (tag.Name is { } name && declared.TryGetValue(name, out var text)) tag.Description = text;
    }
}
