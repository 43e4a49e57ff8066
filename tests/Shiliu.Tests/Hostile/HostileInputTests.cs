using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Authorization;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shiliu.Tests.Hostile;

/// <summary>
/// Issue 11, "prove the whole list": every field of every API endpoint, found by reflection over the app's own endpoints,
/// gets each hostile value in turn through the endpoint's matrix recipe, as a role that may call it. Each answer is either
/// a refusal in Chinese (naming the field when the value is invalid) or the value stored and read back unchanged or
/// cleaned, never anything that runs; nothing answers 5xx. New endpoints are covered as soon as they have a recipe.
/// </summary>
public sealed partial class HostileInputTests(HostileApps apps, ITestOutputHelper output) : IClassFixture<HostileApps>
{
    /// <summary>
    /// A hostile value. <paramref name="Plain"/> values are ordinary (if odd) text a stored copy keeps exactly (rich text:
    /// its text survives, its tags need not); the others carry invisible or broken characters and must be refused or cleaned.
    /// </summary>
    public sealed record Hostile(string Name, string Text, bool Plain, bool Markup = false);

    public static readonly Hostile[] Values =
    [
        new("script", "<script>alert(1)</script>", Plain: true, Markup: true),
        new("markup", "<img src=x onerror=alert(1)>\"'><b>粗</b>", Plain: true, Markup: true),
        new("sql", "' OR 1=1; DROP TABLE \"Residents\"; --", Plain: true),
        new("control", "甲\0乙\a丙\r\n丁\u001b[31m", Plain: false),
        new("bidi", "\u202Egpj.exe\u202C张三", Plain: false),
        new("emoji", "石榴🍎👨‍👩‍👧‍👦🇨🇳", Plain: true),
        new("ext-b", "𠮷野𪚥", Plain: true),
        new("traversal", "../../etc/passwd\0.jpg", Plain: false),
        new("lone-surrogate", "半" + Tap.LoneSurrogate + "个", Plain: false),
    ];

    /// <summary>The rich-text fields (sanitised HTML, SECURITY.md #24), by endpoint path and field.</summary>
    static bool IsRichText(string key, HostileField field) =>
        (key.Contains("/work-reports", StringComparison.Ordinal) && field.Path == "body")
        || (key.Contains("/campaigns/", StringComparison.Ordinal) && field.Path is "guidingIdeas" or "goals" or "mainTasks" or "body")
        || (key.Contains("/commendations/", StringComparison.Ordinal) && field.Path is "body" or "deeds");

    /// <summary>10^6 characters (ASCII, so a body with every text field filled stays a few megabytes).</summary>
    static readonly Hostile HugeValue = new("huge", string.Concat(Enumerable.Repeat("abcdefghij", 100_000)), Plain: false);

    /// <summary>Who calls an endpoint: the first of these the matrix lets in (inside its scope).</summary>
    static readonly string[] Preference =
        [Roles.CountyOfficer, Roles.TownshipOfficer, Roles.CommunityStaff, Roles.GridWorker, Roles.Leader, Roles.Assessor, Roles.SystemAdmin, Roles.SecurityAdmin, Roles.AuditAdmin];

    static bool IsOurs(Microsoft.AspNetCore.Routing.RouteEndpoint e) =>
        e.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.DeclaringType?.Assembly.GetName().Name?.StartsWith("Shiliu", StringComparison.Ordinal) == true;

    static string? RoleFor(string[] cells)
    {
        foreach (var role in Preference)
        {
            var i = Array.IndexOf(AuthorizationMatrixTests.RoleColumns, role);
            if (cells[i].Split('/')[0].StartsWith('2')) return role;
        }
        return null;
    }

