using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Campaigns;

/// <summary>A unit that files a plan under a campaign, and where its plan stands (no plan yet: <c>PlanId</c> null).</summary>
public sealed record UnitPlanRow(Guid OrgUnitId, string UnitName, string ParentName, OrgLevel Level, Guid? PlanId, UnitPlanStatus? Status, DateTime? ReportedUtc)
{
    public string StatusName => Status is { } s ? UnitPlanFlow.StatusName(s) : "未填报";
}

public sealed record UnitPlanDetail(Guid? Id, Guid CampaignId, Guid OrgUnitId, string UnitName, string Title, string Body, Guid? DocumentEvidenceId,
    UnitPlanStatus? Status, DateTime? ReportedUtc, string? ReturnReason, string? ReturnedBy, int Version, bool CampaignClosed)
{
    public string StatusName => Status is { } s ? UnitPlanFlow.StatusName(s) : "未填报";
}

public sealed class SaveUnitPlan
{
    [StringLength(200, ErrorMessage = "方案标题不能超过200字")]
    public string Title { get; set; } = "";
    /// <summary>Rich text (HTML); sanitised on save.</summary>
    public string Body { get; set; } = "";
    /// <summary>The signed original, a file already in the unit's own evidence archive.</summary>
    public Guid? DocumentEvidenceId { get; set; }
    public int Version { get; set; }
}

public static class UnitPlanErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("unit_plan.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("unit_plan.invalid");
    public static readonly ErrorCode Locked = ErrorCode.Invalid("unit_plan.locked");
}

/// <summary>
/// Each participating township and community files its own plan under the county's campaign, reports it, and the
/// level above passes or returns it. The community's "制定一个工作方案" (十个一, item 2) follows the plan's state.
/// </summary>
public sealed class UnitPlanService(IDbContextFactory<ShiliuDb> dbs)
{
    /// <summary>The 十个一 item a unit plan stands for.</summary>
    public const int DeliverableItem = 2;

