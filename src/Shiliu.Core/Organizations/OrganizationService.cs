using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Organizations;

public sealed record OrgUnitRow(Guid Id, Guid? ParentId, string Name, string Code, OrgLevel Level, bool IsDisabled,
    bool IsDemo, bool HasChildren, int Version)
{
    public string LevelName => OrgUnit.LevelName(Level);
}

public sealed record OrgUnitDetail(Guid Id, Guid? ParentId, string Name, string Code, OrgLevel Level, bool IsDisabled,
    bool IsDemo, int Version, DateTime UpdatedUtc, string? UpdatedBy, IReadOnlyList<OrgUnitCrumb> Ancestors)
{
    public string? PublicPhone { get; init; }
    public string? PublicAddress { get; init; }
    public string? OfficeHours { get; init; }
}

public sealed record OrgUnitCrumb(Guid Id, string Name);

public sealed class CreateOrgUnit
{
    [Required(ErrorMessage = "请选择上级单位")]
    public Guid? ParentId { get; set; }

    [Required(ErrorMessage = "请填写单位名称"), StringLength(50, ErrorMessage = "单位名称不能超过50个字")]
    [Display(Name = "单位名称")]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "请填写单位代码"), RegularExpression("^[0-9A-Za-z-]{1,32}$", ErrorMessage = "单位代码只能由数字、字母和“-”组成，最长32位")]
    [Display(Name = "单位代码")]
    public string Code { get; set; } = "";
}

public sealed class UpdateOrgUnit
{
    [Required(ErrorMessage = "请填写单位名称"), StringLength(50, ErrorMessage = "单位名称不能超过50个字")]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "请填写单位代码"), RegularExpression("^[0-9A-Za-z-]{1,32}$", ErrorMessage = "单位代码只能由数字、字母和“-”组成，最长32位")]
    public string Code { get; set; } = "";

    /// <summary>Shown on the public pages: the window's phone (e.g. 0877-7012345 or 12345).</summary>
    [RegularExpression(@"^[0-9][0-9\-、 转]{2,29}$", ErrorMessage = "对外电话只能含数字、“-”和“转”，如 0877-7012345")]
    public string? PublicPhone { get; set; }

    [StringLength(100, ErrorMessage = "办公地址不能超过100字")]
    public string? PublicAddress { get; set; }

    [StringLength(60, ErrorMessage = "办公时间不能超过60字")]
    public string? OfficeHours { get; set; }

    /// <summary>The version the user loaded; a save against a newer row is refused as a conflict.</summary>
    public int Version { get; set; }
}

public static class OrgErrors
{
    public static readonly ErrorCode ParentNotFound = ErrorCode.Invalid("org.parent_not_found");
    public static readonly ErrorCode DuplicateCode = ErrorCode.Conflict("org.duplicate_code");
    public static readonly ErrorCode TooDeep = ErrorCode.Invalid("org.too_deep");
    public static readonly ErrorCode BadMove = ErrorCode.Invalid("org.bad_move");
    public static readonly ErrorCode NotEmpty = ErrorCode.Invalid("org.not_empty");
    public static readonly ErrorCode BadName = ErrorCode.Invalid("org.bad_name");
    public static readonly ErrorCode Denied = ErrorCode.Denied("org.denied");
}

