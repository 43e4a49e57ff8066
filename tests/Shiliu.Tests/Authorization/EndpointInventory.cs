using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Authorization;

/// <summary>
/// Every page and endpoint the app serves, read from its endpoint data source: pages as "PAGE /path" (their GET and
/// form POST share one authorization), endpoints as "METHOD /pattern". Static files and Blazor's plumbing are left out.
/// </summary>
public static class EndpointInventory
{
    public static IReadOnlyList<string> All(ShiliuApp app) => ByKey(app).Keys.Order().ToList();

    /// <summary>Each key with the endpoint that serves it (its handler, parameters and metadata).</summary>
    public static IReadOnlyDictionary<string, RouteEndpoint> ByKey(ShiliuApp app)
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        var byKey = new Dictionary<string, RouteEndpoint>();
        foreach (var e in source.Endpoints.OfType<RouteEndpoint>().Where(e => !IsPlumbing(e.RoutePattern.RawText ?? "")))
            foreach (var key in Keys(e)) byKey.TryAdd(key, e);
        return byKey;
    }

    static IEnumerable<string> Keys(RouteEndpoint e)
    {
        var path = "/" + e.RoutePattern.RawText!.TrimStart('/');
        if (e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null) return [$"PAGE {path}"];
        return (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Where(m => m != "HEAD").Select(m => $"{m} {path}");
    }

    static bool IsPlumbing(string raw)
    {
        var r = raw.TrimStart('/');
        return r.StartsWith('_') || r.EndsWith(".modules.json", StringComparison.Ordinal)
               || (Path.HasExtension(r) && !r.StartsWith("api/", StringComparison.Ordinal));
    }
}
