using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Shiliu.Tests.Hostile;

/// <summary>
/// Rewrites the next request of one method that passes through its handlers: each change puts a value into one field
/// of the JSON body, the query string or the route. A matrix recipe builds a valid request; the tap makes it hostile.
/// </summary>
public sealed partial class Tap
{
    /// <summary>JSON cannot carry a lone surrogate as text, so it travels as this marker and becomes the escape "\ud800".</summary>
    public const string LoneSurrogate = "\ud800";
    const string SurrogateMarker = "__LONE_SURROGATE__";

    static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    string? _method;
    string _routeTemplate = "";
    IReadOnlyList<(HostileField Field, string Value)> _changes = [];

    /// <summary>Whether every change found its field in the request (false: the recipe's body has no such element).</summary>
    public bool Reached { get; private set; }
    public Uri? SentUri { get; private set; }

    public void Arm(string method, string routeTemplate, IReadOnlyList<(HostileField Field, string Value)> changes)
    {
        (_method, _routeTemplate, _changes, Reached, SentUri) = (method, routeTemplate, changes, false, null);
    }

    public void Disarm() => _method = null;

    internal async Task ApplyAsync(HttpRequestMessage req)
    {
        if (_method is null || req.Method.Method != _method) return;
        _method = null;
        var reached = true;
        var body = _changes.Where(c => c.Field.Source == FieldSource.Body).ToList();
        if (body.Count > 0)
        {
            var text = req.Content is null ? "{}" : await req.Content.ReadAsStringAsync();
            var root = JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
            foreach (var (field, value) in body) reached &= Set(root, field.Path, value.Replace(LoneSurrogate, SurrogateMarker));
            var json = root.ToJsonString(Relaxed).Replace(SurrogateMarker, "\\ud800");
            req.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        var uri = req.RequestUri!;
        var path = uri.AbsolutePath;
        foreach (var (field, value) in _changes.Where(c => c.Field.Source == FieldSource.Route))
        {
            // The segment at the parameter's place in the template, e.g. /api/v1/dictionaries/{kind}.
            var segments = path.Split('/');
            var template = _routeTemplate.Split('/');
            var i = Array.FindIndex(template, t => t.StartsWith('{') && t.TrimStart('{').TrimEnd('}', '?').Split(':')[0] == field.Path);
            if (i < 0 || i >= segments.Length) { reached = false; continue; }
            segments[i] = Escape(value);
            path = string.Join('/', segments);
        }
        var query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        foreach (var (field, value) in _changes.Where(c => c.Field.Source == FieldSource.Query)) query[field.Path] = value;
        var rebuilt = string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Escape(q.Value)}"));
        req.RequestUri = new Uri(uri.GetLeftPart(UriPartial.Authority) + path + (rebuilt.Length > 0 ? "?" + rebuilt : ""));
        SentUri = req.RequestUri;
        Reached = reached;
    }

    /// <summary>Percent-encodes UTF-8, and a lone surrogate as the bytes a careless client would send for it.</summary>
    static string Escape(string value) =>
        string.Join("%ED%A0%80", value.Split(LoneSurrogate).Select(Uri.EscapeDataString));

    /// <summary>Sets "a.b[0].c" in the document; the last property is added when missing, anything above it must exist.</summary>
    static bool Set(JsonNode root, string path, string value)
    {
        var parts = Segment().Matches(path).Select(m => m.Value).ToList();
        JsonNode? node = root;
        for (var i = 0; i < parts.Count; i++)
        {
            var last = i == parts.Count - 1;
            var part = parts[i];
            if (part.StartsWith('['))
            {
                var index = int.Parse(part[1..^1]);
                if (node is not JsonArray array || index >= array.Count) return false;
                if (last) { array[index] = value; return true; }
                node = array[index];
            }
            else
            {
                if (node is not JsonObject obj) return false;
                var key = obj.Select(p => p.Key).FirstOrDefault(k => k.Equals(part, StringComparison.OrdinalIgnoreCase)) ?? part;
                if (last) { obj[key] = value; return true; }
                // A list of plain values the recipe left empty: the value becomes its one element.
                if (i == parts.Count - 2 && parts[^1] == "[0]" && obj[key] is null or JsonArray { Count: 0 }) { obj[key] = new JsonArray(value); return true; }
                if (!obj.TryGetPropertyValue(key, out node) || node is null) return false;
            }
        }
        return false;
    }

    [GeneratedRegex(@"\[\d+\]|[^.\[\]]+")]
    private static partial Regex Segment();
}

public sealed class TapHandler(Tap tap) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await tap.ApplyAsync(request);
        return await base.SendAsync(request, cancellationToken);
    }
}
