using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Residents;

public sealed record GridMemberRow(Guid Id, string Name, GridRole Role, string? Phone, Guid? UserId, string? UserName, int Version)
{
    public string RoleName => GridService.RoleName(Role);
}

/// <summary>One of a unit's grid staff, with the grid and community served (the list behind the dashboard's 网格工作人员).</summary>
public sealed record GridStaffRow(Guid GridId, string GridName, string CommunityName, string Name, GridRole Role, string? Phone, string? UserName)
{
    public string RoleName => GridService.RoleName(Role);
}

public sealed record StaffOfUnit(Guid UnitId, string UnitName, Paged<GridStaffRow> Staff);

/// <summary>A grid of the map: its notice-board facts, its staff, and its figures (from the tallies).</summary>
public sealed record GridRow(Guid Id, string Name, string Code, string? Bounds, string? Covers, string? Notes, int InfoVersion,
    IReadOnlyList<GridMemberRow> Members, int Residents, int Households, int Visited)
{
    public double Coverage => Households == 0 ? 0 : (double)Visited / Households;
}

/// <summary>A community and its grids; <see cref="Unassigned"/> residents are kept by the community itself, in no grid.</summary>
/// <summary>A community's grids; Unassigned* are the residents registered at the community itself, outside any grid.</summary>
public sealed record CommunityGrids(Guid Id, string Name, string Code, int Unassigned, int UnassignedHouseholds, int UnassignedVisited,
    IReadOnlyList<GridRow> Grids)
{
    public int Residents => Unassigned + Grids.Sum(g => g.Residents);
    public int Households => UnassignedHouseholds + Grids.Sum(g => g.Households);
    public int Visited => UnassignedVisited + Grids.Sum(g => g.Visited);
    public double Coverage => Households == 0 ? 0 : (double)Visited / Households;
    /// <summary>Grids with nobody recorded as serving them (criterion 7 asks for staffed grids).</summary>
    public int Unstaffed => Grids.Count(g => g.Members.Count == 0);
}

public sealed class SaveGridInfo
{
    [StringLength(300, ErrorMessage = "四至范围不能超过300字")]
    public string? Bounds { get; set; }

    [StringLength(500, ErrorMessage = "包含的楼栋、小组不能超过500字")]
    public string? Covers { get; set; }

    [StringLength(500, ErrorMessage = "备注不能超过500字")]
    public string? Notes { get; set; }

    public int Version { get; set; }
}

public sealed class SaveGridMember
{
    /// <summary>Null for a new member.</summary>
    public Guid? Id { get; set; }

    [Required(ErrorMessage = "网格人员姓名不能为空"), StringLength(50, ErrorMessage = "网格人员姓名不能超过50字")]
    public string Name { get; set; } = "";

    [EnumDataType(typeof(GridRole), ErrorMessage = "请选择网格职务（网格长、专职、兼职、指导员）")]
    public GridRole Role { get; set; } = GridRole.FullTime;

    public string? Phone { get; set; }

    /// <summary>The member's own grid-worker account, when it has one.</summary>
    public Guid? UserId { get; set; }

    public int Version { get; set; }
}

public sealed class SaveGridMembers
{
    public List<SaveGridMember> Members { get; set; } = [];
}

public sealed record HouseholdMember(Guid Id, string Name, string? RelationToHead, string EthnicityName, string TypeName, int? Age, string AgeText,
    string IdNumberMasked, string? PhoneMasked, ResidentNeeds Needs);

/// <summary>One household of a grid (户号, or a resident without one); ID numbers and phones masked.</summary>
public sealed record HouseholdRow(string? HouseholdNo, string HeadName, int MemberCount, string Ethnicities, string Types, ResidentNeeds Needs,
    DateOnly? LastVisit, IReadOnlyList<HouseholdMember> Members)
{
    public string NeedsText => ResidentNames.NeedsText(Needs);
}

/// <summary>A page of a grid's households, with the grid they belong to.</summary>
public sealed record HouseholdsOfGrid(Guid GridId, string GridName, Paged<HouseholdRow> Households);

public sealed record LinkableAccount(Guid Id, string UserName, string DisplayName);

public static class GridErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("grid.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("grid.invalid");
}

