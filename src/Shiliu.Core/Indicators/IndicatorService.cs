using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Indicators;

public sealed record FrameworkRow(Guid Id, string Name, int VersionNo, FrameworkStatus Status, int DeclaredTotal, int Total,
    int CriteriaCount, DateTime? PublishedUtc, bool UsedByAssessment)
{
    public string StatusName => Status == FrameworkStatus.Published ? "已发布" : "草稿";
}

/// <summary>A whole version as the table shows it; also the shape a draft is saved in.</summary>
public sealed class FrameworkTree
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public int VersionNo { get; set; }
    public FrameworkStatus Status { get; set; }
    public int DeclaredTotal { get; set; } = 100;
    public DateTime? PublishedUtc { get; set; }
    public string? PublishedBy { get; set; }
    public bool UsedByAssessment { get; set; }
    /// <summary>The row version the editor loaded; a save against a newer draft is refused.</summary>
    public int Version { get; set; }
    public List<GroupNode> Groups { get; set; } = [];

    public int Total => Groups.Sum(g => g.Subgroups.Sum(s => s.Criteria.Sum(c => c.Score)));
    public int CriteriaCount => Groups.Sum(g => g.Subgroups.Sum(s => s.Criteria.Count));
}

public sealed class GroupNode
{
    public string Name { get; set; } = "";
    public List<SubgroupNode> Subgroups { get; set; } = [];
}

public sealed class SubgroupNode
{
    public string Name { get; set; } = "";
    public List<CriterionNode> Criteria { get; set; } = [];
}

public sealed class CriterionNode
{
    public Guid? Id { get; set; }
    public int No { get; set; }
    public string ShortTitle { get; set; } = "";
    public string Text { get; set; } = "";
    public int Score { get; set; }
    public AssessMethods Methods { get; set; }
}

public static class IndicatorErrors
{
    public static readonly ErrorCode Frozen = ErrorCode.Invalid("indicator.frozen");
    public static readonly ErrorCode TotalMismatch = ErrorCode.Invalid("indicator.total_mismatch");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("indicator.invalid");
    public static readonly ErrorCode DraftExists = ErrorCode.Invalid("indicator.draft_exists");
    public static readonly ErrorCode Denied = ErrorCode.Denied("indicator.denied");
}

