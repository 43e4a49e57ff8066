using Shiliu.Core.Campaigns;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.WorkReports;

public enum ReportList
{
    Mine,
    Incoming,
    Published,
}

public sealed record ReportRow(Guid Id, string Title, string UnitName, ReportStatus Status, string Author, DateTime? ReportedUtc)
{
    public bool Published => Status == ReportStatus.Published;
    public string StatusName => WorkReportService.StatusName(Status);
}

public sealed record ReportDetail(Guid Id, Guid OrgUnitId, string UnitName, string Title, string Body, ReportStatus Status, string Author,
    DateTime CreatedUtc, DateTime? ReportedUtc, string? ReviewedBy, DateTime? ReviewedUtc, string? ReturnReason, int Version)
{
    public bool Published => Status == ReportStatus.Published;
    public string StatusName => WorkReportService.StatusName(Status);
}

public sealed class SaveReport
{
    [Required(ErrorMessage = "请填写标题"), StringLength(100, ErrorMessage = "标题不能超过100个字")]
    public string Title { get; set; } = "";

    /// <summary>HTML; sanitised before it is stored.</summary>
    [Required(ErrorMessage = "请填写正文"), StringLength(50_000, ErrorMessage = "正文过长（不超过5万字）")]
    public string Body { get; set; } = "";

    public int Version { get; set; }
}

public static class ReportErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("report.denied");
    public static readonly ErrorCode State = ErrorCode.Invalid("report.state");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("report.invalid");
}

/// <summary>
/// 工作信息报送: a unit drafts a brief and reports it upward (草稿 → 已上报); a unit above adopts it (已采用) or returns
/// it with a reason (已退回), after which the author may edit and report again; the county publishes adopted briefs.
/// Drafts stay inside their unit.
/// </summary>
public sealed class WorkReportService(IDbContextFactory<ShiliuDb> dbs)
{
    public static string StatusName(ReportStatus s) => s switch
    {
        ReportStatus.Draft => "草稿",
        ReportStatus.Reported => "已上报",
        ReportStatus.Adopted => "已采用",
        ReportStatus.Published => "已发布",
        _ => "已退回",
    };

    /// <summary>A list of briefs; with a campaign, only those written in its period (first phase start to last phase end, China time).</summary>
    public async Task<IReadOnlyList<ReportRow>> ListAsync(ReportList list, Guid? campaignId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var own = db.Caller.OrgPath ?? "\u0001";
        var q = list switch
        {
            ReportList.Mine => db.WorkReports.Where(r => r.OrgPath == own),
            ReportList.Incoming => db.WorkReports.Where(r => r.OrgPath != own && r.Status != ReportStatus.Draft),
            _ => db.WorkReports.IgnoreQueryFilters().Where(r => r.Status == ReportStatus.Published),
        };
        if (campaignId is { } cid)
        {
            var (from, to) = await CampaignService.PeriodAsync(db, cid, ct);
            var (start, end) = (ChinaTime.DayStartUtc(from), ChinaTime.DayStartUtc(to.AddDays(1)));
            q = q.Where(r => r.CreatedUtc >= start && r.CreatedUtc < end);
        }
        var rows = await q.OrderByDescending(r => r.ReportedUtc ?? r.CreatedUtc).Take(200)
            .Select(r => new { r.Id, r.Title, r.OrgUnitId, r.Status, r.Author, r.ReportedUtc }).ToListAsync(ct);
        // Unit names in a query of their own: IgnoreQueryFilters inside the query above would lift the scope filter from all of it.
        var unitIds = rows.Select(r => r.OrgUnitId).Distinct().ToList();
        var names = await db.UnitNamesAsync(unitIds, ct);
        return rows.Select(r => new ReportRow(r.Id, r.Title, names[r.OrgUnitId], r.Status, r.Author, r.ReportedUtc)).ToList();
    }

