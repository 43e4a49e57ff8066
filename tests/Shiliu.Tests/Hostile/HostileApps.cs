using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Tests.Authorization;
using Shiliu.Tests.Infrastructure;
using Context = Shiliu.Tests.Authorization.AuthorizationMatrixTests.Context;

namespace Shiliu.Tests.Hostile;

/// <summary>
/// One real app per engine for the whole hostile-input class (the suite sends thousands of requests; starting an app for
/// each would dominate its time), with one matrix context per role whose clients pass through a <see cref="Tap"/>.
/// </summary>
public sealed class HostileApps : IAsyncLifetime
{
    readonly Dictionary<DbProvider, Engine> _engines = [];
    readonly SemaphoreSlim _gate = new(1, 1);

    public sealed class Engine(ShiliuApp app, FakeTimeProvider clock, string totpSecret)
    {
        public ShiliuApp App { get; } = app;
        /// <summary>The app's clock: the suite moves it past per-minute limits (ID lookups) instead of waiting.</summary>
        public FakeTimeProvider Clock { get; } = clock;
        public string TotpSecret { get; } = totpSecret;
        internal Dictionary<string, (Context Context, Tap Tap)> Roles { get; } = [];
    }

    public async Task<Engine> EngineAsync(DbProvider kind)
    {
        await _gate.WaitAsync();
        try
        {
            if (_engines.TryGetValue(kind, out var e)) return e;
            // Public pages are limited per address; every test client shares one, so the suite lifts that limit only.
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var app = new ShiliuApp(kind, await Db.FreshAsync(kind), clock) { Settings = new Dictionary<string, string> { ["PublicForms:PagesPerMinute"] = "1000000" } };
            _ = app.Server;
            var secret = Totp.NewSecret();
            // The matrix's fixtures: a system administrator past its first sign-in, TOTP for the three admins, units to delete.
            await app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("sysadmin", "对抗测试系统管理员",
                await app.UnitAsync("530427000000"), Db.DemoPassword, Core.Common.Roles.SystemAdmin, mustChange: false, demo: true));
            foreach (var admin in new[] { "sysadmin", "security", "auditor" }) await app.EnrollTotpAsync(admin, secret);
            await app.AsAsync(null, async sp =>
            {
                var orgs = sp.GetRequiredService<OrganizationService>();
                await orgs.CreateAsync(new CreateOrgUnit { ParentId = (await app.UnitAsync("530427001000")).Id, Name = "待删除（内）", Code = "DEL-IN" });
                await orgs.CreateAsync(new CreateOrgUnit { ParentId = (await app.UnitAsync("530427101000")).Id, Name = "待删除（外）", Code = "DEL-OUT" });
            });
            return _engines[kind] = new Engine(app, clock, secret);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The role's context, its API and browser clients tapped. Only the admins (cookie API) and the county office (token
    /// endpoints, pages) sign in through the form: the sign-in limit is 20 requests a minute for all test clients together.
    /// </summary>
    internal async Task<(Context Context, Tap Tap)> ContextAsync(Engine engine, string role)
    {
        if (engine.Roles.TryGetValue(role, out var known)) return known;
        var app = engine.App;
        var user = AuthorizationMatrixTests.UserOf[role];
        var tap = new Tap();
        Context ctx;
        if (Core.Common.Roles.Admin.Contains(role))
        {
            var browser = await ShiliuApp.WithAntiforgeryAsync(await app.SignedInClientAsync(user, Db.DemoPassword, engine.TotpSecret, new TapHandler(tap)));
            ctx = new Context { App = app, Role = role, Api = browser, Browser = browser, SpareTokenId = Guid.NewGuid(), ForeignTokenId = Guid.NewGuid() };
        }
        else
        {
            var browser = role == Core.Common.Roles.CountyOfficer
                ? await ShiliuApp.WithAntiforgeryAsync(await app.SignedInClientAsync(user, Db.DemoPassword, null, new TapHandler(tap)))
                : app.BrowserClient(new TapHandler(tap));
            var api = app.ApiClient(await app.TokenForAsync(user), new TapHandler(tap));
            ctx = new Context { App = app, Role = role, Api = api, Browser = browser, SpareTokenId = Guid.NewGuid(), ForeignTokenId = Guid.NewGuid() };
        }
        return engine.Roles[role] = (ctx, tap);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var e in _engines.Values) await e.App.DisposeAsync();
    }
}