    sealed class Tally
    {
        public int Endpoints, Fields, Sends, Refused, Stored, ReadBack, NotReached;
        public List<string> Failures { get; } = [];
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Every_api_field_refuses_hostile_text_in_chinese_or_keeps_it_inert(DbProvider kind)
    {
        var clock = Stopwatch.StartNew();
        var engine = await apps.EngineAsync(kind);
        var app = engine.App;
        var endpoints = EndpointInventory.ByKey(app);
        var matrix = AuthorizationMatrixTests.Matrix();
        var tally = new Tally();
        var n = 0;
        foreach (var key in endpoints.Keys.Where(k => k.Contains(" /api/v1/", StringComparison.Ordinal)).Order())
        {
            var fields = HostileField.Of(endpoints[key], app.Services);
            // The framework's own endpoints (the OpenAPI document) are not ours to harden.
            if (fields.Count == 0 || !AuthorizationMatrixTests.Recipes.TryGetValue(key, out var recipe) || !IsOurs(endpoints[key])) continue;
            if (RoleFor(matrix[key]) is not { } role)
            {
                tally.Failures.Add($"{key}: no role may call it, so no field of it is tried");
                continue;
            }
            var (ctx, tap) = await apps.ContextAsync(engine, role);
            var method = key.Split(' ')[0];
            var template = key.Split(' ')[1];
            tally.Endpoints++;
            tally.Fields += fields.Count;

            async Task SendAsync(IReadOnlyList<(HostileField Field, string Value)> changes, string what, Hostile? value)
            {
                tally.Sends++;
                tap.Arm(method, template, changes);
                HttpResponseMessage res;
                try
                {
                    res = await recipe(ctx, false);
                    if (res.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        // A per-minute limit (ID lookups) refused it before the value was looked at: a minute later, again.
                        engine.Clock.Advance(TimeSpan.FromSeconds(61));
                        res.Dispose();
                        tap.Arm(method, template, changes);
                        res = await recipe(ctx, false);
                    }
                }
                catch (InvalidOperationException e) when (e.Message.Contains("null characters", StringComparison.Ordinal))
                {
                    // The test server refuses a NUL in a path before any app code runs (Kestrel answers 400 there).
                    tally.NotReached++;
                    Trace($"{key} {what}: path with NUL refused by the server");
                    return;
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    tally.Failures.Add($"{key} {what}: the recipe itself failed: {e.GetType().Name}: {e.Message}");
                    return;
                }
                finally
                {
                    tap.Disarm();
                }
                using (res)
                {
                    if (!tap.Reached)
                    {
                        tally.NotReached++;
                        Trace($"{key} {what}: the recipe's request has no such field");
                        return;
                    }
                    var outcome = await AssessAsync(ctx.Api, endpoints, key, changes, what, value, res, tally);
                    // A refusal that names no field may come from the record's state, not the value: the recipe unchanged tells.
                    if (outcome is { } unnamed)
                    {
                        using var control = await recipe(ctx, false);
                        if ((int)control.StatusCode >= 400)
                        {
                            tally.NotReached++;
                            Trace($"{key} {what}: not reached, the unchanged recipe is refused too ({(int)control.StatusCode}): {unnamed}");
                        }
                        else tally.Failures.Add(unnamed);
                    }
                    Trace($"{key} {what}: {(int)res.StatusCode} {Shorten(await res.Content.ReadAsStringAsync())}");
                }
            }

            foreach (var field in fields)
            {
                if (field.IsString)
                    foreach (var value in Values)
                    {
                        var marked = value.Text + $"标{++n:D5}";
                        await SendAsync([(field, marked)], $"{field.Source} {field.Path} = {value.Name}", value with { Text = marked });
                        // A wrong password counts towards the lockout (it must): the suite's own caller is let in again.
                        if (field.Path.EndsWith("password", StringComparison.OrdinalIgnoreCase)) await UnlockAsync(app, AuthorizationMatrixTests.UserOf[role]);
                    }
                else
                    await SendAsync([(field, Values[0].Text)], $"{field.Source} {field.Path} ({field.Type.Name}) = script", null);
            }
            // 10^6 characters: into each query and route field (a cheap read), and once into every body text field at once.
            foreach (var field in fields.Where(f => f.IsString && f.Source != FieldSource.Body))
                await SendAsync([(field, HugeValue.Text)], $"{field.Source} {field.Path} = 10^6 characters", HugeValue);
            var strings = fields.Where(f => f.IsString && f.Source == FieldSource.Body).ToList();
            if (strings.Count > 0)
                await SendAsync(strings.Select(f => (f, HugeValue.Text)).ToList(), $"10^6 characters in {string.Join(", ", strings.Select(f => f.Path))}", HugeValue);
        }
        await PagesShowNoLiveMarkupAsync(engine, tally);
        await NoColumnHoldsHugeTextAsync(app, tally);
        output.WriteLine($"{kind}: {tally.Endpoints} endpoints, {tally.Fields} fields, {tally.Sends} requests in {clock.Elapsed.TotalSeconds:F0} s: " +
                         $"{tally.Refused} refused, {tally.Stored} accepted ({tally.ReadBack} read back), {tally.NotReached} not reachable by the recipe");
        Assert.True(tally.Failures.Count == 0, $"{tally.Failures.Count} failures:\n" + string.Join("\n", tally.Failures));
    }

