using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Dashboards;
using Shiliu.Core.Data;
using Shiliu.Core.Platform;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Tokens;

namespace Shiliu.Core.Screens;

public static class ScreenPermissions
{
    public const string Manage = "perm.screen.manage";
}

public static class ScreenErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("screen.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("screen.invalid");
    public static readonly ErrorCode TooMany = ErrorCode.Invalid("screen.too_many");
}

public sealed record ScreenRow(Guid Id, string Name, Guid OrgUnitId, string UnitName, string KeyPrefix, DateTime CreatedUtc, string CreatedBy,
    DateTime? LastSeenUtc, DateTime? RevokedUtc, string? RevokedBy, string? RevokeReason, int Version)
{
    /// <summary>Fetched its figures in the last five minutes: it is on (a screen refreshes every minute or faster).</summary>
    public bool Online(DateTime nowUtc) => RevokedUtc is null && LastSeenUtc is { } seen && nowUtc - seen < TimeSpan.FromMinutes(5);
}

public sealed class IssueScreen
{
    [Required(ErrorMessage = "请填写大屏名称"), StringLength(40, ErrorMessage = "大屏名称不能超过40个字")]
    public string Name { get; set; } = "";

    /// <summary>The unit whose subtree the screen shows; the caller's own unit when left out.</summary>
    public Guid? OrgUnitId { get; set; }
}

public sealed class RevokeScreen
{
    [Required(ErrorMessage = "请填写停用原因"), StringLength(200, ErrorMessage = "停用原因不能超过200个字")]
    public string Reason { get; set; } = "";

    public int Version { get; set; }
}

/// <summary>What a wall screen shows: the unit, the server's time (the screen's clock and "today"), and the dashboard's panels without links.</summary>
public sealed record ScreenFigures(string ScreenName, string UnitName, OrgLevel Level, DateTime ServerUtc, DateOnly Today, DateOnly From, DateOnly To,
    IReadOnlyList<DashboardPanel> Panels);

