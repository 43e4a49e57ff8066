using System.Reflection;

namespace Shiliu.Core.Platform;

/// <summary>
/// The build runs the app once to write docs' OpenAPI document (Microsoft.Extensions.ApiDescription.Server starts it with
/// a server that never listens). That run needs the endpoints only: no database, no background workers, no secrets.
/// </summary>
public static class BuildTime
{
    public static bool WritingApiDocument { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";
}
