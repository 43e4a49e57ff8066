using System.ComponentModel.DataAnnotations;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;

namespace Shiliu.Core.Evidence;

/// <summary>Size limits per class, in MB (configuration section "Evidence").</summary>
public sealed class EvidenceOptions
{
    public int ImageMaxMb { get; set; } = 20;
    public int VideoMaxMb { get; set; } = 1024;
    public int AudioMaxMb { get; set; } = 200;
    public int DocumentMaxMb { get; set; } = 100;
    public int TextMaxMb { get; set; } = 5;

    public long LimitOf(MediaClass c) => 1024L * 1024 * c switch
    {
        MediaClass.Image => ImageMaxMb,
        MediaClass.Video => VideoMaxMb,
        MediaClass.Audio => AudioMaxMb,
        MediaClass.Document => DocumentMaxMb,
        _ => TextMaxMb,
    };

    /// <summary>No upload may exceed the largest class limit; reading stops there.</summary>
    public long AbsoluteLimit => new[] { MediaClass.Image, MediaClass.Video, MediaClass.Audio, MediaClass.Document, MediaClass.Text }.Max(LimitOf);

    public static string ClassName(MediaClass c) => c switch
    {
        MediaClass.Image => "照片", MediaClass.Video => "视频", MediaClass.Audio => "音频", MediaClass.Document => "文档", _ => "文本",
    };
}

public sealed class EvidenceMeta
{
    public Guid OrgUnitId { get; set; }

    [Range(2000, 2100, ErrorMessage = "年份须在2000至2100之间")]
    public int Year { get; set; }

    [StringLength(100, ErrorMessage = "标题不能超过100字")]
    public string? Title { get; set; }

    [StringLength(1000, ErrorMessage = "说明不能超过1000字")]
    public string? Description { get; set; }

    [StringLength(200, ErrorMessage = "标签不能超过200字")]
    public string? Tags { get; set; }

    public Guid? ActivityId { get; set; }
    public List<int> Criteria { get; set; } = [];
    /// <summary>Which of the 十个一 (1–10) it shows.</summary>
    public List<int> Deliverables { get; set; } = [];
}

public sealed class UpdateEvidence
{
    [Range(2000, 2100, ErrorMessage = "年份须在2000至2100之间")]
    public int Year { get; set; }

    [StringLength(100, ErrorMessage = "标题不能超过100字")]
    public string Title { get; set; } = "";

    [StringLength(1000, ErrorMessage = "说明不能超过1000字")]
    public string? Description { get; set; }

    [StringLength(200, ErrorMessage = "标签不能超过200字")]
    public string? Tags { get; set; }

    public Guid? ActivityId { get; set; }
    public List<int> Criteria { get; set; } = [];
    public List<int> Deliverables { get; set; } = [];
    public int Version { get; set; }
}

public sealed record UploadResult(Guid Id, string FileName, EvidenceCategory Category, string Format, long Size, string Sha256, IReadOnlyList<string> Notices);