    public async Task<ReportDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var r = await VisibleAsync(db, id, ct);
        var unit = await db.OrgUnits.IgnoreQueryFilters().Where(o => o.Id == r.OrgUnitId).Select(o => o.Name).SingleAsync(ct);
        // The last review: who adopted or returned it, and why it came back.
        var review = (await WorkReportFlow.Definition.HistoryAsync(db, r.Id, ct)).LastOrDefault(s => s.Action is "adopt" or "return");
        // Sanitised on the way out too: a body stored before the sanitiser, or written past it into the database, stays inert.
        return new ReportDetail(r.Id, r.OrgUnitId, unit, r.Title, RichText.ForDisplay(r.Body), r.Status, r.Author, r.CreatedUtc, r.ReportedUtc, review?.UserName, review?.TimeUtc,
            r.Status == ReportStatus.Returned ? review?.Reason : null, r.Version);
    }

    /// <summary>Creates (id null) or edits a brief of the caller's own unit; only drafts and returned briefs are editable.</summary>
    public async Task<Guid> SaveAsync(Guid? id, SaveReport req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var title = Validation.CleanText(req.Title, "标题");
        var body = RichText.Sanitize(req.Body);
        if (RichText.ToPlainText(body).Length == 0) throw new RuleViolation(ReportErrors.Invalid, "正文不能为空（不允许的标记已被清除）");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, ReportErrors.Denied, "报送或审核工作信息");
        WorkReport r;
        if (id is null)
        {
            var unit = await db.OrgUnits.SingleOrDefaultAsync(o => o.Path == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位");
            r = new WorkReport { OrgUnitId = unit.Id, OrgPath = unit.Path, Author = db.Caller.UserName, CreatedUtc = db.UtcNow };
            db.WorkReports.Add(r);
        }
        else
        {
            r = await OwnAsync(db, id.Value, ct);
            if (r.Status is not (ReportStatus.Draft or ReportStatus.Returned))
                throw new RuleViolation(ReportErrors.State, $"该信息{StatusName(r.Status)}，不能再修改");
            db.Entry(r).Property(x => x.Version).OriginalValue = req.Version;
        }
        r.Title = title;
        r.Body = body;
        await db.SaveOrConflictAsync(r, ct);
        return r.Id;
    }

    public async Task ReportAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, ReportErrors.Denied, "报送工作信息");
        var r = await OwnAsync(db, id, ct);
        if (db.Caller.OrgPath?.Count(c => c == '/') <= 2)
            throw new RuleViolation(ReportErrors.State, "县级单位没有上级可以报送，请直接采用后发布");
        await WorkReportFlow.Definition.ApplyAsync(db, r, "report", version: version, ct: ct);
        await db.SaveOrConflictAsync(r, ct);
    }

    /// <summary>A unit above adopts a reported brief, or returns it with a reason.</summary>
    public async Task ReviewAsync(Guid id, bool adopt, string? reason, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Progress, ReportErrors.Denied, "审核工作信息");
        var r = await db.WorkReports.SingleOrDefaultAsync(x => x.Id == id && x.Status != ReportStatus.Draft, ct) ?? throw new NotFoundInScope("工作信息");
        await WorkReportFlow.Definition.ApplyAsync(db, r, adopt ? "adopt" : "return", reason, version, ct: ct);
        await db.SaveOrConflictAsync(r, ct);
    }

    /// <summary>The county office publishes (or withdraws) an adopted brief for every unit to read.</summary>
    public async Task PublishAsync(Guid id, bool publish, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(CampaignPermissions.Manage, ReportErrors.Denied, "发布工作信息（由县领导小组办公室发布）");
        var r = await db.WorkReports.SingleOrDefaultAsync(x => x.Id == id && x.Status != ReportStatus.Draft, ct) ?? throw new NotFoundInScope("工作信息");
        await WorkReportFlow.Definition.ApplyAsync(db, r, publish ? "publish" : "unpublish", version: version, ct: ct);
        await db.SaveOrConflictAsync(r, ct);
    }

    /// <summary>The brief's steps: reported, adopted or returned (and why), published.</summary>
    public async Task<IReadOnlyList<StepRow>> HistoryAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var r = await VisibleAsync(db, id, ct);
        return await WorkReportFlow.Definition.HistoryAsync(db, r.Id, ct);
    }

    static async Task<WorkReport> VisibleAsync(ShiliuDb db, Guid id, CancellationToken ct)
    {
        var own = db.Caller.OrgPath;
        return await db.WorkReports.SingleOrDefaultAsync(r => r.Id == id && (db.Caller.ScopeAll || r.OrgPath == own || r.Status != ReportStatus.Draft), ct)
            ?? await db.WorkReports.IgnoreQueryFilters().SingleOrDefaultAsync(r => r.Id == id && r.Status == ReportStatus.Published, ct)
            ?? throw new NotFoundInScope("工作信息");
    }

    static async Task<WorkReport> OwnAsync(ShiliuDb db, Guid id, CancellationToken ct) =>
        await db.WorkReports.SingleOrDefaultAsync(r => r.Id == id && r.OrgPath == db.Caller.OrgPath, ct) ?? throw new NotFoundInScope("本单位的工作信息");

}
