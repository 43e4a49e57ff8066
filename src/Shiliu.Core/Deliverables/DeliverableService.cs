using Shiliu.Core.Campaigns;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Deliverables;

public sealed record DeliverableCell(Guid Id, int ItemNo, DeliverableStatus Status, bool Returned)
{
    public string StatusName => TenItems.StatusName(Status, Returned);
}

public sealed record MatrixRow(Guid OrgUnitId, string UnitName, Guid? TownshipId, string TownshipName, IReadOnlyList<DeliverableCell> Cells)
{
    public int Approved => Cells.Count(c => c.Status == DeliverableStatus.Approved);
}

public sealed record DeliverableMatrix(IReadOnlyList<MatrixRow> Rows, IReadOnlyList<int> ApprovedPerItem, IReadOnlyList<int> WaitingPerItem);

public sealed record LinkedFile(Guid Id, string Title, string FileName, string Format, bool HasThumbnail);

public sealed record DeliverableDetail(Guid Id, int ItemNo, string ItemName, Guid OrgUnitId, DeliverableStatus Status, string? Owner, DateOnly? DueDate,
    string? Evidence, DateTime? SubmittedUtc, string? ReturnReason, string? ReviewedBy, DateTime? ReviewedUtc, int Version, string? UpdatedBy,
    DateTime UpdatedUtc, bool Overdue)
{
    /// <summary>Files of the unit's evidence archive linked to this item.</summary>
    public IReadOnlyList<LinkedFile> Files { get; init; } = [];

    public string StatusName => TenItems.StatusName(Status, ReturnReason is not null && Status == DeliverableStatus.InProgress);
}

public sealed class UpdateDeliverable
{
    [EnumDataType(typeof(DeliverableStatus), ErrorMessage = "状态无效")]
    public DeliverableStatus Status { get; set; }

    [StringLength(30, ErrorMessage = "责任人不能超过30个字")]
    public string? Owner { get; set; }

    public DateOnly? DueDate { get; set; }

    [StringLength(1000, ErrorMessage = "成果及佐证材料说明不能超过1000字")]
    public string? Evidence { get; set; }

    /// <summary>Files of the unit's evidence archive that show this item; null leaves the links as they are.</summary>
    public List<Guid>? EvidenceIds { get; set; }

    public int Version { get; set; }
}

public static class DeliverableErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("deliverable.denied");
    public static readonly ErrorCode Locked = ErrorCode.Invalid("deliverable.locked");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("deliverable.invalid");
}