    /// <summary>Every unit in the caller's scope that files a plan under the campaign (townships and participating communities), with its plan's state.</summary>
    public async Task<IReadOnlyList<UnitPlanRow>> ListAsync(Guid campaignId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct)) throw new NotFoundInScope("创建活动");
        var communityPaths = await db.CampaignUnits.Where(u => u.CampaignId == campaignId).Select(u => u.OrgPath).ToListAsync(ct);
        var townshipPaths = communityPaths.Select(OrgPaths.Parent).Distinct().ToList();
        var paths = communityPaths.Concat(townshipPaths).ToList();
        var units = await db.OrgUnits.Where(o => paths.Contains(o.Path) && (o.Level == OrgLevel.Township || o.Level == OrgLevel.Community))
            .Select(o => new { o.Id, o.Name, o.Code, o.ParentId, o.Level }).ToListAsync(ct);
        var parentIds = units.Select(u => u.ParentId).Distinct().ToList();
        var parents = await db.OrgUnits.IgnoreQueryFilters().Where(o => parentIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var plans = await db.UnitPlans.Where(p => p.CampaignId == campaignId).Select(p => new { p.Id, p.OrgUnitId, p.Status, p.ReportedUtc })
            .ToDictionaryAsync(p => p.OrgUnitId, ct);
        return units.OrderBy(u => u.Code).Select(u =>
        {
            var plan = plans.GetValueOrDefault(u.Id);
            return new UnitPlanRow(u.Id, u.Name, u.ParentId is { } p ? parents.GetValueOrDefault(p, "") : "", u.Level, plan?.Id, plan?.Status, plan?.ReportedUtc);
        }).ToList();
    }

    /// <summary>A unit's plan under the campaign, or an empty one to start from; with the last return's reason while it stands returned.</summary>
    public async Task<UnitPlanDetail> GetAsync(Guid campaignId, Guid orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (campaign, unit) = await FilerAsync(db, campaignId, orgUnitId, ct);
        var plan = await db.UnitPlans.AsNoTracking().SingleOrDefaultAsync(p => p.CampaignId == campaignId && p.OrgUnitId == orgUnitId, ct);
        if (plan is null)
            return new UnitPlanDetail(null, campaignId, unit.Id, unit.Name, $"{unit.Name}{campaign.IssueDate.Year}年民族团结进步创建活动工作方案", "", null, null, null,
                null, null, 0, campaign.ClosedUtc is not null);
        // The history names who returned it as colleagues know them (演示桂山街道民政办), not by account name.
        var back = plan.Status == UnitPlanStatus.Returned ? (await UnitPlanFlow.Definition.HistoryAsync(db, plan.Id, ct)).LastOrDefault(h => h.Action == "return") : null;
        return new UnitPlanDetail(plan.Id, campaignId, unit.Id, unit.Name, plan.Title, plan.Body, plan.DocumentEvidenceId, plan.Status, plan.ReportedUtc,
            back?.Reason, back?.Who, plan.Version, campaign.ClosedUtc is not null);
    }

    /// <summary>The unit saves its own plan (a draft, or a returned plan being revised); a reported or passed plan is locked.</summary>
    public async Task<Guid> SaveAsync(Guid campaignId, Guid orgUnitId, SaveUnitPlan req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, UnitPlanErrors.Denied, "填报单位工作方案");
        var (_, unit) = await FilerAsync(db, campaignId, orgUnitId, ct);
        await CampaignService.EnsureOpenAsync(db, campaignId, ct);
        if (db.Caller.OrgPath != unit.Path) throw new RuleViolation(UnitPlanErrors.Denied, "工作方案由本单位填报，上级单位只审核");
        var title = Validation.CleanText(req.Title, "方案标题");
        var body = RichText.Sanitize(req.Body ?? "");
        if (RichText.ToPlainText(body).Length == 0) throw RuleViolation.ForField(UnitPlanErrors.Invalid, "body", "方案正文不能为空");
        if (body.Length > 50_000) throw RuleViolation.ForField(UnitPlanErrors.Invalid, "body", "方案正文过长（不能超过5万字符）");
        if (req.DocumentEvidenceId is { } doc && !await db.Evidence.AnyAsync(e => e.Id == doc && e.OrgUnitId == unit.Id && e.DeletedUtc == null, ct))
            throw RuleViolation.ForField(UnitPlanErrors.Invalid, "documentEvidenceId", "方案原件须是本单位痕迹台账中的文件");
        var plan = await db.UnitPlans.SingleOrDefaultAsync(p => p.CampaignId == campaignId && p.OrgUnitId == orgUnitId, ct);
        if (plan is null)
        {
            plan = new UnitPlan { CampaignId = campaignId, OrgUnitId = unit.Id, OrgPath = unit.Path, CreatedUtc = db.UtcNow, Status = UnitPlanStatus.Draft };
            db.UnitPlans.Add(plan);
            await MirrorAsync(db, plan, ct);
        }
        else
        {
            if (plan.Status is UnitPlanStatus.Reported or UnitPlanStatus.Approved)
                throw new RuleViolation(UnitPlanErrors.Locked, $"工作方案{UnitPlanFlow.StatusName(plan.Status)}，不能修改{(plan.Status == UnitPlanStatus.Reported ? "；如需修改，请上级先退回" : "")}");
            db.Entry(plan).Property(x => x.Version).OriginalValue = req.Version;
        }
        plan.Title = title;
        plan.Body = body;
        plan.DocumentEvidenceId = req.DocumentEvidenceId ?? plan.DocumentEvidenceId;
        await db.SaveOrConflictAsync(plan, ct);
        return plan.Id;
    }

    /// <summary>The unit reports its plan (again, after a return); it needs the text and the signed original.</summary>
    public async Task ReportAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, UnitPlanErrors.Denied, "上报单位工作方案");
        var plan = await db.UnitPlans.SingleOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundInScope("单位工作方案");
        await CampaignService.EnsureOpenAsync(db, plan.CampaignId, ct);
        if (plan.DocumentEvidenceId is null)
            throw RuleViolation.ForField(UnitPlanErrors.Invalid, "documentEvidenceId", "上报前请上传盖章的方案原件（扫描件或文件）");
        await UnitPlanFlow.Definition.ApplyAsync(db, plan, plan.Status == UnitPlanStatus.Returned ? "resubmit" : "report", version: version, ct: ct);
        await MirrorAsync(db, plan, ct);
        await db.SaveOrConflictAsync(plan, ct);
    }

    /// <summary>A unit above passes a reported plan, or returns it with a reason the unit will see.</summary>
    public async Task ReviewAsync(Guid id, bool pass, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, UnitPlanErrors.Denied, "审核单位工作方案");
        var plan = await db.UnitPlans.SingleOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundInScope("单位工作方案");
        await CampaignService.EnsureOpenAsync(db, plan.CampaignId, ct);
        await UnitPlanFlow.Definition.ApplyAsync(db, plan, pass ? "approve" : "return", reason, version, ct);
        await MirrorAsync(db, plan, ct);
        await db.SaveOrConflictAsync(plan, ct);
    }

    /// <summary>The plan's steps: who reported, passed or returned it, when, and why.</summary>
    public async Task<IReadOnlyList<StepRow>> HistoryAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.UnitPlans.AnyAsync(p => p.Id == id, ct)) throw new NotFoundInScope("单位工作方案");
        return await UnitPlanFlow.Definition.HistoryAsync(db, id, ct);
    }

    /// <summary>A township, or a community taking part, in the caller's scope: the units that file plans.</summary>
    static async Task<(Campaign Campaign, OrgUnit Unit)> FilerAsync(ShiliuDb db, Guid campaignId, Guid orgUnitId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, ct) ?? throw new NotFoundInScope("创建活动");
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgUnitId, ct) ?? throw new NotFoundInScope("单位");
        var takesPart = unit.Level is OrgLevel.Township or OrgLevel.Community
            && await db.CampaignUnits.Where(u => u.CampaignId == campaignId).Under(u => u.OrgPath, unit.Path).AnyAsync(ct);
        return takesPart ? (campaign, unit) : throw new NotFoundInScope("参加创建的单位");
    }

    /// <summary>The community's "制定一个工作方案" shows the plan's state (a township has no 十个一).</summary>
    static async Task MirrorAsync(ShiliuDb db, UnitPlan plan, CancellationToken ct)
    {
        var item = await db.Deliverables.SingleOrDefaultAsync(d => d.CampaignId == plan.CampaignId && d.OrgUnitId == plan.OrgUnitId && d.ItemNo == DeliverableItem, ct);
        if (item is null) return;
        item.Status = plan.Status switch
        {
            UnitPlanStatus.Draft => DeliverableStatus.InProgress,
            UnitPlanStatus.Reported => DeliverableStatus.Completed,
            UnitPlanStatus.Approved => DeliverableStatus.Approved,
            _ => DeliverableStatus.Returned,
        };
        if (plan.Status == UnitPlanStatus.Reported) item.SubmittedUtc = db.UtcNow;
        item.Evidence = $"见本单位工作方案《{plan.Title}》";
    }
}
