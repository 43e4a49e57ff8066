using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Shiliu.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL half of the suite: SHILIU_TEST_PG if given, else a throwaway cluster started from the machine's
/// binaries (initdb + pg_ctl, a free loopback port, a temp folder, a non-root owner) and stopped when tests end.
/// </summary>
public static class PostgresServer
{
    static readonly Lazy<string?> Server = new(Start);

    /// <summary>Connection string to the maintenance database, or null when no PostgreSQL can be had here.</summary>
    public static string? AdminConnectionString => Server.Value;

    public static string? Unavailable { get; private set; }

    static string? Start()
    {
        if (Environment.GetEnvironmentVariable("SHILIU_TEST_PG") is { Length: > 0 } given) return given;
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d).FirstOrDefault()
            : null;
        if (bin is null)
        {
            Unavailable = "未找到 PostgreSQL（/usr/lib/postgresql/*/bin/initdb）";
            Warn();
            return null;
        }
        var dir = Path.Combine(Path.GetTempPath(), $"shiliu-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        var owner = asRoot ? (UserExists("postgres") ? "postgres" : "nobody") : null;
        if (owner is not null) Run("chown", $"-R {owner} {dir}");
        Run(Path.Combine(bin, "initdb"), $"-D {dir}/data -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 -N", owner);
        // fsync and full_page_writes stay on, as a Production start demands (SECURITY.md #41); asynchronous commits keep it fast.
        Run(Path.Combine(bin, "pg_ctl"),
            $"-D {dir}/data -l {dir}/log -w -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c synchronous_commit=off\" start", owner);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(Path.Combine(bin, "pg_ctl"), $"-D {dir}/data -m immediate stop", owner);
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception)
            {
                // Best effort at exit: the temp folder is disposable.
            }
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20;Timeout=30";
    }

    static void Warn()
    {
        var line = new string('!', 78);
        Console.Error.WriteLine($"{line}\n!! 跳过 PostgreSQL 测试：{Unavailable}。只运行了 SQLite 一半。\n!! Set SHILIU_TEST_PG or install postgresql; .ci/run does.\n{line}");
    }

    /// <summary>Runs a tool, as <paramref name="owner"/> when given (initdb and postgres refuse to run as root).</summary>
    static void Run(string exe, string args, string? owner = null)
    {
        var psi = owner is null ? new ProcessStartInfo(exe, args) : new ProcessStartInfo("runuser", $"-u {owner} -- {exe} {args}");
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{psi.FileName} {psi.Arguments} failed: {stdout}{stderr.GetAwaiter().GetResult()}");
    }

    static bool UserExists(string name) => File.ReadAllLines("/etc/passwd").Any(l => l.StartsWith(name + ":", StringComparison.Ordinal));

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ToString();
}