/// <summary>
/// The "十个一" of every participating unit. The unit keeps its own (status, owner, due date, evidence); marking one
/// 已完成 submits it; the township or county passes it (已审核) or returns it with a reason.
/// </summary>
public sealed class DeliverableService(IDbContextFactory<ShiliuDb> dbs)
{
    public async Task<DeliverableMatrix> MatrixAsync(Guid campaignId, Guid? townshipId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.Deliverables.Where(d => d.CampaignId == campaignId);
        if (townshipId is { } t)
        {
            var town = await db.OrgUnits.SingleOrDefaultAsync(o => o.Id == t, ct) ?? throw new NotFoundInScope("乡镇");
            q = q.Where(d => d.OrgPath.StartsWith(town.Path));
        }
        var cells = await q.Select(d => new { d.Id, d.OrgUnitId, d.ItemNo, d.Status, Returned = d.ReturnReason != null }).ToListAsync(ct);
        var unitIds = cells.Select(c => c.OrgUnitId).Distinct().ToList();
        var units = await db.OrgUnits.IgnoreQueryFilters().Where(o => unitIds.Contains(o.Id)).Select(o => new { o.Id, o.Name, o.Code, o.ParentId }).ToListAsync(ct);
        var parentIds = units.Select(u => u.ParentId).Distinct().ToList();
        var parents = await db.OrgUnits.IgnoreQueryFilters().Where(o => parentIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var byUnit = cells.ToLookup(c => c.OrgUnitId);
        var rows = units.OrderBy(u => u.Code).Select(u => new MatrixRow(u.Id, u.Name, u.ParentId, u.ParentId is { } p ? parents.GetValueOrDefault(p, "") : "",
            byUnit[u.Id].OrderBy(c => c.ItemNo).Select(c => new DeliverableCell(c.Id, c.ItemNo, c.Status, c.Returned && c.Status == DeliverableStatus.InProgress)).ToList()))
            .ToList();
        var approved = Enumerable.Range(1, 10).Select(i => cells.Count(c => c.ItemNo == i && c.Status == DeliverableStatus.Approved)).ToList();
        var waiting = Enumerable.Range(1, 10).Select(i => cells.Count(c => c.ItemNo == i && c.Status == DeliverableStatus.Completed)).ToList();
        return new DeliverableMatrix(rows, approved, waiting);
    }

    public async Task<IReadOnlyList<DeliverableDetail>> UnitAsync(Guid campaignId, Guid orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var rows = await db.Deliverables.AsNoTracking().Where(d => d.CampaignId == campaignId && d.OrgUnitId == orgUnitId).OrderBy(d => d.ItemNo).ToListAsync(ct);
        if (rows.Count == 0) throw new NotFoundInScope("参加创建的单位");
        var files = (await db.EvidenceRefs.Where(r => r.Kind == Evidence.EvidenceRefKind.Deliverable)
                .Join(db.Evidence.Where(e => e.OrgUnitId == orgUnitId && e.DeletedUtc == null), r => r.EvidenceId, e => e.Id,
                    (r, e) => new { r.No, e.Id, e.Title, e.FileName, e.Format, Thumb = e.ThumbnailKey != null, e.UploadedUtc })
                .ToListAsync(ct))
            .ToLookup(x => x.No, x => (x.UploadedUtc, File: new LinkedFile(x.Id, x.Title, x.FileName, x.Format, x.Thumb)));
        return rows.Select(d => Detail(d, today) with { Files = files[d.ItemNo].OrderBy(f => f.UploadedUtc).Select(f => f.File).ToList() }).ToList();
    }

    /// <summary>The unit's own edit. 已完成 needs a note of the result and its evidence; an approved item is locked.</summary>
    public async Task UpdateAsync(Guid id, UpdateDeliverable req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, DeliverableErrors.Denied, "办理“十个一”");
        var d = await db.Deliverables.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("“十个一”事项");
        // A unit keeps its own items; the level above only reviews them, so nobody approves what they submitted.
        if (d.OrgPath != db.Caller.OrgPath)
            throw new RuleViolation(DeliverableErrors.Denied, "“十个一”由创建单位自己登记，上级单位只审核");
        if (d.Status == DeliverableStatus.Approved)
            throw new RuleViolation(DeliverableErrors.Locked, $"“{TenItems.Names[d.ItemNo - 1]}”已于{ChinaTime.FormatDate(d.ReviewedUtc!.Value)}由{d.ReviewedBy}审核通过，不能再修改");
        if (req.Status == DeliverableStatus.Approved)
            throw new RuleViolation(DeliverableErrors.Invalid, "“已审核”由上级审核通过后设置，不能直接选择");
        var evidence = string.IsNullOrWhiteSpace(req.Evidence) ? null : Validation.CleanText(req.Evidence, "成果及佐证材料");
        var linked = await LinkFilesAsync(db, d, req.EvidenceIds, ct);
        if (req.Status == DeliverableStatus.Completed && evidence is null && linked == 0)
            throw new RuleViolation(DeliverableErrors.Invalid, "标记“已完成”须写明成果及佐证材料（如文件文号），或关联痕迹台账中的文件");
        db.Entry(d).Property(x => x.Version).OriginalValue = req.Version;
        d.Owner = string.IsNullOrWhiteSpace(req.Owner) ? null : Validation.CleanText(req.Owner, "责任人");
        d.DueDate = req.DueDate;
        d.Evidence = evidence;
        if (req.Status == DeliverableStatus.Completed && d.Status != DeliverableStatus.Completed) d.SubmittedUtc = db.UtcNow;
        d.Status = req.Status;
        await db.SaveOrConflictAsync(d, ct);
    }

