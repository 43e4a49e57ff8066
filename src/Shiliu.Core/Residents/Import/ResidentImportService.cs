using Shiliu.Core.Residents;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Evidence;
using Shiliu.Core.Keys;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Residents.Import;

public sealed class ImportOptions
{
    /// <summary>Largest upload accepted, in MB (an .xlsx of a million rows is about 60 MB).</summary>
    public int MaxUploadMb { get; set; } = 100;
    /// <summary>Most rows (header included) a sheet may have; Excel's own limit is 1,048,576.</summary>
    public int MaxRows { get; set; } = 1_048_576;
    /// <summary>Uploads neither committed nor cancelled are deleted after this many hours (they hold personal data).</summary>
    public int KeepHours { get; set; } = 24;
}

public sealed record ImportError(int Row, string Column, string Message);

/// <summary>The same file is already being imported into the unit; carries that import's id (answered 409).</summary>
public sealed class ImportAlreadyOpen : RuleViolation
{
    public ImportAlreadyOpen(Guid importId, string message) : base(ImportErrors.AlreadyOpen, message)
    {
        ImportId = importId;
        Extensions = new Dictionary<string, object?> { ["importId"] = importId };
    }

    public Guid ImportId { get; }
}

public static class ImportErrors
{
    public static readonly ErrorCode AlreadyOpen = ErrorCode.Conflict("import.exists");
    /// <summary>The upload cannot be read as a template (size, header, format).</summary>
    public static readonly ErrorCode File = ErrorCode.Invalid("import.file");
    /// <summary>The data changed between preview and commit; nothing was written.</summary>
    public static readonly ErrorCode Conflict = ErrorCode.Conflict("import.conflict");
}

public sealed record ImportView(Guid Id, Guid OrgUnitId, string UnitName, string FileName, long FileSize, ImportStatus Status, int TotalRows,
    int ProcessedRows, int ValidRows, int ErrorRows, int ExistingRows, int InsertedRows, IReadOnlyList<ImportError> Errors, string? Error,
    string RequestedBy, DateTime RequestedUtc, DateTime? PreviewedUtc, string? CommittedBy, DateTime? CommittedUtc, bool HasErrorSheet)
{
    public string StatusName => Status switch
    {
        ImportStatus.Queued => "排队中", ImportStatus.Previewing => "正在检查", ImportStatus.Previewed => "待确认导入", ImportStatus.CommitQueued => "等待写入",
        ImportStatus.Committing => "正在写入", ImportStatus.Committed => "已导入", ImportStatus.Failed => "失败", _ => "已取消",
    };

    public bool Running => Status is ImportStatus.Queued or ImportStatus.Previewing or ImportStatus.CommitQueued or ImportStatus.Committing;
}

/// <summary>Row counts of running jobs, kept in memory: on SQLite the commit's transaction holds the only write lock.</summary>
public sealed class ImportProgress
{
    readonly ConcurrentDictionary<Guid, int> _rows = new();
    public void Set(Guid job, int rows) => _rows[job] = rows;
    public int? Get(Guid job) => _rows.TryGetValue(job, out var n) ? n : null;
    public void Clear(Guid job) => _rows.TryRemove(job, out _);
}