public sealed class EvidenceQuery
{
    public Guid? OrgUnitId { get; set; }
    public int? Year { get; set; }
    /// <summary>Evidence of the campaign's years (its first phase's start to its last phase's end).</summary>
    public Guid? CampaignId { get; set; }
    public EvidenceCategory? Category { get; set; }
    public int? Criterion { get; set; }
    public int? Deliverable { get; set; }
    public Guid? ActivityId { get; set; }
    public string? Keyword { get; set; }
    /// <summary>The recycle bin: deleted items instead of live ones.</summary>
    public bool? Deleted { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

public sealed record EvidenceRow(Guid Id, Guid OrgUnitId, string UnitName, int Year, EvidenceCategory Category, string Title, string FileName,
    string Format, string ContentType, long Size, bool HasThumbnail, string UploadedBy, DateTime UploadedUtc, IReadOnlyList<int> Criteria,
    IReadOnlyList<int> Deliverables, Guid? ActivityId, string? Description, string? Tags, DateTime? DeletedUtc, string? DeletedBy, int Version)
{
    public string CategoryName => EvidenceNames.Category(Category);
}

public sealed record CoverageRow(int No, string Group, string Subgroup, string Text, int Score, int Count)
{
    public string ShortTitle { get; init; } = "";

    /// <summary>"第8条 服务群众": how a criterion is named in lists and pickers.</summary>
    public string Label => $"第{No}条 {ShortTitle}";
}

public sealed record DeliverableCoverage(int No, string Name, int Count);

public sealed record Coverage(Guid OrgUnitId, IReadOnlyList<CoverageRow> Criteria, IReadOnlyList<DeliverableCoverage> Deliverables)
{
    public int Missing => Criteria.Count(c => c.Count == 0);
}

/// <summary>An opened file for the API to stream.</summary>
public sealed record OpenedFile(Stream Content, string ContentType, string FileName, long? Length, bool Inline);

public static class EvidenceNames
{
    public static string Category(EvidenceCategory c) => c switch { EvidenceCategory.Media => "影音", EvidenceCategory.Image => "图片", _ => "文字" };
}

/// <summary>
/// The evidence archive (痕迹台账): uploads are staged on disk while hashed, typed by content, size-checked and (images)
/// decoded for a thumbnail, then stored under their SHA-256; only then is the row written, so a refused or broken
/// upload leaves nothing behind. Deleting is soft and audited; the county restores.
/// </summary>
public sealed class EvidenceService(IDbContextFactory<ShiliuDb> dbs, IFileStore store, EvidenceOptions options)
{
    public static string BlobKey(string sha) => $"blobs/{sha[..2]}/{sha[2..4]}/{sha}";
    static string ThumbKey(string sha) => $"thumbs/{sha[..2]}/{sha}.jpg";

    public async Task<UploadResult> UploadAsync(EvidenceMeta meta, string? fileName, Stream content, CancellationToken ct = default)
    {
        Validation.Check(meta);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Manage, EvidenceErrors.Denied, "上传台账材料");
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == meta.OrgUnitId, ct) ?? throw new NotFoundInScope("单位");
        await CheckActivityAsync(db, meta.ActivityId, unit.Id, ct);
        var shownName = string.IsNullOrWhiteSpace(fileName) ? "未命名文件" : FileNames.Sanitize(fileName, "x")[..^2];
        var staged = Path.Combine(store.StagingDirectory, Guid.NewGuid().ToString("N"));
        string? thumb = null;
        try
        {
            var (size, sha) = await StageAsync(content, staged, shownName, ct);
            var kind = FileSniffer.Detect(staged, fileName ?? "");
            if (size > options.LimitOf(kind.Class))
                throw new RuleViolation(EvidenceErrors.TooLarge,
                    $"“{shownName}”有 {Megabytes(size)}，{EvidenceOptions.ClassName(kind.Class)}不能超过 {options.LimitOf(kind.Class) / 1024 / 1024} MB");
            var notices = new List<string>();
            var clean = FileNames.Sanitize(fileName, kind.Format);
            if (fileName is not null && clean != fileName)
                notices.Add(Path.GetExtension(fileName).TrimStart('.').Equals(kind.Format, StringComparison.OrdinalIgnoreCase) || Path.GetExtension(fileName).Length == 0
                    ? $"文件名含有路径或不安全的字符，已保存为“{clean}”"
                    : $"文件内容是 {kind.Format.ToUpperInvariant()}，已按内容保存为“{clean}”");

            int? width = null, height = null;
            if (kind.Class == MediaClass.Image)
            {
                // Decoding first proves the image whole; then its metadata goes, and the file is known by what is stored.
                var t = Thumbnails.Make(staged, clean, store.StagingDirectory);
                (width, height, thumb) = (t.Width, t.Height, t.ThumbnailPath);
                if (ImageMetadata.Strip(staged, kind.Format, clean, t.Orientation))
                {
                    (size, sha) = await HashAsync(staged, ct);
                    notices.Add($"“{clean}”中的拍摄位置、设备等附加信息已去除，照片内容不变");
                }
            }

            var dup = await db.Evidence.AsNoTracking().Where(e => e.OrgUnitId == unit.Id && e.Sha256 == sha && e.DeletedUtc == null)
                .Select(e => new { e.Title, e.Year, e.UploadedBy, e.UploadedUtc }).FirstOrDefaultAsync(ct);
            if (dup is not null)
                throw new RuleViolation(EvidenceErrors.Duplicate,
                    $"“{clean}”与本单位已有的材料《{dup.Title}》（{dup.Year}年，{dup.UploadedBy} 于{ChinaTime.FormatDate(dup.UploadedUtc)}上传）内容完全相同，无需重复上传");

            await store.PutFileAsync(BlobKey(sha), staged, kind.ContentType, ct);
            if (thumb is not null) await store.PutFileAsync(ThumbKey(sha), thumb, "image/jpeg", ct);

            var item = new EvidenceItem
            {
                OrgUnitId = unit.Id, OrgPath = unit.Path, Year = meta.Year, Category = kind.Category,
                Title = Title(meta.Title, clean), FileName = clean, Format = kind.Format, ContentType = kind.ContentType, Size = size, Sha256 = sha,
                StorageKey = BlobKey(sha), ThumbnailKey = thumb is null ? null : ThumbKey(sha), Width = width, Height = height,
                Description = Optional(meta.Description, "说明", multiline: true), Tags = Optional(meta.Tags, "标签"), ActivityId = meta.ActivityId,
                UploadedBy = db.Caller.UserName, UploadedUtc = db.UtcNow,
            };
            item.Refs = Refs(item.Id, meta.Criteria, meta.Deliverables, await CriterionNumbersAsync(db, ct));
            db.Evidence.Add(item);
            db.Audit(AuditEvents.Create, $"上传台账材料《{item.Title}》（{EvidenceNames.Category(item.Category)}，{Megabytes(size)}，SHA-256 {sha[..12]}…）{RefSummary(item.Refs)}",
                nameof(EvidenceItem), item.Id.ToString(), unit.Path);
            await db.SaveChangesAsync(ct);
            return new UploadResult(item.Id, clean, item.Category, kind.Format, size, sha, notices);
        }
        finally
        {
            File.Delete(staged);
            if (thumb is not null) File.Delete(thumb);
        }
    }