    /// <summary>Checks one answer; returns the failure of a 400 that names no field (the caller decides whether the value caused it).</summary>
    static async Task<string?> AssessAsync(HttpClient api, IReadOnlyDictionary<string, Microsoft.AspNetCore.Routing.RouteEndpoint> endpoints, string key,
        IReadOnlyList<(HostileField Field, string Value)> changes, string what, Hostile? value, HttpResponseMessage res, Tally tally)
    {
        var status = (int)res.StatusCode;
        var text = await res.Content.ReadAsStringAsync();
        if (status >= 500 || status == 401)
        {
            // 401: the caller was signed in with a valid token or cookie; no field's value may end that.
            tally.Failures.Add($"{key} {what}: {status}");
            return null;
        }
        if (status >= 400)
        {
            tally.Refused++;
            if (res.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                tally.Failures.Add($"{key} {what}: {status} without a problem body ({res.Content.Headers.ContentType?.MediaType})");
                return null;
            }
            var problem = JsonDocument.Parse(text).RootElement;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
            if (!Cjk().IsMatch(detail)) tally.Failures.Add($"{key} {what}: {status} detail is not Chinese: “{detail}”");
            // A value refused as invalid is refused at its field, so a form can mark it and a client can find it.
            if (status == 400)
            {
                var named = problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                            && errors.EnumerateObject().Any(e => changes.Any(c => c.Field.IsNamedBy(e.Name)));
                if (!named) return $"{key} {what}: 400 “{Shorten(detail)}” names no field (errors: {(problem.TryGetProperty("errors", out var es) ? es.ToString() : "none")})";
            }
            return null;
        }
        tally.Stored++;
        var write = !key.StartsWith("GET ", StringComparison.Ordinal);
        // 10^6 characters accepted is checked where it matters: no column of the database may end up holding them.
        if (value is null || value == HugeValue || !write) return null;
        // Read the record back through the API: a kept value is the same text (JSON carries it inert) or a cleaned one.
        var marker = value.Text[^6..];
        var found = await ReadBackAsync(api, endpoints, key, res, text, marker);
        if (found.Count == 0) return null;
        tally.ReadBack++;
        // Derived texts (a file name made from a title, a notice quoting it) may differ; the field itself is one of them.
        var verbatim = found.Any(x => x == value.Text || x == value.Text.Trim());
        if (IsRichText(key, changes[0].Field))
        {
            if (found.FirstOrDefault(Live) is { } live) tally.Failures.Add($"{key} {what}: rich text kept as “{Shorten(live)}”, which still carries it");
            else if (value.Plain && !value.Markup && !found.Any(x => WebUtility.HtmlDecode(x).Contains(value.Text, StringComparison.Ordinal)))
                tally.Failures.Add($"{key} {what}: rich text lost its words: “{Shorten(found[0])}”");
        }
        else if (value.Plain)
        {
            if (!verbatim) tally.Failures.Add($"{key} {what}: stored as “{Shorten(found[0])}”, not as sent");
        }
        else if (verbatim)
            tally.Failures.Add($"{key} {what}: stored with its invisible or broken characters (must be refused or cleaned)");
        else if (found.FirstOrDefault(Live) is { } live)
            tally.Failures.Add($"{key} {what}: “cleaned” to “{Shorten(live)}”, which still carries it");
        return null;
    }

    /// <summary>What a cleaned text must no longer carry: script, handlers, control or bidi-override characters, broken UTF-16.</summary>
    static bool Live(string s) =>
        s.Contains("<script", StringComparison.OrdinalIgnoreCase) || s.Contains("onerror", StringComparison.OrdinalIgnoreCase)
        || s.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') || s.Any(c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
        || !IsWellFormed(s);

    static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }

