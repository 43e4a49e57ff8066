using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Shiliu.Bench;

/// <summary>VmRSS (resident now) and VmHWM (peak resident since start) of a process, in MB.</summary>
sealed record Memory(long RssMb, long PeakMb)
{
    public static Memory Of(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line) / 1024;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kb(line) / 1024;
        }
        return new Memory(rss, peak);

        static long Kb(string l) => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// One upload and download of the same file. Memory is read before, after the upload and after the download;
/// <see cref="UploadMaxRssMb"/>/<see cref="DownloadMaxRssMb"/> are the highest VmRSS seen while sampling every 20 ms.
/// </summary>
sealed record TransferResult(int Run, long Bytes, double UploadSeconds, double DownloadSeconds, Memory Before, Memory AfterUpload, Memory AfterDownload,
    long UploadMaxRssMb, long DownloadMaxRssMb)
{
    public double UploadMBps => Bytes / 1048576.0 / UploadSeconds;
    public double DownloadMBps => Bytes / 1048576.0 / DownloadSeconds;
}

/// <summary>How many rows a list query should count: what the bench inserted plus what it uploaded through the API.</summary>
sealed class EvidenceCounts
{
    public int Total { get; private set; }
    public int Tagged { get; private set; }
    readonly Dictionary<Guid, int> perUnit = [];
    readonly Dictionary<int, int> perCriterion = [];

    public void Add(Guid unit, int criterion, bool tagged = false)
    {
        Total++;
        if (tagged) Tagged++;
        perUnit[unit] = perUnit.GetValueOrDefault(unit) + 1;
        perCriterion[criterion] = perCriterion.GetValueOrDefault(criterion) + 1;
    }

    public int OfUnit(Guid unit) => perUnit.GetValueOrDefault(unit);
    public int OfCriterion(int no) => perCriterion.GetValueOrDefault(no);
}

/// <summary>
/// The evidence archive under load: a large video streamed up and down (throughput, server memory), and the list
/// endpoint over an archive of 10^5 items.
/// </summary>
static class EvidenceBench
{
    const string TimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    public const int UploadCriterion = 5;
    /// <summary>The tag every tenth inserted row carries, for the keyword query.</summary>
    public const string Keyword = "文化墙";

    /// <summary>
    /// An MP4-shaped file of random bytes on disk: an ftyp box at offset 4 (brand isom) is what the server's sniffer
    /// calls video/mp4; random data does not compress, so no layer can cheat.
    /// </summary>
    public static string MakeVideo(string dir, int megabytes, int run)
    {
        var path = Path.Combine(dir, $"bench-{megabytes}mb-{run}.mp4");
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var buffer = new byte[1024 * 1024];
        for (var i = 0; i < megabytes; i++)
        {
            RandomNumberGenerator.Fill(buffer);
            if (i == 0) "\0\0\0\u0018ftypisom"u8.CopyTo(buffer);
            f.Write(buffer);
        }
        return path;
    }