/// <summary>
/// Excel import of the 少数民族信息档案: template → upload → preview (every row checked, errors by row and column, an error
/// sheet) → commit of the valid rows in one transaction. Jobs are persisted and run by a background worker, so a closed
/// browser or a restart loses nothing; committing twice writes once, and re-importing a file skips the people already there.
/// </summary>
public sealed class ResidentImportService(IDbContextFactory<ShiliuDb> dbs, ResidentService residents, PersonalData pii, IFileStore files,
    JobQueue jobs, ImportProgress progress, ImportOptions options, KeyRing keys, ILogger<ResidentImportService> log)
{
    public const string JobKind = "residents.import";
    public const string SweepKind = "residents.import-sweep";
    const int Batch = 2000;
    const int ShownErrors = 500;

    string Folder
    {
        get
        {
            var dir = Path.Combine(files.StagingDirectory, "imports");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    string UploadPath(Guid id) => Path.Combine(Folder, $"{id:N}.xlsx");
    string ErrorSheetPath(Guid id) => Path.Combine(Folder, $"{id:N}-errors.xlsx");

    // Uploads and error sheets hold the same personal data as the staged rows: encrypted at rest too (seekable, as a
    // workbook needs), under the staging key and a key of their own per job and role of the file.
    Stream CreateFile(string path, string context, FileMode mode = FileMode.CreateNew) => SealedFile.Create(path, keys, KeyPurpose.Staging, context, mode);
    Stream OpenFile(string path, string context) => SealedFile.OpenRead(path, keys, KeyPurpose.Staging, context);
    static string Upload(Guid id) => $"import-upload:{id:N}";
    static string Errors(Guid id) => $"import-errors:{id:N}";

    /// <summary>The template for a community (its grids in the drop-down), with an instructions sheet.</summary>
    public async Task<(byte[] Bytes, string FileName)> TemplateAsync(Guid orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "下载导入模板");
        var (unit, community) = await ResidentService.UnitAsync(db, orgUnitId, ct, "请选择要导入到的社区（村）或网格");
        var grids = await GridsAsync(db, community, ct);
        var eth = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.Ethnicity && d.Enabled).OrderBy(d => d.SortOrder).ThenBy(d => d.Code)
            .Select(d => d.Name).ToListAsync(ct);
        using var ms = new MemoryStream();
        using (var x = new XlsxWriter(ms))
        {
            var cols = ResidentSheet.Columns;
            using (var sheet = x.AddSheet(ResidentSheet.SheetName, cols.Select(c => c.Width).ToArray(), frozenRows: 1))
            {
                sheet.Row(cols.Select(c => c.Header).ToArray(), styles: cols.Select(c => c.Required ? XlsxStyle.RequiredHeader : XlsxStyle.Header).ToArray(), height: 30);
                // Pre-formatted empty rows: text format keeps ID numbers from turning into 5.30427E+17.
                for (var r = 0; r < 200; r++) sheet.Row(new string?[cols.Length]);
                var last = 5000;
                string Range(string field) { var c = XlsxReader.ColumnName(ResidentSheet.IndexOf(field)); return $"{c}2:{c}{last}"; }
                sheet.ListValidation(Range(nameof(SaveResident.EthnicityCode)), $"字典!$A$2:$A${eth.Count + 1}", "从列表选择民族");
                sheet.ListValidation(Range(nameof(SaveResident.Gender)), "\"男,女\"", "男或女，可不填");
                sheet.ListValidation(Range(nameof(SaveResident.ResidenceType)), "\"常住,流动,辖区单位\"", "常住、流动或辖区单位");
                sheet.ListValidation(Range(nameof(SaveResident.Status)), "\"在册,迁出,死亡,注销\"", "不填为在册");
                sheet.ListValidation(Range(nameof(SaveResident.RelationToHead)), $"字典!$B$2:$B${ResidentSheet.Relations.Length + 1}", "从列表选择，或直接输入", strict: false);
                var gridCount = grids.Values.DistinctBy(g => g.Id).Count();
                if (gridCount > 0) sheet.ListValidation(Range(ResidentSheet.GridField), $"字典!$C$2:$C${gridCount + 1}", "从列表选择本社区的网格");
                sheet.ListValidation(Range(nameof(SaveResident.Needs)), $"字典!$D$2:$D${ResidentNames.Needs.Length + 1}",
                    "可选一项，多项用顿号分隔，如：就业、培训", strict: false);
                sheet.Prompt(Range(nameof(SaveResident.IdNumber)), "18位公民身份号码；本列为文本格式，请勿改为数字");
                sheet.Prompt(Range(nameof(SaveResident.ArrivalDate)), "流动人口必填：2019.3.1、2019年3月1日、2019/03/01 均可");
            }
            using (var help = x.AddSheet("填写说明", [16, 90]))
            {
                help.Row([$"{community.Name}少数民族信息档案导入模板"], XlsxStyle.Title, height: 30);
                help.Merge("A1:B1");
                help.Row(["列", "说明"], XlsxStyle.Header);
                foreach (var c in cols) help.Row([c.Header + (c.Required ? "（必填）" : ""), c.Hint + (c.MaxLength > 0 ? $"；不超过{c.MaxLength}字" : "")]);
                foreach (var line in new[]
                {
                    "1. 每人一行；第一行是表头，请勿修改或删除。空行会被跳过，不影响行号。",
                    "2. 身份证号按 GB 11643 校验，出生日期、性别须与身份证号一致；同一身份证号在全县只能登记一次，已在其他社区登记的请在系统中申请转入。",
                    "3. 已经在本社区登记过的人会被跳过（不会重复登记，也不会改动原档案），所以同一文件重复导入是安全的。",
                    "4. 宗教信仰属于敏感个人信息，不在本表中导入，须经本人同意后在系统中逐人登记。",
                    "5. 上传后系统先逐行检查，列出有问题的行和列，可下载“错误数据”表，改正后再上传；确认无误后点“确认导入”，正确的行一次写入。",
                    "6. 单元格中的公式不会被导入；请“选择性粘贴→数值”后再上传。",
                })
                {
                    help.Row([line, ""], XlsxStyle.Note, height: 32);
                    help.Merge($"A{help.NextRow - 1}:B{help.NextRow - 1}");
                }
            }
            using (var dict = x.AddSheet("字典", [12, 12, 20, 10], hidden: true))
            {
                dict.Row(["民族", "与户主关系", "网格", "需求"], XlsxStyle.Header);
                var n = new[] { eth.Count, ResidentSheet.Relations.Length, grids.Count, ResidentNames.Needs.Length }.Max();

                var gridNames = grids.Values.DistinctBy(g => g.Id).OrderBy(g => g.SortOrder).Select(g => g.Name).ToList();
                for (var i = 0; i < n; i++)
                    dict.Row([i < eth.Count ? eth[i] : null, i < ResidentSheet.Relations.Length ? ResidentSheet.Relations[i] : null,
                        i < gridNames.Count ? gridNames[i] : null, i < ResidentNames.Needs.Length ? ResidentNames.Needs[i].Name : null], XlsxStyle.Plain);
            }
        }
        return (ms.ToArray(), $"{community.Name}少数民族信息档案导入模板.xlsx");
    }

    /// <summary>Stages an upload and queues its preview. A file that is not a readable template is refused at once.</summary>
    public async Task<Guid> StartAsync(Stream upload, string fileName, Guid orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "导入居民信息");
        var (unit, _) = await ResidentService.UnitAsync(db, orgUnitId, ct, "请选择要导入到的社区（村）或网格");
        var job = new ResidentImport
        {
            OrgUnitId = unit.Id, OrgPath = unit.Path, UnitName = unit.Name, FileName = FileNames.Sanitize(fileName, "xlsx"), Status = ImportStatus.Queued,
            RequestedBy = db.Caller.UserName, RequesterPath = db.Caller.ScopePrefix, RequestedUtc = db.UtcNow,
        };
        var path = UploadPath(job.Id);
        var limit = (long)options.MaxUploadMb * 1024 * 1024;
        try
        {
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            await using (var f = CreateFile(path, Upload(job.Id)))
            {
                var buffer = new byte[81920];
                int n;
                while ((n = await upload.ReadAsync(buffer, ct)) > 0)
                {
                    job.FileSize += n;
                    if (job.FileSize > limit) throw new RuleViolation(ImportErrors.File, $"文件超过 {options.MaxUploadMb} MB，请拆分后分批导入");
                    sha.AppendData(buffer, 0, n);
                    await f.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            job.FileSha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
            // The same file again while its import is still open (a double click, a retried request) is that import.
            var open = await db.ResidentImports.AsNoTracking()
                .Where(j => j.OrgUnitId == unit.Id && j.FileSha256 == job.FileSha256 && (j.Status == ImportStatus.Queued || j.Status == ImportStatus.Previewing
                    || j.Status == ImportStatus.Previewed || j.Status == ImportStatus.CommitQueued || j.Status == ImportStatus.Committing))
                .Select(j => new { j.Id, j.RequestedBy, j.RequestedUtc }).FirstOrDefaultAsync(ct);
            if (open is not null)
                throw new ImportAlreadyOpen(open.Id, $"这个文件已经在 {ChinaTime.Format(open.RequestedUtc)} 由 {open.RequestedBy} 上传，还没有处理完；请在“最近的导入”中打开它");
            // Refuse at once what cannot be a template: the clerk learns it before waiting for a background job.
            await using (var s = OpenFile(path, Upload(job.Id)))
            using (var reader = XlsxReader.Open(s, Limits, ResidentSheet.SheetName, lazyStrings: true))
                _ = FindHeader(reader.Rows().Take(10));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        db.ResidentImports.Add(job);
        db.Audit(AuditEvents.Create, $"上传居民导入文件“{job.FileName}”（{job.FileSize:N0} 字节）到{unit.Name}", nameof(ResidentImport), job.Id.ToString(), unit.Path);
        jobs.Enqueue(db, JobKind, job.Id.ToString(), $"检查居民导入文件（{unit.Name}）", maxAttempts: 3);
        await db.SaveChangesAsync(ct);
        return job.Id;
    }

    public async Task<ImportView> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "查看导入结果");
        var job = await db.ResidentImports.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct) ?? throw new NotFoundInScope("导入任务");
        return View(job);
    }

    public async Task<IReadOnlyList<ImportView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "查看导入记录");
        var jobs = await db.ResidentImports.AsNoTracking().OrderByDescending(j => j.RequestedUtc).Take(20).ToListAsync(ct);
        return jobs.Select(j => View(j) with { Errors = [] }).ToList();
    }

    ImportView View(ResidentImport j)
    {
        var errors = j.ErrorsJson is null ? [] : JsonSerializer.Deserialize<List<ImportError>>(j.ErrorsJson) ?? [];
        var processed = progress.Get(j.Id) ?? j.ProcessedRows;
        return new ImportView(j.Id, j.OrgUnitId, j.UnitName, j.FileName, j.FileSize, j.Status, j.TotalRows, processed, j.ValidRows, j.ErrorRows, j.ExistingRows,
            j.InsertedRows, errors, j.Error, j.RequestedBy, j.RequestedUtc, j.PreviewedUtc, j.CommittedBy, j.CommittedUtc, File.Exists(ErrorSheetPath(j.Id)));
    }

    /// <summary>Asks the worker to write the valid rows. Committing a committed import changes nothing (idempotent).</summary>
    public async Task<ImportView> CommitAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "导入居民信息");
        var job = await db.ResidentImports.SingleOrDefaultAsync(j => j.Id == id, ct) ?? throw new NotFoundInScope("导入任务");
        switch (job.Status)
        {
            case ImportStatus.Committed or ImportStatus.CommitQueued or ImportStatus.Committing:
                return View(job);
            case ImportStatus.Previewed:
                break;
            case ImportStatus.Queued or ImportStatus.Previewing:
                throw new RuleViolation(ResidentErrors.Invalid, "文件还在检查中，请等检查完成后再确认导入");
            default:
                throw new RuleViolation(ResidentErrors.Invalid, $"该导入任务{View(job).StatusName}，不能再导入；请重新上传文件");
        }
        if (job.ValidRows == 0) throw new RuleViolation(ResidentErrors.Invalid, "没有可以导入的行（全部有错误或已登记）");
        if (job.RequestedUtc < db.UtcNow.AddHours(-options.KeepHours))
            throw new RuleViolation(ResidentErrors.Invalid, $"上传已超过 {options.KeepHours} 小时，检查结果已失效，请重新上传文件");
        job.Status = ImportStatus.CommitQueued;
        job.CommittedBy = db.Caller.UserName;
        jobs.Enqueue(db, JobKind, job.Id.ToString(), $"写入居民导入（{job.UnitName}）", maxAttempts: 3);
        await db.SaveChangesAsync(ct);
        return View(job);
    }

    public async Task CancelAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "取消导入");
        var job = await db.ResidentImports.SingleOrDefaultAsync(j => j.Id == id, ct) ?? throw new NotFoundInScope("导入任务");
        if (job.Status is not (ImportStatus.Previewed or ImportStatus.Failed or ImportStatus.Queued))
            throw new RuleViolation(ResidentErrors.Invalid, $"该导入任务{View(job).StatusName}，不能取消");
        job.Status = ImportStatus.Cancelled;
        await db.SaveChangesAsync(ct);
        DeleteFiles(job.Id);
    }

    /// <summary>The rows with errors, in the template's layout plus the original row number and an error column; audited.</summary>
    public async Task<(Stream Content, string FileName)> ErrorSheetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.Manage, ResidentErrors.Denied, "下载错误数据");
        var job = await db.ResidentImports.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct) ?? throw new NotFoundInScope("导入任务");
        // The sheet holds the uploader's own rows unmasked (they are what needs fixing): it goes back to that person only.
        if (job.RequestedBy != db.Caller.UserName && !db.Caller.IsSystem) throw new RuleViolation(ResidentErrors.Denied, "错误数据只能由上传文件的人下载");
        var path = ErrorSheetPath(id);
        if (!File.Exists(path))
            throw new RuleViolation(ResidentErrors.Invalid, View(job).Running ? "文件还在检查中，请等检查完成后下载" : job.ErrorRows == 0 ? "这次导入没有错误数据" : $"错误数据已超过 {options.KeepHours} 小时，已删除");
        db.Audit(AuditEvents.PersonalDataExport, $"下载导入错误数据：{job.FileName}，{job.ErrorRows} 行（{job.UnitName}）", nameof(ResidentImport), id.ToString(), job.OrgPath);
        await db.SaveChangesAsync(ct);
        var name = Path.GetFileNameWithoutExtension(job.FileName);
        return (OpenFile(path, Errors(id)), $"{name}-错误数据.xlsx");
    }

    /// <summary>
    /// Files of imports hold personal data: an import left unconfirmed is cancelled after KeepHours, and the files of every
    /// finished import (error sheets included) and any orphan are deleted once they are that old. Runs every 30 minutes.
    /// </summary>
    internal async Task SweepAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var cutoff = db.UtcNow.AddHours(-options.KeepHours);
        foreach (var stale in await db.ResidentImports.Where(j => j.Status == ImportStatus.Previewed && j.RequestedUtc < cutoff).ToListAsync(ct))
        {
            stale.Status = ImportStatus.Cancelled;
            stale.Error = $"超过 {options.KeepHours} 小时未确认，已自动取消并删除上传的文件";
        }
        await db.SaveChangesAsync(ct);
        var running = (await db.ResidentImports.Where(j => j.Status == ImportStatus.Queued || j.Status == ImportStatus.Previewing
            || j.Status == ImportStatus.Previewed || j.Status == ImportStatus.CommitQueued || j.Status == ImportStatus.Committing).Select(j => j.Id).ToListAsync(ct))
            .Select(id => id.ToString("N")).ToHashSet();
        foreach (var f in Directory.EnumerateFiles(Folder))
        {
            var id = Path.GetFileName(f)[..Math.Min(32, Path.GetFileName(f).Length)];
            if (!running.Contains(id) && File.GetLastWriteTimeUtc(f) < cutoff) File.Delete(f);
        }
    }

    /// <summary>Runs whatever the job is waiting for (preview or commit). Called by the worker and the command-line verb.</summary>
    public async Task RunAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        try
        {
            var job = await db.ResidentImports.SingleOrDefaultAsync(j => j.Id == id, ct);
            if (job is null) return;
            if (job.Status is ImportStatus.Queued or ImportStatus.Previewing) await ProcessAsync(db, job, commit: false, ct);
            else if (job.Status is ImportStatus.CommitQueued or ImportStatus.Committing) await ProcessAsync(db, job, commit: true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (e is not RuleViolation) log.LogError(e, "Import {Id} failed", id);
            await using var fail = await dbs.CreateDbContextAsync(CancellationToken.None);
            var again = await fail.ResidentImports.SingleAsync(j => j.Id == id, CancellationToken.None);
            if (again.Status is ImportStatus.Committed or ImportStatus.Cancelled) return;
            var wasCommit = again.Status is ImportStatus.CommitQueued or ImportStatus.Committing;
            // A failed commit leaves the preview valid: nothing was written, the user may try again.
            again.Status = wasCommit && e is RuleViolation { Error: var code } && code == ImportErrors.Conflict ? ImportStatus.Failed : wasCommit ? ImportStatus.Previewed : ImportStatus.Failed;
            again.Error = e is RuleViolation ? e.Message : (wasCommit ? "写入失败，没有任何数据被写入；请稍后重试" : "检查失败：读取文件时出错");
            await fail.SaveChangesAsync(CancellationToken.None);
            if (again.Status == ImportStatus.Failed) DeleteFiles(id, keepErrors: true);
        }
        finally
        {
            progress.Clear(id);
        }
    }

    XlsxLimits Limits => new(MaxRows: options.MaxRows);

    sealed record Pending(int Row, SaveResident Req, IdNumber.Parsed Id, OrgUnit Unit, string Hash, XlsxRow? Raw);

    sealed class Context
    {
        public required OrgUnit Target { get; init; }
        public required OrgUnit Community { get; init; }
        public required Dictionary<string, OrgUnit> Grids { get; init; }
        public required Dictionary<string, string> Ethnicities { get; init; }
        public required DateOnly Today { get; init; }
        public required Dictionary<int, int> ColumnOfField { get; init; }
    }

    string RowsPath(Guid id) => Path.Combine(Folder, $"{id:N}.rows");

    /// <summary>
    /// The staged rows hold personal data between preview and commit: the file is AES-encrypted under a key derived for
    /// this job from the staging key (outside the database), with a random IV at its start. Cheaper than sealing each value.
    /// </summary>
    Aes StagingCipher(Guid jobId, byte[] iv)
    {
        var aes = Aes.Create();
        // The newest staging key (a file is staged and committed within KeepHours; rotate the staging key between imports).
        var key = keys.Get(KeyPurpose.Staging, keys.Newest(KeyPurpose.Staging));
        aes.Key = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: System.Text.Encoding.ASCII.GetBytes($"shiliu.import-staging.v1:{jobId:N}"));
        aes.IV = iv;
        return aes;
    }

    async Task ProcessAsync(ShiliuDb db, ResidentImport job, bool commit, CancellationToken ct)
    {
        var target = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == job.OrgUnitId, ct);
        // The requester's scope is re-checked: the unit may have moved since the upload.
        if (!target.Path.StartsWith(job.RequesterPath, StringComparison.Ordinal) || target.Path != job.OrgPath)
            throw new RuleViolation(ImportErrors.Conflict, "上传后单位发生了调整，不再属于您的管辖范围，请重新上传");
        var community = target.Level == OrgLevel.Grid ? await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == target.ParentId, ct) : target;
        var status = commit ? ImportStatus.Committing : ImportStatus.Previewing;
        ImportStatus[] from = commit ? [ImportStatus.CommitQueued, ImportStatus.Committing] : [ImportStatus.Queued, ImportStatus.Previewing];
        // Only from the states this step continues: a job cancelled meanwhile stays cancelled.
        if (await db.ResidentImports.Where(j => j.Id == job.Id && from.Contains(j.Status))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, status).SetProperty(j => j.Error, (string?)null), ct) == 0) return;
        if (commit) await CommitRowsAsync(db, job, target, community, ct);
        else await PreviewAsync(db, job, target, community, ct);
    }

    static bool IsDuplicate(Exception e) => e switch
    {
        Npgsql.PostgresException { SqlState: "23505" } => true,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } => true,
        DbUpdateException { InnerException: { } inner } => IsDuplicate(inner),
        _ => e.InnerException is { } i && IsDuplicate(i),
    };

    /// <summary>Which of these ID hashes are already kept, and by which community (one record per person county-wide).</summary>
    internal static async Task<Dictionary<string, Guid>> KeepersAsync(ShiliuDb db, List<string> hashes, CancellationToken ct)
    {
        if (db.IsPostgres)
            // A query of its own, across scopes (= ANY over the unique index).
            return await db.Residents.IgnoreQueryFilters().AsNoTracking().Where(r => hashes.Contains(r.IdNumberHash))
                .Select(r => new { r.IdNumberHash, r.CommunityId }).ToDictionaryAsync(r => r.IdNumberHash, r => r.CommunityId, ct);
        // SQLite runs in-process: one prepared lookup per hash on the unique index beats shipping 2,000 values as JSON.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = "SELECT \"CommunityId\" FROM \"Residents\" WHERE \"IdNumberHash\" = $h";
            var p = cmd.CreateParameter();
            p.ParameterName = "$h";
            cmd.Parameters.Add(p);
            cmd.Prepare();
            var found = new Dictionary<string, Guid>();
            foreach (var h in hashes)
            {
                p.Value = h;
                if (cmd.ExecuteScalar() is string community) found[h] = Guid.Parse(community);
            }
            return found;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Reads and checks every row; writes nothing to the archive. The valid rows are staged as parsed (so the commit does
    /// not read the spreadsheet again) and the bad ones go to the error sheet.
    /// </summary>
    async Task PreviewAsync(ShiliuDb db, ResidentImport job, OrgUnit target, OrgUnit community, CancellationToken ct)
    {
        var path = UploadPath(job.Id);
        if (!File.Exists(path)) throw new RuleViolation(ImportErrors.File, "上传的文件已不在服务器上（可能已过期），请重新上传");
        var eth = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.Ethnicity && d.Enabled).ToListAsync(ct);
        var ethnicities = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in eth)
        {
            ethnicities[d.Name] = d.Code;
            ethnicities[d.Code] = d.Code;
            if (d.Code.Length == 2 && d.Code[0] == '0') ethnicities[d.Code[1..]] = d.Code;
            if (d.Name.EndsWith('族') && d.Name.Length >= 2) ethnicities.TryAdd(d.Name[..^1], d.Code);
        }

        await using var file = OpenFile(path, Upload(job.Id));
        using var reader = XlsxReader.Open(file, Limits, ResidentSheet.SheetName);
        using var rows = reader.Rows().GetEnumerator();
        var head = new List<XlsxRow>();
        while (head.Count < 10 && rows.MoveNext()) head.Add(rows.Current);
        var (headerRow, columns) = FindHeader(head);
        var ctx = new Context
        {
            Target = target, Community = community, Grids = await GridsAsync(db, community, ct), Ethnicities = ethnicities,
            Today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow)), ColumnOfField = columns.ToDictionary(kv => kv.Value, kv => kv.Key),
        };
        var communityNames = new Dictionary<Guid, string>();
        var elsewhere = new List<string>();

        IEnumerable<XlsxRow> Data()
        {
            foreach (var r in head.Where(r => r.Number > headerRow.Number)) yield return r;
            while (rows.MoveNext()) yield return rows.Current;
        }

        var errors = new List<ImportError>();
        var seen = new Dictionary<long, int>();
        var (total, valid, bad, existing) = (0, 0, 0, 0);
        var batch = new List<Pending>(Batch);
        SheetWriter? errorSheet = null;
        XlsxWriter? errorBook = null;
        Stream? errorFile = null;
        await using var staged = new FileStream(RowsPath(job.Id), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var iv = RandomNumberGenerator.GetBytes(16);
        staged.Write(iv);
        using var cipher = StagingCipher(job.Id, iv);
        await using var sealedRows = new CryptoStream(staged, cipher.CreateEncryptor(), CryptoStreamMode.Write);
        // CryptoStream transforms each small write block by block; the buffer hands it 64 KB at a time.
        await using var buffered = new BufferedStream(sealedRows, 1 << 16);
        await using var stagedWriter = new BinaryWriter(buffered, System.Text.Encoding.UTF8);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task? producer = null;
        try
        {
            void Bad(XlsxRow raw, List<(int Column, string Message)> list)
            {
                bad++;
                foreach (var (col, msg) in list)
                    if (errors.Count < ShownErrors) errors.Add(new ImportError(raw.Number, ColumnLabel(ctx, col), msg));
                if (errorSheet is null)
                {
                    errorFile = CreateFile(ErrorSheetPath(job.Id) + ".tmp", Errors(job.Id), FileMode.Create);
                    errorBook = new XlsxWriter(errorFile);
                    errorSheet = errorBook.AddSheet(ResidentSheet.SheetName,
                        ResidentSheet.Columns.Select(c => c.Width).Append(8).Append(50).ToArray(), frozenRows: 1);
                    errorSheet.Row(ResidentSheet.Columns.Select(c => c.Header).Append(ResidentSheet.RowHeader).Append(ResidentSheet.ErrorHeader).ToArray(), XlsxStyle.Header, height: 30);
                }
                var values = new string?[ResidentSheet.Columns.Length + 2];
                var styles = new XlsxStyle[values.Length];
                Array.Fill(styles, XlsxStyle.Body);
                for (var i = 0; i < ResidentSheet.Columns.Length; i++)
                    if (ctx.ColumnOfField.TryGetValue(i, out var sc) && raw[sc] is { } cell) values[i] = cell.Text;
                foreach (var (col, _) in list) if (col >= 0) styles[col] = XlsxStyle.Error;
                values[^2] = raw.Number.ToString();
                values[^1] = string.Join("；", list.Select(e => (e.Column >= 0 ? ResidentSheet.Columns[e.Column].Header + "：" : "") + e.Message));
                styles[^1] = XlsxStyle.Error;
                errorSheet.Row(values, styles: styles);
            }

            async Task FlushAsync()
            {
                if (batch.Count == 0) return;
                // Every lookup key version: a person hashed under an older key is still the same person.
                var hashes = batch.ToDictionary(p => p, p => pii.HashVersion == 1 ? (IReadOnlyList<string>)[p.Hash] : pii.Hashes(p.Id.Value));
                var found = await KeepersAsync(db, hashes.Values.SelectMany(h => h).ToList(), ct);
                foreach (var p in batch)
                {
                    if (hashes[p].Select(h => found.TryGetValue(h, out var k) ? k : (Guid?)null).FirstOrDefault(k => k is not null) is not { } keeper)
                    {
                        valid++;
                        Staged.Write(stagedWriter, p);
                        continue;
                    }
                    if (keeper == ctx.Community.Id)
                    {
                        existing++;
                        continue;
                    }
                    // Neither the unit nor the record is named (the uploader may not see them); the auditor gets both.
                    if (!communityNames.TryGetValue(keeper, out var name))
                        communityNames[keeper] = name = await db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == keeper).Select(o => o.Name).SingleAsync(ct);
                    elsewhere.Add($"{IdNumber.Mask(p.Id.Value)}（{name}）");
                    Bad(p.Raw!, [(ResidentSheet.IndexOf(nameof(SaveResident.IdNumber)), ExistsElsewhere.Text + "（一人一档）")]);
                }
                batch.Clear();
            }

            // Reading the XML and checking the rows run side by side (one core each): a bounded queue between them.
            var queue = Channel.CreateBounded<XlsxRow>(new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true });
            producer = Task.Run(async () =>
            {
                try
                {
                    foreach (var r in Data()) await queue.Writer.WriteAsync(r, stop.Token);
                    queue.Writer.Complete();
                }
                catch (Exception e)
                {
                    queue.Writer.Complete(e);
                }
            }, CancellationToken.None);
            await foreach (var raw in queue.Reader.ReadAllAsync(ct))
            {
                total++;
                var (pending, list) = ParseRow(ctx, raw);
                if (pending is not null)
                {
                    var key = long.Parse(pending.Id.Value.AsSpan(0, 17));
                    if (seen.TryGetValue(key, out var first))
                    {
                        pending = null;
                        list.Add((ResidentSheet.IndexOf(nameof(SaveResident.IdNumber)), $"与第{first}行的身份证号重复"));
                    }
                    else seen[key] = raw.Number;
                }
                if (pending is null) Bad(raw, list);
                else
                {
                    batch.Add(pending);
                    if (batch.Count == Batch) await FlushAsync();
                }
                if (total % 1000 == 0) progress.Set(job.Id, total);
            }
            await producer;
            await FlushAsync();
            if (total == 0) throw new RuleViolation(ImportErrors.File, "表头下面没有数据行");
            stagedWriter.Write(false); // end of the staged rows
            stagedWriter.Flush();
            await buffered.FlushAsync(ct);
            await sealedRows.FlushFinalBlockAsync(ct);
        }
        finally
        {
            // The reader must not be disposed under the producer's feet (it stops at the cancelled token).
            await stop.CancelAsync();
            if (producer is not null) await producer;
            errorSheet?.Dispose();
            errorBook?.Dispose();
            if (errorFile is not null) await errorFile.DisposeAsync();
        }
        // Published whole: the download link never serves a half-written workbook.
        if (errorFile is not null) File.Move(ErrorSheetPath(job.Id) + ".tmp", ErrorSheetPath(job.Id), overwrite: true);
        job = await db.ResidentImports.SingleAsync(j => j.Id == job.Id, ct);
        (job.TotalRows, job.ProcessedRows, job.ValidRows, job.ErrorRows, job.ExistingRows) = (total, total, valid, bad, existing);
        job.ErrorsJson = JsonSerializer.Serialize(errors);
        job.Status = ImportStatus.Previewed;
        job.PreviewedUtc = db.UtcNow;
        db.Audit(AuditEvents.Update, $"检查居民导入文件“{job.FileName}”：{total:N0} 行，可导入 {valid:N0}，已登记 {existing:N0}，有错误 {bad:N0}",
            nameof(ResidentImport), job.Id.ToString(), job.OrgPath, userName: job.RequestedBy);
        if (elsewhere.Count > 0)
            db.Audit(AuditEvents.RegisteredElsewhere, $"导入文件“{job.FileName}”中 {elsewhere.Count:N0} 人已在其他单位登记，未予登记",
                nameof(ResidentImport), job.Id.ToString(), job.OrgPath, success: false, userName: job.RequestedBy, after: JsonSerializer.Serialize(elsewhere,
                    new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        await db.SaveChangesAsync(ct);
        // The staged rows replace the upload: nothing reads the spreadsheet again.
        File.Delete(path);
    }

    /// <summary>
    /// Writes the staged rows in one transaction. Anyone registered since the preview (here or elsewhere) makes the unique
    /// index refuse the commit as a whole: nothing is written and the user checks the file again.
    /// </summary>
    async Task CommitRowsAsync(ShiliuDb db, ResidentImport job, OrgUnit target, OrgUnit community, CancellationToken ct)
    {
        var path = RowsPath(job.Id);
        if (!File.Exists(path)) throw new RuleViolation(ImportErrors.Conflict, "检查结果已不在服务器上（可能已过期），请重新上传文件");
        var units = (await GridsAsync(db, community, ct)).Values.Append(community).DistinctBy(u => u.Id).ToDictionary(u => u.Id);
        var now = db.UtcNow;
        var inserted = 0;
        // Decrypting, checking and sealing the staged rows (one core) run side by side with writing them (the other core
        // and the database): a short queue of batches between them.
        var batches = Channel.CreateBounded<Resident[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        // The transaction first: once the producer runs, only the finally below stops it.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                var iv = new byte[16];
                file.ReadExactly(iv);
                using var cipher = StagingCipher(job.Id, iv);
                await using var sealedRows = new CryptoStream(file, cipher.CreateDecryptor(), CryptoStreamMode.Read);
                await using var buffered = new BufferedStream(sealedRows, 1 << 16);
                using var reader = new BinaryReader(buffered, System.Text.Encoding.UTF8);
                var batch = new List<Resident>(Batch);
                while (reader.ReadBoolean())
                {
                    batch.Add(NewResident(job, Staged.Read(reader, units), now));
                    if (batch.Count < Batch) continue;
                    await batches.Writer.WriteAsync(batch.ToArray(), stop.Token);
                    batch.Clear();
                }
                if (batch.Count > 0) await batches.Writer.WriteAsync(batch.ToArray(), stop.Token);
                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        }, CancellationToken.None);

        async IAsyncEnumerable<Resident> Rows()
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
            {
                foreach (var r in batch) yield return r;
                inserted += batch.Length;
                progress.Set(job.Id, inserted);
            }
        }

        try
        {
            await BulkInsert.InsertAsync(db, Rows(), ct);
        }
        catch (Exception e) when (IsDuplicate(e))
        {
            // The preview checked every row against the archive; the unique index catches anyone registered since then,
            // and the transaction takes back everything this commit wrote.
            throw new RuleViolation(ImportErrors.Conflict, "检查之后，文件中有人已在系统中登记（一人一档），没有写入任何数据。请重新上传文件检查");
        }
        finally
        {
            // The producer stops at the cancelled token when the writing failed; its own failure arrives through the queue.
            await stop.CancelAsync();
            await producer;
        }
        job = await db.ResidentImports.SingleAsync(j => j.Id == job.Id, ct);
        job.Status = ImportStatus.Committed;
        job.InsertedRows = inserted;
        job.CommittedUtc = db.UtcNow;
        // The community's figures are recounted in the same transaction as its new residents.
        await PopulationTally.RefreshAsync(db, [community.Id], ct);
        db.Audit(AuditEvents.Create, $"导入居民 {inserted:N0} 人到{job.UnitName}（文件“{job.FileName}”，共 {job.TotalRows:N0} 行，{job.ExistingRows:N0} 人已登记跳过，{job.ErrorRows:N0} 行有错误未导入）",
            nameof(ResidentImport), job.Id.ToString(), job.OrgPath, userName: job.CommittedBy ?? job.RequestedBy);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        try
        {
            // The error sheet stays (the clerk may still need it to fix the bad rows); the sweep removes it later.
            DeleteFiles(job.Id, keepErrors: true);
            // A large load leaves the planner's statistics behind until autovacuum gets to them (a minute or more), and lists
        // planned on stale figures are slow meanwhile; refresh them now.
            if (inserted >= 10_000) await db.Database.ExecuteSqlRawAsync("ANALYZE \"Residents\"", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The import is committed; housekeeping failing afterwards must not make it look failed.
            log.LogWarning(e, "Housekeeping after import {Id} failed", job.Id);
        }
    }

    /// <summary>
    /// A checked row as staged between preview and commit (inside the encrypted staging file); the file is deleted at
    /// commit or cancel, or by the sweep once it is older than KeepHours.
    /// </summary>
    static class Staged
    {
        public static void Write(BinaryWriter w, Pending p)
        {
            var r = p.Req;
            w.Write(true); // a row follows
            w.Write(p.Row);
            w.Write(p.Unit.Id.ToByteArray());
            w.Write(p.Hash);
            w.Write(p.Id.Value);
            w.Write(r.Name);
            w.Write((int)r.Gender);
            w.Write(r.EthnicityCode);
            Opt(r.Phone); Opt(r.HouseholdNo); Opt(r.RelationToHead); Opt(r.Address);
            w.Write((int)r.ResidenceType);
            Opt(r.OriginPlace); Date(r.ArrivalDate); Opt(r.ExpectedStay); Opt(r.ArrivalReason); Opt(r.Employer); Opt(r.Languages);
            w.Write((int)r.Needs);
            w.Write((int)r.Status);
            Date(r.StatusDate); Opt(r.Notes);

            void Opt(string? v)
            {
                w.Write(v is not null);
                if (v is not null) w.Write(v);
            }

            void Date(DateOnly? d)
            {
                w.Write(d is not null);
                if (d is { } x) w.Write(x.DayNumber);
            }
        }

        public static Pending Read(BinaryReader r, Dictionary<Guid, OrgUnit> units)
        {
            var row = r.ReadInt32();
            var unitId = new Guid(r.ReadBytes(16));
            if (!units.TryGetValue(unitId, out var unit))
                throw new RuleViolation(ImportErrors.Conflict, $"第{row}行的网格在检查之后已停用或调整，没有写入任何数据。请重新上传文件检查");
            var hash = r.ReadString();
            var idValue = r.ReadString();
            var req = new SaveResident { OrgUnitId = unit.Id, Name = r.ReadString(), Gender = (Gender)r.ReadInt32(), EthnicityCode = r.ReadString(), IdNumber = idValue };
            req.Phone = Opt(); req.HouseholdNo = Opt(); req.RelationToHead = Opt(); req.Address = Opt();
            req.ResidenceType = (ResidenceType)r.ReadInt32();
            req.OriginPlace = Opt(); req.ArrivalDate = Date(); req.ExpectedStay = Opt(); req.ArrivalReason = Opt(); req.Employer = Opt(); req.Languages = Opt();
            req.Needs = (ResidentNeeds)r.ReadInt32();
            req.Status = (ResidentStatus)r.ReadInt32();
            req.StatusDate = Date(); req.Notes = Opt();
            if (!IdNumber.TryParse(idValue, out var id, out _)) throw new InvalidDataException("staged row with an invalid ID number");
            return new Pending(row, req, id!, unit, hash, null);

            string? Opt() => r.ReadBoolean() ? r.ReadString() : null;
            DateOnly? Date() => r.ReadBoolean() ? DateOnly.FromDayNumber(r.ReadInt32()) : null;
        }
    }

    /// <summary>
    /// A new resident from a staged row, sealed and ready to write (inside the commit's transaction). Each record points at
    /// its import job, which is its first history entry (who, when, which file and row): one job row instead of a million
    /// history rows.
    /// </summary>
    Resident NewResident(ResidentImport job, Pending p, DateTime now)
    {
        var r = new Resident
        {
            OrgUnitId = p.Unit.Id, OrgPath = p.Unit.Path, CommunityId = p.Unit.Level == OrgLevel.Grid ? p.Unit.ParentId!.Value : p.Unit.Id,
            IdNumberHash = p.Hash, Version = 1, UpdatedUtc = now, UpdatedBy = job.CommittedBy ?? job.RequestedBy, ImportId = job.Id, ImportRow = p.Row,
        };
        residents.Apply(r, p.Req, p.Id);
        // BulkInsert bypasses the scope filter: every row is checked against the job's unit here.
        if (!r.OrgPath.StartsWith(job.OrgPath, StringComparison.Ordinal)) throw new InvalidOperationException("import row outside its target unit");
        return r;
    }

    static string ColumnLabel(Context ctx, int col) =>
        col < 0 ? "" : ctx.ColumnOfField.TryGetValue(col, out var sc) ? $"{ResidentSheet.Columns[col].Header}（{XlsxReader.ColumnName(sc)}列）" : ResidentSheet.Columns[col].Header;

    /// <summary>The header is the first of the top rows that has 姓名 and the ID number; unknown columns are ignored.</summary>
    static (XlsxRow Row, Dictionary<int, int> Columns) FindHeader(IEnumerable<XlsxRow> rows)
    {
        foreach (var row in rows)
        {
            var map = new Dictionary<int, int>();
            foreach (var (col, cell) in row.Cells)
                if (ResidentSheet.MatchHeader(cell.Text) is { } i && !map.ContainsValue(i)) map[col] = i;
            if (!map.ContainsValue(ResidentSheet.IndexOf(nameof(SaveResident.Name))) || !map.ContainsValue(ResidentSheet.IndexOf(nameof(SaveResident.IdNumber)))) continue;
            var missing = ResidentSheet.Columns.Select((c, i) => (c, i)).Where(x => x.c.Required && !map.ContainsValue(x.i)).Select(x => x.c.Header).ToList();
            if (missing.Count > 0) throw new RuleViolation(ImportErrors.File, $"第{row.Number}行表头缺少必填列：{string.Join("、", missing)}。请使用下载的导入模板");
            return (row, map);
        }
        throw new RuleViolation(ImportErrors.File, "前10行中找不到表头（须有“姓名”和“公民身份号码”列）。请使用下载的导入模板");
    }

    (Pending? Row, List<(int Column, string Message)> Errors) ParseRow(Context ctx, XlsxRow raw)
    {
        var errors = new List<(int, string)>();
        var req = new SaveResident { OrgUnitId = ctx.Target.Id };
        XlsxCell? Cell(string field) => ctx.ColumnOfField.TryGetValue(ResidentSheet.IndexOf(field), out var c) ? raw[c] : null;

        string Text(string field)
        {
            var col = ResidentSheet.IndexOf(field);
            if (Cell(field) is not { } cell) return "";
            if (cell.IsFormula)
            {
                errors.Add((col, "是公式，不导入公式；请“选择性粘贴→数值”后再上传"));
                return "";
            }
            if (cell.IsError)
            {
                errors.Add((col, $"是错误值 {cell.Text}"));
                return "";
            }
            var v = ResidentSheet.Clean(cell.Text);
            if (v.Any(char.IsControl))
            {
                errors.Add((col, "含有不可见的控制字符"));
                return "";
            }
            var max = ResidentSheet.Columns[col].MaxLength;
            if (max > 0 && v.Length > max)
            {
                errors.Add((col, $"不能超过{max}字（现为{v.Length}字）"));
                return "";
            }
            return v;
        }

        string? Optional(string field) => Text(field) is { Length: > 0 } v ? v : null;

        DateOnly? Date(string field)
        {
            if (Cell(field) is not { } cell || cell.IsFormula || cell.IsError) { _ = Text(field); return null; }
            if (ResidentSheet.Clean(cell.Text).Length == 0) return null;
            if (ResidentSheet.TryDate(cell, out var d, out var err)) return d;
            errors.Add((ResidentSheet.IndexOf(field), err!));
            return null;
        }

        int Col(string field) => ResidentSheet.IndexOf(field);

        req.Name = Text(nameof(SaveResident.Name));
        // "张 三" typed with a space between characters is still 张三; "阿依古丽·买买提" keeps its dot.
        if (req.Name.Contains(' ') && req.Name.All(c => c == ' ' || c > 0x2E80)) req.Name = req.Name.Replace(" ", "");
        if (req.Name.Length == 0 && !errors.Any(e => e.Item1 == Col(nameof(SaveResident.Name)))) errors.Add((Col(nameof(SaveResident.Name)), "不能为空"));

        var gender = Text(nameof(SaveResident.Gender));
        if (ResidentSheet.TryGender(gender, out var g)) req.Gender = g;
        else errors.Add((Col(nameof(SaveResident.Gender)), $"“{gender}”应为男或女"));

        var eth = Text(nameof(SaveResident.EthnicityCode));
        if (eth.Length == 0) { if (!errors.Any(e => e.Item1 == Col(nameof(SaveResident.EthnicityCode)))) errors.Add((Col(nameof(SaveResident.EthnicityCode)), "不能为空")); }
        else if (ctx.Ethnicities.TryGetValue(eth, out var code)) req.EthnicityCode = code;
        else errors.Add((Col(nameof(SaveResident.EthnicityCode)), $"“{eth}”不在民族字典中（应为如“彝族”的民族名称）"));

        IdNumber.Parsed? id = null;
        var idCol = Col(nameof(SaveResident.IdNumber));
        if (Cell(nameof(SaveResident.IdNumber)) is { IsNumber: true } idCell && ResidentSheet.Digits(idCell) is var digits && digits.Length > 15)
            errors.Add((idCol, "被 Excel 存成了数字，后几位已经丢失；请把本列设为“文本”后重新填写"));
        else
        {
            var raw18 = Cell(nameof(SaveResident.IdNumber)) is { IsNumber: true } n15 ? ResidentSheet.Digits(n15) : Text(nameof(SaveResident.IdNumber));
            if (raw18.Length == 0) { if (!errors.Any(e => e.Item1 == idCol)) errors.Add((idCol, "不能为空")); }
            else if (IdNumber.TryParse(raw18, out var parsed, out var err)) id = parsed;
            else errors.Add((idCol, err!));
        }

        req.BirthDate = Date(nameof(SaveResident.BirthDate));
        if (Cell(nameof(SaveResident.Phone)) is { } phoneCell && !phoneCell.IsFormula && !phoneCell.IsError) req.Phone = ResidentSheet.Digits(phoneCell) is { Length: > 0 } ph ? ph : null;
        else _ = Text(nameof(SaveResident.Phone));
        req.HouseholdNo = Optional(nameof(SaveResident.HouseholdNo));
        if (req.HouseholdNo is not null && Cell(nameof(SaveResident.HouseholdNo)) is { IsNumber: true } hh) req.HouseholdNo = ResidentSheet.Digits(hh);
        req.RelationToHead = Optional(nameof(SaveResident.RelationToHead));
        req.Address = Optional(nameof(SaveResident.Address));

        var unit = ctx.Target;
        var grid = Text(ResidentSheet.GridField);
        if (grid.Length > 0)
        {
            if (!ctx.Grids.TryGetValue(grid, out var gu)) errors.Add((Col(ResidentSheet.GridField), $"“{grid}”不是{ctx.Community.Name}的网格"));
            else if (ctx.Target.Level == OrgLevel.Grid && gu.Id != ctx.Target.Id) errors.Add((Col(ResidentSheet.GridField), $"只能导入到{ctx.Target.Name}"));
            else unit = gu;
        }

        var type = Text(nameof(SaveResident.ResidenceType));
        if (type.Length == 0) { if (!errors.Any(e => e.Item1 == Col(nameof(SaveResident.ResidenceType)))) errors.Add((Col(nameof(SaveResident.ResidenceType)), "不能为空（常住、流动或辖区单位）")); }
        else if (ResidentSheet.TryResidenceType(type, out var t)) req.ResidenceType = t;
        else errors.Add((Col(nameof(SaveResident.ResidenceType)), $"“{type}”应为常住、流动或辖区单位"));

        req.OriginPlace = Optional(nameof(SaveResident.OriginPlace));
        req.ArrivalDate = Date(nameof(SaveResident.ArrivalDate));
        req.ExpectedStay = Optional(nameof(SaveResident.ExpectedStay));
        req.ArrivalReason = Optional(nameof(SaveResident.ArrivalReason));
        req.Employer = Optional(nameof(SaveResident.Employer));
        req.Languages = Optional(nameof(SaveResident.Languages));
        var needs = Text(nameof(SaveResident.Needs));
        if (ResidentSheet.TryNeeds(needs, out var nd, out var unknown)) req.Needs = nd;
        else errors.Add((Col(nameof(SaveResident.Needs)), $"“{unknown}”不是可选的需求（就业、培训、入学、医疗、救助、翻译、法律、住房、其他）"));
        var status = Text(nameof(SaveResident.Status));
        if (ResidentSheet.TryStatus(status, out var st)) req.Status = st;
        else errors.Add((Col(nameof(SaveResident.Status)), $"“{status}”应为在册、迁出、死亡或注销"));
        req.StatusDate = Date(nameof(SaveResident.StatusDate));
        req.Notes = Optional(nameof(SaveResident.Notes));

        if (id is not null && req.ResidenceType != 0)
            foreach (var (field, message) in ResidentService.Rules(req, id, ctx.Today))
                if (!errors.Any(e => e.Item1 == Col(field))) errors.Add((Col(field), message));
        if (errors.Count > 0 || id is null) return (null, errors);
        return (new Pending(raw.Number, req, id, unit, pii.Hash(id.Value), raw), errors);
    }

    /// <summary>A community's grids by name, by short name (without the community's name in front) and by code.</summary>
    static async Task<Dictionary<string, OrgUnit>> GridsAsync(ShiliuDb db, OrgUnit community, CancellationToken ct)
    {
        var grids = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => o.ParentId == community.Id && o.Level == OrgLevel.Grid && !o.IsDisabled)
            .OrderBy(o => o.SortOrder).ToListAsync(ct);
        var map = new Dictionary<string, OrgUnit>(StringComparer.Ordinal);
        foreach (var g in grids) map[g.Name] = g;
        foreach (var g in grids)
        {
            if (g.Name.StartsWith(community.Name, StringComparison.Ordinal) && g.Name.Length > community.Name.Length) map.TryAdd("|" + g.Name[community.Name.Length..], g);
            map.TryAdd("|" + g.Code, g);
        }
        // Lookups try the full name first; the short forms are stored with a marker so the template lists only full names.
        foreach (var k in map.Keys.Where(k => k.StartsWith('|')).ToList()) map.TryAdd(k[1..], map[k]);
        return map;
    }

    void DeleteFiles(Guid id, bool keepErrors = false)
    {
        File.Delete(UploadPath(id));
        File.Delete(RowsPath(id));
        File.Delete(ErrorSheetPath(id) + ".tmp");
        if (!keepErrors) File.Delete(ErrorSheetPath(id));
    }
}

/// <summary>Runs the step an import waits for (preview or commit); the service records its own failures on the import.</summary>
sealed class ImportJobHandler(ResidentImportService imports) : IJobHandler
{
    public Task RunAsync(JobContext job, CancellationToken ct) => imports.RunAsync(Guid.Parse(job.Payload!), ct);
}

/// <summary>Every 30 minutes: cancels imports left unconfirmed and deletes their files (they hold personal data).</summary>
sealed class ImportSweepHandler(ResidentImportService imports) : IJobHandler
{
    public Task RunAsync(JobContext job, CancellationToken ct) => imports.SweepAsync(ct);
}
