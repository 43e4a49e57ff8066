using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Shiliu.Tests.Evidence;

/// <summary>
/// A real S3-compatible server for the object-store tests: s3rver (npm), from SHILIU_S3RVER, a cached install, or
/// installed here with npm on first use. It speaks the S3 REST protocol and keeps objects on disk in a temp folder.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    const string Version = "3.7.1";
    readonly Process _process;
    readonly string _dir;

    public string Url { get; }

    S3Server(Process process, string dir, string url) => (_process, _dir, Url) = (process, dir, url);

    public static async Task<S3Server> StartAsync()
    {
        var script = Locate();
        var dir = Path.Combine(Path.GetTempPath(), $"shiliu-s3-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var psi = new ProcessStartInfo("node", [script, "-d", dir, "-a", "127.0.0.1", "-p", port.ToString(), "--silent"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start s3rver");
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var res = await http.GetAsync(url);
                if (res.StatusCode is HttpStatusCode.OK or HttpStatusCode.Forbidden) return new S3Server(process, dir, url);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (process.HasExited) throw new InvalidOperationException($"s3rver exited: {await process.StandardError.ReadToEndAsync()}");
            await Task.Delay(100);
        }
        process.Kill(true);
        throw new InvalidOperationException("s3rver did not start within 10 s");
    }

    static string Locate()
    {
        if (Environment.GetEnvironmentVariable("SHILIU_S3RVER") is { Length: > 0 } given) return given;
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "shiliu", $"s3rver-{Version}");
        var script = Path.Combine(home, "node_modules", "s3rver", "bin", "s3rver.js");
        if (File.Exists(script)) return script;
        Directory.CreateDirectory(home);
        var npm = Process.Start(new ProcessStartInfo("npm", ["install", "--prefix", home, "--no-audit", "--no-fund", $"s3rver@{Version}"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        npm.WaitForExit(180_000);
        if (!File.Exists(script)) throw new InvalidOperationException($"npm could not install s3rver: {npm.StandardError.ReadToEnd()}");
        return script;
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
