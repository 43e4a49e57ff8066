using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>Controls of SECURITY.md that were implemented but had no test of their own (see docs/security.md).</summary>
public sealed partial class ControlProofTests
{
    /// <summary>#9: Identity's v3 format is 0x01, PRF, iteration count, salt length (big-endian), salt, subkey.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Passwords_are_stored_as_pbkdf2_with_at_least_100000_iterations_and_plain_http_goes_to_https(DbProvider kind)
    {
        await using (var app = await ShiliuApp.StartAsync(kind))
        {
            await using var db = await app.SystemDbAsync();
            var hashes = await db.Users.Where(u => u.PasswordHash != null).Select(u => u.PasswordHash!).ToListAsync();
            Assert.NotEmpty(hashes);
            foreach (var hash in hashes)
            {
                var bytes = Convert.FromBase64String(hash);
                Assert.Equal(0x01, bytes[0]);
                Assert.True(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)) >= 100_000, $"{BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5))} iterations");
                Assert.True(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9)) >= 16, "salt of at least 128 bits");
            }
        }
        await using var production = new ShiliuApp(kind, await Db.FreshAsync(kind))
            { Settings = new Dictionary<string, string> { ["environment"] = "Production", ["Shiliu:SeedDemo"] = "false", ["https_port"] = "443" } };
        _ = production.Server;
        var http = production.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
            { AllowAutoRedirect = false, BaseAddress = new Uri("http://shiliu.example") });
        var res = await http.GetAsync("/account/login?x=1");
        Assert.Equal(HttpStatusCode.PermanentRedirect, res.StatusCode);
        Assert.Equal("https://shiliu.example/account/login?x=1", res.Headers.Location!.ToString());
        Assert.False(res.Headers.Contains("Strict-Transport-Security"), "HSTS goes over HTTPS only");
    }

    /// <summary>#13: properties a request type does not have are ignored; the ones the server owns stay its own.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Extra_properties_in_a_request_change_nothing_they_name(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var grid = await app.UnitAsync("530427001001-G01");
        var elsewhere = await app.UnitAsync("530427101001");
        var idNumber = Ids.Next();
        var rid = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
            { OrgUnitId = grid.Id, Name = "罗玉芬", EthnicityCode = "07", IdNumber = idNumber, ResidenceType = ResidenceType.Permanent, Phone = "13800001234" }));
        await using (var db = await app.SystemDbAsync())
        {
            var before = await db.Residents.AsNoTracking().SingleAsync(r => r.Id == rid);
            var api = app.ApiClient(await app.TokenForAsync("community"));
            var put = await api.PutAsJsonAsync($"/api/v1/residents/{rid}", new
            {
                orgUnitId = grid.Id, name = "罗玉芳", ethnicityCode = "07", idNumber, residenceType = "Permanent", phone = "13800001234", version = before.Version,
                // Not in the request type: owned by the server.
                id = Guid.NewGuid(), orgPath = elsewhere.Path, communityId = elsewhere.Id, idNumberHash = "0000", idNumberMasked = "110101********0000",
                phoneMasked = "139****0000", importId = Guid.NewGuid(), importRow = 7, updatedBy = "someone-else", updatedUtc = "2000-01-01T00:00:00Z",
            });
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
            var after = await db.Residents.AsNoTracking().SingleAsync(r => r.Id == rid);
            Assert.Equal("罗玉芳", after.Name);
            Assert.Equal((before.OrgPath, before.CommunityId, before.IdNumberHash, before.IdNumberMasked, before.PhoneMasked, before.ImportId, before.ImportRow),
                (after.OrgPath, after.CommunityId, after.IdNumberHash, after.IdNumberMasked, after.PhoneMasked, after.ImportId, after.ImportRow));
            Assert.Equal("community", after.UpdatedBy);
            Assert.True(after.UpdatedUtc > new DateTime(2020, 1, 1));
        }

        // An org unit keeps its place in the tree whatever else the edit carries.
        var unit = await app.UnitAsync("530427001002");
        var county = app.ApiClient(await app.TokenForAsync("county"));
        var edit = await county.PutAsJsonAsync($"/api/v1/org-units/{unit.Id}", new
        {
            name = unit.Name, code = unit.Code, version = unit.Version,
            parentId = elsewhere.Id, path = elsewhere.Path + "x/", level = "County", isDemo = false, isDisabled = true,
        });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var kept = await app.UnitAsync("530427001002");
        Assert.Equal((unit.ParentId, unit.Path, unit.Level, unit.IsDemo, unit.IsDisabled), (kept.ParentId, kept.Path, kept.Level, kept.IsDemo, kept.IsDisabled));

        // A new account gets no role, no waiver of the first password change and no other unit from its request.
        await app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("sysadmin", "系统管理员",
            await app.UnitAsync("530427000000"), Db.DemoPassword, Roles.SystemAdmin, mustChange: false, demo: true));
        var secret = Totp.NewSecret();
        await app.EnrollTotpAsync("sysadmin", secret);
        var admin = await ShiliuApp.WithAntiforgeryAsync(await app.SignedInClientAsync("sysadmin", Db.DemoPassword, secret));
        var created = await admin.PostAsJsonAsync("/api/v1/users", new
        {
            userName = "massassign", displayName = "新账号", orgUnitId = unit.Id,
            role = Roles.SystemAdmin, roles = new[] { Roles.SystemAdmin, Roles.AuditAdmin }, mustChangePassword = false, isDisabled = false,
            orgPath = "/", twoFactorEnabled = true, passwordHash = "AQAAAA", isDemo = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var check = await app.SystemDbAsync();
        var user = await check.Users.AsNoTracking().SingleAsync(u => u.UserName == "massassign");
        Assert.Equal((unit.Path, true, false, false), (user.OrgPath, user.MustChangePassword, user.TwoFactorEnabled, user.IsDemo));
        Assert.NotEqual("AQAAAA", user.PasswordHash);
        Assert.Empty(await app.AsAsync(null, async sp => await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().GetRolesAsync(user)));
    }

    /// <summary>#18: rows written by requests carry the time (UTC), who, what, the outcome, the client's address and the request id.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Audit_rows_of_requests_carry_utc_time_user_event_outcome_address_and_request_id(DbProvider kind)
    {
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind));
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        long mark;
        await using (var db = await app.SystemDbAsync()) mark = await db.AuditEntries.MaxAsync(a => a.Id);
        var started = DateTime.UtcNow.AddSeconds(-5);
        var grid = await app.UnitAsync("530427001001-G01");
        var rid = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
            { OrgUnitId = grid.Id, Name = "罗玉芬", EthnicityCode = "07", IdNumber = Ids.Next(), ResidenceType = ResidenceType.Permanent }));
        await using (var db = await app.SystemDbAsync()) mark = Math.Max(mark, await db.AuditEntries.MaxAsync(a => a.Id));

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(address) };
        await ShiliuApp.PostFormAsync(http, "/account/login", "login", new() { ["Input.UserName"] = "community", ["Input.Password"] = "Wrong#Password1" });
        await ShiliuApp.PostFormAsync(http, "/account/login", "login", new() { ["Input.UserName"] = "community", ["Input.Password"] = Db.DemoPassword });
        await ShiliuApp.WithAntiforgeryAsync(http);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/v1/residents/{rid}/reveal", new { purpose = "核对身份" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/audit")).StatusCode);
        Assert.True((await http.PostAsJsonAsync("/api/v1/residents/ledger", new { orgUnitId = grid.Id, purpose = "核对台账数据" })).IsSuccessStatusCode);

        await using var check = await app.SystemDbAsync();
        // The rows the community's requests wrote (a background job may write its own meanwhile, without a request).
        var rows = await check.AuditEntries.AsNoTracking().Where(a => a.Id > mark && a.UserName == "community").OrderBy(a => a.Id).ToListAsync();
        var events = rows.Select(r => r.Event).ToHashSet();
        Assert.Superset(new HashSet<string> { AuditEvents.SignInFailed, AuditEvents.SignIn, AuditEvents.PersonalDataView, AuditEvents.PersonalDataExport }, events);
        Assert.Contains(rows, r => !r.Success);
        Assert.All(rows, r =>
        {
            Assert.InRange(DateTime.SpecifyKind(r.TimeUtc, DateTimeKind.Utc), started, DateTime.UtcNow.AddSeconds(5));
            Assert.False(string.IsNullOrEmpty(r.Event));
            Assert.False(string.IsNullOrEmpty(r.UserName), $"{r.Event} names no user");
            Assert.False(string.IsNullOrEmpty(r.Ip), $"{r.Event} has no client address");
            Assert.False(string.IsNullOrEmpty(r.RequestId), $"{r.Event} has no request id");
            Assert.False(string.IsNullOrEmpty(r.Hash), $"{r.Event} is not chained");
        });
        Assert.All(rows.Where(r => r.Event is AuditEvents.PersonalDataView or AuditEvents.PersonalDataExport), r => Assert.False(string.IsNullOrEmpty(r.OrgPath)));
    }

    /// <summary>#17: account events whose rows no other test looked for — each action writes exactly one row of its event.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Sign_out_password_change_totp_role_and_token_events_each_write_one_audit_row(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var secret = Totp.NewSecret();
        await app.EnrollTotpAsync("security", secret);
        async Task<int> Rows(string ev, string user)
        {
            await using var db = await app.SystemDbAsync();
            return await db.AuditEntries.CountAsync(a => a.Event == ev && a.UserName == user);
        }
        async Task Once(string ev, string user, Func<Task> action)
        {
            var before = await Rows(ev, user);
            await action();
            Assert.True(await Rows(ev, user) == before + 1, $"{ev} by {user}: {await Rows(ev, user) - before} rows");
        }

        var county = await ShiliuApp.WithAntiforgeryAsync(await app.SignedInClientAsync("county"));
        await Once(AuditEvents.TokenCreated, "county", async () =>
            Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/tokens", new { name = "审计测试", days = 7, password = Db.DemoPassword })).StatusCode));
        var token = (await county.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/v1/tokens"))!.First().GetProperty("id").GetString();
        await Once(AuditEvents.TokenRevoked, "county", async () => Assert.True((await county.DeleteAsync($"/api/v1/tokens/{token}")).IsSuccessStatusCode));
        // The layout's sign-out form, with the page's antiforgery token.
        var home = await (await county.GetAsync("/")).Content.ReadAsStringAsync();
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value };
        await Once(AuditEvents.SignOut, "county", async () => Assert.Equal(HttpStatusCode.Redirect, (await county.PostAsync("/account/logout", new FormUrlEncodedContent(form))).StatusCode));

        // A wrong authenticator code after the right password, then the right one.
        var browser = app.BrowserClient();
        await ShiliuApp.PostFormAsync(browser, "/account/login", "login", new() { ["Input.UserName"] = "security", ["Input.Password"] = Db.DemoPassword });
        var wrong = Totp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow) + 5);
        await Once(AuditEvents.TotpFailed, "security", () => ShiliuApp.PostFormAsync(browser, "/account/login-totp", "totp", new() { ["Input.Code"] = wrong }));
        await Once(AuditEvents.SignIn, "security", () => ShiliuApp.PostFormAsync(browser, "/account/login-totp", "totp",
            new() { ["Input.Code"] = Totp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow)) }));
        var security = await ShiliuApp.WithAntiforgeryAsync(browser);
        var leader = await app.AsAsync(null, async sp => (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync("assessor"))!.Id);
        await Once(AuditEvents.RoleGranted, "security", async () =>
            Assert.True((await security.PutAsJsonAsync($"/api/v1/users/{leader}/role", new { role = Roles.Leader })).IsSuccessStatusCode));

        await Once(AuditEvents.PasswordChanged, "township", () => app.AsAsync("township", async sp =>
        {
            var user = (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync("township"))!;
            Assert.Empty(await sp.GetRequiredService<AccountService>().ChangePasswordAsync(user, Db.DemoPassword, "Tamarind#Grove2027"));
        }));
        var fresh = Totp.NewSecret();
        await Once(AuditEvents.TotpEnabled, "community", () => app.AsAsync("community", async sp =>
        {
            var user = (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync("community"))!;
            Assert.True(await sp.GetRequiredService<AccountService>().EnableTotpAsync(user, fresh, Totp.Code(fresh, Totp.StepAt(DateTimeOffset.UtcNow))));
        }));
    }

    /// <summary>#17: a refusal by an endpoint's policy, a page's roles or a service's rule writes one row per user, route and minute.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Refused_access_is_audited_once_per_user_route_and_minute_without_the_values_in_the_address(DbProvider kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        async Task<List<AuditEntry>> Denials()
        {
            await using var db = await app.SystemDbAsync();
            return await db.AuditEntries.AsNoTracking().Where(a => a.Event == AuditEvents.AccessDenied).OrderBy(a => a.Id).ToListAsync();
        }

        var county = app.ApiClient(await app.TokenForAsync("county"));
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync("/api/v1/audit")).StatusCode);
        var row = Assert.Single(await Denials());
        Assert.Equal(("county", false), (row.UserName, row.Success));
        Assert.Contains("GET /api/v1/audit", row.Summary);
        Assert.Contains(AuditPermissions.Read, row.Summary);
        Assert.False(string.IsNullOrEmpty(row.Hash), "the row is chained");

        // A page: the grid worker is sent to the denied page each time, and audited once.
        var grid = await app.SignedInClientAsync("grid");
        for (var i = 0; i < 3; i++)
        {
            var page = await grid.GetAsync("/users");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Contains("/account/denied", page.Headers.Location!.OriginalString);
        }
        var rows = await Denials();
        Assert.Equal(2, rows.Count);
        Assert.Equal("grid", rows[1].UserName);
        Assert.Contains("GET /users", rows[1].Summary);
        Assert.Contains("系统管理员", rows[1].Summary);

        // A service's rule: the security admin grants roles, but not to itself. The address is named by its pattern, not the id.
        var secret = Totp.NewSecret();
        await app.EnrollTotpAsync("security", secret);
        var security = await ShiliuApp.WithAntiforgeryAsync(await app.SignedInClientAsync("security", Db.DemoPassword, secret));
        var self = (await app.CallerForAsync("security")).UserId!;
        Assert.Equal(HttpStatusCode.Forbidden, (await security.PutAsJsonAsync($"/api/v1/users/{self}/role", new { role = Roles.Leader })).StatusCode);
        rows = await Denials();
        Assert.Equal(3, rows.Count);
        Assert.Contains("PUT /api/v1/users/{id:guid}/role", rows[2].Summary);
        Assert.Contains(UserErrors.SelfGrant.Code, rows[2].Summary);
        Assert.DoesNotContain(self, rows[2].Summary);

        // Nobody signed in is answered 401, not audited as a refusal; a minute later the same loop is recorded again.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(null).GetAsync("/api/v1/audit")).StatusCode);
        Assert.Equal(3, (await Denials()).Count);
        clock.Advance(AccessDenials.Window + TimeSpan.FromSeconds(1));
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync("/api/v1/audit")).StatusCode);
        rows = await Denials();
        Assert.Equal(4, rows.Count);
        Assert.Equal("county", rows[3].UserName);
    }

    /// <summary>#41: the probe reports what the PostgreSQL server itself says, and start-up's verdict follows from it.</summary>
    [Fact]
    public async Task The_postgres_durability_probe_reads_the_servers_own_settings()
    {
        if (PostgresServer.AdminConnectionString is null) return; // loudly warned about by PostgresServer
        await using var app = await ShiliuApp.StartAsync(DbProvider.Postgres);
        await using var db = await app.SystemDbAsync();
        var probed = await DatabaseStartup.ProbePostgresDurabilityAsync(db);
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        foreach (var name in DatabaseStartup.PostgresDurabilitySettings)
        {
            await using var show = new Npgsql.NpgsqlCommand($"SHOW {name}", conn);
            Assert.Equal((string)(await show.ExecuteScalarAsync())!, probed[name]);
        }
        var verdict = DatabaseStartup.JudgePostgresDurability(probed, production: true);
        Assert.Equal(probed["fsync"] == "on" && probed["full_page_writes"] == "on", verdict.Refusal is null);
        Assert.Equal(probed["synchronous_commit"] == "off", verdict.Warnings.Any(w => w.Contains("synchronous_commit", StringComparison.Ordinal)));
        // The suite's servers are durable (PostgresServer, .ci/run), so a Production node starts on them, with the same warnings.
        Assert.Null(verdict.Refusal);
        Assert.Equal(verdict.Warnings, await DatabaseStartup.CheckPostgresDurabilityAsync(db, production: true));
    }

    /// <summary>#41: fsync or full_page_writes off stops a Production start, naming the setting; elsewhere, and for the rest, a warning.</summary>
    [Fact]
    public void Production_refuses_a_postgres_server_that_can_lose_or_corrupt_commits()
    {
        static Dictionary<string, string> Settings(params string[] off) => DatabaseStartup.PostgresDurabilitySettings
            .ToDictionary(n => n, n => off.Contains(n) ? "off" : n == "synchronous_commit" ? "remote_apply" : "on");
        var durable = DatabaseStartup.JudgePostgresDurability(Settings(), production: true);
        Assert.Null(durable.Refusal);
        Assert.Empty(durable.Warnings);
        foreach (var setting in new[] { "fsync", "full_page_writes" })
        {
            var refused = DatabaseStartup.JudgePostgresDurability(Settings(setting), production: true);
            Assert.Contains($"PostgreSQL 设置 {setting} 为 off，应为 on", refused.Refusal);
            Assert.Contains("生产环境拒绝启动", refused.Refusal);
            var elsewhere = DatabaseStartup.JudgePostgresDurability(Settings(setting), production: false);
            Assert.Null(elsewhere.Refusal);
            Assert.Contains(elsewhere.Warnings, w => w.Contains(setting, StringComparison.Ordinal));
        }
        var both = DatabaseStartup.JudgePostgresDurability(Settings("fsync", "full_page_writes"), production: true).Refusal!;
        Assert.True(both.Contains("fsync", StringComparison.Ordinal) && both.Contains("full_page_writes", StringComparison.Ordinal), both);
        foreach (var setting in new[] { "synchronous_commit", "data_checksums" })
        {
            var warned = DatabaseStartup.JudgePostgresDurability(Settings(setting), production: true);
            Assert.Null(warned.Refusal);
            Assert.Contains(setting, Assert.Single(warned.Warnings), StringComparison.Ordinal);
        }
    }

    /// <summary>#1: a daily job disables accounts unused for 90 days, admins' own included, one audit row each; one of each admin role stays.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Accounts_unused_for_ninety_days_are_disabled_and_audited_but_never_the_last_of_an_admin_role(DbProvider kind)
    {
        // The demo accounts (made with the template database) are older than anything the fake clock makes.
        var database = await Db.FreshAsync(kind);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // The worker is off so that only the test runs the job.
        await using var app = new ShiliuApp(kind, database, clock) { Settings = new Dictionary<string, string> { ["Jobs:Enabled"] = "false" } };
        _ = app.Server;
        Assert.Equal(TimeSpan.FromDays(1), ShiliuModules.Catalog.Job(DormantAccounts.Kind)!.Every);
        Task<IReadOnlyList<string>> Run() => app.AsAsync(null, sp => sp.GetRequiredService<DormantAccounts>().DisableAsync());

        // A second audit administrator, newer than the demo one: the older may go, one must stay.
        await app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("auditor2", "第二审计管理员",
            await app.UnitAsync("530427000000"), Db.DemoPassword, Roles.AuditAdmin, mustChange: false, demo: true));
        (await app.SignedInClientAsync("county")).Dispose();
        clock.Advance(TimeSpan.FromDays(30));
        (await app.SignedInClientAsync("grid")).Dispose();
        clock.Advance(TimeSpan.FromDays(59));
        Assert.Empty(await Run());

        clock.Advance(TimeSpan.FromDays(2));
        var disabled = await Run();
        Assert.True(new[] { "county", "township", "community", "auditor" }.All(disabled.Contains), string.Join(", ", disabled));
        // grid signed in 61 days ago; admin and security are the only ones of their roles; auditor2 is now the last auditor.
        Assert.Empty(disabled.Intersect(["grid", "admin", "security", "auditor2"]));
        await using (var db = await app.SystemDbAsync())
        {
            var state = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!, u => u.IsDisabled);
            Assert.All(disabled, name => Assert.True(state[name], name));
            Assert.Equal(state.Count - disabled.Count, state.Count(s => !s.Value));
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Event == AuditEvents.DormantDisabled).Select(a => a.Summary!).ToListAsync();
            Assert.Equal(disabled.Count, rows.Count);
            Assert.All(disabled, name => Assert.Single(rows, r => r.StartsWith($"用户 {name} 自", StringComparison.Ordinal)));
        }
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.SignedInClientAsync("county"));
        Assert.Empty(await Run());

        // Enabled again by the system administrator, the account counts its 90 days from then.
        var county = Guid.Parse((await app.CallerForAsync("county")).UserId!);
        await app.AsAsync("admin", sp => sp.GetRequiredService<UserService>().SetDisabledAsync(county, false));
        Assert.Empty(await Run());
        (await app.SignedInClientAsync("county")).Dispose();
    }

    /// <summary>#16: with Network:AdminNetworks set, the admins sign in and work only from there; a forwarded address counts only from a known proxy.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Admins_sign_in_and_work_only_from_the_admin_networks_as_seen_through_known_proxies(DbProvider kind)
    {
        const string Inside = "10.20.1.5", Outside = "198.51.100.7";
        async Task<(ShiliuApp App, Uri Address)> StartAsync(Dictionary<string, string> settings)
        {
            var app = new ShiliuApp(kind, await Db.FreshAsync(kind)) { Settings = settings };
            app.UseKestrel(0);
            app.StartServer();
            return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
        }
        // A browser behind the proxy: every request carries the address the proxy saw.
        static HttpClient From(Uri address, string forwardedFor)
        {
            var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = address };
            http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            return http;
        }
        static async Task<string> SignInAsync(HttpClient http, string user, string? secret, int step = 0)
        {
            var res = await ShiliuApp.PostFormAsync(http, "/account/login", "login", new() { ["Input.UserName"] = user, ["Input.Password"] = Db.DemoPassword });
            if (secret is not null && res.Headers.Location?.OriginalString.Contains("login-totp", StringComparison.Ordinal) == true)
                res = await ShiliuApp.PostFormAsync(http, "/account/login-totp", "totp",
                    new() { ["Input.Code"] = Totp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow) + step) });
            return res.StatusCode == HttpStatusCode.Redirect ? "redirect" : WebUtility.HtmlDecode(await res.Content.ReadAsStringAsync());
        }

        var (app, address) = await StartAsync(new() { ["Network:AdminNetworks:0"] = "10.20.0.0/16", ["Network:KnownProxies:0"] = "127.0.0.1" });
        await using (app)
        {
            var security = Totp.NewSecret();
            var auditor = Totp.NewSecret();
            await app.EnrollTotpAsync("security", security);
            await app.EnrollTotpAsync("auditor", auditor);

            // Inside: the security admin signs in and works.
            using var inside = From(address, Inside);
            Assert.Equal("redirect", await SignInAsync(inside, "security", security));
            Assert.Equal(HttpStatusCode.OK, (await inside.GetAsync("/users")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await inside.GetAsync("/api/v1/users")).StatusCode);

            // The same session from outside: the API answers 403 in Chinese, a page goes to the denied page; audited.
            using var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users");
            api.Headers.Add("X-Forwarded-For", Outside);
            inside.DefaultRequestHeaders.Remove("X-Forwarded-For");
            var refused = await inside.SendAsync(api);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("管理网段", await refused.Content.ReadAsStringAsync());
            using var page = new HttpRequestMessage(HttpMethod.Get, "/users");
            page.Headers.Add("X-Forwarded-For", Outside);
            Assert.Equal("/account/denied?network=1", (await inside.SendAsync(page)).Headers.Location!.OriginalString);

            // Outside, the auditor's password and code are right, and still it is refused, told why, and audited.
            using var outside = From(address, Outside);
            Assert.Contains("管理员账号只能在管理网段内登录和使用", await SignInAsync(outside, "auditor", auditor));
            Assert.Equal(HttpStatusCode.Unauthorized, (await outside.GetAsync("/api/v1/audit")).StatusCode);
            // A business account is not an admin: it works from anywhere.
            using var county = From(address, Outside);
            Assert.Equal("redirect", await SignInAsync(county, "county", null));
            Assert.Equal(HttpStatusCode.OK, (await county.GetAsync("/api/v1/org-units")).StatusCode);

            await using var db = await app.SystemDbAsync();
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.UserName == "security" || a.UserName == "auditor").OrderBy(a => a.Id).ToListAsync();
            Assert.Contains(rows, r => r is { UserName: "security", Event: AuditEvents.AccessDenied, Ip: Outside } && r.Summary!.Contains("管理网段", StringComparison.Ordinal));
            Assert.Contains(rows, r => r is { UserName: "auditor", Event: AuditEvents.SignInFailed, Success: false, Ip: Outside } && r.Summary!.Contains("管理网段以外", StringComparison.Ordinal));
            Assert.DoesNotContain(rows, r => r is { UserName: "auditor", Event: AuditEvents.SignIn });
        }

        // No proxy configured: a forged X-Forwarded-For naming an inside address counts for nothing.
        var (plain, plainAddress) = await StartAsync(new() { ["Network:AdminNetworks:0"] = "10.20.0.0/16" });
        await using (plain)
        {
            var secret = Totp.NewSecret();
            await plain.EnrollTotpAsync("security", secret);
            using var forged = From(plainAddress, Inside);
            Assert.Contains("当前地址 127.0.0.1 不在其中", await SignInAsync(forged, "security", secret));
        }
    }

    /// <summary>#19: everything the app logs (every level) over a resident's create, reveal, import and export holds no whole ID, phone, cookie or password.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_application_log_of_a_residents_flow_holds_no_id_number_phone_cookie_or_password(DbProvider kind)
    {
        var log = new LogCapture();
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind)) { ExtraServices = log.AddTo };
        _ = app.Server;
        var grid = await app.UnitAsync("530427001001-G01");
        var community = await app.UnitAsync("530427001001");

        var http = app.BrowserClient();
        var signIn = await ShiliuApp.PostFormAsync(http, "/account/login", "login", new() { ["Input.UserName"] = "community", ["Input.Password"] = Db.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookies = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0].Split('=', 2)[1]).Where(v => v.Length >= 16).ToList();
        Assert.NotEmpty(cookies);
        await ShiliuApp.WithAntiforgeryAsync(http);

        var idNumber = Ids.Next();
        const string Phone = "13987654321";
        var created = await http.PostAsJsonAsync("/api/v1/residents", new
            { orgUnitId = grid.Id, name = "罗玉芬", ethnicityCode = "07", idNumber, residenceType = "Permanent", phone = Phone });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rid = created.Headers.Location!.OriginalString.Split('/')[^1];
        var phones = new List<string> { Phone };
        var ids = new List<string> { idNumber };
        var revealed = await http.PostAsJsonAsync($"/api/v1/residents/{rid}/reveal", new { purpose = "核对身份信息" });
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        // A seeded resident too: its phone, once revealed, is one the log must not hold either.
        var list = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/residents?pageSize=50");
        foreach (var row in list.GetProperty("items").EnumerateArray().Take(5))
        {
            var full = await (await http.PostAsJsonAsync($"/api/v1/residents/{row.GetProperty("id").GetString()}/reveal", new { purpose = "核对身份信息" }))
                .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            ids.Add(full.GetProperty("idNumber").GetString()!);
            if (full.GetProperty("phone").GetString() is { Length: > 0 } p) phones.Add(p);
        }

        using var book = new MemoryStream();
        var made = Shiliu.Testing.ResidentWorkbooks.Write(book, 40, bad: 3, seed: 19);
        ids.AddRange(made.IdNumbers);
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(book.ToArray()), "file", "居民.xlsx" } };
        var started = await http.PostAsync($"/api/v1/residents/import?orgUnitId={community.Id}", upload);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var import = started.Headers.Location!.OriginalString;
        for (var i = 0; i < 300 && (await http.GetFromJsonAsync<System.Text.Json.JsonElement>(import)).GetProperty("status").GetString() != "Previewed"; i++)
            await Task.Delay(100);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(import + "/errors")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(import + "/commit", null)).StatusCode);
        Assert.True((await http.PostAsJsonAsync("/api/v1/residents/ledger", new { orgUnitId = community.Id, purpose = "核对台账数据" })).IsSuccessStatusCode);

        var lines = log.Lines.ToList();
        Assert.True(lines.Count > 100, $"only {lines.Count} log entries captured");
        // The framework's own request and database logs are in it, not just the app's.
        Assert.Contains(lines, l => l.Contains("/api/v1/residents/import", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal));
        var leaks = new List<string>();
        foreach (var line in lines)
        {
            foreach (Match m in Regex.Matches(line, "(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])"))
                if (IdNumber.TryParse(m.Value, out _, out _)) leaks.Add($"ID {m.Value}: {line}");
            leaks.AddRange(ids.Where(line.Contains).Select(id => $"ID {id}: {line}"));
            leaks.AddRange(phones.Where(line.Contains).Select(p => $"phone {p}: {line}"));
            leaks.AddRange(cookies.Where(line.Contains).Select(_ => $"cookie: {line}"));
            if (line.Contains("password=", StringComparison.OrdinalIgnoreCase) || line.Contains(Db.DemoPassword, StringComparison.Ordinal)) leaks.Add($"password: {line}");
        }
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Distinct().Take(20)));
    }

    /// <summary>#2, #3: a change goes through the policy, and none of the last passwords may come back.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_new_password_meets_the_policy_and_repeats_none_of_the_last_ones(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        Task<IReadOnlyList<string>> Change(string current, string next) => app.AsAsync("grid", async sp =>
        {
            var user = (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync("grid"))!;
            return await sp.GetRequiredService<AccountService>().ChangePasswordAsync(user, current, next);
        });
        Assert.NotEmpty(await Change(Db.DemoPassword, "lowercase123456"));
        var used = new List<string> { Db.DemoPassword };
        for (var i = 1; i < PasswordPolicy.HistoryDepth; i++)
        {
            var next = $"Walnut#Orchard{2030 + i}";
            Assert.Empty(await Change(used[^1], next));
            used.Add(next);
        }
        // Every one of the last HistoryDepth passwords (the current one included) is refused, in Chinese; an older one is not.
        foreach (var old in used)
            Assert.Contains(await Change(used[^1], old), e => e.Contains($"最近 {PasswordPolicy.HistoryDepth} 次", StringComparison.Ordinal));
        Assert.Empty(await Change(used[^1], "Chestnut#Valley2040"));
        Assert.Empty(await Change("Chestnut#Valley2040", used[0]));
    }

    /// <summary>#38: nothing a page needs comes from another host (no CDN, web font, analytics or map service).</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Pages_load_scripts_styles_fonts_and_images_from_the_app_itself(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var anonymous = app.BrowserClient();
        var staff = await app.SignedInClientAsync("county");
        var pages = Authorization.EndpointInventory.All(app).Where(k => k.StartsWith("PAGE /", StringComparison.Ordinal) && !k.Contains('{')).Select(k => k[5..]).ToList();
        var assets = new HashSet<string>();
        var failures = new List<string>();
        foreach (var (client, who) in new[] { (anonymous, "anonymous"), (staff, "county") })
            foreach (var page in pages)
            {
                var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
                foreach (Match m in Reference().Matches(html))
                {
                    var url = WebUtility.HtmlDecode(m.Groups["url"].Value);
                    if (Foreign(url)) failures.Add($"{page} ({who}): {m.Groups["attr"].Value}={url}");
                    else if (m.Groups["attr"].Value is "src" || url.EndsWith(".css", StringComparison.Ordinal) || url.Contains(".css?", StringComparison.Ordinal))
                        if (!url.StartsWith("data:", StringComparison.Ordinal)) assets.Add(url);
                }
            }
        foreach (var asset in assets.Where(a => a.Contains(".css", StringComparison.Ordinal)))
        {
            var css = await (await anonymous.GetAsync(asset.StartsWith('/') ? asset : "/" + asset)).Content.ReadAsStringAsync();
            foreach (Match m in CssUrl().Matches(css))
                if (Foreign(m.Groups["url"].Value.Trim('\'', '"'))) failures.Add($"{asset}: {m.Value}");
        }
        Assert.NotEmpty(assets);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    static bool Foreign(string url) =>
        (url.StartsWith("//", StringComparison.Ordinal) || Regex.IsMatch(url, "^[a-zA-Z][a-zA-Z0-9+.-]*://"))
        && !Regex.IsMatch(url, "^(https?:)?//localhost(:|/|$)", RegexOptions.IgnoreCase);

    /// <summary>What a browser fetches by itself: scripts, images, media, frames, stylesheets, icons, preloads, form targets.</summary>
    [GeneratedRegex("""<(?:script|img|iframe|video|audio|source|link|form|embed|object)\b[^>]*?\b(?<attr>src|href|action|data)\s*=\s*["'](?<url>[^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    [GeneratedRegex("""(?:url\(\s*(?<url>[^)]+)\)|@import\s+["'](?<url>[^"']+)["'])""", RegexOptions.IgnoreCase)]
    private static partial Regex CssUrl();
}
