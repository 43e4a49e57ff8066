using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Web.Hosting;

namespace Shiliu.Tests.Api;

/// <summary>
/// What an integrator's tools (Redocly, Kiota, NSwag) need from the committed document, checked for every operation so a
/// new module cannot leave it out: how to authenticate, every answer including the refusals in the one problem shape,
/// a stable operationId, a described tag, and paths that resolve one way.
/// </summary>
public sealed partial class ApiContractTests
{
    static readonly JsonNode Doc = JsonNode.Parse(File.ReadAllText(Path.Combine(OpenApiDocumentTests.FindRoot(), "docs", "openapi.json")))!;

    static IEnumerable<(string Method, string Path, JsonObject Op)> Operations() =>
        Doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (o.Key.ToUpperInvariant(), p.Key, o.Value!.AsObject())));

    [Fact]
    public void Every_operation_says_how_to_authenticate_a_token_or_the_browsers_cookie()
    {
        var schemes = Doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("http", schemes["accessToken"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["accessToken"]!["scheme"]!.GetValue<string>());
        Assert.Equal("cookie", schemes["cookie"]!["in"]!.GetValue<string>());
        Assert.Equal(ApiAntiforgery.Header, schemes["csrfHeader"]!["name"]!.GetValue<string>());
        foreach (var (method, path, op) in Operations())
        {
            // An anonymous operation says so with an empty list (and then answers no 401/403).
            var security = op["security"]?.AsArray();
            Assert.True(security is not null, $"{method} {path} declares no security");
            if (security.Count == 0)
            {
                Assert.DoesNotContain("401", op["responses"]!.AsObject().Select(r => r.Key));
                continue;
            }
            var alternatives = security!.Select(r => r!.AsObject().Select(s => s.Key).Order().ToArray()).ToList();
            Assert.All(alternatives.SelectMany(a => a), name => Assert.True(schemes.ContainsKey(name), $"{method} {path}: undeclared scheme {name}"));
            // The cookie alone never writes: a write with it needs the antiforgery header too.
            var cookie = Assert.Single(alternatives, a => a.Contains("cookie"));
            Assert.Equal(method is "GET" or "HEAD" ? ["cookie"] : ["cookie", "csrfHeader"], cookie);
            // A token reaches everything except the token endpoints themselves (TokenScopes).
            Assert.Equal(!path.StartsWith("/api/v1/tokens", StringComparison.Ordinal), alternatives.Any(a => a.SequenceEqual(["accessToken"])));
        }
    }

    [Fact]
    public void Every_operation_documents_its_answers_and_its_refusals_in_the_problem_shape()
    {
        var problem = Doc["components"]!["schemas"]!["Problem"]!["properties"]!.AsObject();
        foreach (var field in new[] { "title", "status", "detail", "code", "traceId", "errors" }) Assert.True(problem.ContainsKey(field), $"Problem lacks {field}");
        Assert.Equal("array", problem["errors"]!["additionalProperties"]!["type"]!.GetValue<string>());
        foreach (var (method, path, op) in Operations())
        {
            var responses = op["responses"]!.AsObject();
            var name = $"{method} {path}";
            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{name} documents no success answer");
            foreach (var created in responses.Where(r => r.Key is "201" or "202"))
                Assert.True(created.Value!["headers"]?["Location"] is not null, $"{name} {created.Key} names no Location");
            if (op["security"] is JsonArray { Count: > 0 }) Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403"), $"{name} lacks 401/403");
            if (method != "GET" || op["parameters"] is JsonArray { Count: > 0 }) Assert.True(responses.ContainsKey("400"), $"{name} takes input but documents no 400");
            if (path.Contains('{')) Assert.True(responses.ContainsKey("404"), $"{name} names an item but documents no 404");
            if (op["requestBody"]?["content"]?.AsObject().Any(c => c.Key.StartsWith("multipart/", StringComparison.Ordinal)) == true)
                Assert.True(responses.ContainsKey("413"), $"{name} takes an upload but documents no 413");
            foreach (var (status, answer) in responses.Where(r => r.Key.StartsWith('4')))
            {
                Assert.False(string.IsNullOrWhiteSpace(answer!["description"]?.GetValue<string>()), $"{name} {status} has no description");
                Assert.Equal("#/components/schemas/Problem", answer["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>());
            }
        }
        // Derived, not claimed everywhere: reads without an item answer no 404 and writes without a version no 409.
        Assert.DoesNotContain("404", Doc["paths"]!["/api/v1/me"]!["get"]!["responses"]!.AsObject().Select(r => r.Key));
        Assert.DoesNotContain("409", Doc["paths"]!["/api/v1/notifications/read-all"]!["post"]!["responses"]!.AsObject().Select(r => r.Key));
        Assert.Contains("409", Doc["paths"]!["/api/v1/work-reports/{id}"]!["put"]!["responses"]!.AsObject().Select(r => r.Key));
    }

    [Fact]
    public void Operation_ids_are_the_route_names_unique_and_stable()
    {
        var ids = Operations().Select(o => (Name: $"{o.Method} {o.Path}", Id: o.Op["operationId"]?.GetValue<string>())).ToList();
        Assert.All(ids, x => Assert.True(x.Id is not null && OperationId().IsMatch(x.Id), $"{x.Name}: operationId '{x.Id}' is not Module_Action"));
        Assert.Empty(ids.GroupBy(x => x.Id).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void Every_tag_is_described_in_Chinese()
    {
        var described = Doc["tags"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["description"]?.GetValue<string>());
        foreach (var (method, path, op) in Operations())
        {
            var tag = Assert.Single(op["tags"]!.AsArray())!.GetValue<string>();
            Assert.True(described.TryGetValue(tag, out var text) && text is not null && Chinese().IsMatch(text), $"{method} {path}: tag {tag} has no Chinese description");
        }
    }

    [Fact]
    public void Servers_are_named_without_a_trailing_slash()
    {
        var servers = Doc["servers"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(servers);
        Assert.All(servers, url => Assert.True(url == "/" || !url.EndsWith('/'), url));
    }

    /// <summary>
    /// Two templates of the same length whose literal segments agree could match one URL — unless a literal faces a
    /// uuid or integer parameter (a literal word is neither). Redocly's rule ignores types; accepted cases are in redocly.yaml.
    /// </summary>
    [Fact]
    public void Paths_resolve_one_way_once_parameter_formats_count()
    {
        var typed = new HashSet<string>();
        foreach (var (_, path, op) in Operations())
            foreach (var p in op["parameters"]?.AsArray() ?? [])
                if (p!["in"]!.GetValue<string>() == "path" && (p["schema"]?["format"]?.GetValue<string>() == "uuid" || p["schema"]?["type"]?.ToString() == "integer"))
                    typed.Add($"{path}#{p["name"]}");
        var paths = Doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        var clashes = new List<string>();
        foreach (var a in paths)
            foreach (var b in paths.Where(b => string.CompareOrdinal(a, b) < 0))
            {
                var (sa, sb) = (a.Split('/'), b.Split('/'));
                if (sa.Length != sb.Length) continue;
                var apart = false;
                for (var i = 0; i < sa.Length && !apart; i++)
                {
                    bool Param(string s) => s.StartsWith('{');
                    bool Typed(string path, string s) => typed.Contains($"{path}#{s.Trim('{', '}')}");
                    if (!Param(sa[i]) && !Param(sb[i])) apart = sa[i] != sb[i];
                    else if (Param(sa[i]) != Param(sb[i])) apart = Param(sa[i]) ? Typed(a, sa[i]) && !char.IsDigit(sb[i][0]) : Typed(b, sb[i]) && !char.IsDigit(sa[i][0]);
                }
                if (!apart) clashes.Add($"{a} ~ {b}");
            }
        Assert.Empty(clashes);
    }

    [Fact]
    public async Task A_deprecated_endpoint_announces_it_in_its_headers_and_in_the_document()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddShiliuOpenApi();
        await using var app = builder.Build();
        app.UseRouting();
        app.UseDeprecationHeaders();
        var tag = new ApiTag("旧接口", "将在 v2 中移除的接口");
        app.MapGet("/api/v1/old-things", () => TypedResults.Ok("old")).AllowAnonymous().WithTag(tag).WithName("Old_List")
            .Deprecate(new DateOnly(2026, 12, 1), sunset: new DateOnly(2027, 6, 30), successor: "/api/v1/things");
        app.MapGet("/api/v1/things", () => TypedResults.Ok("new")).AllowAnonymous().WithTag(tag).WithName("Things_List");
        app.MapOpenApi("/openapi.json");
        await app.StartAsync();
        var http = app.GetTestClient();

        var old = await http.GetAsync("/api/v1/old-things");
        Assert.Equal($"@{new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds()}", old.Headers.GetValues("Deprecation").Single());
        Assert.Equal("Wed, 30 Jun 2027 00:00:00 GMT", old.Headers.GetValues("Sunset").Single());
        Assert.Equal("</api/v1/things>; rel=\"successor-version\"", old.Headers.GetValues("Link").Single());
        Assert.False((await http.GetAsync("/api/v1/things")).Headers.Contains("Deprecation"));

        var doc = (await http.GetFromJsonAsync<JsonNode>("/openapi.json"))!;
        var op = doc["paths"]!["/api/v1/old-things"]!["get"]!;
        Assert.True(op["deprecated"]!.GetValue<bool>());
        Assert.Contains("/api/v1/things", op["description"]!.GetValue<string>());
        Assert.Null(doc["paths"]!["/api/v1/things"]!["get"]!["deprecated"]);
        // Anonymous: no security requirement, and no 401/403 to expect.
        Assert.Empty(op["security"]!.AsArray());
        Assert.DoesNotContain("401", op["responses"]!.AsObject().Select(r => r.Key));
        Assert.Equal("将在 v2 中移除的接口", doc["tags"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "旧接口")!["description"]!.GetValue<string>());
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z]*(_[A-Z][A-Za-z]*)+$")]
    private static partial Regex OperationId();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();
}