/// <summary>
/// 网格化服务管理: the grid map of a community (grids, 四至, staff, figures), editing a grid's facts and staff (township and
/// community; grid workers only look), and the grid worker's list of its grid's households.
/// </summary>
public sealed class GridService(IDbContextFactory<ShiliuDb> dbs)
{
    public const int CoverageDays = 90;

    public static string RoleName(GridRole role) => role switch
    {
        GridRole.Leader => "网格长", GridRole.FullTime => "专职网格员", GridRole.PartTime => "兼职网格员", _ => "网格指导员",
    };

    /// <summary>The communities under a unit (default: the caller's) with their grids; a grid worker gets its own grid.</summary>
    public async Task<IReadOnlyList<CommunityGrids>> TreeAsync(Guid? orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, GridErrors.Denied, "查看网格");
        var unit = await UnitAsync(db, orgUnitId, ct);
        var grids = await db.OrgUnits.AsNoTracking().Under(o => o.Path, unit.Path).Where(o => o.Level == OrgLevel.Grid && !o.IsDisabled)
            .OrderBy(o => o.SortOrder).ThenBy(o => o.Code).Take(5000).ToListAsync(ct);
        var communities = unit.Level switch
        {
            OrgLevel.Grid => await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => o.Id == unit.ParentId).ToListAsync(ct),
            OrgLevel.Community => [unit],
            // Code order: by township, then the communities as the county numbers them.
            _ => await db.OrgUnits.AsNoTracking().Under(o => o.Path, unit.Path).Where(o => o.Level == OrgLevel.Community)
                .OrderBy(o => o.Code).Take(1000).ToListAsync(ct),
        };
        var figures = await FiguresAsync(db, unit.Path, ct);
        var rows = await RowsAsync(db, grids, figures, ct);
        var parentOf = grids.ToDictionary(g => g.Id, g => g.ParentId);
        var byCommunity = rows.ToLookup(r => parentOf[r.Id]);
        return communities.Select(c =>
        {
            var own = figures.GetValueOrDefault(c.Path);
            return new CommunityGrids(c.Id, c.Name, c.Code, own?.Residents ?? 0, own?.Households ?? 0, own?.Visited ?? 0, byCommunity[c.Id].ToList());
        }).ToList();
    }

    public async Task<GridRow> GetAsync(Guid gridId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, GridErrors.Denied, "查看网格");
        var grid = await GridAsync(db, gridId, ct);
        return (await RowsAsync(db, [grid], await FiguresAsync(db, grid.Path, ct), ct))[0];
    }

    public async Task SaveInfoAsync(Guid gridId, SaveGridInfo req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.GridManage, GridErrors.Denied, "修改网格信息");
        var grid = await GridAsync(db, gridId, ct);
        var info = await db.GridInfos.SingleOrDefaultAsync(i => i.Id == grid.Id, ct);
        if (info is null) db.GridInfos.Add(info = new GridInfo { Id = grid.Id, OrgPath = grid.Path });
        else db.Entry(info).Property(i => i.Version).OriginalValue = req.Version;
        static string? Opt(string? v, string field, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(v))] string? source = null) =>
            string.IsNullOrWhiteSpace(v) ? null : Validation.CleanText(v, field, source);
        (info.Bounds, info.Covers, info.Notes) = (Opt(req.Bounds, "四至范围"), Opt(req.Covers, "包含楼栋"), Opt(req.Notes, "备注"));
        await db.SaveOrConflictAsync(info, ct);
    }

    /// <summary>Replaces the grid's staff list (in the order given); every added, changed or removed member is audited.</summary>
    public async Task SaveMembersAsync(Guid gridId, SaveGridMembers req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.GridManage, GridErrors.Denied, "修改网格人员");
        var grid = await GridAsync(db, gridId, ct);
        if (req.Members.Count > 30) throw new RuleViolation(GridErrors.Invalid, "一个网格最多登记30名网格人员");
        var accounts = (await LinkableAsync(db, grid, ct)).Select(a => a.Id).ToHashSet();
        var existing = await db.GridMembers.Where(m => m.GridId == grid.Id).ToListAsync(ct);
        var kept = new HashSet<Guid>();
        for (var i = 0; i < req.Members.Count; i++)
        {
            var m = req.Members[i];
            var row = $"第{i + 1}名网格人员";
            try { Validation.Check(m); }
            catch (RuleViolation v)
            {
                throw new RuleViolation(GridErrors.Invalid, $"{row}：{v.Message}") { Fields = v.Fields.ToDictionary(f => $"members[{i}].{f.Key}", f => f.Value) };
            }
            string? phone = null;
            if (!string.IsNullOrWhiteSpace(m.Phone) && !Phone.TryNormalize(m.Phone, out phone, out var err))
                throw RuleViolation.ForField(GridErrors.Invalid, $"members[{i}].phone", $"{row}：{err}");
            if (m.UserId is { } uid && !accounts.Contains(uid))
                throw RuleViolation.ForField(GridErrors.Invalid, $"members[{i}].userId", $"{row}：关联的账号须是本网格在用的网格员账号");
            if (m.UserId is not null && req.Members.Take(i).Any(x => x.UserId == m.UserId))
                throw RuleViolation.ForField(GridErrors.Invalid, $"members[{i}].userId", $"{row}：同一账号不能关联两名网格人员");
            var member = m.Id is { } id ? existing.SingleOrDefault(x => x.Id == id) ?? throw new NotFoundInScope("网格人员") : null;
            if (member is null) db.GridMembers.Add(member = new GridMember { GridId = grid.Id, OrgPath = grid.Path });
            else db.Entry(member).Property(x => x.Version).OriginalValue = m.Version;
            (member.Name, member.Role, member.Phone, member.UserId, member.SortOrder) = (Validation.CleanText(m.Name, "姓名"), m.Role, phone, m.UserId, i);
            kept.Add(member.Id);
        }
        db.GridMembers.RemoveRange(existing.Where(x => !kept.Contains(x.Id)));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflict(null, null);
        }
    }

    /// <summary>Active grid-worker accounts of the grid, which a member may be linked to.</summary>
    public async Task<IReadOnlyList<LinkableAccount>> AccountsAsync(Guid gridId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.GridManage, GridErrors.Denied, "关联网格员账号");
        return await LinkableAsync(db, await GridAsync(db, gridId, ct), ct);
    }

    /// <summary>The grid's registered households, a page at a time (户号 order, then residents without one).</summary>
    public async Task<HouseholdsOfGrid> HouseholdsAsync(Guid gridId, int? page = null, int? pageSize = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, GridErrors.Denied, "查看网格住户");
        var grid = await GridAsync(db, gridId, ct);
        return await HouseholdPageAsync(db, grid, db.Residents.AsNoTracking().Where(r => r.OrgPath == grid.Path), page, pageSize, ct);
    }

    /// <summary>
    /// The registered households of a unit's whole subtree (the caller's unit when left out), a page at a time: the list
    /// behind the dashboard's 在册户数, keyed as the tallies key a household (its unit, then its 户号 or the person alone).
    /// </summary>
    public async Task<HouseholdsOfGrid> UnitHouseholdsAsync(Guid? unitId, int? page = null, int? pageSize = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, GridErrors.Denied, "查看住户");
        var unit = await UnitAsync(db, unitId, ct);
        return await HouseholdPageAsync(db, unit, db.Residents.AsNoTracking().Under(r => r.OrgPath, unit.Path), page, pageSize, ct);
    }

    /// <summary>Everyone serving the grids of a unit's subtree (the caller's unit when left out), grid by grid, a page at a time.</summary>
    public async Task<StaffOfUnit> StaffAsync(Guid? unitId, int? page = null, int? pageSize = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, GridErrors.Denied, "查看网格工作人员");
        var unit = await UnitAsync(db, unitId, ct);
        var staff = db.GridMembers.AsNoTracking().Under(m => m.OrgPath, unit.Path);
        var (current, size) = Paged<GridStaffRow>.Bounds(page ?? 1, pageSize ?? 20, maxSize: 100);
        var total = await staff.CountAsync(ct);
        // In the order of the grids' codes (a grid's code begins with its community's), then as each notice board lists them.
        // The grid and its community come with the page; a grid worker's scope is its grid, so the community may be out of
        // sight (left join: the row stays, without the name).
        var members = await (from m in staff
                             join g in db.OrgUnits.AsNoTracking() on m.GridId equals g.Id
                             join c in db.OrgUnits.AsNoTracking() on g.ParentId equals c.Id into parents
                             from c in parents.DefaultIfEmpty()
                             orderby g.Code, m.SortOrder, m.Id
                             select new { Member = m, Grid = g.Name, Community = c == null ? "" : c.Name }).Skip((current - 1) * size).Take(size).ToListAsync(ct);
        var userIds = members.Select(x => x.Member.UserId).OfType<Guid>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(x => userIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.UserName, ct);
        var rows = members.Select(x => new GridStaffRow(x.Member.GridId, x.Grid, x.Community, x.Member.Name, x.Member.Role, x.Member.Phone,
            x.Member.UserId is { } uid ? users.GetValueOrDefault(uid) : null)).ToList();
        return new StaffOfUnit(unit.Id, unit.Name, new Paged<GridStaffRow>(rows, total, current, size));
    }

    static async Task<HouseholdsOfGrid> HouseholdPageAsync(ShiliuDb db, OrgUnit unit, IQueryable<Resident> held, int? page, int? pageSize, CancellationToken ct)
    {
        var residents = held.Where(r => r.Status == ResidentStatus.Registered);
        var keys = residents.GroupBy(r => new { r.OrgPath, r.HouseholdNo, Solo = r.HouseholdNo == null ? r.Id : Guid.Empty }).Select(g => g.Key);
        var (current, size) = Paged<HouseholdRow>.Bounds(page ?? 1, pageSize ?? 20, maxSize: 100);
        var total = await keys.CountAsync(ct);
        var pageKeys = await keys.OrderBy(k => k.OrgPath).ThenBy(k => k.HouseholdNo == null).ThenBy(k => k.HouseholdNo).ThenBy(k => k.Solo)
            .Skip((current - 1) * size).Take(size).ToListAsync(ct);
        var paths = pageKeys.Select(k => k.OrgPath).Distinct().ToList();
        var nos = pageKeys.Where(k => k.HouseholdNo != null).Select(k => k.HouseholdNo!).Distinct().ToList();
        var solos = pageKeys.Where(k => k.HouseholdNo == null).Select(k => k.Solo).ToList();
        var members = await residents.Where(r => (r.HouseholdNo != null && paths.Contains(r.OrgPath) && nos.Contains(r.HouseholdNo)) || solos.Contains(r.Id)).ToListAsync(ct);
        var ids = members.Select(r => r.Id).ToList();
        // Visits in a query of their own: one recorded before the resident moved into this grid still counts for the household.
        var last = await db.Visits.IgnoreQueryFilters().Where(v => ids.Contains(v.ResidentId)).GroupBy(v => v.ResidentId)
            .Select(g => new { Id = g.Key, Last = g.Max(v => v.VisitDate) }).ToDictionaryAsync(x => x.Id, x => x.Last, ct);
        var codes = members.Select(r => r.EthnicityCode).Distinct().ToList();
        var eth = await db.DictionaryItems.Where(d => d.Kind == DictionaryKinds.Ethnicity && codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var exact = db.Caller.Can(ResidentPermissions.Reveal);
        var rows = pageKeys.Select(k =>
        {
            var people = members.Where(r => k.HouseholdNo is { } no ? r.OrgPath == k.OrgPath && r.HouseholdNo == no : r.Id == k.Solo)
                .OrderBy(r => r.RelationToHead == "户主" ? 0 : 1).ThenBy(r => r.BirthDate).ThenBy(r => r.Id).ToList();
            var visits = people.Where(r => last.ContainsKey(r.Id)).Select(r => last[r.Id]).ToList();
            return new HouseholdRow(k.HouseholdNo, people[0].Name, people.Count,
                string.Join("、", people.Select(r => eth.GetValueOrDefault(r.EthnicityCode, r.EthnicityCode)).Distinct()),
                string.Join("、", people.Select(r => ResidentNames.Type(r.ResidenceType)).Distinct()),
                people.Aggregate(ResidentNeeds.None, (n, r) => n | r.Needs), visits.Count == 0 ? null : visits.Max(),
                people.Select(r => new HouseholdMember(r.Id, r.Name, r.RelationToHead, eth.GetValueOrDefault(r.EthnicityCode, r.EthnicityCode),
                    ResidentNames.Type(r.ResidenceType), ResidentService.AgeFor(r.BirthDate, today, exact).Age, ResidentService.AgeFor(r.BirthDate, today, exact).Text,
                    r.IdNumberMasked, r.PhoneMasked, r.Needs)).ToList());
        }).ToList();
        return new HouseholdsOfGrid(unit.Id, unit.Name, new Paged<HouseholdRow>(rows, total, current, size));
    }

    /// <summary>The unit asked for, in the caller's scope, or the caller's own unit (the county for the system).</summary>
    internal static async Task<OrgUnit> UnitAsync(ShiliuDb db, Guid? id, CancellationToken ct)
    {
        var units = db.OrgUnits.AsNoTracking();
        return await (id is { } u ? units.Where(o => o.Id == u)
                : db.Caller.IsSystem ? units.Where(o => o.ParentId == null) : units.Where(o => o.Path == db.Caller.OrgPath))
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundInScope("单位");
    }

    static async Task<OrgUnit> GridAsync(ShiliuDb db, Guid id, CancellationToken ct) =>
        await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Grid, ct) ?? throw new NotFoundInScope("网格");

    static async Task<List<LinkableAccount>> LinkableAsync(ShiliuDb db, OrgUnit grid, CancellationToken ct)
    {
        var role = await db.Roles.Where(r => r.Name == Roles.GridWorker).Select(r => r.Id).SingleAsync(ct);
        return await db.ScopedUsers.Where(u => u.OrgUnitId == grid.Id && !u.IsDisabled && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == role))
            .OrderBy(u => u.UserName).Select(u => new LinkableAccount(u.Id, u.UserName!, u.DisplayName)).ToListAsync(ct);
    }

    static string Since(ShiliuDb db) => DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow)).AddDays(-CoverageDays).ToString("yyyy-MM-dd");

    sealed record Figures(int Residents, int Households, int Visited);

    /// <summary>Registered residents, households and households visited lately, per unit path under <paramref name="path"/> (from the tallies).</summary>
    static async Task<Dictionary<string, Figures>> FiguresAsync(ShiliuDb db, string path, CancellationToken ct)
    {
        var since = Since(db);
        return await db.ResidentTallies.AsNoTracking().Under(t => t.OrgPath, path)
            .GroupBy(t => t.OrgPath)
            .Select(g => new
            {
                Path = g.Key,
                Residents = g.Sum(t => t.Kind == TallyKind.EthnicityType ? t.Count : 0),
                Households = g.Sum(t => t.Kind == TallyKind.HouseholdLastVisit ? t.Count : 0),
                Visited = g.Sum(t => t.Kind == TallyKind.HouseholdLastVisit && t.Key != "" && string.Compare(t.Key, since) >= 0 ? t.Count : 0),
            }).ToDictionaryAsync(x => x.Path, x => new Figures(x.Residents, x.Households, x.Visited), ct);
    }

    static async Task<List<GridRow>> RowsAsync(ShiliuDb db, List<OrgUnit> grids, Dictionary<string, Figures> figures, CancellationToken ct)
    {
        var ids = grids.Select(g => g.Id).ToList();
        var infos = await db.GridInfos.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var members = (await db.GridMembers.AsNoTracking().Where(m => ids.Contains(m.GridId)).OrderBy(m => m.SortOrder).ToListAsync(ct))
            .ToLookup(m => m.GridId);
        var userIds = members.SelectMany(m => m).Where(m => m.UserId != null).Select(m => m.UserId!.Value).Distinct().ToList();
        var users = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct);
        return grids.Select(g =>
        {
            var info = infos.GetValueOrDefault(g.Id);
            var f = figures.GetValueOrDefault(g.Path);
            return new GridRow(g.Id, g.Name, g.Code, info?.Bounds, info?.Covers, info?.Notes, info?.Version ?? 0,
                members[g.Id].Select(m => new GridMemberRow(m.Id, m.Name, m.Role, m.Phone, m.UserId,
                    m.UserId is { } u ? users.GetValueOrDefault(u) : null, m.Version)).ToList(),
                f?.Residents ?? 0, f?.Households ?? 0, f?.Visited ?? 0);
        }).ToList();
    }
}
