using System.Diagnostics;

namespace Shiliu.Tests.Infrastructure;

/// <summary>Runs the real executable's operator verbs against a test database.</summary>
public static class Cli
{
    public static Task<(int Exit, string Output)> RunAsync(ShiliuApp app, params string[] args) => RunAsync(app, new Dictionary<string, string>(), args);

    /// <summary>With extra environment variables (e.g. ASPNETCORE_ENVIRONMENT=Production), which win over the defaults.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(ShiliuApp app, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Shiliu.Web.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["Database__Provider"] = app.Provider.ToString();
        psi.Environment["ConnectionStrings__Shiliu"] = app.ConnectionString;
        psi.Environment["Audit__Key"] = Db.AuditKey;
        psi.Environment["Shiliu__DataDir"] = app.DataDir;
        psi.Environment["Shiliu__DemoLedgers"] = "false";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in env) psi.Environment[key] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // A host that starts serving instead of failing would never exit: 60 s is far beyond any start-up here.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw new TimeoutException($"{string.Join(' ', args)} did not exit"); }
        return (p.ExitCode, await stdout + await stderr);
    }
}
