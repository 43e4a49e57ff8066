using System.Diagnostics;

namespace Shiliu.Tests.Infrastructure;

/// <summary>Runs the real executable's operator verbs against a test database.</summary>
public static class Cli
{
    public static async Task<(int Exit, string Output)> RunAsync(ShiliuApp app, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Shiliu.Web.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["Database__Provider"] = app.Provider.ToString();
        psi.Environment["ConnectionStrings__Shiliu"] = app.ConnectionString;
        psi.Environment["Audit__Key"] = Db.AuditKey;
        psi.Environment["Shiliu__DataDir"] = app.DataDir;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + stderr);
    }
}
