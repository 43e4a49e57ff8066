using System.Text.Json;
using System.Text.Json.Nodes;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Web.Features.Dashboards;

/// <summary>ECharts options for a dashboard chart, as plain JSON (no functions: the page's CSP forbids evaluating any).</summary>
public static class DashChartOptions
{
    static readonly string[] Palette = ["#a8071a", "#d48806", "#1677ff", "#389e0d", "#722ed1", "#08979c", "#c41d7f", "#595959"];

    /// <summary>Risk colours keep their meaning on the pie.</summary>
    static readonly Dictionary<string, string> Named = new() { ["红色"] = "#cf1322", ["黄色"] = "#faad14", ["蓝色"] = "#1677ff" };

    const string Font = "\"Noto Sans CJK SC\", \"Noto Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", sans-serif";

    /// <param name="wall">For the 大屏: light text on its dark stage, large enough to read across a meeting room.</param>
    public static string Json(DashboardChart c, bool wall = false)
    {
        var many = c.Series.Count > 1;
        object Data(DashboardSeries s) => s.Values.Select((v, i) => new { value = v, link = s.Links?[i] }).ToArray();
        object options = c.Kind switch
        {
            ChartKind.Pie => new
            {
                animation = false, color = Palette, textStyle = new { fontFamily = Font },
                tooltip = new { trigger = "item" },
                legend = new { bottom = 0, type = "scroll" },
                series = new[]
                {
                    new
                    {
                        type = "pie", name = c.Series[0].Name, radius = new[] { "38%", "66%" }, center = new[] { "50%", "45%" },
                        label = new { formatter = "{b}：{c}" },
                        data = c.Categories.Select((name, i) => new
                        {
                            name, value = c.Series[0].Values[i], link = c.Series[0].Links?[i],
                            itemStyle = Named.TryGetValue(name, out var colour) ? new { color = colour } : null,
                        }).ToArray(),
                    },
                },
            },
            ChartKind.HorizontalBar => new
            {
                animation = false, color = Palette, textStyle = new { fontFamily = Font },
                tooltip = new { trigger = "axis", axisPointer = new { type = "shadow" } },
                legend = many ? new { top = 0, type = "scroll" } : null,
                grid = new { left = 8, right = 24, top = many ? 32 : 8, bottom = 8, containLabel = true },
                xAxis = new { type = "value", minInterval = 1 },
                yAxis = new { type = "category", inverse = true, data = c.Categories, axisLabel = new { width = 120, overflow = "truncate" } },
                series = c.Series.Select(s => new { type = "bar", name = s.Name, stack = many ? "total" : null, data = Data(s), barMaxWidth = 22 }).ToArray(),
            },
            _ => new
            {
                animation = false, color = Palette, textStyle = new { fontFamily = Font },
                tooltip = new { trigger = "axis", axisPointer = new { type = c.Kind == ChartKind.Line ? "line" : "shadow" } },
                legend = many ? new { top = 0, type = "scroll" } : null,
                grid = new { left = 8, right = 16, top = many ? 32 : 12, bottom = 8, containLabel = true },
                // A few long names (phases, service types) wrap and all show; many short ones (months) thin out instead of overlapping.
                xAxis = new
                {
                    type = "category", data = c.Categories,
                    axisLabel = c.Categories.Count <= 6 ? new { interval = (int?)0, width = (int?)90, overflow = "break", hideOverlap = false }
                        : new { interval = (int?)null, width = (int?)null, overflow = (string)null!, hideOverlap = true },
                },
                yAxis = new { type = "value", minInterval = 1 },
                series = c.Series.Select(s => new
                {
                    type = c.Kind == ChartKind.Line ? "line" : "bar", name = s.Name, stack = c.Kind == ChartKind.StackedBar ? "total" : null,
                    data = Data(s), barMaxWidth = 28,
                }).ToArray(),
            },
        };
        var json = JsonSerializer.SerializeToNode(options, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull })!.AsObject();
        if (wall) Wall(json);
        return json.ToJsonString();
    }

    // The same chart restyled for the wall: the layout and data stay the dashboard's, only colours and sizes change.
    static void Wall(JsonObject o)
    {
        const string text = "#e8eef7", line = "#3d5f8c", split = "#1d3a5f";
        o["backgroundColor"] = "transparent";
        o["animation"] = true;
        o["textStyle"] = new JsonObject { ["fontFamily"] = Font, ["color"] = text, ["fontSize"] = 20 };
        if (o["legend"] is JsonObject legend) legend["textStyle"] = new JsonObject { ["color"] = text, ["fontSize"] = 20 };
        foreach (var axis in new[] { "xAxis", "yAxis" })
        {
            if (o[axis] is not JsonObject a) continue;
            var label = a["axisLabel"] as JsonObject ?? new JsonObject();
            (label["color"], label["fontSize"]) = (text, 18);
            a["axisLabel"] = label;
            a["axisLine"] = new JsonObject { ["lineStyle"] = new JsonObject { ["color"] = line } };
            a["splitLine"] = new JsonObject { ["lineStyle"] = new JsonObject { ["color"] = split } };
        }
        var sideways = (o["yAxis"] as JsonObject)?["type"]?.GetValue<string>() == "category";
        if (o["series"] is JsonArray series)
            foreach (var s in series.OfType<JsonObject>())
                s["label"] = s["type"]?.GetValue<string>() == "pie"
                    ? new JsonObject { ["color"] = text, ["fontSize"] = 20, ["formatter"] = "{b}：{c}" }
                    : new JsonObject { ["show"] = series.Count == 1, ["color"] = text, ["fontSize"] = 18, ["position"] = sideways ? "right" : "top" };
    }
}
