using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>
/// The data scope is written as a path range (prefix &lt;= path &lt; End(prefix)) so indexes serve it on both engines.
/// These tests hold the range to the meaning of "starts with" and SQLite's plans to the index.
/// </summary>
public sealed class ScopeRangeTests
{
    [Theory]
    [InlineData("/a/", "/a0")]
    [InlineData("/530427/", "/5304270")]
    [InlineData("\u0001", "\u0002")]
    [InlineData("", "\uffff")]
    [InlineData("/a\uffff", "/b")]
    public void The_end_of_a_prefix_is_the_first_string_after_its_subtree(string prefix, string end)
    {
        Assert.Equal(end, OrgPaths.End(prefix));
        foreach (var inside in new[] { prefix, prefix + "0", prefix + "ffff/", prefix + "~~~~" })
            Assert.True(string.CompareOrdinal(inside, prefix) >= 0 && string.CompareOrdinal(inside, end) < 0, inside);
    }

    static readonly string[] Users = ["county", "township", "community", "community2", "grid", "leader", "assessor"];

    /// <summary>For every scoped table and every demo user, the rows the filter lets through are exactly those whose path
    /// (or, for a hand-over, receiving path) starts with the user's, counted over every row of the demo county.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_scope_range_lets_through_exactly_the_subtree(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await using var system = await app.SystemDbAsync();
        var types = system.Model.GetEntityTypes().Where(t => typeof(IOrgOwned).IsAssignableFrom(t.ClrType) && !t.IsOwned() && t.BaseType is null)
            .Select(t => t.ClrType).ToList();
        Assert.Contains(typeof(Shiliu.Core.Residents.Resident), types);
        var method = typeof(ScopeRangeTests).GetMethod(nameof(PathsAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var all = new Dictionary<Type, List<(string Path, string? To)>>();
        foreach (var t in types) all[t] = await (Task<List<(string, string?)>>)method.MakeGenericMethod(t).Invoke(null, [system])!;
        Assert.True(all.Values.Sum(v => v.Count) > 100, "the demo county has rows to scope");

        foreach (var user in Users)
        {
            var caller = await app.CallerForAsync(user);
            await app.AsAsync(user, async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
                foreach (var t in types)
                {
                    var seen = await (Task<List<(string Path, string? To)>>)method.MakeGenericMethod(t).Invoke(null, [db])!;
                    var expected = all[t].Where(r => caller.InScope(r.Path) || (r.To is not null && caller.InScope(r.To))).Select(r => r.Path).Order(StringComparer.Ordinal);
                    Assert.True(expected.SequenceEqual(seen.Select(r => r.Path).Order(StringComparer.Ordinal)), $"{user} on {t.Name}");
                }
            });
        }
    }

    static async Task<List<(string, string?)>> PathsAsync<T>(ShiliuDb db) where T : class, IOrgOwned
    {
        var path = typeof(T) == typeof(Shiliu.Core.Organizations.OrgUnit) ? "Path" : nameof(IOrgOwned.OrgPath);
        var handed = typeof(IHandedOver).IsAssignableFrom(typeof(T));
        var rows = await db.Set<T>().AsNoTracking()
            .Select(e => new { P = EF.Property<string>(e, path), To = handed ? EF.Property<string?>(e, nameof(IHandedOver.HandoverToPath)) : null })
            .ToListAsync();
        return rows.Select(r => (r.P, r.To)).ToList();
    }