    /// <summary>A text record (会议记录、情况说明 …) typed in the browser; filed as a .txt under 文字.</summary>
    public async Task<UploadResult> CreateTextAsync(EvidenceMeta meta, string title, string body, CancellationToken ct = default)
    {
        var t = Validation.CleanText(title ?? "", "标题");
        if (t.Length > 100) throw RuleViolation.ForField(EvidenceErrors.Invalid, "title", "标题不能超过100字");
        var text = CleanMultiline(body ?? "", "内容");
        if (text.Length > 200_000) throw RuleViolation.ForField(EvidenceErrors.Invalid, "body", "内容不能超过20万字，请改为上传文档");
        meta.Title = t;
        using var ms = new MemoryStream(new UTF8Encoding(false).GetBytes(text));
        return await UploadAsync(meta, t + ".txt", ms, ct);
    }

    public async Task<Paged<EvidenceRow>> ListAsync(EvidenceQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "查看台账");
        if (q.Deleted == true) db.Caller.Require(EvidencePermissions.Restore, EvidenceErrors.Denied, "查看已删除的材料");
        var items = Filter(db, q);
        if (q.CampaignId is { } cid)
        {
            var (from, to) = await Campaigns.CampaignService.PeriodAsync(db, cid, ct);
            items = items.Where(e => e.Year >= from.Year && e.Year <= to.Year);
        }
        if (q.OrgUnitId is { } unitId)
        {
            var path = await db.OrgUnits.Where(o => o.Id == unitId).Select(o => o.Path).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("单位");
            items = items.Under(e => e.OrgPath, path);
        }
        var (page, size) = Paged<EvidenceRow>.Bounds(q.Page ?? 1, q.PageSize ?? 20);
        var total = await items.CountAsync(ct);
        var rows = await RowsAsync(db, items.OrderByDescending(e => e.UploadedUtc).ThenByDescending(e => e.Id).Skip((page - 1) * size).Take(size), ct);
        return new Paged<EvidenceRow>(rows, total, page, size);
    }

    public async Task<EvidenceRow> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "查看台账");
        var canSeeDeleted = db.Caller.Can(EvidencePermissions.Restore);
        return (await RowsAsync(db, db.Evidence.AsNoTracking().Where(e => e.Id == id && (canSeeDeleted || e.DeletedUtc == null)), ct)).SingleOrDefault()
            ?? throw new NotFoundInScope("台账材料");
    }

    /// <summary>Rows for a page (or one item): the columns, the criteria and 十个一 links, the unit names — three queries in all.</summary>
    static async Task<List<EvidenceRow>> RowsAsync(ShiliuDb db, IQueryable<EvidenceItem> page, CancellationToken ct)
    {
        var rows = await page.Select(e => new
        {
            e.Id, e.OrgUnitId, e.Year, e.Category, e.Title, e.FileName, e.Format, e.ContentType, e.Size, Thumb = e.ThumbnailKey != null, e.UploadedBy,
            e.UploadedUtc, e.ActivityId, e.Description, e.Tags, e.DeletedUtc, e.DeletedBy, e.Version,
        }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var refs = (await db.EvidenceRefs.Where(r => ids.Contains(r.EvidenceId)).ToListAsync(ct)).ToLookup(r => r.EvidenceId);
        var names = await db.UnitNamesAsync(rows.Select(r => r.OrgUnitId), ct);
        List<int> Nos(Guid id, EvidenceRefKind kind) => refs[id].Where(x => x.Kind == kind).Select(x => x.No).Order().ToList();
        return rows.Select(r => new EvidenceRow(r.Id, r.OrgUnitId, names.GetValueOrDefault(r.OrgUnitId, ""), r.Year, r.Category, r.Title, r.FileName,
            r.Format, r.ContentType, r.Size, r.Thumb, r.UploadedBy, r.UploadedUtc, Nos(r.Id, EvidenceRefKind.Criterion), Nos(r.Id, EvidenceRefKind.Deliverable),
            r.ActivityId, r.Description, r.Tags, r.DeletedUtc, r.DeletedBy, r.Version)).ToList();
    }

    /// <summary>The criteria of the current published framework (for pickers): no counting, unlike <see cref="CoverageAsync"/>.</summary>
    public async Task<IReadOnlyList<CoverageRow>> CriteriaAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await CurrentCriteriaAsync(db, ct);
    }

    public async Task UpdateAsync(Guid id, UpdateEvidence req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Manage, EvidenceErrors.Denied, "修改台账材料");
        var e = await db.Evidence.Include(x => x.Refs).SingleOrDefaultAsync(x => x.Id == id && x.DeletedUtc == null, ct) ?? throw new NotFoundInScope("台账材料");
        await CheckActivityAsync(db, req.ActivityId, e.OrgUnitId, ct);
        db.Entry(e).Property(x => x.Version).OriginalValue = req.Version;
        e.Year = req.Year;
        e.Title = Validation.CleanText(req.Title, "标题");
        e.Description = Optional(req.Description, "说明", multiline: true);
        e.Tags = Optional(req.Tags, "标签");
        e.ActivityId = req.ActivityId;
        var refs = Refs(e.Id, req.Criteria, req.Deliverables, await CriterionNumbersAsync(db, ct));
        db.EvidenceRefs.RemoveRange(e.Refs.Where(r => !refs.Any(n => n.Kind == r.Kind && n.No == r.No)));
        foreach (var r in refs.Where(n => !e.Refs.Any(o => o.Kind == n.Kind && o.No == n.No))) db.EvidenceRefs.Add(r);
        db.Audit(AuditEvents.Update, $"修改台账材料《{e.Title}》{RefSummary(refs)}", nameof(EvidenceItem), e.Id.ToString(), e.OrgPath);
        await db.SaveOrConflictAsync(e, ct);
    }

    /// <summary>Soft delete: the row and the bytes stay; the county can bring it back.</summary>
    public async Task DeleteAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Manage, EvidenceErrors.Denied, "删除台账材料");
        var e = await db.Evidence.SingleOrDefaultAsync(x => x.Id == id && x.DeletedUtc == null, ct) ?? throw new NotFoundInScope("台账材料");
        db.Entry(e).Property(x => x.Version).OriginalValue = version;
        e.DeletedUtc = db.UtcNow;
        e.DeletedBy = db.Caller.UserName;
        db.Audit(AuditEvents.Delete, $"删除台账材料《{e.Title}》（可由县领导小组办公室恢复）", nameof(EvidenceItem), e.Id.ToString(), e.OrgPath);
        await db.SaveOrConflictAsync(e, ct);
    }

    public async Task RestoreAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Restore, EvidenceErrors.Denied, "恢复已删除的材料");
        var e = await db.Evidence.SingleOrDefaultAsync(x => x.Id == id && x.DeletedUtc != null, ct) ?? throw new NotFoundInScope("已删除的台账材料");
        if (await db.Evidence.AnyAsync(x => x.OrgUnitId == e.OrgUnitId && x.Sha256 == e.Sha256 && x.DeletedUtc == null, ct))
            throw new RuleViolation(EvidenceErrors.Duplicate, $"《{e.Title}》删除后本单位又上传了内容相同的材料，无需恢复");
        e.DeletedUtc = null;
        e.DeletedBy = null;
        db.Audit(AuditEvents.Update, $"恢复台账材料《{e.Title}》", nameof(EvidenceItem), e.Id.ToString(), e.OrgPath);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The stored file (or its thumbnail). Downloads (not inline previews) are audited.</summary>
    public async Task<OpenedFile> OpenAsync(Guid id, bool thumbnail, bool download, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "查看台账");
        var e = await db.Evidence.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("台账材料");
        if (e.DeletedUtc is not null && !db.Caller.Can(EvidencePermissions.Restore)) throw new NotFoundInScope("台账材料");
        if (thumbnail)
        {
            if (e.ThumbnailKey is null) throw new NotFoundInScope("缩略图");
            return new OpenedFile(await store.OpenReadAsync(e.ThumbnailKey, ct), "image/jpeg", e.FileName, null, true);
        }
        var stream = await store.OpenReadAsync(e.StorageKey, ct);
        if (download)
        {
            db.Audit(AuditEvents.Export, $"下载台账材料《{e.Title}》（{e.FileName}，{Megabytes(e.Size)}）", nameof(EvidenceItem), e.Id.ToString(), e.OrgPath);
            await db.SaveChangesAsync(ct);
        }
        // Browsers show photos, video, audio, PDF and plain text themselves; Office documents download.
        var inline = !download && (e.Category != EvidenceCategory.Text || e.Format is "pdf" or "txt");
        return new OpenedFile(stream, e.ContentType, e.FileName, e.Size, inline);
    }

    /// <summary>
    /// Streams a unit's archive as a zip laid out 年份/类别/文件名. Entries are copied one by one from the store; nothing
    /// is held whole in memory. Photos and video are stored, not recompressed.
    /// </summary>
    public async Task<int> WriteArchiveAsync(Guid orgUnitId, int? year, Stream output, CancellationToken ct = default)
    {
        List<EvidenceItem> items;
        string unitPath, unitName;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "下载台账");
            var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgUnitId, ct) ?? throw new NotFoundInScope("单位");
            (unitPath, unitName) = (unit.Path, unit.Name);
            items = await db.Evidence.AsNoTracking().Where(e => e.OrgUnitId == orgUnitId && e.DeletedUtc == null && (year == null || e.Year == year))
                .OrderBy(e => e.Year).ThenBy(e => e.Category).ThenBy(e => e.UploadedUtc).ToListAsync(ct);
            db.Audit(AuditEvents.Export, $"打包下载{unitName}的痕迹台账{(year is null ? "" : $"（{year}年）")}：{items.Count} 个文件，共 {Megabytes(items.Sum(i => i.Size))}",
                nameof(EvidenceItem), orgUnitId.ToString(), unitPath);
            await db.SaveChangesAsync(ct);
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var target = new DeferredWriteStream(output);
        await using (var zip = await ZipArchive.CreateAsync(target, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, ct))
        {
            foreach (var e in items)
            {
                var name = UniqueName(names, $"{e.Year}年/{EvidenceNames.Category(e.Category)}/{e.FileName}");
                await AddEntryAsync(zip, name, e, ct);
                await target.FlushAsync(ct);
            }
        }
        await target.FlushAsync(ct);
        return items.Count;
    }

    internal async Task AddEntryAsync(ZipArchive zip, string name, EvidenceItem e, CancellationToken ct)
    {
        var level = e.Category == EvidenceCategory.Text && e.Format is "txt" or "pdf" or "doc" or "xls" or "ppt" ? CompressionLevel.Fastest : CompressionLevel.NoCompression;
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = ChinaTime.ToChina(e.UploadedUtc);
        await using var target = await entry.OpenAsync(ct);
        await using var source = await store.OpenReadAsync(e.StorageKey, ct);
        await source.CopyToAsync(target, 81920, ct);
    }

    internal static string UniqueName(HashSet<string> taken, string name)
    {
        if (taken.Add(name)) return name;
        var dir = name[..(name.LastIndexOf('/') + 1)];
        var stem = Path.GetFileNameWithoutExtension(name);
        var ext = Path.GetExtension(name);
        for (var i = 2; ; i++)
            if (taken.Add($"{dir}{stem}（{i}）{ext}")) return $"{dir}{stem}（{i}）{ext}";
    }

    /// <summary>For each criterion of the current framework (and each of the 十个一): how much evidence the unit has.</summary>
    public async Task<Coverage> CoverageAsync(Guid orgUnitId, int? year = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "查看台账");
        if (!await db.OrgUnits.AnyAsync(o => o.Id == orgUnitId, ct)) throw new NotFoundInScope("单位");
        // Driven from the unit's own evidence (an index range), then its links by primary key; never a scan of all links.
        var counts = await db.Evidence.Where(e => e.OrgUnitId == orgUnitId && e.DeletedUtc == null && (year == null || e.Year == year))
            .Join(db.EvidenceRefs, e => e.Id, r => r.EvidenceId, (e, r) => new { r.Kind, r.No })
            .GroupBy(r => new { r.Kind, r.No }).Select(g => new { g.Key.Kind, g.Key.No, Count = g.Count() }).ToListAsync(ct);
        var criteria = await CurrentCriteriaAsync(db, ct);
        return new Coverage(orgUnitId,
            criteria.Select(c => c with { Count = counts.FirstOrDefault(x => x.Kind == EvidenceRefKind.Criterion && x.No == c.No)?.Count ?? 0 }).ToList(),
            Enumerable.Range(1, 10).Select(i => new DeliverableCoverage(i, TenItems.Names[i - 1],
                counts.FirstOrDefault(x => x.Kind == EvidenceRefKind.Deliverable && x.No == i)?.Count ?? 0)).ToList());
    }

    internal static async Task<List<CoverageRow>> CurrentCriteriaAsync(ShiliuDb db, CancellationToken ct)
    {
        var fw = await db.IndicatorFrameworks.AsNoTracking().Where(f => f.Status == Indicators.FrameworkStatus.Published).OrderByDescending(f => f.VersionNo)
            .Include(f => f.Groups).ThenInclude(g => g.Subgroups).ThenInclude(s => s.Criteria).AsSplitQuery().FirstOrDefaultAsync(ct);
        if (fw is null) return [];
        return fw.Groups.OrderBy(g => g.SortOrder).SelectMany(g => g.Subgroups.OrderBy(s => s.SortOrder)
            .SelectMany(s => s.Criteria.OrderBy(c => c.No).Select(c => new CoverageRow(c.No, g.Name, s.Name, c.Text, c.Score, 0) { ShortTitle = c.ShortTitle }))).ToList();
    }

    static async Task<HashSet<int>> CriterionNumbersAsync(ShiliuDb db, CancellationToken ct) =>
        (await CurrentCriteriaAsync(db, ct)).Select(c => c.No).ToHashSet();

    static List<EvidenceRef> Refs(Guid id, IEnumerable<int> criteria, IEnumerable<int> deliverables, HashSet<int> known)
    {
        var bad = criteria.Where(c => !known.Contains(c)).ToList();
        if (bad.Count > 0) throw new RuleViolation(EvidenceErrors.Invalid, $"测评标准第 {string.Join("、", bad)} 条不存在");
        var badItem = deliverables.Where(d => d is < 1 or > 10).ToList();
        if (badItem.Count > 0) throw new RuleViolation(EvidenceErrors.Invalid, $"“十个一”只有第 1 至 10 项，没有第 {string.Join("、", badItem)} 项");
        return criteria.Distinct().Select(c => new EvidenceRef { EvidenceId = id, Kind = EvidenceRefKind.Criterion, No = c })
            .Concat(deliverables.Distinct().Select(d => new EvidenceRef { EvidenceId = id, Kind = EvidenceRefKind.Deliverable, No = d })).ToList();
    }

    static string RefSummary(IEnumerable<EvidenceRef> refs)
    {
        var c = refs.Where(r => r.Kind == EvidenceRefKind.Criterion).Select(r => r.No).Order().ToList();
        var d = refs.Where(r => r.Kind == EvidenceRefKind.Deliverable).Select(r => r.No).Order().ToList();
        return (c.Count > 0 ? $"，支撑测评标准 {string.Join("、", c)}" : "") + (d.Count > 0 ? $"，佐证“十个一”第 {string.Join("、", d)} 项" : "");
    }

    static async Task CheckActivityAsync(ShiliuDb db, Guid? activityId, Guid unitId, CancellationToken ct)
    {
        if (activityId is { } a && !await db.Activities.AnyAsync(x => x.Id == a && x.OrgUnitId == unitId, ct))
            throw new NotFoundInScope("本单位的活动");
    }

    /// <summary>Copies the upload to a staging file while hashing it; stops reading at the absolute size limit.</summary>
    static async Task<(long Size, string Sha)> HashAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return (file.Length, Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct)));
    }

    async Task<(long Size, string Sha)> StageAsync(Stream content, string path, string shownName, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var limit = options.AbsoluteLimit;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        long size = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            int n;
            while ((n = await content.ReadAsync(buffer.AsMemory(0, 81920), ct)) > 0)
            {
                size += n;
                if (size > limit)
                    throw new RuleViolation(EvidenceErrors.TooLarge, $"“{shownName}”超过了上传上限 {limit / 1024 / 1024} MB，请压缩或分段后上传");
                hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    IQueryable<EvidenceItem> Filter(ShiliuDb db, EvidenceQuery q)
    {
        var items = q.Deleted == true ? db.Evidence.AsNoTracking().Where(e => e.DeletedUtc != null) : db.Evidence.AsNoTracking().Where(e => e.DeletedUtc == null);
        if (q.Year is { } y) items = items.Where(e => e.Year == y);
        if (q.Category is { } c) items = items.Where(e => e.Category == c);
        if (q.ActivityId is { } a) items = items.Where(e => e.ActivityId == a);
        // IN (links of that number) lets the (Kind, No) index drive the count instead of probing every item's links.
        var refs = db.EvidenceRefs;
        if (q.Criterion is { } no) items = items.Where(e => refs.Where(r => r.Kind == EvidenceRefKind.Criterion && r.No == no).Select(r => r.EvidenceId).Contains(e.Id));
        if (q.Deliverable is { } d) items = items.Where(e => refs.Where(r => r.Kind == EvidenceRefKind.Deliverable && r.No == d).Select(r => r.EvidenceId).Contains(e.Id));
        if (Validation.Filter(q.Keyword, "关键词") is { } k)
            items = items.Where(e => e.Title.Contains(k) || e.FileName.Contains(k) || (e.Tags != null && e.Tags.Contains(k)));
        return items;
    }

    static string Title(string? title, string fileName) =>
        string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(fileName) : Validation.CleanText(title, "标题");

    static string? Optional(string? value, string field, bool multiline = false, [CallerArgumentExpression(nameof(value))] string? source = null) =>
        string.IsNullOrWhiteSpace(value) ? null : multiline ? CleanMultiline(value, field, source) : Validation.CleanText(value, field, source);

    /// <summary>Like <see cref="Validation.CleanText"/> but keeps line breaks and tabs.</summary>
    public static string CleanMultiline(string value, string field, [CallerArgumentExpression(nameof(value))] string? source = null)
    {
        var v = value.Replace("\r\n", "\n").Trim();
        if (v.Length == 0) throw Validation.Refuse(source, $"{field}不能为空");
        if (v.Any(ch => char.IsControl(ch) && ch is not ('\n' or '\t') || Validation.IsBidiControl(ch)))
            throw Validation.Refuse(source, $"{field}含有不可见的控制字符，请删除后重新输入");
        return v;
    }

    public static string Megabytes(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024d / 1024:0.#} MB" : $"{Math.Max(1, bytes / 1024)} KB";
}
