using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>A request the API cannot read names the field and what it expects, in Chinese, not a bare "请求未能完成".</summary>
public sealed class UnreadableRequestTests
{
    static async Task<(HttpStatusCode Status, string Detail, JsonElement Body)> Read(HttpResponseMessage res)
    {
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        return (res.StatusCode, body.GetProperty("detail").GetString()!, body);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Bad_json_wrong_values_and_missing_parameters_are_named_in_chinese(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var api = app.ApiClient(await app.TokenForAsync("community"));
        var unit = await app.UnitAsync("530427001001");

        var needs = await Read(await api.PostAsync("/api/v1/residents",
            new StringContent($$"""{"orgUnitId":"{{unit.Id}}","name":"者玉兰","ethnicityCode":"07","idNumber":"x","needs":""}""", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, needs.Status);
        Assert.StartsWith("字段 needs 的值无效，应为以下一项或用逗号分隔的多项：None、Employment", needs.Detail);
        Assert.Equal("request.unreadable", needs.Body.GetProperty("code").GetString());
        Assert.True(needs.Body.GetProperty("errors").TryGetProperty("needs", out _));

        var guid = await Read(await api.PostAsync("/api/v1/residents",
            new StringContent("""{"orgUnitId":"城中社区","name":"者玉兰"}""", Encoding.UTF8, "application/json")));
        Assert.Equal("字段 orgUnitId 的值无效，应为 GUID（如 0195a6f2-7c3e-7a10-9f1b-2c4d5e6f7a8b）", guid.Detail);

        var broken = await Read(await api.PostAsync("/api/v1/residents", new StringContent("{\"name\": ", Encoding.UTF8, "application/json")));
        Assert.Equal("请求体不是有效的 JSON（在字段 name 处），请检查引号、逗号和括号", broken.Detail);

        var missing = await Read(await api.GetAsync($"/api/v1/deliverables/units/{unit.Id}"));
        Assert.Equal(("campaignId", "缺少参数 campaignId（应为 GUID（如 0195a6f2-7c3e-7a10-9f1b-2c4d5e6f7a8b））"),
            (missing.Body.GetProperty("errors").EnumerateObject().Single().Name, missing.Detail));

        var age = await Read(await api.GetAsync("/api/v1/residents?ageMin=三十"));
        Assert.Equal("参数 ageMin 的值“三十”无效，应为整数", age.Detail);

        var nobody = await Read(await api.PostAsync("/api/v1/residents", new StringContent("", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, nobody.Status);
        Assert.StartsWith("缺少请求体", nobody.Detail);

        var text = await api.PostAsync("/api/v1/residents", new StringContent("name=者玉兰", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Contains("请以 JSON 提交", (await Read(text)).Detail);
    }
}
