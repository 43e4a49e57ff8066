using System.Net.Http.Json;
using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Core.Residents.Import;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;
using Shiliu.Web.Hosting;

namespace Shiliu.Tests.Platform;

/// <summary>Controls of SECURITY.md that were implemented but had no test (issue 11, "prove the whole list").</summary>
public sealed class ControlTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_session_ends_eight_hours_after_sign_in_however_active_it_is(DbProvider kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var c = await app.SignedInClientAsync("county");
        // Busy all day: a request every 10 minutes keeps the idle clock from ever running out.
        for (var t = TimeSpan.FromMinutes(10); t < TimeSpan.FromHours(8); t += TimeSpan.FromMinutes(10))
        {
            clock.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/v1/me")).StatusCode);
        }
        // 8 h 1 min after sign-in, 11 minutes after the last click (well inside the idle limit).
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/v1/me")).StatusCode);
        await using var db = await app.SystemDbAsync();
        Assert.Equal("absolute", (await db.UserSessions.OrderByDescending(s => s.CreatedUtc).FirstAsync()).EndReason);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Past_ninety_days_every_page_and_endpoint_outside_the_password_change_answers_must_change(DbProvider kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var c = await app.SignedInClientAsync("county");
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/v1/me")).StatusCode);
        // Active every 10 minutes the session would live; the password's age is what is tested, so sign in again.
        clock.Advance(PasswordPolicy.MaxAge + TimeSpan.FromDays(1));
        c = await app.SignedInClientAsync("county");
        var api = await c.GetAsync("/api/v1/org-units");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("account.gate", await api.Content.ReadAsStringAsync());
        var page = await c.GetAsync("/residents");
        Assert.Equal("/account/change-password", page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/account/change-password")).StatusCode);
    }

    [Fact]
    public async Task In_production_the_sign_in_cookie_is_host_only_secure_http_only_and_same_site_lax()
    {
        await using var app = new ShiliuApp(DbProvider.Sqlite, await Db.FreshAsync(DbProvider.Sqlite))
            { Settings = new Dictionary<string, string> { ["environment"] = "Production", ["Shiliu:SeedDemo"] = "false" } };
        _ = app.Server;
        var c = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
            { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        // A browser's first visit: the sign-in page sets its antiforgery cookie and carries the matching token.
        var first = await c.GetAsync("/account/login");
        var pairCookie = first.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        var pairToken = System.Text.RegularExpressions.Regex.Match(await first.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var login = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
                { ["Input.UserName"] = "county", ["Input.Password"] = Db.DemoPassword, ["__RequestVerificationToken"] = pairToken, ["_handler"] = "login" }),
        };
        login.Headers.Add("Cookie", pairCookie);
        var res = await c.SendAsync(login);
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var auth = res.Headers.GetValues("Set-Cookie").Single(h => h.StartsWith("__Host-shiliu=", StringComparison.Ordinal)).ToLowerInvariant();
        foreach (var flag in new[] { "path=/", "secure", "samesite=lax", "httponly" }) Assert.Contains(flag, auth);
        Assert.DoesNotContain("domain=", auth);
        Assert.DoesNotContain("expires=", auth); // a session cookie: the server-side session sets the limits
    }

    [Fact]
    public async Task In_production_https_answers_carry_hsts_for_a_year_with_subdomains()
    {
        await using var app = new ShiliuApp(DbProvider.Sqlite, await Db.FreshAsync(DbProvider.Sqlite))
            { Settings = new Dictionary<string, string> { ["environment"] = "Production", ["Shiliu:SeedDemo"] = "false" } };
        _ = app.Server;
        var c = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://shiliu.example") });
        var hsts = (await c.GetAsync("/account/login")).Headers.GetValues("Strict-Transport-Security").Single();
        Assert.Matches(@"max-age=(\d+)", hsts);
        Assert.True(long.Parse(System.Text.RegularExpressions.Regex.Match(hsts, @"max-age=(\d+)").Groups[1].Value) >= 31_536_000, hsts);
        Assert.Contains("includeSubDomains", hsts);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_open_page_rechecks_its_session_every_sixty_seconds_and_loses_it_once_ended(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var provider = new SessionRevalidatingStateProvider(NullLoggerFactory.Instance, app.Services.GetRequiredService<IServiceScopeFactory>());
        var interval = (TimeSpan)typeof(SessionRevalidatingStateProvider).GetProperty("RevalidationInterval", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(provider)!;
        Assert.Equal(TimeSpan.FromSeconds(60), interval);
        var user = await app.AsAsync(null, async sp => (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync("county"))!.Id);
        var sid = await app.AsAsync(null, sp => sp.GetRequiredService<SessionService>().StartAsync(user, "127.0.0.1"));
        var state = new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ShiliuClaims.SessionId, sid.ToString())], "test")));
        var validate = typeof(SessionRevalidatingStateProvider).GetMethod("ValidateAuthenticationStateAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
        Task<bool> Check() => (Task<bool>)validate.Invoke(provider, [state, CancellationToken.None])!;
        Assert.True(await Check());
        // Signed out in another tab (or disabled, or timed out): the next check of this page fails.
        await app.AsAsync(null, sp => sp.GetRequiredService<SessionService>().EndAsync(sid, "signout"));
        Assert.False(await Check());
    }

    [Fact]
    public async Task Signing_out_clears_the_browsers_cache_and_storage()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var c = await app.SignedInClientAsync("county");
        // The layout's sign-out form posts to /account/logout with the page's antiforgery token; post it the same way.
        var res = await c.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = System.Text.RegularExpressions.Regex.Match(await (await c.GetAsync("/")).Content.ReadAsStringAsync(),
                "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal("\"cache\", \"storage\"", res.Headers.GetValues("Clear-Site-Data").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public void The_xlsx_reader_refuses_an_external_entity_and_reads_no_file()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "SECRET-FROM-DISK");
        const string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        using var ms = Evidence.TestFiles.HandWorkbook("""<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>""",
            $"""<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file://{secret}">]><sst xmlns="{ns}"><si><t>&x;</t></si></sst>""");
        foreach (var lazy in new[] { false, true })
        {
            ms.Position = 0;
            var e = Assert.ThrowsAny<Exception>(() =>
            {
                using var reader = XlsxReader.Open(ms, lazyStrings: lazy);
                return reader.Rows().Select(r => r[0]?.Text).ToList();
            });
            Assert.DoesNotContain("SECRET-FROM-DISK", e.ToString());
            // Refused as a file that is not a proper workbook (the DTD is prohibited), not read with the entity expanded.
            Assert.True(e is RuleViolation or System.Xml.XmlException, e.ToString());
        }
        File.Delete(secret);
    }

    [Fact]
    public async Task Sqlite_runs_with_the_durable_settings_refuses_to_start_without_them_and_leaves_no_deleted_data_behind()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        await using (var db = await app.SystemDbAsync())
        {
            var conn = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            foreach (var (pragma, expected) in new[] { ("journal_mode", "wal"), ("synchronous", "2"), ("foreign_keys", "1"), ("busy_timeout", "5000"), ("secure_delete", "1") })
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = $"PRAGMA {pragma};";
                Assert.Equal(expected, Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
            }
            // A row with a marker, deleted and checkpointed: the bytes are gone from the file and the WAL.
            var marker = $"MARKER-{Guid.NewGuid():N}";
            var user = await db.Users.Where(u => u.UserName == "county").Select(u => u.Id).SingleAsync();
            db.UserSessions.Add(new UserSession { UserId = user, CreatedUtc = DateTime.UtcNow, LastSeenUtc = DateTime.UtcNow, Ip = marker });
            db.SaveChanges();
            await db.UserSessions.Where(s => s.Ip == marker).ExecuteDeleteAsync();
            await using (var cp = conn.CreateCommand())
            {
                cp.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await cp.ExecuteNonQueryAsync();
            }
            var file = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
            foreach (var f in new[] { file, file + "-wal" }.Where(File.Exists))
            {
                await using var s = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                var bytes = new byte[s.Length];
                s.ReadExactly(bytes);
                Assert.DoesNotContain(marker, Encoding.ASCII.GetString(bytes));
            }
        }
        // Opened without the settings (no WAL, no full sync), the start-up probe refuses.
        var bare = Path.Combine(Path.GetTempPath(), $"bare-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<ShiliuDb>().UseSqlite($"Data Source={bare}", x => x.MigrationsAssembly("Shiliu.Migrations.Sqlite")).Options;
        await using var plain = new ShiliuDb(options, new FixedCaller(Caller.System("test")), TimeProvider.System, AuditChain.WithRandomKey());
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseStartup.MigrateAsync(plain));
        Assert.Contains("拒绝启动", refused.Message);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task When_the_audit_log_cannot_be_written_unmasking_and_export_fail_closed(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var id = Ids.Next();
        var rid = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
            { OrgUnitId = unit.Id, Name = "罗玉芬", EthnicityCode = "07", IdNumber = id, ResidenceType = ResidenceType.Permanent }));
        var api = app.ApiClient(await app.TokenForAsync("community")); // made before the outage: making one is audited too
        await using (var db = await app.SystemDbAsync())
        {
            // An audit outage: every insert into the log fails.
            if (db.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("CREATE FUNCTION audit_outage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;");
                await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER audit_outage BEFORE INSERT ON \"AuditEntries\" FOR EACH ROW EXECUTE FUNCTION audit_outage();");
            }
            else await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER audit_outage BEFORE INSERT ON AuditEntries BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END;");
        }
        string? revealed = null;
        await Assert.ThrowsAnyAsync<Exception>(async () => revealed = (await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().RevealAsync(rid, "核对身份"))).IdNumber);
        Assert.Null(revealed);
        var ledger = await api.PostAsJsonAsync("/api/v1/residents/ledger", new { orgUnitId = unit.Id, purpose = "核对台账数据" });
        Assert.True(ledger.StatusCode == HttpStatusCode.InternalServerError, $"{ledger.StatusCode} {await ledger.Content.ReadAsStringAsync()}");
        Assert.NotEqual("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ledger.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(IdNumber.Mask(id), await ledger.Content.ReadAsStringAsync());
        // Nor did the unaudited look leave a trace in the record's history.
        await using var check = await app.SystemDbAsync();
        Assert.DoesNotContain(await check.ResidentChanges.Where(c => c.ResidentId == rid).Select(c => c.Action).ToListAsync(), a => a == "查看完整信息");
    }
}
