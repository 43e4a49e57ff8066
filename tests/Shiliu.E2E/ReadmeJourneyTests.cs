using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// The README, tried as a newcomer tries it: a fresh clone in a temp folder, an empty NuGet cache, and the run command
/// copied out of the README's "Run it" section. Within five minutes it must answer on the port the README names with
/// the seeded demo county's public pages and their staff sign-in, and the demo password the command sets must sign the county office in (which then sets its own).
/// </summary>
public sealed partial class ReadmeJourneyTests(ITestOutputHelper output) : Journey(output, "readme")
{
    static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    // What a newcomer's shell would not have: the test runner's MSBuild/VSTest wiring and this suite's app settings.
    static readonly string[] NotInAFreshShell =
        ["MSBuild", "MSBUILD", "VSTEST", "DOTNET_HOST_PATH", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "Shiliu__", "SHILIU_", "ConnectionStrings__", "Database__"];

    [Fact]
    public async Task A_fresh_clone_answers_the_readme_run_command_with_the_demo_countys_sign_in_page_within_five_minutes()
    {
        var root = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var (command, port) = RunCommand(readme);
        var password = DemoPasswordIn().Match(command) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException($"README 的运行命令没有设置 SHILIU_DEMO_PASSWORD：{command}");
        Assert.True(PortIsFree(port), $"端口 {port} 已被占用：README 的运行命令要用它，先停掉占用它的程序再运行本测试。");

        var work = Directory.CreateTempSubdirectory("shiliu-readme-");
        var clock = Stopwatch.StartNew();
        Process? app = null;
        try
        {
            var clone = Path.Combine(work.FullName, "shiliu");
            await RunToEndAsync("git", ["clone", "--quiet", "--no-hardlinks", root, clone], work.FullName);
            Log($"cloned {root} in {clock.Elapsed.TotalSeconds:F0} s; running: {command}");

            var log = Path.Combine(work.FullName, "run.log");
            var psi = new ProcessStartInfo("bash", ["-c", $"exec > {Quote(log)} 2>&1; {command}"]) { WorkingDirectory = clone, UseShellExecute = false };
            foreach (var key in psi.Environment.Keys.Where(k => NotInAFreshShell.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
                psi.Environment.Remove(key);
            // An empty package cache, as on a machine that never restored this solution.
            psi.Environment["NUGET_PACKAGES"] = Path.Combine(work.FullName, "nuget-packages");
            psi.Environment["NUGET_HTTP_CACHE_PATH"] = Path.Combine(work.FullName, "nuget-http");
            // Build servers would outlive the app and keep the test run waiting; they change nothing of the result.
            psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            psi.Environment["UseSharedCompilation"] = "false";
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            app = Process.Start(psi)!;

            var address = new Uri($"http://localhost:{port}/");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            while (true)
            {
                if (app.HasExited) Assert.Fail($"README 的运行命令在 {clock.Elapsed.TotalSeconds:F0} 秒时退出（代码 {app.ExitCode}）：\n{Tail(log)}");
                if (clock.Elapsed > Budget) Assert.Fail($"README 的运行命令 {Budget.TotalMinutes} 分钟内没有在端口 {port} 应答：\n{Tail(log)}");
                try
                {
                    using var answer = await http.GetAsync(address);
                    if (answer.IsSuccessStatusCode) break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Still restoring, building or migrating.
                }
                await Task.Delay(1000);
            }
            Log($"answered on {address} after {clock.Elapsed.TotalSeconds:F0} s (clone, restore into an empty cache, build, migrate, seed, start)");

            await using var browser = await BrowserSession.LaunchAsync();
            var page = await browser.NewPageAsync(address, 1366, 768);
            // The address the README says to open: the public pages of the demo county, with the staff sign-in a click away.
            await page.GotoAsync("/");
            await Expect(page).ToHaveTitleAsync(new Regex("新平彝族傣族自治县"));
            await ShotAsync(page, browser, "public-home");
            await page.GetByRole(AriaRole.Link, new() { Name = "工作人员登录" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
            await ShotAsync(page, browser, "sign-in-page");
            Assert.True(clock.Elapsed < Budget, $"登录页 {clock.Elapsed.TotalSeconds:F0} 秒才出现，超过 {Budget.TotalMinutes} 分钟");

            // The README's demo password signs the county office in; as the README says, it must be replaced first.
            await SignInAsync(page, "county", password);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "修改密码" })).ToBeVisibleAsync();
            await ShotAsync(page, browser, "first-sign-in-asks-for-own-password");
            await page.GetByLabel("当前密码").FillAsync(password);
            await page.GetByLabel("新密码", new() { Exact = true }).FillAsync("Xinping-Office#2026");
            await page.GetByLabel("确认新密码").FillAsync("Xinping-Office#2026");
            await page.GetByRole(AriaRole.Button, new() { Name = "确认修改" }).ClickAsync();
            await Expect(page).Not.ToHaveURLAsync(new Regex("/account/"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "您好，演示县创建办" })).ToBeVisibleAsync();
            await ShotAsync(page, browser, "county-home");
            await page.Context.CloseAsync();
        }
        finally
        {
            if (app is { HasExited: false })
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
            app?.Dispose();
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException e)
            {
                Log($"temp folder {work.FullName} left behind: {e.Message}");
            }
        }
    }

    /// <summary>The first bash block under "## Run it", and the port of the address it says to open.</summary>
    internal static (string Command, int Port) RunCommand(string readme)
    {
        var section = RunSection().Match(readme);
        Assert.True(section.Success, "README 没有“## Run it”一节");
        var block = BashBlock().Match(section.Value);
        Assert.True(block.Success, "README 的“Run it”一节没有 ```bash 代码块");
        var command = string.Join("; ", block.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        var open = OpenAddress().Match(section.Value);
        Assert.True(open.Success, "README 的“Run it”一节没有写打开哪个地址（Open http://localhost:端口）");
        return (command, int.Parse(open.Groups[1].Value));
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Shiliu.slnx")))
                return Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git"))
                    ? dir.FullName
                    : throw new InvalidOperationException($"{dir.FullName} 不是 git 仓库：本测试要从它克隆一份新的副本");
        throw new InvalidOperationException("找不到 Shiliu.slnx：本测试要在仓库里运行");
    }

    static bool PortIsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static async Task RunToEndAsync(string exe, string[] args, string dir)
    {
        var psi = new ProcessStartInfo(exe, args) { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed: {await stderr}");
    }

    static string Tail(string file) => File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(40)) : "（没有输出）";

    static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";

    [GeneratedRegex(@"^## Run it.*?(?=^## )", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex RunSection();

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"Open http://localhost:(\d+)")]
    private static partial Regex OpenAddress();

    [GeneratedRegex(@"SHILIU_DEMO_PASSWORD='([^']+)'")]
    private static partial Regex DemoPasswordIn();
}