    /// <summary>Uploads <paramref name="file"/> streamed from disk, downloads it back and checks the SHA-256.</summary>
    public static async Task<(TransferResult Result, Guid Id)> TransferAsync(HttpClient http, string token, Guid unitId, string file, int year, int run, int pid)
    {
        var size = new FileInfo(file).Length;
        string expectedSha;
        await using (var check = File.OpenRead(file)) expectedSha = Convert.ToHexStringLower(await SHA256.HashDataAsync(check));

        var before = Memory.Of(pid);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(unitId.ToString()), "orgUnitId" },
            { new StringContent(year.ToString(CultureInfo.InvariantCulture)), "year" },
            { new StringContent(UploadCriterion.ToString(CultureInfo.InvariantCulture)), "criteria" },
        };
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var part = new StreamContent(stream, 1 << 16);
        part.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(part, "file", $"专题片-第{run}版.mp4"); // the file part goes last: the server reads the fields before it
        using var up = new HttpRequestMessage(HttpMethod.Post, "/api/v1/evidence") { Content = form };
        up.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var clock = Stopwatch.StartNew();
        string body;
        HttpResponseMessage res;
        long upMax;
        using (var sampler = new RssSampler(pid))
        {
            res = await http.SendAsync(up);
            body = await res.Content.ReadAsStringAsync();
            upMax = sampler.Stop();
        }
        var upSeconds = clock.Elapsed.TotalSeconds;
        using (res)
            if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/v1/evidence returned {(int)res.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var id = json.RootElement.GetProperty("id").GetGuid();
        var serverSha = json.RootElement.TryGetProperty("sha256", out var s) ? s.GetString() : null;
        if (serverSha is not null && serverSha != expectedSha) throw new InvalidOperationException($"server hashed the upload as {serverSha}, expected {expectedSha}");
        var afterUpload = Memory.Of(pid);

        using var down = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/evidence/{id}/content?download=true");
        down.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        long read = 0;
        long downMax;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        clock.Restart();
        using (var sampler = new RssSampler(pid))
        {
            using var got = await http.SendAsync(down, HttpCompletionOption.ResponseHeadersRead);
            if (!got.IsSuccessStatusCode)
                throw new InvalidOperationException($"GET …/{id}/content?download=true returned {(int)got.StatusCode}: {await got.Content.ReadAsStringAsync()}");
            await using var content = await got.Content.ReadAsStreamAsync();
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await content.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                read += n;
            }
            downMax = sampler.Stop();
        }
        var downSeconds = clock.Elapsed.TotalSeconds;
        var afterDownload = Memory.Of(pid);
        if (read != size) throw new InvalidOperationException($"downloaded {read} bytes of {size}");
        if (Convert.ToHexStringLower(sha.GetHashAndReset()) != expectedSha) throw new InvalidOperationException("downloaded bytes differ from the upload");
        return (new TransferResult(run, size, upSeconds, downSeconds, before, afterUpload, afterDownload, upMax, downMax), id);
    }

    /// <summary>Samples a process's VmRSS every 20 ms on a background task, keeping the highest value.</summary>
    sealed class RssSampler : IDisposable
    {
        readonly CancellationTokenSource stop = new();
        readonly Task<long> loop;

        public RssSampler(int pid) => loop = Task.Run(async () =>
        {
            var max = Memory.Of(pid).RssMb;
            while (!stop.IsCancellationRequested)
            {
                max = Math.Max(max, Memory.Of(pid).RssMb);
                try { await Task.Delay(20, stop.Token); }
                catch (OperationCanceledException) { }
            }
            return Math.Max(max, Memory.Of(pid).RssMb);
        });

        public long Stop()
        {
            stop.Cancel();
            return loop.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }

    /// <summary>Communities of the demo county with their paths (evidence belongs to a community).</summary>
    public static async Task<List<OrgRef>> CommunitiesAsync(string dbPath)
    {
        await using var db = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT Id, Path FROM OrgUnits WHERE Level = 3 AND IsDemo = 1 AND Code LIKE '530427%' ORDER BY Code";
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<OrgRef>();
        while (await r.ReadAsync()) list.Add(new OrgRef(Guid.Parse(r.GetString(0)), r.GetString(1)));
        if (list.Count == 0) throw new InvalidOperationException("the app did not seed the demo communities");
        return list;
    }

    static readonly Regex EfGuid = new("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$");
    static readonly Regex EfTime = new(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,7})?$");

    /// <summary>
    /// One row the app wrote itself (an upload), as stored: the bench writes its rows in the same text shapes, and
    /// stops here if the app's shapes ever change (EF would then mis-sort or fail to parse the bench's rows).
    /// </summary>
    public static async Task<string?> CheckStoredShapeAsync(string dbPath)
    {
        await using var db = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT e.Id, e.OrgUnitId, e.OrgPath, o.Path, e.UploadedUtc, e.UpdatedUtc, e.Category, r.Kind, r.No, r.EvidenceId
            FROM EvidenceItems e JOIN OrgUnits o ON o.Id = e.OrgUnitId LEFT JOIN EvidenceRefs r ON r.EvidenceId = e.Id
            WHERE e.UploadedBy <> 'bench' ORDER BY e.UploadedUtc DESC LIMIT 1
            """;
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        var row = Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)!).ToArray();
        if (!EfGuid.IsMatch(row[0]) || !EfGuid.IsMatch(row[1]) || row[2] != row[3] || !EfTime.IsMatch(row[4]) || !EfTime.IsMatch(row[5]) || row[9] != row[0])
            throw new InvalidOperationException($"the app stores evidence rows differently from what the bench writes: {string.Join(" | ", row)}");
        return $"Id {row[0]}, OrgUnitId {row[1]}, OrgPath {row[2]}, UploadedUtc '{row[4]}', UpdatedUtc '{row[5]}', Category {row[6]}, ref Kind {row[7]} No {row[8]}";
    }

    /// <summary>
    /// Inserts <paramref name="count"/> evidence rows (and one criterion link each, 1–13) in one prepared transaction,
    /// round-robin over <paramref name="communities"/>, categories 0/1/2, upload times spread evenly over 2019–2024
    /// (Year is the upload time's year), and records what each list query should count.
    /// </summary>
    public static async Task AddEvidenceAsync(string dbPath, IReadOnlyList<OrgRef> communities, int count, EvidenceCounts counts)
    {
        if (count == 0) return;
        await using var db = new SqliteConnection($"Data Source={dbPath};Pooling=False;Default Timeout=60");
        await db.OpenAsync();
        await using var tx = db.BeginTransaction();
        await using var item = db.CreateCommand();
        item.Transaction = tx;
        item.CommandText = """
            INSERT INTO EvidenceItems (Id, OrgUnitId, OrgPath, Year, Category, Title, FileName, Format, ContentType, Size, Sha256, StorageKey,
                ThumbnailKey, Width, Height, Description, Tags, ActivityId, UploadedBy, UploadedUtc, DeletedUtc, DeletedBy, Version, UpdatedUtc, UpdatedBy)
            VALUES ($id, $unit, $path, $year, $cat, $title, $file, $format, $type, $size, $sha, $key, NULL, $w, $h, NULL, $tags, NULL,
                'bench', $time, NULL, NULL, 0, $time, 'bench')
            """;
        var p = new[] { "$id", "$unit", "$path", "$year", "$cat", "$title", "$file", "$format", "$type", "$size", "$sha", "$key", "$w", "$h", "$tags", "$time" }
            .ToDictionary(x => x, x => item.Parameters.Add(new SqliteParameter { ParameterName = x }));
        await item.PrepareAsync();
        await using var link = db.CreateCommand();
        link.Transaction = tx;
        link.CommandText = "INSERT INTO EvidenceRefs (EvidenceId, Kind, No) VALUES ($e, 1, $no)";
        var le = link.Parameters.Add(new SqliteParameter { ParameterName = "$e" });
        var ln = link.Parameters.Add(new SqliteParameter { ParameterName = "$no" });
        await link.PrepareAsync();

        var start = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var step = (new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) - start) / count;
        var rnd = new Random(42);
        for (var i = 0; i < count; i++)
        {
            var unit = communities[i % communities.Count];
            var id = Guid.NewGuid();
            var sha = Convert.ToHexStringLower(SHA256.HashData(id.ToByteArray()));
            var time = start + step * i;
            var category = i % 3;
            var (ext, format, type, w, h) = category switch
            {
                0 => ("mp4", "mp4", "video/mp4", (int?)1920, (int?)1080),
                1 => ("jpg", "jpg", "image/jpeg", 1600, 1200),
                _ => ("pdf", "pdf", "application/pdf", null, null),
            };
            p["$id"].Value = id.ToString("D").ToUpperInvariant();
            p["$unit"].Value = unit.Id.ToString("D").ToUpperInvariant();
            p["$path"].Value = unit.Path;
            p["$year"].Value = time.Year;
            p["$cat"].Value = category;
            p["$title"].Value = $"活动材料 {i:000000}";
            p["$file"].Value = $"活动材料{i:000000}.{ext}";
            p["$format"].Value = format;
            p["$type"].Value = type;
            p["$size"].Value = 200_000 + rnd.Next(3_000_000);
            p["$sha"].Value = sha;
            p["$key"].Value = $"blobs/{sha[..2]}/{sha[2..4]}/{sha}";
            p["$w"].Value = (object?)w ?? DBNull.Value;
            p["$h"].Value = (object?)h ?? DBNull.Value;
            var tagged = i % 10 == 0;
            p["$tags"].Value = tagged ? Keyword : "宣传月";
            p["$time"].Value = time.ToString(TimeFormat, CultureInfo.InvariantCulture);
            await item.ExecuteNonQueryAsync();
            var no = 1 + i % 13;
            le.Value = p["$id"].Value;
            ln.Value = no;
            await link.ExecuteNonQueryAsync();
            counts.Add(unit.Id, no, tagged);
        }
        await tx.CommitAsync();
    }
}