    /// <summary>SQLite answers a community's scoped lists from the path indexes, not by reading the table.</summary>
    [Fact]
    public async Task Sqlite_finds_a_community_s_rows_through_the_path_index()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        await app.AsAsync("community", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            var plans = new Dictionary<string, string>
            {
                ["Residents"] = await PlanAsync(db, db.Set<Shiliu.Core.Residents.Resident>().OrderBy(r => r.HouseholdNo).Take(20)),
                ["ServiceCases"] = await PlanAsync(db, db.Set<Shiliu.Core.ServiceCases.ServiceCase>().OrderByDescending(c => c.AcceptedUtc).Take(20)),
                ["Visits"] = await PlanAsync(db, db.Set<Shiliu.Core.Residents.Visit>().Take(20)),
            };
            foreach (var (table, plan) in plans)
            {
                // EF aliases the table (SEARCH r …); the index names it.
                Assert.DoesNotMatch(@"(?m)^SCAN \w+$", plan);
                Assert.Matches($@"SEARCH \w+ USING (COVERING )?INDEX IX_{table}_\w+ \(OrgPath>\? AND OrgPath<\?\)", plan);
            }
        });
    }

    /// <summary>
    /// The scope's two path ranges look selective to SQLite (no STAT4) even when they hold the whole county, so the overdue
    /// list names its index: for the county and for a community the plan searches the overdue index, not the path indexes.
    /// </summary>
    [Fact]
    public async Task Sqlite_finds_overdue_cases_through_the_overdue_index_at_every_level()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        foreach (var user in new[] { "county", "community" })
        {
            await app.AsAsync(user, async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
                await db.Database.OpenConnectionAsync();
                var now = DateTime.UtcNow;
                var overdue = db.Set<Shiliu.Core.ServiceCases.ServiceCase>()
                    .Where(c => c.Status == Shiliu.Core.ServiceCases.ServiceCaseStatus.InProgress && c.DueUtc < now)
                    .PreferIndexOnSqlite("ServiceCases", "IX_ServiceCases_Overdue")
                    .OrderByDescending(c => c.AcceptedUtc).ThenByDescending(c => c.Id).Select(c => c.Id).Take(20);
                var plan = await PlanAsync(db, overdue);
                Assert.Matches(@"SEARCH \w+ USING COVERING INDEX IX_ServiceCases_Overdue \(Status=\? AND DueUtc<\?\)", plan);
                Assert.DoesNotContain("MULTI-INDEX OR", plan);
            });
        }
    }

    /// <summary>The county's plain case list walks the date index from the newest case and stops at the page: no sort of the county.</summary>
    [Fact]
    public async Task Sqlite_reads_the_county_s_newest_cases_from_the_date_index_without_sorting()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        await app.AsAsync("county", async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            var newest = db.Set<Shiliu.Core.ServiceCases.ServiceCase>().PreferIndexOnSqlite("ServiceCases", "IX_ServiceCases_Recent")
                .OrderByDescending(c => c.AcceptedUtc).ThenByDescending(c => c.Id).Select(c => c.Id).Take(20);
            var plan = await PlanAsync(db, newest);
            Assert.Matches(@"SCAN \w+ USING COVERING INDEX IX_ServiceCases_Recent", plan);
            Assert.DoesNotContain("TEMP B-TREE", plan);
        });
    }

    /// <summary>The hint reaches the commands EF executes on SQLite (a missing index fails there) and is a mere comment on PostgreSQL.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_index_hint_is_applied_on_sqlite_and_ignored_on_postgres(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await using var db = await app.SystemDbAsync();
        var hinted = db.Set<Shiliu.Core.ServiceCases.ServiceCase>().PreferIndexOnSqlite("ServiceCases", "IX_No_Such_Index");
        if (kind == DbProvider.Sqlite)
        {
            var e = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => hinted.CountAsync());
            Assert.Contains("no such index: IX_No_Such_Index", e.Message);
        }
        else
        {
            Assert.Equal(await db.Set<Shiliu.Core.ServiceCases.ServiceCase>().CountAsync(), await hinted.CountAsync());
        }
        Assert.Throws<ArgumentException>(() => db.Set<Shiliu.Core.ServiceCases.ServiceCase>().PreferIndexOnSqlite("ServiceCases\" AS x; --", "IX"));
    }

    static async Task<string> PlanAsync<T>(ShiliuDb db, IQueryable<T> query)
    {
        await using DbCommand cmd = query.CreateDbCommand();
        // CreateDbCommand skips the interceptors; the index hints are applied as they are on execution.
        cmd.CommandText = "EXPLAIN QUERY PLAN " + SqliteIndexHints.Rewrite(cmd.CommandText);
        await using var reader = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
        return string.Join("\n", lines);
    }
}