/// <summary>The org tree: lazy reads (children of one unit at a time) and audited, scope-checked edits.</summary>
public sealed class OrganizationService(IDbContextFactory<ShiliuDb> dbs)
{
    /// <summary>The top of what the caller may see: its own unit (or the real roots for the system).</summary>
    public async Task<IReadOnlyList<OrgUnitRow>> GetRootsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.Caller.ScopeAll ? db.OrgUnits.Where(u => u.ParentId == null) : db.OrgUnits.Where(u => u.Path == db.Caller.OrgPath);
        return await Rows(db, q).ToListAsync(ct);
    }

    /// <summary>The units a ledger can belong to (county, townships, communities; not grids) in the caller's scope, in tree order.</summary>
    public async Task<IReadOnlyList<OrgUnitRow>> LedgerUnitsAsync(int take = 2000, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Rows(db, db.OrgUnits.Where(u => u.Level != OrgLevel.Grid && !u.IsDisabled).OrderBy(u => u.Level).ThenBy(u => u.Code).Take(take)).ToListAsync(ct);
    }

    /// <summary>The communities and grids in the caller's scope, where resident records live.</summary>
    public async Task<IReadOnlyList<OrgUnitRow>> ResidentUnitsAsync(int take = 5000, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Rows(db, db.OrgUnits.Where(u => (u.Level == OrgLevel.Community || u.Level == OrgLevel.Grid) && !u.IsDisabled).Take(take)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<OrgUnitRow>> GetChildrenAsync(Guid parentId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.OrgUnits.AnyAsync(u => u.Id == parentId, ct)) throw new NotFoundInScope("单位");
        return await Rows(db, db.OrgUnits.Where(u => u.ParentId == parentId)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<OrgUnitRow>> SearchAsync(string term, int take = 50, CancellationToken ct = default)
    {
        if (Validation.Filter(term, "搜索内容", source: "q") is not { } t) return [];
        term = t;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Rows(db, db.OrgUnits.Where(u => u.Name.Contains(term) || u.Code.StartsWith(term))).Take(take).ToListAsync(ct);
    }

    static IQueryable<OrgUnitRow> Rows(ShiliuDb db, IQueryable<OrgUnit> q) =>
        q.OrderBy(u => u.SortOrder).ThenBy(u => u.Code)
            .Select(u => new OrgUnitRow(u.Id, u.ParentId, u.Name, u.Code, u.Level, u.IsDisabled, u.IsDemo,
                db.OrgUnits.Any(c => c.ParentId == u.Id), u.Version));

    public async Task<OrgUnitDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var u = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundInScope("单位");
        var ancestorIds = u.Path.Trim('/').Split('/').Select(Guid.Parse).Where(a => a != u.Id).ToList();
        var names = await db.OrgUnits.Where(o => ancestorIds.Contains(o.Id)).Select(o => new OrgUnitCrumb(o.Id, o.Name)).ToListAsync(ct);
        var ordered = ancestorIds.Select(a => names.FirstOrDefault(n => n.Id == a)).OfType<OrgUnitCrumb>().ToList();
        return new OrgUnitDetail(u.Id, u.ParentId, u.Name, u.Code, u.Level, u.IsDisabled, u.IsDemo, u.Version,
            u.UpdatedUtc, u.UpdatedBy, ordered) { PublicPhone = u.PublicPhone, PublicAddress = u.PublicAddress, OfficeHours = u.OfficeHours };
    }

    public async Task<Guid> CreateAsync(CreateOrgUnit req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.Name, "单位名称");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(OrgPermissions.Manage, OrgErrors.Denied, "管理组织机构");
        var parent = await db.OrgUnits.SingleOrDefaultAsync(o => o.Id == req.ParentId, ct)
            ?? throw new NotFoundInScope("上级单位");
        if (parent.Level == OrgLevel.Grid)
            throw new RuleViolation(OrgErrors.TooDeep, "网格是最末一级，不能在网格下再设下级单位");
        await EnsureCodeFreeAsync(db, req.Code, null, ct);
        var unit = OrgUnit.ChildOf(parent, name, req.Code.Trim(), parent.Level + 1);
        unit.CreatedUtc = db.UtcNow;
        unit.SortOrder = await db.OrgUnits.Where(o => o.ParentId == parent.Id).Select(o => (int?)o.SortOrder).MaxAsync(ct) + 1 ?? 0;
        db.OrgUnits.Add(unit);
        await db.SaveChangesAsync(ct);
        return unit.Id;
    }

    public async Task UpdateAsync(Guid id, UpdateOrgUnit req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.Name, "单位名称");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(OrgPermissions.Manage, OrgErrors.Denied, "管理组织机构");
        var unit = await LoadForEditAsync(db, id, req.Version, ct);
        if (unit.Code != req.Code.Trim()) await EnsureCodeFreeAsync(db, req.Code, id, ct);
        unit.Name = name;
        unit.Code = req.Code.Trim();
        static string? Opt(string? v, string field, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(v))] string? source = null) =>
            string.IsNullOrWhiteSpace(v) ? null : Validation.CleanText(v, field, source);
        unit.PublicPhone = Opt(req.PublicPhone, "对外电话");
        unit.PublicAddress = Opt(req.PublicAddress, "办公地址");
        unit.OfficeHours = Opt(req.OfficeHours, "办公时间");
        await db.SaveOrConflictAsync(unit, ct);
    }

    public async Task SetDisabledAsync(Guid id, bool disabled, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(OrgPermissions.Manage, OrgErrors.Denied, "管理组织机构");
        var unit = await LoadForEditAsync(db, id, version, ct);
        if (unit.Path == db.Caller.OrgPath)
            throw new RuleViolation(OrgErrors.BadMove, "不能停用您本人所在的单位");
        unit.IsDisabled = disabled;
        await db.SaveOrConflictAsync(unit, ct);
    }

    /// <summary>Moves a unit (with its subtree) under another unit of the level above; paths of the subtree follow.</summary>
    public async Task MoveAsync(Guid id, Guid newParentId, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(OrgPermissions.Manage, OrgErrors.Denied, "管理组织机构");
        var unit = await LoadForEditAsync(db, id, version, ct);
        var parent = await db.OrgUnits.SingleOrDefaultAsync(o => o.Id == newParentId, ct)
            ?? throw new NotFoundInScope("目标上级单位");
        if (unit.Path == db.Caller.OrgPath)
            throw new RuleViolation(OrgErrors.BadMove, "不能移动您本人所在的单位");
        if (parent.Path.StartsWith(unit.Path, StringComparison.Ordinal))
            throw new RuleViolation(OrgErrors.BadMove, "不能把单位移动到它自己或它的下级单位之下");
        if (parent.Level != unit.Level - 1)
            throw new RuleViolation(OrgErrors.BadMove, $"{OrgUnit.LevelName(unit.Level)}只能移动到{OrgUnit.LevelName(unit.Level - 1)}之下");
        if (unit.ParentId == parent.Id) return;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        unit.MoveUnder(parent, out var oldPath);
        await db.SaveOrConflictAsync(unit, ct);
        var newPath = unit.Path;
        // Descendants and the users bound to them keep their place in the subtree.
        await db.OrgUnits.Under(o => o.Path, oldPath).Where(o => o.Id != unit.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Path, o => newPath + o.Path.Substring(oldPath.Length)), ct);
        var movedUsers = await db.Users.Under(u => u.OrgPath, oldPath).Select(u => u.Id).ToListAsync(ct);
        await db.Users.Under(u => u.OrgPath, oldPath)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.OrgPath, u => newPath + u.OrgPath.Substring(oldPath.Length)), ct);
        // Their signed-in claims still carry the old scope: end those sessions.
        var now = db.UtcNow;
        await db.UserSessions.Where(s => movedUsers.Contains(s.UserId) && s.EndedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedUtc, now).SetProperty(x => x.EndReason, "unit_moved"), ct);
        // Every org-owned record follows its unit, whatever module owns it (found from the model, so none is missed).
        var records = 0;
        foreach (var t in db.Model.GetEntityTypes().Where(t => typeof(IOrgOwned).IsAssignableFrom(t.ClrType) && t.ClrType != typeof(OrgUnit)))
        {
            var table = t.GetTableName();
            var column = t.FindProperty(nameof(IOrgOwned.OrgPath))!.GetColumnName();
#pragma warning disable EF1002 // table and column names come from the EF model, values are parameters
            records += await db.Database.ExecuteSqlRawAsync(
                $"UPDATE \"{table}\" SET \"{column}\" = {{0}} || substr(\"{column}\", {{1}}) WHERE substr(\"{column}\", 1, {{2}}) = {{3}}",
                [newPath, oldPath.Length + 1, oldPath.Length, oldPath], ct);
#pragma warning restore EF1002
        }
        db.Audit(Auditing.AuditEvents.Update, $"移动{OrgUnit.LevelName(unit.Level)} {unit.Name} 至 {parent.Name}：下级单位、{movedUsers.Count} 个用户、{records} 条业务记录随之移动",
            nameof(OrgUnit), unit.Id.ToString(), newPath, after: $"{{\"from\":\"{oldPath}\",\"to\":\"{newPath}\"}}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Deletes an empty unit. A unit that has sub-units, users or records is never deleted: disable it instead.</summary>
    public async Task DeleteAsync(Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(OrgPermissions.Manage, OrgErrors.Denied, "管理组织机构");
        var unit = await LoadForEditAsync(db, id, version, ct);
        if (unit.Path == db.Caller.OrgPath)
            throw new RuleViolation(OrgErrors.NotEmpty, "不能删除您本人所在的单位");
        if (await db.OrgUnits.AnyAsync(o => o.ParentId == id, ct))
            throw new RuleViolation(OrgErrors.NotEmpty, "该单位还有下级单位，不能删除；如不再使用请停用");
        if (await db.Users.AnyAsync(u => u.OrgUnitId == id, ct))
            throw new RuleViolation(OrgErrors.NotEmpty, "该单位还有用户账号，不能删除；如不再使用请停用");
        if (await db.CampaignUnits.AnyAsync(c => c.OrgUnitId == id, ct) || await db.Deliverables.AnyAsync(d => d.OrgUnitId == id, ct)
            || await db.WorkReports.AnyAsync(r => r.OrgUnitId == id, ct))
            throw new RuleViolation(OrgErrors.NotEmpty, "该单位已有业务记录，不能删除；如不再使用请停用");
        db.OrgUnits.Remove(unit);
        await db.SaveChangesAsync(ct);
    }


    static async Task<OrgUnit> LoadForEditAsync(ShiliuDb db, Guid id, int version, CancellationToken ct)
    {
        var unit = await db.OrgUnits.SingleOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundInScope("单位");
        // Compare against what the user loaded, not what we just read, so a stale form is caught.
        db.Entry(unit).Property(u => u.Version).OriginalValue = version;
        return unit;
    }

    static async Task EnsureCodeFreeAsync(ShiliuDb db, string code, Guid? except, CancellationToken ct)
    {
        code = code.Trim();
        // Codes are unique county- and province-wide, including units outside the caller's scope.
        if (await db.OrgUnits.IgnoreQueryFilters().AnyAsync(o => o.Code == code && o.Id != except, ct))
            throw new RuleViolation(OrgErrors.DuplicateCode, $"单位代码 {code} 已被使用");
    }
}
