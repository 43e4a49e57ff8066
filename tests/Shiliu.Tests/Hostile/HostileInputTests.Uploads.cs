using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Hostile;

/// <summary>Uploads: hostile file names and form fields on the evidence upload and the residents import.</summary>
public sealed partial class HostileInputTests
{
    /// <summary>File names a hostile or careless client sends.</summary>
    public static readonly string[] FileNames =
    [
        "../../etc/passwd.jpg",
        "..\\..\\..\\Windows\\win.ini.jpg",
        "/etc/cron.d/evil.jpg",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd.jpg",
        "照片\0.php.jpg",
        "照片\u202Egpj.exe",
        "照片\u2067gpj.exe\u2069.jpg",
        new string('长', 296) + ".jpg",
        "石榴🍎👨‍👩‍👧‍👦.jpg",
        "𠮷野家.jpg",
        "<script>alert(1)</script>.jpg",
        "a\r\nContent-Type: text/html.jpg",
        ".jpg",
        "....",
        "CON.jpg",
    ];

    /// <summary>What a stored file name may never carry: a path, a parent step, control or bidi-override characters, or excess length.</summary>
    static string? Unsafe(string stored)
    {
        if (stored.IndexOfAny(['/', '\\']) >= 0) return "a path separator";
        if (stored.Trim('.', ' ').Length == 0 || stored.StartsWith("..", StringComparison.Ordinal)) return "a parent step or only dots";
        if (stored.Any(char.IsControl)) return "a control character";
        if (stored.Any(Validation.IsBidiControl)) return "a bidi override";
        if (stored.Any(char.IsSurrogate) && !IsWellFormed(stored)) return "a broken character";
        if (stored.Length > 120) return $"{stored.Length} characters";
        return null;
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Uploaded_file_names_are_cleaned_and_files_stay_inside_the_store(DbProvider kind)
    {
        var engine = await apps.EngineAsync(kind);
        var app = engine.App;
        var (county, _) = await apps.ContextAsync(engine, Roles.CountyOfficer);
        var (township, _) = await apps.ContextAsync(engine, Roles.TownshipOfficer);
        var community = await app.UnitAsync("530427001001");
        var grid = await app.UnitAsync("530427001001-G01");
        var before = Outside(app);
        var failures = new List<string>();
        var seed = 0;
        foreach (var name in FileNames)
        {
            var shown = Show(name);
            // Evidence: a real photo under the hostile name.
            using var photo = new ByteArrayContent(Evidence.TestFiles.Jpeg(24, 16, new SkiaSharp.SKColor((byte)seed, (byte)(seed * 7), 99)));
            photo.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = name };
            using var form = new MultipartFormDataContent { { new StringContent(community.Id.ToString()), "orgUnitId" }, { new StringContent("2019"), "year" }, photo };
            using var res = await county.Api.PostAsync("/api/v1/evidence", form);
            var text = await res.Content.ReadAsStringAsync();
            if (!res.IsSuccessStatusCode) failures.Add($"evidence “{shown}”: {(int)res.StatusCode} {Shorten(text)}");
            else
            {
                var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
                var stored = JsonDocument.Parse(await county.Api.GetStringAsync($"/api/v1/evidence/{id}")).RootElement.GetProperty("fileName").GetString()!;
                output.WriteLine($"evidence “{shown}” → “{Show(stored)}”");
                if (Unsafe(stored) is { } why) failures.Add($"evidence “{shown}” stored as “{Show(stored)}”: {why}");
                using var download = await county.Api.GetAsync($"/api/v1/evidence/{id}/content?download=true");
                var disposition = download.Content.Headers.ContentDisposition;
                var sent = disposition?.FileNameStar ?? disposition?.FileName?.Trim('"') ?? "";
                if (Unsafe(sent) is { } why2) failures.Add($"evidence “{shown}” downloads as “{Show(sent)}”: {why2}");
            }
            // Residents import: a real workbook under the hostile name.
            using var book = new ByteArrayContent(Residents.ImportTests.Book(2, 0, seed: 700 + seed++));
            book.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = name };
            using var upload = new MultipartFormDataContent { book };
            using var imported = await township.Api.PostAsync($"/api/v1/residents/import?orgUnitId={grid.Id}", upload);
            var answer = await imported.Content.ReadAsStringAsync();
            if (!imported.IsSuccessStatusCode)
            {
                output.WriteLine($"import “{shown}” → {(int)imported.StatusCode} {Shorten(answer)}");
                if ((int)imported.StatusCode >= 500 || !Cjk().IsMatch(answer)) failures.Add($"import “{shown}”: {(int)imported.StatusCode} {Shorten(answer)}");
                continue;
            }
            var job = JsonDocument.Parse(answer).RootElement.GetProperty("id").GetString();
            var jobName = JsonDocument.Parse(await township.Api.GetStringAsync($"/api/v1/residents/import/{job}")).RootElement.GetProperty("fileName").GetString()!;
            output.WriteLine($"import “{shown}” → “{Show(jobName)}”");
            if (Unsafe(jobName) is { } why3) failures.Add($"import “{shown}” stored as “{Show(jobName)}”: {why3}");
            await township.Api.PostAsync($"/api/v1/residents/import/{job}/cancel", null);
        }
        var created = Outside(app).Except(before).ToList();
        Assert.True(created.Count == 0, "written outside the store: " + string.Join(", ", created));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Evidence_upload_form_fields_refuse_hostile_text_in_chinese_or_keep_it_inert(DbProvider kind)
    {
        var engine = await apps.EngineAsync(kind);
        var (county, _) = await apps.ContextAsync(engine, Roles.CountyOfficer);
        var community = await engine.App.UnitAsync("530427001001");
        var failures = new List<string>();
        var n = 0;
        foreach (var field in new[] { "title", "description", "tags" })
            foreach (var value in Values.Append(HugeValue))
            {
                n++;
                var sent = value == HugeValue ? value.Text : value.Text + $"件{n:D5}";
                using var photo = new ByteArrayContent(Evidence.TestFiles.Jpeg(20, 12, new SkiaSharp.SKColor((byte)n, 3, (byte)(n * 5))));
                photo.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = "照片.jpg" };
                // The text travels as UTF-8; a lone surrogate as the bytes a careless client would encode it to.
                var bytes = sent.Split(Tap.LoneSurrogate).Select(System.Text.Encoding.UTF8.GetBytes)
                    .Aggregate((a, b) => [.. a, 0xED, 0xA0, 0x80, .. b]);
                using var form = new MultipartFormDataContent
                {
                    { new StringContent(community.Id.ToString()), "orgUnitId" }, { new StringContent("2019"), "year" }, { new ByteArrayContent(bytes), field }, photo,
                };
                using var res = await county.Api.PostAsync("/api/v1/evidence", form);
                var text = await res.Content.ReadAsStringAsync();
                var what = $"{field} = {value.Name}";
                if ((int)res.StatusCode >= 500) failures.Add($"{what}: {(int)res.StatusCode}");
                else if ((int)res.StatusCode >= 400)
                {
                    if (!Cjk().IsMatch(text)) failures.Add($"{what}: {(int)res.StatusCode} not in Chinese: {Shorten(text)}");
                }
                else if (value == HugeValue) failures.Add($"{what}: 10^6 characters accepted");
                else
                {
                    var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
                    var stored = Strings(await county.Api.GetStringAsync($"/api/v1/evidence/{id}")).Where(s => s.Contains(sent[^6..], StringComparison.Ordinal)).ToList();
                    if (value.Plain && !stored.Contains(sent)) failures.Add($"{what}: stored as “{Show(stored.FirstOrDefault() ?? "")}”, not as sent");
                    if (!value.Plain && stored.FirstOrDefault(Live) is { } live) failures.Add($"{what}: stored as “{Show(live)}”");
                }
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Files under the temp folder outside the app's data folder (where a traversal would land), and under /etc.</summary>
    static HashSet<string> Outside(ShiliuApp app)
    {
        var parent = Path.GetDirectoryName(app.DataDir)!;
        var files = Directory.EnumerateFiles(parent, "*", new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true })
            .Concat(Directory.EnumerateFiles("/etc", "*.jpg", new EnumerationOptions { IgnoreInaccessible = true }))
            .Concat(Directory.Exists("/etc/cron.d") ? Directory.EnumerateFiles("/etc/cron.d") : []);
        return files.Where(f => f.Contains("passwd", StringComparison.Ordinal) || f.Contains("evil", StringComparison.Ordinal) || f.Contains("win.ini", StringComparison.Ordinal)
                                || f.EndsWith(".jpg", StringComparison.Ordinal)).ToHashSet();
    }

    /// <summary>A name as a report can show it: invisible characters spelled out.</summary>
    static string Show(string s) => Shorten(string.Concat(s.Select(c => char.IsControl(c) || Validation.IsBidiControl(c) ? $"\\u{(int)c:X4}" : c.ToString())));
}