/// <summary>
/// The 测评指标 framework: versions, drafts edited as a whole, publishing with the total checked, and frozen versions.
/// County-wide configuration (not org-owned): every staff member may read it, the county office edits it.
/// </summary>
public sealed class IndicatorService(IDbContextFactory<ShiliuDb> dbs)
{
    static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<IReadOnlyList<FrameworkRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.IndicatorFrameworks.AsNoTracking().OrderByDescending(f => f.VersionNo)
            .Select(f => new
            {
                f.Id, f.Name, f.VersionNo, f.Status, f.DeclaredTotal, f.PublishedUtc, f.UsedByAssessment,
                Scores = f.Groups.SelectMany(g => g.Subgroups).SelectMany(s => s.Criteria).Select(c => c.Score).ToList(),
            }).ToListAsync(ct);
        return rows.Select(r => new FrameworkRow(r.Id, r.Name, r.VersionNo, r.Status, r.DeclaredTotal, r.Scores.Sum(), r.Scores.Count,
            r.PublishedUtc, r.UsedByAssessment)).ToList();
    }

    public async Task<FrameworkTree> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return ToTree(await LoadAsync(db, id, tracking: false, ct));
    }

    /// <summary>The newest published version: what assessments score against.</summary>
    public async Task<FrameworkTree?> GetCurrentAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var id = await db.IndicatorFrameworks.Where(f => f.Status == FrameworkStatus.Published)
            .OrderByDescending(f => f.VersionNo).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        return id is null ? null : ToTree(await LoadAsync(db, id.Value, tracking: false, ct));
    }

    /// <summary>Starts a new draft version as a copy of <paramref name="fromId"/>; only one draft exists at a time.</summary>
    public async Task<Guid> CreateDraftAsync(Guid fromId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(IndicatorPermissions.Manage, IndicatorErrors.Denied, "修改测评指标（由县领导小组办公室维护）");
        var existing = await db.IndicatorFrameworks.Where(f => f.Status == FrameworkStatus.Draft).Select(f => (int?)f.VersionNo).FirstOrDefaultAsync(ct);
        if (existing is not null)
            throw new RuleViolation(IndicatorErrors.DraftExists, $"已有草稿（第 {existing} 版），请先发布或删除它");
        var source = ToTree(await LoadAsync(db, fromId, tracking: false, ct));
        var draft = new IndicatorFramework
        {
            Name = source.Name, DeclaredTotal = source.DeclaredTotal, Status = FrameworkStatus.Draft, CreatedUtc = db.UtcNow,
            VersionNo = await db.IndicatorFrameworks.MaxAsync(f => f.VersionNo, ct) + 1, Source = $"基于第 {source.VersionNo} 版",
        };
        draft.Groups = Build(draft.Id, source.Groups);
        db.IndicatorFrameworks.Add(draft);
        await db.SaveChangesAsync(ct);
        return draft.Id;
    }

    /// <summary>Replaces a draft's whole table (names, criteria, scores, methods), numbering criteria 1…n in order.</summary>
    public async Task SaveDraftAsync(Guid id, FrameworkTree edit, CancellationToken ct = default)
    {
        Check(edit, forPublish: false);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(IndicatorPermissions.Manage, IndicatorErrors.Denied, "修改测评指标（由县领导小组办公室维护）");
        var f = await LoadAsync(db, id, tracking: true, ct);
        RequireDraft(f);
        db.Entry(f).Property(x => x.Version).OriginalValue = edit.Version;
        f.Name = edit.Name.Trim();
        f.DeclaredTotal = edit.DeclaredTotal;
        db.RemoveRange(f.Groups);
        // Added explicitly: EF would take children with client-made keys, found through a navigation, for existing rows.
        var groups = Build(f.Id, edit.Groups);
        db.AddRange(groups);
        f.Groups = groups;
        f.UpdatedUtc = db.UtcNow; // a change of the children alone must still bump the version
        db.Entry(f).State = EntityState.Modified;
        db.Audit(Auditing.AuditEvents.Update, $"修改测评指标草稿（第 {f.VersionNo} 版），合计 {edit.Total} 分", nameof(IndicatorFramework), f.Id.ToString(),
            after: JsonSerializer.Serialize(edit.Groups, Json));
        await db.SaveOrConflictAsync(f, ct);
    }

    /// <summary>Publishes a draft: the criteria must add up to the declared total; the version is then frozen.</summary>
    public async Task PublishAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(IndicatorPermissions.Manage, IndicatorErrors.Denied, "修改测评指标（由县领导小组办公室维护）");
        var f = await LoadAsync(db, id, tracking: true, ct);
        RequireDraft(f);
        Check(ToTree(f), forPublish: true);
        db.Entry(f).Property(x => x.Version).OriginalValue = version;
        f.Status = FrameworkStatus.Published;
        f.PublishedUtc = db.UtcNow;
        f.PublishedBy = db.Caller.UserName;
        await db.SaveOrConflictAsync(f, ct);
    }

    public async Task DeleteDraftAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(IndicatorPermissions.Manage, IndicatorErrors.Denied, "修改测评指标（由县领导小组办公室维护）");
        var f = await LoadAsync(db, id, tracking: true, ct);
        RequireDraft(f);
        db.IndicatorFrameworks.Remove(f);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Version 1 from the seed's annex (seed/indicators.json), published; a no-op once any version exists.</summary>
    public static async Task<bool> SeedAsync(ShiliuDb db, Stream json, CancellationToken ct)
    {
        if (await db.IndicatorFrameworks.AnyAsync(ct)) return false;
        using var doc = await JsonDocument.ParseAsync(json, cancellationToken: ct);
        var root = doc.RootElement;
        var tree = new FrameworkTree
        {
            Name = root.GetProperty("name").GetString()!, DeclaredTotal = root.GetProperty("totalScore").GetInt32(),
            Groups = root.GetProperty("groups").EnumerateArray().Select(g => new GroupNode
            {
                Name = g.GetProperty("name").GetString()!,
                Subgroups = g.GetProperty("subgroups").EnumerateArray().Select(s => new SubgroupNode
                {
                    Name = s.GetProperty("name").GetString()!,
                    Criteria = s.GetProperty("criteria").EnumerateArray().Select(c => new CriterionNode
                    {
                        No = c.GetProperty("no").GetInt32(), ShortTitle = c.GetProperty("short").GetString()!, Text = c.GetProperty("text").GetString()!,
                        Score = c.GetProperty("score").GetInt32(),
                        Methods = c.GetProperty("methods").EnumerateArray()
                            .Aggregate(AssessMethods.None, (m, x) => m | Enum.Parse<AssessMethods>(x.GetString()!)),
                    }).ToList(),
                }).ToList(),
            }).ToList(),
        };
        Check(tree, forPublish: true);
        var f = new IndicatorFramework
        {
            Name = tree.Name, DeclaredTotal = tree.DeclaredTotal, VersionNo = 1, Status = FrameworkStatus.Published,
            Source = "新民发〔2019〕2号 附件", CreatedUtc = db.UtcNow, PublishedUtc = db.UtcNow, PublishedBy = db.Caller.UserName,
        };
        f.Groups = Build(f.Id, tree.Groups);
        db.IndicatorFrameworks.Add(f);
        await db.SaveChangesAsync(ct);
        return true;
    }

    static List<IndicatorGroup> Build(Guid frameworkId, List<GroupNode> groups)
    {
        var no = 0;
        return groups.Select((g, gi) =>
        {
            var group = new IndicatorGroup { FrameworkId = frameworkId, Name = g.Name.Trim(), SortOrder = gi };
            group.Subgroups = g.Subgroups.Select((s, si) =>
            {
                var sub = new IndicatorSubgroup { GroupId = group.Id, Name = s.Name.Trim(), SortOrder = si };
                sub.Criteria = s.Criteria.Select(c => new IndicatorCriterion
                {
                    SubgroupId = sub.Id, No = ++no, ShortTitle = c.ShortTitle.Trim(), Text = c.Text.Trim(), Score = c.Score, Methods = c.Methods,
                }).ToList();
                return sub;
            }).ToList();
            return group;
        }).ToList();
    }

    static FrameworkTree ToTree(IndicatorFramework f) => new()
    {
        Id = f.Id, Name = f.Name, VersionNo = f.VersionNo, Status = f.Status, DeclaredTotal = f.DeclaredTotal,
        PublishedUtc = f.PublishedUtc, PublishedBy = f.PublishedBy, UsedByAssessment = f.UsedByAssessment, Version = f.Version,
        Groups = f.Groups.OrderBy(g => g.SortOrder).Select(g => new GroupNode
        {
            Name = g.Name,
            Subgroups = g.Subgroups.OrderBy(s => s.SortOrder).Select(s => new SubgroupNode
            {
                Name = s.Name,
                Criteria = s.Criteria.OrderBy(c => c.No).Select(c => new CriterionNode { Id = c.Id, No = c.No, ShortTitle = c.ShortTitle, Text = c.Text, Score = c.Score, Methods = c.Methods }).ToList(),
            }).ToList(),
        }).ToList(),
    };

    /// <summary>Names the first problem in the table in Chinese (which group, which criterion).</summary>
    static void Check(FrameworkTree t, bool forPublish)
    {
        static void Fail(string field, string m) => throw RuleViolation.ForField(IndicatorErrors.Invalid, field, m);
        // Names are shown in every picker and the printed table: no control or bidi-override characters.
        static bool Unclean(string s) => s.Any(c => char.IsControl(c) || Validation.IsBidiControl(c));
        if (string.IsNullOrWhiteSpace(t.Name) || t.Name.Length > 100 || Unclean(t.Name)) Fail("name", "请填写指标体系名称（不超过100字，不含控制字符）");
        if (t.DeclaredTotal is < 1 or > 1000) Fail("declaredTotal", "总分应在 1 到 1000 之间");
        if (t.Groups.Count == 0) Fail("groups", "至少需要一个一级指标");
        var no = 0;
        for (var gi = 0; gi < t.Groups.Count; gi++)
        {
            var g = t.Groups[gi];
            var gp = $"groups[{gi}]";
            if (string.IsNullOrWhiteSpace(g.Name) || g.Name.Length > 50 || Unclean(g.Name)) Fail($"{gp}.name", $"第 {gi + 1} 个一级指标缺少名称（不超过50字，不含控制字符）");
            if (g.Subgroups.Count == 0) Fail($"{gp}.subgroups", $"一级指标“{g.Name}”下至少需要一个二级指标");
            for (var si = 0; si < g.Subgroups.Count; si++)
            {
                var s = g.Subgroups[si];
                var sp = $"{gp}.subgroups[{si}]";
                if (string.IsNullOrWhiteSpace(s.Name) || s.Name.Length > 50 || Unclean(s.Name)) Fail($"{sp}.name", $"一级指标“{g.Name}”下有二级指标缺少名称（不超过50字，不含控制字符）");
                if (s.Criteria.Count == 0) Fail($"{sp}.criteria", $"二级指标“{s.Name}”下至少需要一条测评标准");
                for (var ci = 0; ci < s.Criteria.Count; ci++)
                {
                    var c = s.Criteria[ci];
                    var cp = $"{sp}.criteria[{ci}]";
                    no++;
                    if (string.IsNullOrWhiteSpace(c.Text) || c.Text.Length > 500) Fail($"{cp}.text", $"第 {no} 条测评标准（{s.Name}）缺少内容或超过500字");
                    if (Unclean(c.Text)) Fail($"{cp}.text", $"第 {no} 条测评标准含有不可见的控制字符");
                    if (string.IsNullOrWhiteSpace(c.ShortTitle) || c.ShortTitle.Trim().Length > 12 || Unclean(c.ShortTitle))
                        Fail($"{cp}.shortTitle", $"第 {no} 条测评标准须有简称（不超过12个字，如“联席会议制度”），选择和列出测评标准时显示它");
                    if (c.Score is < 1 or > 100) Fail($"{cp}.score", $"第 {no} 条测评标准（{s.Name}）的分值应在 1 到 100 之间");
                    if (c.Methods == AssessMethods.None) Fail($"{cp}.methods", $"第 {no} 条测评标准（{s.Name}）至少需要一种测评方法");
                }
            }
        }
        if (forPublish && t.Total != t.DeclaredTotal)
            throw new RuleViolation(IndicatorErrors.TotalMismatch, $"各条测评标准分值合计 {t.Total} 分，与总分 {t.DeclaredTotal} 分不符，不能发布");
    }


    static void RequireDraft(IndicatorFramework f)
    {
        if (f.Status != FrameworkStatus.Draft || f.UsedByAssessment)
            throw new RuleViolation(IndicatorErrors.Frozen, $"第 {f.VersionNo} 版已发布，不能修改；如需调整，请基于它新建草稿");
    }

    static async Task<IndicatorFramework> LoadAsync(ShiliuDb db, Guid id, bool tracking, CancellationToken ct)
    {
        var q = db.IndicatorFrameworks.Include(f => f.Groups).ThenInclude(g => g.Subgroups).ThenInclude(s => s.Criteria).AsSplitQuery();
        return await (tracking ? q : q.AsNoTracking()).SingleOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundInScope("测评指标版本");
    }
}