    /// <summary>
    /// Every stored text carrying the marker, from the record the request wrote: its Location, the detail route of the
    /// id it returned or acted on, else the list it belongs to, else the answer itself.
    /// </summary>
    static async Task<List<string>> ReadBackAsync(HttpClient api, IReadOnlyDictionary<string, Microsoft.AspNetCore.Routing.RouteEndpoint> endpoints,
        string key, HttpResponseMessage res, string answer, string marker)
    {
        var template = key.Split(' ')[1];
        var sent = res.RequestMessage!.RequestUri!.AbsolutePath;
        var candidates = new List<string>();
        if (res.Headers.Location is { } location) candidates.Add(location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString);
        // The sent path cut back to the deepest {id} whose GET route exists, e.g. /residents/{id}/transfers → /residents/{id}.
        var t = template.Split('/');
        var s = sent.Split('/');
        for (var i = Math.Min(t.Length, s.Length); i > 0; i--)
            if (endpoints.ContainsKey("GET " + string.Join('/', t[..i])) && t[i - 1].StartsWith('{')) candidates.Add(string.Join('/', s[..i]));
        // An id in the answer: the detail route of the nearest collection above (/evidence/text → /evidence/{id}).
        if (TryId(answer) is { } id)
            for (var i = t.Length; i > 3; i--)
            {
                var collection = string.Join('/', t[..i]).TrimEnd('/');
                if (!collection.Contains('{') && endpoints.ContainsKey($"GET {collection}/{{id:guid}}")) candidates.Add($"{collection}/{id}");
            }
        var list = "GET " + string.Join('/', t.TakeWhile(x => !x.StartsWith('{'))).TrimEnd('/') + "/";
        if (endpoints.ContainsKey(list)) candidates.Add(list[4..]);
        foreach (var path in candidates)
        {
            using var back = await api.GetAsync(path);
            if (!back.IsSuccessStatusCode) continue;
            var found = Strings(await back.Content.ReadAsStringAsync()).Where(x => x.Contains(marker, StringComparison.Ordinal)).ToList();
            if (found.Count > 0) return found;
        }
        return Strings(answer).Where(x => x.Contains(marker, StringComparison.Ordinal)).ToList();
    }

    static string? TryId(string json)
    {
        try
        {
            var root = JsonDocument.Parse(json).RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) ? id.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static IEnumerable<string> Strings(string json)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            yield break;
        }
        var stack = new Stack<JsonElement>([root]);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            switch (e.ValueKind)
            {
                case JsonValueKind.String: yield return e.GetString()!; break;
                case JsonValueKind.Array: foreach (var x in e.EnumerateArray()) stack.Push(x); break;
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) stack.Push(p.Value); break;
            }
        }
    }

    /// <summary>Every staff page, rendered as the county office and the system administrator after the values above were stored.</summary>
    async Task PagesShowNoLiveMarkupAsync(HostileApps.Engine engine, Tally tally)
    {
        var pages = EndpointInventory.All(engine.App).Where(k => k.StartsWith("PAGE /", StringComparison.Ordinal) && !k.Contains('{')).Select(k => k[5..]).ToList();
        foreach (var role in new[] { Roles.CountyOfficer, Roles.SystemAdmin })
        {
            var (ctx, _) = await apps.ContextAsync(engine, role);
            foreach (var page in pages)
            {
                using var res = await ctx.Browser.GetAsync(page);
                if ((int)res.StatusCode >= 500) tally.Failures.Add($"PAGE {page} as {role}: {(int)res.StatusCode}");
                var html = await res.Content.ReadAsStringAsync();
                if (LiveMarkup().Match(html) is { Success: true } m) tally.Failures.Add($"PAGE {page} as {role}: renders stored markup live: {m.Value}");
            }
        }
    }

    void Trace(string line)
    {
        if (Environment.GetEnvironmentVariable("SHILIU_HOSTILE_TRACE") == "1") output.WriteLine(line);
    }

    static async Task UnlockAsync(ShiliuApp app, string userName) => await app.AsAsync(null, async sp =>
    {
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByNameAsync(userName))!;
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
    });

    /// <summary>Every text column of every table: none may hold the 10^6 characters the suite sent (a field without a limit).</summary>
    static async Task NoColumnHoldsHugeTextAsync(ShiliuApp app, Tally tally)
    {
        await using var db = await app.SystemDbAsync();
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync();
        foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.GetViewName() is null && !e.IsOwned()))
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            foreach (var column in entity.GetProperties().Where(p => p.ClrType == typeof(string)).Select(p => p.GetColumnName(table)).OfType<string>().Distinct())
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = $"SELECT MAX(LENGTH(\"{column}\")) FROM \"{table.Name}\"";
                if (await cmd.ExecuteScalarAsync() is { } max and not DBNull && Convert.ToInt64(max) >= HugeValue.Text.Length)
                    tally.Failures.Add($"{table.Name}.{column} holds {Convert.ToInt64(max):N0} characters: a field reached it without a length limit");
            }
        }
    }

    static string Shorten(string s) => s.Length > 80 ? s[..80] + "…" : s;

    /// <summary>Stored markup as live tags (encoded text, or an attribute value, is inert).</summary>
    [GeneratedRegex(@"<script>alert\(1\)|<img src=x onerror")]
    private static partial Regex LiveMarkup();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    internal static partial Regex Cjk();
}
