using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Residents;

/// <summary>
/// How long the records of residents who moved out or died are kept (PIPL minimum necessary; SECURITY.md #40): after
/// <see cref="ArchiveAfterMonths"/> from the status date the record is archived (kept to identity, ethnicity and status;
/// its visits lose their 户号),
/// after <see cref="DeleteAfterMonths"/> it is deleted with its history and visits. One rule per category, county-wide,
/// in force once the county office approves it. The audit log is never part of it.
/// </summary>
public sealed class RetentionRule : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary><see cref="ResidentStatus.MovedOut"/> or <see cref="ResidentStatus.Deceased"/>.</summary>
    public ResidentStatus Category { get; set; }
    public int ArchiveAfterMonths { get; set; }
    public int DeleteAfterMonths { get; set; }
    public string ApprovedBy { get; set; } = "";
    public DateTime ApprovedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class RetentionRuleConfiguration : IEntityTypeConfiguration<RetentionRule>
{
    public void Configure(EntityTypeBuilder<RetentionRule> b)
    {
        b.ToTable("RetentionRules");
        b.Property(r => r.ApprovedBy).HasMaxLength(100).IsRequired();
        b.Property(r => r.UpdatedBy).HasMaxLength(100);
        b.HasIndex(r => r.Category).IsUnique();
    }
}

public sealed record RetentionRuleView(ResidentStatus Category, string CategoryName, int? ArchiveAfterMonths, int? DeleteAfterMonths, string? ApprovedBy,
    DateTime? ApprovedUtc, int Version)
{
    public bool Approved => ApprovedBy is not null;
}

public sealed class ApproveRetention
{
    [EnumDataType(typeof(ResidentStatus), ErrorMessage = "类别无效")]
    public ResidentStatus Category { get; set; }
    [Range(1, 600, ErrorMessage = "归档期限须在1至600个月之间")]
    public int ArchiveAfterMonths { get; set; }
    [Range(1, 600, ErrorMessage = "删除期限须在1至600个月之间")]
    public int DeleteAfterMonths { get; set; }
    public int Version { get; set; }
}

/// <summary>What one category's rule names today: records to archive and records to delete, counted per community.</summary>
public sealed record RetentionCategoryPlan(ResidentStatus Category, string CategoryName, int ArchiveAfterMonths, int DeleteAfterMonths,
    DateOnly ArchiveBefore, DateOnly DeleteBefore, IReadOnlyList<Guid> ToArchive, IReadOnlyList<Guid> ToDelete, IReadOnlyList<RetentionUnitCount> Units);

public sealed record RetentionUnitCount(string UnitName, int Archive, int Delete);

public sealed record RetentionPlan(DateOnly Today, IReadOnlyList<RetentionCategoryPlan> Categories, IReadOnlyList<string> NotApproved)
{
    public int Archive => Categories.Sum(c => c.ToArchive.Count);
    public int Delete => Categories.Sum(c => c.ToDelete.Count);
}

public static class RetentionErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("retention.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("retention.invalid");
}

public static class RetentionPermissions
{
    public const string Approve = "perm.retention.approve";
}

/// <summary>The schedule (approved by the county office) and its run: a report of what it names, then archive and delete.</summary>
public sealed class RetentionService(IDbContextFactory<ShiliuDb> dbs)
{
    public static readonly ResidentStatus[] Categories = [ResidentStatus.MovedOut, ResidentStatus.Deceased];

    public static string CategoryName(ResidentStatus s) => s == ResidentStatus.MovedOut ? "迁出居民" : "死亡居民";