/// <summary>
/// 大屏: the meeting-room screen. A signed-in leader opens it as themself; a wall display without an account opens it with
/// a key the county office issued for that one screen: read-only (it can only fetch these figures), scoped to the unit
/// chosen at issue, revocable, and counts only (the dashboard's panels carry no person). The figures are the dashboard's,
/// read in one call per refresh.
/// </summary>
public sealed class ScreenService(IDbContextFactory<ShiliuDb> dbs, IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string Scheme = "shs_";
    const int MaxActive = 30;

    public async Task<IReadOnlyList<ScreenRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ScreenPermissions.Manage, ScreenErrors.Denied, "管理大屏");
        var rows = await db.DisplayScreens.AsNoTracking().OrderBy(s => s.RevokedUtc != null).ThenByDescending(s => s.CreatedUtc).Take(200).ToListAsync(ct);
        var names = await db.UnitNamesAsync(rows.Select(r => r.OrgUnitId), ct);
        var people = await db.DisplayNamesAsync(rows.SelectMany(r => new[] { r.CreatedBy, r.RevokedBy }), ct);
        return rows.Select(r => new ScreenRow(r.Id, r.Name, r.OrgUnitId, names.GetValueOrDefault(r.OrgUnitId, "（单位已删除）"), r.KeyPrefix, r.CreatedUtc,
            people.GetValueOrDefault(r.CreatedBy, r.CreatedBy), r.LastSeenUtc, r.RevokedUtc, r.RevokedBy is null ? null : people.GetValueOrDefault(r.RevokedBy, r.RevokedBy),
            r.RevokeReason, r.Version)).ToList();
    }

    /// <summary>Sets up a screen and returns its key, shown this once (the link the office opens on the screen's browser).</summary>
    public async Task<(Guid Id, string Key)> IssueAsync(IssueScreen req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.Name, "大屏名称");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ScreenPermissions.Manage, ScreenErrors.Denied, "设置大屏");
        var unit = await db.FocusUnitAsync(req.OrgUnitId, ct);
        if (unit.Level == OrgLevel.Grid)
            throw RuleViolation.ForField(ScreenErrors.Invalid, "orgUnitId", "大屏按县、乡镇（街道）或社区（村）显示，请选择网格所属的社区");
        if (await db.DisplayScreens.CountAsync(s => s.RevokedUtc == null, ct) >= MaxActive)
            throw new RuleViolation(ScreenErrors.TooMany, $"在用的大屏最多{MaxActive}块，请先停用不用的大屏");
        if (await db.DisplayScreens.AnyAsync(s => s.RevokedUtc == null && s.Name == name, ct))
            throw RuleViolation.ForField(ScreenErrors.Invalid, "name", $"已有名为“{name}”的大屏，请换一个名称（如加上房间号）");
        var key = TokenText.New(Scheme);
        var screen = new DisplayScreen
        {
            Name = name, OrgUnitId = unit.Id, OrgPath = unit.Path, KeyPrefix = key[..10], KeyHash = TokenText.Hash(key),
            CreatedUtc = db.UtcNow, CreatedBy = db.Caller.UserName,
        };
        db.DisplayScreens.Add(screen);
        await db.SaveChangesAsync(ct);
        return (screen.Id, key);
    }

    /// <summary>Stops a screen: its next refresh finds the key refused and the screen blanks itself.</summary>
    public async Task RevokeAsync(Guid id, RevokeScreen req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var reason = Validation.CleanText(req.Reason, "停用原因");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ScreenPermissions.Manage, ScreenErrors.Denied, "停用大屏");
        var screen = await db.DisplayScreens.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundInScope("大屏");
        if (screen.RevokedUtc is not null) throw new RuleViolation(ScreenErrors.Invalid, $"大屏“{screen.Name}”已于{ChinaTime.Format(screen.RevokedUtc.Value)}停用");
        screen.Version = req.Version;
        (screen.RevokedUtc, screen.RevokedBy, screen.RevokeReason) = (db.UtcNow, db.Caller.UserName, reason);
        await db.SaveOrConflictAsync(screen, ct);
    }

    /// <summary>
    /// The screen a key opens, or null (unknown or stopped). Audited as the screen's sign-in, with the address it came from.
    /// </summary>
    public async Task<Guid?> OpenAsync(string key, string? ip, CancellationToken ct = default)
    {
        var found = await FindAsync(key, ct);
        if (found is null) return null;
        await AsSystemAsync(async db =>
        {
            db.Audit(AuditEvents.SignIn, $"大屏“{found.Name}”打开（{found.KeyPrefix}…，来自 {ip ?? "未知地址"}）", nameof(DisplayScreen), found.Id.ToString(), found.OrgPath,
                userName: $"大屏：{found.Name}");
            return await db.SaveChangesAsync(ct);
        }, ct);
        return found.Id;
    }

    /// <summary>The figures for a screen opened with a key, or null when the key is unknown or stopped (the screen blanks).</summary>
    public async Task<ScreenFigures?> FiguresForKeyAsync(string key, string? ip, CancellationToken ct = default)
    {
        var found = await FindAsync(key, ct);
        if (found is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (found.LastSeenUtc is not { } seen || now - seen > TimeSpan.FromMinutes(1))
            await AsSystemAsync(db => db.DisplayScreens.Where(s => s.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenUtc, now), ct), ct);
        // The screen reads the dashboard as a leader of its unit would (the least of the roles that see it whole), and nothing
        // else: the caller lives only in this scope and reaches one read-only service whose panels hold counts, never a person.
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<ICallerAccessor>() is not ISystemCallerSwitch s)
            throw new InvalidOperationException("display screens need the web host's caller accessor");
        s.UseCaller(new Caller(null, $"大屏：{found.Name}", found.OrgPath, new HashSet<string> { Roles.Leader }, ip));
        var view = await scope.ServiceProvider.GetRequiredService<DashboardService>().ReadAsync(new DashboardRequest { Unit = found.OrgUnitId }, ct);
        return Figures(found.Name, view);
    }

    /// <summary>The figures for a signed-in caller who may read the dashboard, for their unit or one in their scope.</summary>
    public async Task<ScreenFigures> FiguresForCallerAsync(Guid? unit, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<DashboardService>().ReadAsync(new DashboardRequest { Unit = unit }, ct);
        return Figures(view.UnitName, view);
    }

    // Links lead to staff pages a wall screen cannot open: the screen gets the figures alone.
    ScreenFigures Figures(string name, DashboardView v) => new(name, v.UnitName, v.Level, clock.GetUtcNow().UtcDateTime, v.Today, v.From, v.To,
        v.Panels.Select(p => p with
        {
            Figures = p.Figures.Select(f => f with { Link = null }).ToList(),
            Chart = p.Chart is { } c ? Fold(c with { Series = c.Series.Select(x => x with { Links = null }).ToList() }) : null,
            Matrix = p.Matrix is { } m ? m with { Rows = m.Rows.Select(r => r with { Link = null }).ToList() } : null,
        }).ToList());

    /// <summary>A wall is public: categories under the chart's threshold become one "其他（各不足N人）" bar.</summary>
    static DashboardChart Fold(DashboardChart c)
    {
        if (c.FoldBelow is not { } n) return c;
        var small = Enumerable.Range(0, c.Categories.Count).Where(i => c.Series.Sum(s => s.Values[i]) < n).ToHashSet();
        if (small.Count == 0) return c;
        var kept = Enumerable.Range(0, c.Categories.Count).Where(i => !small.Contains(i)).ToList();
        return c with
        {
            Categories = [.. kept.Select(i => c.Categories[i]), $"其他（各不足{n}人）"],
            Series = c.Series.Select(s => s with { Values = [.. kept.Select(i => s.Values[i]), small.Sum(i => s.Values[i])] }).ToList(),
        };
    }

    async Task<DisplayScreen?> FindAsync(string key, CancellationToken ct)
    {
        if (!key.StartsWith(Scheme, StringComparison.Ordinal) || key.Length > 100) return null;
        var hash = TokenText.Hash(key);
        return await AsSystemAsync(db => db.DisplayScreens.AsNoTracking().SingleOrDefaultAsync(s => s.KeyHash == hash && s.RevokedUtc == null, ct), ct);
    }

    // A screen has no account: finding its key and writing its audit rows run as the system, in a scope of their own.
    Task<T> AsSystemAsync<T>(Func<ShiliuDb, Task<T>> work, CancellationToken ct) => scopes.AsSystemAsync("大屏", (db, _) => work(db), ct);
}
