using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.E2E.Infrastructure;

/// <summary>
/// The real app over a fresh seeded SQLite database, served by Kestrel on a loopback port: a browser needs a real
/// socket (and the Blazor circuit a real WebSocket), which the in-memory TestServer cannot give it.
/// </summary>
public sealed class LiveApp : IAsyncDisposable
{
    LiveApp(ShiliuApp app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The factory itself, for reading the database or services; its in-memory <c>Server</c> does not exist here.</summary>
    public ShiliuApp App { get; }

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts the app; with <paramref name="clock"/>, on a clock the journey moves (e.g. past a 公示 window).</summary>
    public static async Task<LiveApp> StartAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null)
    {
        var app = new ShiliuApp(DbProvider.Sqlite, await Db.FreshAsync(DbProvider.Sqlite), clock);
        try
        {
            // Port 0: the OS hands out a free port at bind time, so no other process can take it between a probe and the bind.
            app.UseKestrel(0);
            app.StartServer();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var address = addresses.Select(a => new Uri(a)).FirstOrDefault(u => u.IsLoopback && u.Port > 0)
                ?? throw new InvalidOperationException($"Kestrel reported no bound loopback address (got: {string.Join(", ", addresses)})");
            return new LiveApp(app, address);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
