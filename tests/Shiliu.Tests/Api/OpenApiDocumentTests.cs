using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Api;

/// <summary>
/// docs/openapi.json is the API's contract as committed; the build writes the document anew (obj/openapi/openapi.json)
/// and these tests fail when the two part, or when the build's document is not the one the app serves.
/// </summary>
public sealed class OpenApiDocumentTests
{
    static readonly string Root = FindRoot();
    static readonly string Committed = Path.Combine(Root, "docs", "openapi.json");
    static readonly string Built = Path.Combine(Root, "src", "Shiliu.Web", "obj", "openapi", "openapi.json");

    [Fact]
    public void The_committed_document_is_the_one_the_build_writes()
    {
        Assert.True(File.Exists(Built), $"The build did not write {Built}");
        var same = JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Committed)), JsonNode.Parse(File.ReadAllText(Built)));
        Assert.True(same, $"The API changed: review the change, then `cp {Path.GetRelativePath(Root, Built)} docs/openapi.json` and commit it.");
    }

    [Fact]
    public async Task The_build_writes_the_document_the_app_serves()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var api = app.ApiClient(await app.TokenForAsync("county"));
        var served = (await api.GetFromJsonAsync<JsonNode>("/api/v1/openapi.json"))!.AsObject();
        // Servers: the address it was asked at; the build's copy, asked at none, names the platform's own ("/").
        Assert.All(served["servers"]!.AsArray(), s => Assert.False(s!["url"]!.GetValue<string>().EndsWith('/'), $"server {s["url"]} ends in a slash"));
        served.Remove("servers");
        var built = JsonNode.Parse(File.ReadAllText(Built))!.AsObject();
        built.Remove("servers");
        var same = JsonNode.DeepEquals(served, built);
        if (!same) File.WriteAllText(Path.Combine(Path.GetTempPath(), "shiliu-openapi-served.json"), served!.ToJsonString(new() { WriteIndented = true }));
        Assert.True(same, $"The document written at build differs from the one served (written to {Path.GetTempPath()}shiliu-openapi-served.json)");
    }

    [Fact]
    public void Every_create_answers_201_or_202_and_every_list_is_the_one_page_envelope()
    {
        var doc = JsonNode.Parse(File.ReadAllText(Committed))!;
        var creates = doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(op => (Method: op.Key, Path: p.Key, Op: op.Value!)))
            .Where(x => x.Op["operationId"]?.GetValue<string>() is { } id && (id.Contains("_Create") || id.Contains("_Upload") || id.Contains("_Request")))
            .ToList();
        Assert.True(creates.Count >= 12, $"only {creates.Count} creates found");
        foreach (var (method, path, op) in creates)
            Assert.True(op["responses"]!["201"] is not null || op["responses"]!["202"] is not null, $"{method.ToUpperInvariant()} {path} creates without 201 Created (or 202 Accepted)");
        // Lists are Paged<T> (items, total, page, pageSize) and nothing else.
        var pages = doc["components"]!["schemas"]!.AsObject().Where(s => s.Value!["properties"]?["items"] is not null).Select(s => s.Key).ToList();
        Assert.NotEmpty(pages);
        Assert.All(pages, p => Assert.StartsWith("PagedOf", p));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_create_answers_201_with_the_id_and_its_location_opens_the_new_item(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var community = app.ApiClient(await app.TokenForAsync("community"));
        var unit = await app.UnitAsync("530427001001-G01");
        var creates = new (HttpClient Client, string Path, object Body)[]
        {
            (community, "/api/v1/residents", new { orgUnitId = unit.Id, name = "者玉兰", ethnicityCode = "07", idNumber = Residents.Ids.Next(), residenceType = "Permanent" }),
            (community, "/api/v1/activities", new { orgUnitId = unit.Id, typeCode = "A03", title = "火把节联欢", date = "2019-07-26", place = "社区广场", organiser = "城中社区",
                participantsTotal = 120, participants = new[] { new { ethnicityCode = "07", count = 60 } }, criteria = new[] { 5 } }),
            (app.ApiClient(await app.TokenForAsync("county")), "/api/v1/festivals", new { name = "新米节", ethnicities = "彝族", rule = "Lunar", month = 8, day = 1, days = 1 }),
        };
        foreach (var (client, path, body) in creates)
        {
            var res = await client.PostAsJsonAsync(path, body);
            Assert.True(res.StatusCode == System.Net.HttpStatusCode.Created, $"{path}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
            var id = (await res.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<Guid>();
            Assert.Equal($"{path}/{id}", res.Headers.Location?.ToString());
            var item = await client.GetFromJsonAsync<JsonNode>(res.Headers.Location);
            Assert.Equal(id, item!["id"]?.GetValue<Guid>() ?? item["row"]!["id"]!.GetValue<Guid>());
        }
        // A visit to the person just registered: its address opens it too.
        var resident = (await community.GetFromJsonAsync<JsonNode>("/api/v1/residents?name=者玉兰"))!["items"]![0]!["id"]!.GetValue<Guid>();
        var visit = await community.PostAsJsonAsync("/api/v1/visits", new { residentId = resident, visitDate = "2026-01-05", kind = "Routine", visitor = "李网格", findings = "家中一切正常" });
        Assert.Equal(System.Net.HttpStatusCode.Created, visit.StatusCode);
        Assert.Equal("家中一切正常", (await community.GetFromJsonAsync<JsonNode>(visit.Headers.Location))!["findings"]!.GetValue<string>());
    }

    internal static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Shiliu.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Shiliu.slnx not found above the test output");
    }
}
