using Shiliu.Core.Campaigns;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Exports;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Deliverables;

public sealed record DeliverableCell(Guid Id, int ItemNo, DeliverableStatus Status)
{
    public string StatusName => TenItems.StatusName(Status);
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

    public string StatusName => TenItems.StatusName(Status);
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
public sealed class DeliverableService(IDbContextFactory<ShiliuDb> dbs, ExportService exports)
{
    public async Task<DeliverableMatrix> MatrixAsync(Guid campaignId, Guid? townshipId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.Deliverables.Where(d => d.CampaignId == campaignId);
        if (townshipId is { } t)
        {
            var town = await db.OrgUnits.SingleOrDefaultAsync(o => o.Id == t, ct) ?? throw new NotFoundInScope("乡镇");
            q = q.Under(d => d.OrgPath, town.Path);
        }
        var cells = await q.Select(d => new { d.Id, d.OrgUnitId, d.ItemNo, d.Status }).ToListAsync(ct);
        var unitIds = cells.Select(c => c.OrgUnitId).Distinct().ToList();
        var units = await db.OrgUnits.IgnoreQueryFilters().Where(o => unitIds.Contains(o.Id)).Select(o => new { o.Id, o.Name, o.Code, o.ParentId }).ToListAsync(ct);
        var parentIds = units.Select(u => u.ParentId).Distinct().ToList();
        var parents = await db.OrgUnits.IgnoreQueryFilters().Where(o => parentIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var byUnit = cells.ToLookup(c => c.OrgUnitId);
        var rows = units.OrderBy(u => u.Code).Select(u => new MatrixRow(u.Id, u.Name, u.ParentId, u.ParentId is { } p ? parents.GetValueOrDefault(p, "") : "",
            byUnit[u.Id].OrderBy(c => c.ItemNo).Select(c => new DeliverableCell(c.Id, c.ItemNo, c.Status)).ToList()))
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
        var reviews = await DeliverableFlow.Definition.LastStepsAsync(db, rows.Select(d => d.Id).ToList(), ct);
        return rows.Select(d => Detail(d, today, reviews.GetValueOrDefault(d.Id)) with
        {
            Files = files[d.ItemNo].OrderBy(f => f.UploadedUtc).Select(f => f.File).ToList(),
        }).ToList();
    }

    /// <summary>
    /// The unit's own edit; choosing another status takes the matching step (已完成 submits it, and needs a note of the
    /// result or a linked file). An approved item is locked.
    /// </summary>
    public async Task UpdateAsync(Guid id, UpdateDeliverable req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, DeliverableErrors.Denied, "办理“十个一”");
        var d = await db.Deliverables.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("“十个一”事项");
        await CampaignService.EnsureOpenAsync(db, d.CampaignId, ct);
        PlanItemFollowsThePlan(d);
        // A unit keeps its own items; the level above only reviews them, so nobody approves what they submitted.
        if (d.OrgPath != db.Caller.OrgPath)
            throw new RuleViolation(DeliverableErrors.Denied, "“十个一”由创建单位自己登记，上级单位只审核");
        if (d.Status == DeliverableStatus.Approved)
        {
            var passed = (await DeliverableFlow.Definition.LastStepsAsync(db, [d.Id], ct)).GetValueOrDefault(d.Id);
            throw new RuleViolation(DeliverableErrors.Locked,
                $"“{TenItems.Names[d.ItemNo - 1]}”已{(passed is null ? "" : $"于{ChinaTime.FormatDate(passed.TimeUtc)}由{passed.UserName}")}审核通过，不能再修改");
        }
        var action = (req.Status, d.Status) switch
        {
            _ when req.Status == d.Status => null,
            (DeliverableStatus.Approved, _) => throw RuleViolation.ForField(DeliverableErrors.Invalid, "status", "“已审核”由上级审核通过后设置，不能直接选择"),
            (DeliverableStatus.Returned, _) => throw RuleViolation.ForField(DeliverableErrors.Invalid, "status", "“已退回”由上级退回时设置，不能直接选择"),
            (DeliverableStatus.NotStarted, _) => "reset",
            (DeliverableStatus.InProgress, DeliverableStatus.Completed) => "withdraw",
            (DeliverableStatus.InProgress, _) => "start",
            _ => "submit",
        };
        var evidence = string.IsNullOrWhiteSpace(req.Evidence) ? null : Validation.CleanText(req.Evidence, "成果及佐证材料");
        var linked = await LinkFilesAsync(db, d, req.EvidenceIds, ct);
        if (req.Status == DeliverableStatus.Completed && evidence is null && linked == 0)
            throw RuleViolation.ForField(DeliverableErrors.Invalid, "evidence", "标记“已完成”须写明成果及佐证材料（如文件文号），或关联痕迹台账中的文件");
        db.Entry(d).Property(x => x.Version).OriginalValue = req.Version;
        d.Owner = string.IsNullOrWhiteSpace(req.Owner) ? null : Validation.CleanText(req.Owner, "责任人");
        d.DueDate = req.DueDate;
        d.Evidence = evidence;
        if (action is not null) await DeliverableFlow.Definition.ApplyAsync(db, d, action, ct: ct);
        await db.SaveOrConflictAsync(d, ct);
    }

