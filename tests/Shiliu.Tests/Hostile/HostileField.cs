using System.Collections;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Shiliu.Tests.Hostile;

public enum FieldSource
{
    Body,
    Query,
    Route,
}

/// <summary>One field a client fills in: its JSON path (a.b[0].c), query or route name, and its CLR type.</summary>
public sealed record HostileField(string Path, Type Type, FieldSource Source)
{
    public bool IsString => Type == typeof(string);

    /// <summary>The names an error may file this field under: its path, its own name, or the top-level property.</summary>
    public bool IsNamedBy(string key)
    {
        var k = key.ToLowerInvariant();
        var p = Path.ToLowerInvariant();
        var leaf = p.Split('.', '[').Last(s => s.Length > 0 && !char.IsDigit(s[0]));
        var top = p.Split('.', '[')[0];
        return k == p || k == leaf || k == top || k.EndsWith("." + leaf, StringComparison.Ordinal);
    }

    /// <summary>
    /// The fields of an endpoint, read from its handler's parameters (as the framework binds them): route values of
    /// type string, query parameters and <c>[AsParameters]</c> properties, and every scalar inside a JSON body type,
    /// lists entered at their first element.
    /// </summary>
    public static IReadOnlyList<HostileField> Of(RouteEndpoint endpoint, IServiceProvider services)
    {
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } method) return [];
        var di = services.GetRequiredService<IServiceProviderIsService>();
        var route = endpoint.RoutePattern.Parameters.ToDictionary(p => p.Name, p => p, StringComparer.OrdinalIgnoreCase);
        var fields = new List<HostileField>();
        foreach (var p in method.GetParameters())
        {
            var t = p.ParameterType;
            if (IsPlumbing(t, di) || p.GetCustomAttributes().Any(a => a.GetType().Name == "FromServicesAttribute")) continue;
            if (route.TryGetValue(p.Name!, out var rp))
            {
                // Constrained route values (guid, int) never reach the handler when malformed: only free text is a field.
                if (t == typeof(string) && rp.ParameterPolicies.Count == 0) fields.Add(new HostileField(rp.Name, t, FieldSource.Route));
                continue;
            }
            if (p.GetCustomAttributes().Any(a => a.GetType().Name == "AsParametersAttribute"))
            {
                foreach (var prop in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(x => x.CanWrite && !route.ContainsKey(x.Name)))
                    fields.Add(new HostileField(JsonNamingPolicy.CamelCase.ConvertName(prop.Name), prop.PropertyType, FieldSource.Query));
                continue;
            }
            if (IsScalar(t)) fields.Add(new HostileField(p.Name!, t, FieldSource.Query));
            else Body(t, "", 0, fields);
        }
        return fields;
    }

    static bool IsPlumbing(Type t, IServiceProviderIsService di) =>
        t == typeof(CancellationToken) || t == typeof(HttpContext) || t == typeof(HttpRequest) || t == typeof(HttpResponse)
        || t == typeof(ClaimsPrincipal) || typeof(IFormFile).IsAssignableFrom(t) || typeof(IFormFileCollection).IsAssignableFrom(t) || di.IsService(t);

    public static bool IsScalar(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(decimal) || t == typeof(DateOnly)
               || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeOnly) || t == typeof(TimeSpan);
    }

    static void Body(Type t, string prefix, int depth, List<HostileField> into)
    {
        foreach (var prop in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (prop.GetIndexParameters().Length > 0 || prop.IsDefined(typeof(JsonIgnoreAttribute))) continue;
            var name = prefix + (prop.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(prop.Name));
            var pt = prop.PropertyType;
            if (IsScalar(pt)) into.Add(new HostileField(name, pt, FieldSource.Body));
            else if (ElementOf(pt) is { } element)
            {
                if (IsScalar(element)) into.Add(new HostileField(name + "[0]", element, FieldSource.Body));
                else if (depth < 3) Body(element, name + "[0].", depth + 1, into);
            }
            else if (depth < 3 && pt.IsClass) Body(pt, name + ".", depth + 1, into);
        }
    }

    static Type? ElementOf(Type t)
    {
        if (t == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(t)) return null;
        if (t.IsArray) return t.GetElementType();
        var e = t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return e?.GetGenericArguments()[0];
    }
}
