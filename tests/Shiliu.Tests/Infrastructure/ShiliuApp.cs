using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Tokens;
using Shiliu.Web.Hosting;

namespace Shiliu.Tests.Infrastructure;

/// <summary>The real app over a real database (SQLite file or PostgreSQL database of its own).</summary>
public sealed partial class ShiliuApp(DbProvider provider, string connectionString, FakeTimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    public DbProvider Provider { get; } = provider;
    public string ConnectionString { get; } = connectionString;
    public string DataDir { get; init; } = Path.Combine(Path.GetTempPath(), $"shiliu-data-{Guid.NewGuid():N}");

    /// <summary>Extra services for this instance (e.g. a job handler a test declares).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>Extra configuration for this instance (e.g. the S3 store).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public static async Task<ShiliuApp> StartAsync(DbProvider provider, IReadOnlyDictionary<string, string> settings, FakeTimeProvider? clock = null)
    {
        var app = new ShiliuApp(provider, await Db.FreshAsync(provider), clock) { Settings = settings };
        _ = app.Server;
        return app;
    }

    public static async Task<ShiliuApp> StartAsync(DbProvider provider, FakeTimeProvider? clock = null)
    {
        var app = new ShiliuApp(provider, await Db.FreshAsync(provider), clock);
        _ = app.Server;
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Shiliu", ConnectionString);
        builder.UseSetting("Audit:Key", Db.AuditKey);
        builder.UseSetting("Shiliu:DataDir", DataDir);
        builder.UseSetting("Shiliu:SeedDemo", "true");
        // Tests start from empty ledgers: each builds the records it asserts on.
        builder.UseSetting("Shiliu:DemoLedgers", "false");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Authentication", Environment.GetEnvironmentVariable("SHILIU_TEST_AUTHLOG") ?? "Warning");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (clock is not null) builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        if (ExtraServices is not null) builder.ConfigureTestServices(ExtraServices);
    }

    /// <summary>Runs <paramref name="work"/> in a DI scope acting as the named user (or as the system when null).</summary>
    public async Task<T> AsAsync<T>(string? userName, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<CallerAccessor>();
        accessor.Override = userName is null ? Caller.System("test") : await CallerForAsync(userName);
        return await work(scope.ServiceProvider);
    }

    public Task AsAsync(string? userName, Func<IServiceProvider, Task> work) =>
        AsAsync<bool>(userName, async sp => { await work(sp); return true; });

    public async Task<Caller> CallerForAsync(string userName)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerAccessor>().Override = Caller.System("test");
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"no user {userName}");
        var roles = await users.GetRolesAsync(user);
        return new Caller(user.Id.ToString(), user.UserName!, user.OrgPath, roles.ToHashSet());
    }

    public async Task<ShiliuDb> SystemDbAsync()
    {
        var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerAccessor>().Override = Caller.System("test");
        return await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
    }

    public async Task<OrgUnit> UnitAsync(string code)
    {
        await using var db = await SystemDbAsync();
        return await db.OrgUnits.AsNoTracking().SingleAsync(o => o.Code == code);
    }

    /// <summary>A read-write personal access token of the user for every module, created through the real service.</summary>
    public Task<string> TokenForAsync(string userName, string password = Db.DemoPassword) =>
        AsAsync(userName, async sp => (await sp.GetRequiredService<TokenService>().CreateAsync(new CreateToken { Name = "test", Days = 30, Password = password, Write = true })).Token);

    /// <param name="tap">A handler that sees (and may rewrite) every request, e.g. the hostile-input suite's.</param>
    public HttpClient ApiClient(string? token, DelegatingHandler? tap = null)
    {
        var c = tap is null ? CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }) : CreateDefaultClient(tap);
        if (token is not null) c.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return c;
    }

    /// <summary>A browser-like client (cookies kept, redirects not followed), not signed in.</summary>
    public HttpClient BrowserClient(DelegatingHandler? tap = null) => tap is null
        ? CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true })
        : CreateDefaultClient(tap, new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler());

    /// <summary>A browser-like client signed in through the real login form (and TOTP step for admins).</summary>
    public async Task<HttpClient> SignedInClientAsync(string userName, string password = Db.DemoPassword, string? totpSecret = null, DelegatingHandler? tap = null)
    {
        var c = BrowserClient(tap);
        var res = await PostFormAsync(c, "/account/login", "login", new() { ["Input.UserName"] = userName, ["Input.Password"] = password });
        if (res.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in of {userName} failed: {(int)res.StatusCode}");
        if (res.Headers.Location!.OriginalString.Contains("/account/login-totp", StringComparison.Ordinal))
        {
            var secret = totpSecret ?? throw new InvalidOperationException($"{userName} needs a TOTP secret");
            var clock = Services.GetRequiredService<TimeProvider>();
            var code = Totp.Code(secret, Totp.StepAt(clock.GetUtcNow()));
            res = await PostFormAsync(c, "/account/login-totp", "totp", new() { ["Input.Code"] = code });
            if (res.StatusCode != HttpStatusCode.Redirect || res.Headers.Location!.OriginalString.Contains("login"))
                throw new InvalidOperationException($"TOTP step of {userName} failed");
        }
        return c;
    }

    /// <summary>Gives a signed-in browser client the antiforgery header its API writes need (as a page's script would).</summary>
    public static async Task<HttpClient> WithAntiforgeryAsync(HttpClient browser)
    {
        var res = await browser.GetAsync("/api/v1/antiforgery");
        res.EnsureSuccessStatusCode();
        var token = System.Text.Json.JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        browser.DefaultRequestHeaders.Remove(ApiAntiforgery.Header);
        browser.DefaultRequestHeaders.Add(ApiAntiforgery.Header, token);
        return browser;
    }

    /// <summary>Binds a known TOTP secret to a user, as if they had completed the set-up page.</summary>
    public Task EnrollTotpAsync(string userName, string secret) => AsAsync(null, async sp =>
    {
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByNameAsync(userName))!;
        user.TotpSecret = sp.GetRequiredService<TotpSecrets>().Seal(secret);
        user.TwoFactorEnabled = true;
        await users.UpdateAsync(user);
    });

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient c, string path, string formName, Dictionary<string, string> fields)
    {
        var page = await (await c.GetAsync(path)).Content.ReadAsStringAsync();
        var token = AntiforgeryInput().Match(page).Groups[1].Value;
        fields["__RequestVerificationToken"] = token;
        fields["_handler"] = formName;
        return await c.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