    /// <summary>The level above passes a submitted item, or returns it with a reason the unit will see.</summary>
    public async Task ReviewAsync(Guid id, bool pass, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, DeliverableErrors.Denied, "办理“十个一”");
        var d = await db.Deliverables.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("“十个一”事项");
        if (d.OrgPath == db.Caller.OrgPath)
            throw new RuleViolation(DeliverableErrors.Denied, "本单位的“十个一”由上级单位审核，不能自己审核");
        if (d.Status != DeliverableStatus.Completed)
            throw new RuleViolation(DeliverableErrors.Invalid, $"“{TenItems.Names[d.ItemNo - 1]}”当前为“{TenItems.StatusName(d.Status, false)}”，只有待审核的事项才能审核");
        db.Entry(d).Property(x => x.Version).OriginalValue = version;
        d.ReviewedBy = db.Caller.UserName;
        d.ReviewedUtc = db.UtcNow;
        if (pass)
        {
            d.Status = DeliverableStatus.Approved;
            d.ReturnReason = null;
        }
        else
        {
            d.ReturnReason = Validation.CleanText(reason ?? "", "退回原因");
            if (d.ReturnReason.Length > 500) throw new RuleViolation(DeliverableErrors.Invalid, "退回原因不能超过500字");
            d.Status = DeliverableStatus.InProgress;
        }
        await db.SaveOrConflictAsync(d, ct);
    }

    /// <summary>The matrix as an .xlsx sheet: one row per unit, the ten items as columns, totals at the bottom.</summary>
    public async Task<byte[]> ExportAsync(Guid campaignId, Guid? townshipId, CancellationToken ct = default)
    {
        var m = await MatrixAsync(campaignId, townshipId, ct);
        var rows = new List<Dictionary<string, object?>>();
        var seq = 0;
        foreach (var r in m.Rows)
        {
            var row = new Dictionary<string, object?> { ["序号"] = ++seq, ["乡镇（街道）"] = Excel.Safe(r.TownshipName), ["社区（村）"] = Excel.Safe(r.UnitName) };
            for (var i = 0; i < 10; i++) row[TenItems.Names[i]] = r.Cells.FirstOrDefault(c => c.ItemNo == i + 1)?.StatusName ?? "";
            row["已审核数"] = r.Approved;
            rows.Add(row);
        }
        var total = new Dictionary<string, object?> { ["序号"] = null, ["乡镇（街道）"] = "合计（已审核）", ["社区（村）"] = $"{m.Rows.Count} 个单位" };
        for (var i = 0; i < 10; i++) total[TenItems.Names[i]] = m.ApprovedPerItem[i];
        total["已审核数"] = m.ApprovedPerItem.Sum();
        rows.Add(total);
        using var ms = new MemoryStream();
        await ms.SaveAsAsync(rows, sheetName: "十个一完成情况", cancellationToken: ct);
        var bytes = ms.ToArray();
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Audit(Auditing.AuditEvents.Export, $"导出“十个一”完成情况：{m.Rows.Count} 个单位，SHA-256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}",
            nameof(Deliverable), campaignId.ToString());
        await db.SaveChangesAsync(ct);
        return bytes;
    }

    /// <summary>Creates the ten items for a unit that joins a campaign (idempotent).</summary>
    internal static async Task EnsureForUnitsAsync(ShiliuDb db, Guid campaignId, IReadOnlyList<(Guid Id, string Path)> units, CancellationToken ct)
    {
        var ids = units.Select(u => u.Id).ToList();
        var existing = (await db.Deliverables.IgnoreQueryFilters().Where(d => d.CampaignId == campaignId && ids.Contains(d.OrgUnitId))
            .Select(d => new { d.OrgUnitId, d.ItemNo }).ToListAsync(ct)).Select(x => (x.OrgUnitId, x.ItemNo)).ToHashSet();
        foreach (var (id, path) in units)
            for (var i = 1; i <= 10; i++)
                if (!existing.Contains((id, i)))
                    db.Deliverables.Add(new Deliverable { CampaignId = campaignId, OrgUnitId = id, OrgPath = path, ItemNo = i });
    }

    /// <summary>Points the item at exactly the given files of the unit's own archive; returns how many are linked afterwards.</summary>
    static async Task<int> LinkFilesAsync(ShiliuDb db, Deliverable d, List<Guid>? ids, CancellationToken ct)
    {
        var archive = db.Evidence;
        var current = await db.EvidenceRefs.Where(r => r.Kind == Evidence.EvidenceRefKind.Deliverable && r.No == d.ItemNo
            && archive.Any(e => e.Id == r.EvidenceId && e.OrgUnitId == d.OrgUnitId && e.DeletedUtc == null)).ToListAsync(ct);
        if (ids is null) return current.Count;
        var wanted = ids.Distinct().ToList();
        var found = await db.Evidence.Where(e => wanted.Contains(e.Id) && e.OrgUnitId == d.OrgUnitId && e.DeletedUtc == null)
            .Select(e => new { e.Id, e.Title }).ToListAsync(ct);
        if (found.Count != wanted.Count) throw new NotFoundInScope("本单位痕迹台账中的文件");
        db.EvidenceRefs.RemoveRange(current.Where(r => !wanted.Contains(r.EvidenceId)));
        foreach (var id in wanted.Where(w => current.All(r => r.EvidenceId != w)))
            db.EvidenceRefs.Add(new Evidence.EvidenceRef { EvidenceId = id, Kind = Evidence.EvidenceRefKind.Deliverable, No = d.ItemNo });
        if (current.Count != wanted.Count || current.Any(r => !wanted.Contains(r.EvidenceId)))
            db.Audit(Auditing.AuditEvents.Update, $"“{TenItems.Names[d.ItemNo - 1]}”关联佐证文件：{(found.Count == 0 ? "无" : string.Join("、", found.Select(f => $"《{f.Title}》")))}",
                nameof(Deliverable), d.Id.ToString(), d.OrgPath);
        return wanted.Count;
    }

    static DeliverableDetail Detail(Deliverable d, DateOnly today) => new(d.Id, d.ItemNo, TenItems.Names[d.ItemNo - 1], d.OrgUnitId, d.Status, d.Owner,
        d.DueDate, d.Evidence, d.SubmittedUtc, d.ReturnReason, d.ReviewedBy, d.ReviewedUtc, d.Version, d.UpdatedBy, d.UpdatedUtc,
        d.DueDate is { } due && due < today && d.Status is DeliverableStatus.NotStarted or DeliverableStatus.InProgress);

}
