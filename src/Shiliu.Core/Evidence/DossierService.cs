using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Platform.Jobs;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;

namespace Shiliu.Core.Evidence;

public sealed record DossierRow(Guid Id, Guid OrgUnitId, string UnitName, int? Year, int? CriterionNo, DossierStatus Status, int Total, int Done,
    long Size, string? Error, string RequestedBy, DateTime RequestedUtc, DateTime? FinishedUtc)
{
    public string StatusName => Status switch
    {
        DossierStatus.Queued => "排队中", DossierStatus.Running => "生成中", DossierStatus.Done => "已完成", _ => "失败",
    };

    public int Percent => Total == 0 ? (Status == DossierStatus.Done ? 100 : 0) : (int)(100L * Done / Total);
}

/// <summary>
/// 迎检台账: for the assessors, a unit's evidence laid out by 测评标准 and by 十个一 item, with a Word catalogue, as one zip.
/// Built in the background (progress in the job row, so a closed browser loses nothing), streamed file by file.
/// </summary>
public sealed class DossierService(IDbContextFactory<ShiliuDb> dbs, IFileStore store, JobQueue jobs, EvidenceService evidence)
{
    public const string JobKind = "evidence.dossier";

    public async Task<Guid> RequestAsync(Guid orgUnitId, int? year, int? criterionNo, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "生成迎检台账");
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgUnitId, ct) ?? throw new NotFoundInScope("单位");
        if (year is < 2000 or > 2100) throw new RuleViolation(EvidenceErrors.Invalid, "年份须在2000至2100之间");
        if (criterionNo is { } no && (await EvidenceService.CurrentCriteriaAsync(db, ct)).All(c => c.No != no))
            throw new RuleViolation(EvidenceErrors.Invalid, $"测评标准第 {no} 条不存在");
        if (await db.DossierJobs.AnyAsync(j => j.OrgUnitId == orgUnitId && j.Status <= DossierStatus.Running, ct))
            throw new RuleViolation(EvidenceErrors.Invalid, $"{unit.Name}的迎检台账正在生成，请等它完成后再生成");
        var job = new DossierJob
        {
            OrgUnitId = unit.Id, OrgPath = unit.Path, UnitName = unit.Name, Year = year, CriterionNo = criterionNo,
            RequestedBy = db.Caller.UserName, RequesterPath = db.Caller.OrgPath ?? unit.Path, RequestedUtc = db.UtcNow,
        };
        db.DossierJobs.Add(job);
        jobs.Enqueue(db, JobKind, job.Id.ToString(), $"生成{unit.Name}的迎检台账", maxAttempts: 3);
        await db.SaveChangesAsync(ct);
        return job.Id;
    }

    public async Task<IReadOnlyList<DossierRow>> ListAsync(Guid orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "查看迎检台账");
        if (!await db.OrgUnits.AnyAsync(o => o.Id == orgUnitId, ct)) throw new NotFoundInScope("单位");
        var rows = await db.DossierJobs.AsNoTracking().Where(j => j.OrgUnitId == orgUnitId).OrderByDescending(j => j.RequestedUtc).Take(20).ToListAsync(ct);
        return rows.Select(Row).ToList();
    }

    public async Task<DossierRow> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "查看迎检台账");
        return Row(await db.DossierJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct) ?? throw new NotFoundInScope("迎检台账"));
    }

    public async Task<OpenedFile> OpenAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, EvidenceErrors.Denied, "下载迎检台账");
        var job = await db.DossierJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct) ?? throw new NotFoundInScope("迎检台账");
        if (job.Status != DossierStatus.Done || job.StorageKey is null) throw new RuleViolation(EvidenceErrors.Invalid, "迎检台账还没有生成完成");
        db.Audit(AuditEvents.Export, $"下载{job.UnitName}的迎检台账（{job.Total} 个文件，{EvidenceService.Megabytes(job.Size)}）", nameof(DossierJob), job.Id.ToString(), job.OrgPath);
        await db.SaveChangesAsync(ct);
        return new OpenedFile(await store.OpenReadAsync(job.StorageKey, ct), "application/zip", $"{job.UnitName}迎检台账{(job.Year is { } y ? $"（{y}年）" : "")}.zip", job.Size, false);
    }

    static DossierRow Row(DossierJob j) => new(j.Id, j.OrgUnitId, j.UnitName, j.Year, j.CriterionNo, j.Status, j.Total, j.Done, j.Size, j.Error,
        j.RequestedBy, j.RequestedUtc, j.FinishedUtc);

    sealed record Placed(string Section, string Folder, string Heading, EvidenceItem Item, string ZipPath);

    /// <summary>Builds one job. Runs as the system, but only over the job's unit, which was in the requester's scope.</summary>
    internal async Task BuildAsync(Guid jobId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var job = await db.DossierJobs.SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.Status is DossierStatus.Done or DossierStatus.Failed) return;
        await db.DossierJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, DossierStatus.Running).SetProperty(j => j.Done, 0), ct);

        var items = await db.Evidence.AsNoTracking().Include(e => e.Refs)
            .Where(e => e.OrgUnitId == job.OrgUnitId && e.DeletedUtc == null && (job.Year == null || e.Year == job.Year))
            .OrderBy(e => e.Year).ThenBy(e => e.UploadedUtc).ToListAsync(ct);
        var criteria = await EvidenceService.CurrentCriteriaAsync(db, ct);
        if (job.CriterionNo is { } only)
        {
            criteria = criteria.Where(c => c.No == only).ToList();
            items = items.Where(i => i.Refs.Any(r => r.Kind == EvidenceRefKind.Criterion && r.No == only)).ToList();
        }

        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var placed = new List<Placed>();
        foreach (var c in criteria)
        {
            var folder = $"一、测评标准/{c.No:00} {Short(c.Text)}";
            foreach (var i in items.Where(i => i.Refs.Any(r => r.Kind == EvidenceRefKind.Criterion && r.No == c.No)))
                placed.Add(new("一、按测评标准", folder, $"第{c.No}条（{c.Score}分）{c.Text}", i, EvidenceService.UniqueName(taken, $"{folder}/{i.FileName}")));
        }
        if (job.CriterionNo is null)
        {
            for (var n = 1; n <= 10; n++)
            {
                var folder = $"二、十个一/{n:00} {TenItems.Names[n - 1]}";
                foreach (var i in items.Where(i => i.Refs.Any(r => r.Kind == EvidenceRefKind.Deliverable && r.No == n)))
                    placed.Add(new("二、按“十个一”", folder, $"{n}. {TenItems.Names[n - 1]}", i, EvidenceService.UniqueName(taken, $"{folder}/{i.FileName}")));
            }
            foreach (var i in items.Where(i => i.Refs.Count == 0))
                placed.Add(new("三、其他材料", "三、其他材料", "未关联测评标准或“十个一”的材料", i, EvidenceService.UniqueName(taken, $"三、其他材料/{i.Year}年/{i.FileName}")));
        }
        await db.DossierJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Total, placed.Count), ct);

        var temp = Path.Combine(store.StagingDirectory, $"dossier-{jobId:N}.zip");
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            await using (var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: false, Encoding.UTF8, ct))
            {
                var catalogue = zip.CreateEntry("目录.docx", CompressionLevel.Optimal);
                await using (var target = await catalogue.OpenAsync(ct))
                {
                    var bytes = Catalogue(job, criteria.Count, items.Count, placed);
                    await target.WriteAsync(bytes, ct);
                }
                var done = 0;
                var lastReport = DateTime.UtcNow;
                foreach (var p in placed)
                {
                    await evidence.AddEntryAsync(zip, p.ZipPath, p.Item, ct);
                    done++;
                    if (done == placed.Count || (DateTime.UtcNow - lastReport).TotalMilliseconds > 500)
                    {
                        lastReport = DateTime.UtcNow;
                        await db.DossierJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Done, done), ct);
                    }
                }
            }
            var key = $"dossiers/{jobId:N}.zip";
            var size = new FileInfo(temp).Length;
            await store.PutFileAsync(key, temp, "application/zip", ct);
            job.Status = DossierStatus.Done;
            job.Done = placed.Count;
            job.Total = placed.Count;
            job.Size = size;
            job.StorageKey = key;
            job.FinishedUtc = db.UtcNow;
            db.Audit(AuditEvents.Export, $"生成{job.UnitName}的迎检台账：{items.Count} 件材料，{placed.Count} 个文件位置，{EvidenceService.Megabytes(size)}",
                nameof(DossierJob), job.Id.ToString(), job.OrgPath, userName: job.RequestedBy);
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    internal async Task FailAsync(Guid jobId, string error)
    {
        await using var db = await dbs.CreateDbContextAsync();
        await db.DossierJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, DossierStatus.Failed).SetProperty(j => j.Error, error.Length > 500 ? error[..500] : error)
            .SetProperty(j => j.FinishedUtc, db.UtcNow));
    }

    static string Short(string text)
    {
        var t = new string(text.Where(c => c is not ('/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|')).ToArray());
        return t.Length > 16 ? t[..16] : t;
    }

    /// <summary>The catalogue assessors leaf through, in the 公文 layout: a heading per section, a table per group, a row per file with where it is in the zip.</summary>
    static byte[] Catalogue(DossierJob job, int criteriaCount, int itemCount, List<Placed> placed)
    {
        using var ms = new MemoryStream();
        using (var doc = new OfficialDocument(ms, $"{job.UnitName}民族团结进步创建迎检台账目录", job.RequestedBy))
        {
            doc.Title($"{job.UnitName}民族团结进步创建迎检台账",
                $"目　录{(job.Year is { } y ? $"（{y}年度）" : "")}{(job.CriterionNo is { } c ? $"（测评标准第{c}条）" : "")}");
            doc.Note($"共 {itemCount} 件材料，{placed.Count} 个文件位置；生成人 {job.RequestedBy}，生成时间 {ChinaTime.Format(DateTime.UtcNow)}");
            var no = 0;
            foreach (var section in placed.GroupBy(p => p.Section))
            {
                doc.Heading(1, $"{GongwenNumerals.Of(++no)}、{section.Key}");
                foreach (var group in section.GroupBy(p => p.Heading))
                {
                    doc.Heading(3, group.Key);
                    var seq = 0;
                    doc.Table(["序号", "材料名称", "类别", "年份", "上传人", "文件位置"],
                        group.Select(p => (IReadOnlyList<string?>)[(++seq).ToString(), p.Item.Title, EvidenceNames.Category(p.Item.Category), p.Item.Year.ToString(), p.Item.UploadedBy, p.ZipPath]).ToList(),
                        [0.6, 3, 1.2, 0.8, 1.2, 3.2], GongwenSizes.Wu);
                }
            }
            if (placed.Count == 0) doc.Paragraph("没有符合条件的材料。");
        }
        return ms.ToArray();
    }
}

/// <summary>Builds one dossier in the background (a failed attempt is retried from scratch).</summary>
sealed class DossierJobHandler(DossierService dossiers) : IJobHandler
{
    public Task RunAsync(JobContext job, CancellationToken ct) => dossiers.BuildAsync(Guid.Parse(job.Payload!), ct);

    public Task FailedAsync(JobContext job, string error, CancellationToken ct) =>
        dossiers.FailAsync(Guid.Parse(job.Payload!), error.StartsWith("执行失败", StringComparison.Ordinal) ? "生成失败：读取或写入文件时出错，请稍后重试或联系系统管理员" : error);
}