    public async Task<IReadOnlyList<RetentionRuleView>> ScheduleAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rules = await db.RetentionRules.AsNoTracking().ToDictionaryAsync(r => r.Category, ct);
        return Categories.Select(c => rules.GetValueOrDefault(c) is { } r
            ? new RetentionRuleView(c, CategoryName(c), r.ArchiveAfterMonths, r.DeleteAfterMonths, r.ApprovedBy, r.ApprovedUtc, r.Version)
            : new RetentionRuleView(c, CategoryName(c), null, null, null, null, 0)).ToList();
    }

    /// <summary>The county office approves a category's periods (a change is a new approval, audited with old and new values).</summary>
    public async Task ApproveAsync(ApproveRetention req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(RetentionPermissions.Approve, RetentionErrors.Denied, "审批个人信息保存期限");
        if (!Categories.Contains(req.Category)) throw RuleViolation.ForField(RetentionErrors.Invalid, "category", "保存期限只适用于迁出居民和死亡居民");
        if (req.DeleteAfterMonths <= req.ArchiveAfterMonths)
            throw RuleViolation.ForField(RetentionErrors.Invalid, "deleteAfterMonths", "删除期限须长于归档期限（先归档，后删除）");
        var rule = await db.RetentionRules.SingleOrDefaultAsync(r => r.Category == req.Category, ct);
        if (rule is null) db.RetentionRules.Add(rule = new RetentionRule { Category = req.Category });
        else db.Entry(rule).Property(x => x.Version).OriginalValue = req.Version;
        (rule.ArchiveAfterMonths, rule.DeleteAfterMonths, rule.ApprovedBy, rule.ApprovedUtc) = (req.ArchiveAfterMonths, req.DeleteAfterMonths, db.Caller.UserName, db.UtcNow);
        await db.SaveOrConflictAsync(rule, ct);
    }

    /// <summary>What the approved schedule names today. Reads the whole county (an operator's system scope).</summary>
    public async Task<RetentionPlan> PlanAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await PlanAsync(db, ct);
    }

    /// <summary>Archives and deletes exactly what <see cref="PlanAsync()"/> names, in one transaction, audited per category.</summary>
    public async Task<RetentionPlan> RunAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!db.Caller.IsSystem) throw new RuleViolation(RetentionErrors.Denied, "保存期限由运维命令 retention 执行");
        var plan = await PlanAsync(db, ct);
        var touched = new HashSet<Guid>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var c in plan.Categories)
        {
            foreach (var batch in c.ToArchive.Chunk(500))
            {
                foreach (var r in await db.Residents.Where(r => batch.Contains(r.Id)).ToListAsync(ct))
                {
                    Archive(r, db.UtcNow);
                    touched.Add(r.CommunityId);
                }
                // The visits stay until the record goes, but no longer say which household the person belonged to: a
                // visited-households list would otherwise show an archived person under the 户号 the archive dropped.
                await db.Visits.IgnoreQueryFilters().Where(v => batch.Contains(v.ResidentId) && v.HouseholdNo != null)
                    .ExecuteUpdateAsync(v => v.SetProperty(x => x.HouseholdNo, (string?)null), ct);
            }
            foreach (var batch in c.ToDelete.Chunk(500))
            {
                var gone = await db.Residents.Where(r => batch.Contains(r.Id)).ToListAsync(ct);
                touched.UnionWith(gone.Select(r => r.CommunityId));
                db.Residents.RemoveRange(gone);
            }
            if (c.ToArchive.Count + c.ToDelete.Count > 0)
                db.Audit(AuditEvents.Delete, $"按保存期限处理{c.CategoryName}：归档 {c.ToArchive.Count} 人（状态日期早于{c.ArchiveBefore:yyyy年M月d日}），" +
                    $"删除 {c.ToDelete.Count} 人（状态日期早于{c.DeleteBefore:yyyy年M月d日}）", nameof(RetentionRule), c.Category.ToString());
            await db.SaveChangesAsync(ct);
        }
        // The population figures count moved-out residents by month and arrivals by date: recount what this run changed,
        // in the same transaction, as every other change to residents does.
        await PopulationTally.RefreshAsync(db, touched, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return plan;
    }

    static async Task<RetentionPlan> PlanAsync(ShiliuDb db, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var rules = await db.RetentionRules.AsNoTracking().ToDictionaryAsync(r => r.Category, ct);
        var plans = new List<RetentionCategoryPlan>();
        foreach (var category in Categories.Where(rules.ContainsKey))
        {
            var rule = rules[category];
            var archiveBefore = today.AddMonths(-rule.ArchiveAfterMonths);
            var deleteBefore = today.AddMonths(-rule.DeleteAfterMonths);
            // Only records whose status date is known; one without a date waits for a person to fill it in.
            var due = await db.Residents.AsNoTracking().Where(r => r.Status == category && r.StatusDate != null && r.StatusDate < archiveBefore)
                .Select(r => new { r.Id, r.StatusDate, r.ArchivedUtc, r.OrgUnitId }).ToListAsync(ct);
            var delete = due.Where(r => r.StatusDate < deleteBefore).ToList();
            var archive = due.Where(r => r.StatusDate >= deleteBefore && r.ArchivedUtc == null).ToList();
            var unitIds = due.Select(r => r.OrgUnitId).Distinct().ToList();
            var names = await db.OrgUnits.Where(o => unitIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
            var units = archive.Select(r => (r.OrgUnitId, Archive: 1, Delete: 0)).Concat(delete.Select(r => (r.OrgUnitId, Archive: 0, Delete: 1)))
                .GroupBy(x => x.OrgUnitId).Select(g => new RetentionUnitCount(names.GetValueOrDefault(g.Key, "（已撤销的单位）"), g.Sum(x => x.Archive), g.Sum(x => x.Delete)))
                .OrderBy(u => u.UnitName, StringComparer.Ordinal).ToList();
            plans.Add(new RetentionCategoryPlan(category, CategoryName(category), rule.ArchiveAfterMonths, rule.DeleteAfterMonths, archiveBefore, deleteBefore,
                archive.Select(r => r.Id).ToList(), delete.Select(r => r.Id).ToList(), units));
        }
        return new RetentionPlan(today, plans, Categories.Where(c => !rules.ContainsKey(c)).Select(CategoryName).ToList());
    }

    /// <summary>Keeps who the person was and why the record ended; erases contact, address, household, needs and notes.</summary>
    static void Archive(Resident r, DateTime now)
    {
        (r.PhoneCipher, r.PhoneHash, r.PhoneMasked, r.Address, r.HouseholdNo, r.RelationToHead) = (null, null, null, null, null, null);
        (r.OriginPlace, r.ArrivalDate, r.ExpectedStay, r.ArrivalReason, r.Employer, r.Languages) = (null, null, null, null, null, null);
        (r.Religion, r.ReligionConsent, r.Needs, r.Notes) = (null, false, ResidentNeeds.None, null);
        r.ArchivedUtc = now;
    }
}