    /// <summary>The level above passes a submitted item, or returns it with a reason the unit will see.</summary>
    public async Task ReviewAsync(Guid id, bool pass, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, DeliverableErrors.Denied, "审核“十个一”");
        var d = await db.Deliverables.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundInScope("“十个一”事项");
        await CampaignService.EnsureOpenAsync(db, d.CampaignId, ct);
        PlanItemFollowsThePlan(d);
        await DeliverableFlow.Definition.ApplyAsync(db, d, pass ? "approve" : "return", reason, version, ct: ct);
        await db.SaveOrConflictAsync(d, ct);
    }

    /// <summary>"制定一个工作方案" is the unit's work plan, filed and reviewed as such; its state here only mirrors it.</summary>
    static void PlanItemFollowsThePlan(Deliverable d)
    {
        if (d.ItemNo == UnitPlanService.DeliverableItem)
            throw new RuleViolation(DeliverableErrors.Locked, "“制定一个工作方案”的状态来自本单位工作方案：请在“创建活动 → 单位工作方案”中填报、上报和审核");
    }

    /// <summary>The item's steps: who started, submitted, passed or returned it, when, and why.</summary>
    public async Task<IReadOnlyList<StepRow>> HistoryAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Deliverables.AnyAsync(d => d.Id == id, ct)) throw new NotFoundInScope("“十个一”事项");
        return await DeliverableFlow.Definition.HistoryAsync(db, id, ct);
    }

    /// <summary>The matrix as an .xlsx sheet: one row per unit, the ten items as columns, totals at the bottom.</summary>
    public async Task<ExportFile> ExportAsync(Guid campaignId, Guid? townshipId, CancellationToken ct = default)
    {
        var m = await MatrixAsync(campaignId, townshipId, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var scope = townshipId is { } t ? await db.OrgUnits.Where(o => o.Id == t).Select(o => o.Name).SingleAsync(ct) : "全部参加单位";
        var spec = new ExportSpec("十个一完成情况.xlsx", $"“十个一”完成情况（{scope}，{m.Rows.Count} 个单位）", nameof(Deliverable), campaignId.ToString(), null);
        return await exports.XlsxAsync(db, spec, book =>
        {
            using var sheet = book.Sheet("十个一完成情况", $"“十个一”完成情况（{scope}）", ["序号", "乡镇（街道）", "社区（村）", .. TenItems.Names, "已审核数"],
                [6, 14, 16, .. TenItems.Names.Select(_ => 10.0), 9]);
            var seq = 0;
            foreach (var r in m.Rows)
                sheet.Mixed([++seq, r.TownshipName, r.UnitName, .. Enumerable.Range(1, 10).Select(i => (object?)(r.Cells.FirstOrDefault(c => c.ItemNo == i)?.StatusName ?? "")), r.Approved]);
            sheet.Total(["", "合计（已审核）", $"{m.Rows.Count} 个单位", .. m.ApprovedPerItem.Select(n => (object?)n), m.ApprovedPerItem.Sum()]);
            return Task.CompletedTask;
        }, ct);
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

    static DeliverableDetail Detail(Deliverable d, DateOnly today, StepRow? review)
    {
        // The last review, if the item now stands where it left it: who returned it and why, or who passed it.
        var reviewed = review is { Action: "return" or "approve" } && d.Status is DeliverableStatus.Returned or DeliverableStatus.Approved ? review : null;
        return new(d.Id, d.ItemNo, TenItems.Names[d.ItemNo - 1], d.OrgUnitId, d.Status, d.Owner, d.DueDate, d.Evidence, d.SubmittedUtc,
            reviewed?.Action == "return" ? reviewed.Reason : null, reviewed?.UserName, reviewed?.TimeUtc, d.Version, d.UpdatedBy, d.UpdatedUtc,
            d.DueDate is { } due && due < today && d.Status is DeliverableStatus.NotStarted or DeliverableStatus.InProgress or DeliverableStatus.Returned);
    }

}
