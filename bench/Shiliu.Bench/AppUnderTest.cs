using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Shiliu.Bench;

/// <summary>
/// The built Shiliu.Web.dll (copied beside the bench by the project reference) as a child process, with its
/// database, data folder and content root in a fresh temp folder that is deleted afterwards.
/// </summary>
sealed class AppUnderTest : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    readonly Process process;
    readonly string dir;
    readonly ConcurrentQueue<string> tail = new();

    public string BaseUrl { get; }
    public string DbPath => Path.Combine(dir, "bench.db");
    public int Pid => process.Id;
    public string Dir => dir;

    AppUnderTest(Process process, string dir, string baseUrl)
    {
        this.process = process;
        this.dir = dir;
        BaseUrl = baseUrl;
    }

    public static async Task<AppUnderTest> StartAsync(string provider = "Sqlite", string? connectionString = null, string? auditKey = null,
        IReadOnlyDictionary<string, string>? extraEnv = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Shiliu.Web.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Shiliu.Web.dll is not beside the bench; build bench/Shiliu.Bench first", dll);
        var dir = Directory.CreateTempSubdirectory("shiliu-bench-").FullName;
        var baseUrl = $"http://127.0.0.1:{FreePort()}";

        var psi = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = dir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { dll, "--contentRoot", dir }) psi.ArgumentList.Add(a);
        var env = psi.Environment;
        env.Remove("ASPNETCORE_HTTP_PORTS");
        env.Remove("ASPNETCORE_HTTPS_PORTS");
        // Not Production: that forces HTTPS redirection and secure cookies, which plain-HTTP loopback cannot satisfy.
        env["ASPNETCORE_ENVIRONMENT"] = "Benchmark";
        env["ASPNETCORE_URLS"] = baseUrl;
        env["ConnectionStrings__Shiliu"] = connectionString ?? $"Data Source={Path.Combine(dir, "bench.db")}";
        if (auditKey is not null) env["Audit__Key"] = auditKey;
        env["Shiliu__DataDir"] = Path.Combine(dir, "data");
        env["Shiliu__SeedDemo"] = "true";
        env["Database__Provider"] = provider;
        env["Database__MigrateOnStart"] = "true";
        env["SHILIU_DEMO_PASSWORD"] = "Pomegranate#2026";
        env["SHILIU_ADMIN_PASSWORD"] = "Xinping#Init2026";
        // appsettings.json is not in the temp content root: restate its log levels, or EF logs every query.
        env["Logging__LogLevel__Default"] = "Information";
        env["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        env["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string>()) env[k] = v;

        var process = new Process { StartInfo = psi };
        var app = new AppUnderTest(process, dir, baseUrl) { environment = new Dictionary<string, string?>(env) };
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        try
        {
            process.Start();
            // Ctrl+C or a kill of the bench must not leave the app running on its port with its temp folder behind.
            app.signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(sig => PosixSignalRegistration.Create(sig, _ => app.OnBenchExit()))];
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await app.WaitHealthyAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    Dictionary<string, string?> environment = [];

    /// <summary>Runs an operator verb (e.g. <c>rebuild-statistics</c>) against the running app's database and data folder.</summary>
    public async Task<string> VerbAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(DotnetHost()) { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Shiliu.Web.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.Environment.Remove("ASPNETCORE_URLS");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var output = (await stdout + await stderr).Trim();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{string.Join(' ', args)} exited {p.ExitCode}:\n{output}");
    }

    /// <summary>/healthz answers only after migration and seeding, because the app prepares the database before it listens.</summary>
    async Task WaitHealthyAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"Shiliu.Web exited with code {process.ExitCode}:\n{Tail()}");
            try
            {
                using var res = await http.GetAsync($"{BaseUrl}/healthz");
                if (res.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Shiliu.Web was not healthy within {StartTimeout.TotalSeconds} s:\n{Tail()}");
    }

    void Keep(string? line)
    {
        if (line is null) return;
        tail.Enqueue(line);
        while (tail.Count > 40) tail.TryDequeue(out _);
    }

    string Tail() => string.Join('\n', tail);

    PosixSignalRegistration[] signals = [];

    /// <summary>On a signal to the bench: stops the app and deletes its folder; the signal then ends the bench as usual.</summary>
    void OnBenchExit()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception x) when (x is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Best effort while the bench itself is going away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var r in signals) r.Dispose();
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(cts.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Never started, or already gone.
        }
        process.Dispose();
        // For a look at the data afterwards (EXPLAIN QUERY PLAN on the bench's own database): SHILIU_BENCH_KEEP=1 keeps the folder.
        if (Environment.GetEnvironmentVariable("SHILIU_BENCH_KEEP") == "1")
        {
            Console.Error.WriteLine($"kept {dir}");
            return;
        }
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not delete {dir}: {e.Message}");
        }
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host that runs this bench, so the child uses the same runtime.</summary>
    static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p) ? p : "dotnet";
}
