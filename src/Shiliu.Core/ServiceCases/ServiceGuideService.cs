using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.ServiceCases;

/// <summary>办事指南 and the service windows and hotlines of each unit: kept by its staff, read by residents on the public page.</summary>
public sealed class ServiceGuideService(IDbContextFactory<ShiliuDb> dbs)
{
    /// <summary>The guides of the units in the caller's scope, for staff to edit.</summary>
    public async Task<IReadOnlyList<UnitGuide>> InScopeAsync(Guid? orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.RequireAny(ServiceCaseErrors.Denied, "查看办事指南", ServiceCasePermissions.Guide, ServiceCasePermissions.View);
        var entries = db.GuideEntries.AsNoTracking();
        var windows = db.ServiceWindows.AsNoTracking();
        if (orgUnitId is { } u)
        {
            (entries, windows) = (entries.Where(e => e.OrgUnitId == u), windows.Where(w => w.OrgUnitId == u));
        }
        return await GroupAsync(db, await entries.ToListAsync(ct), await windows.ToListAsync(ct), ct);
    }

    /// <summary>Every unit's guide, for the public page: what units chose to publish, read across the scope (no people in it).</summary>
    public async Task<IReadOnlyList<UnitGuide>> PublicAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await PublicAsync(db, ct);
    }

    internal static async Task<IReadOnlyList<UnitGuide>> PublicAsync(ShiliuDb db, CancellationToken ct)
    {
        var live = db.OrgUnits.IgnoreQueryFilters().Where(o => !o.IsDisabled).Select(o => o.Id);
        // Capped, so ordered: the cut falls on the same rows every time, units high in the tree first.
        var entries = await db.GuideEntries.IgnoreQueryFilters().AsNoTracking().Where(e => live.Contains(e.OrgUnitId))
            .OrderBy(e => e.OrgPath).ThenBy(e => e.SortOrder).ThenBy(e => e.Id).Take(1000).ToListAsync(ct);
        var windows = await db.ServiceWindows.IgnoreQueryFilters().AsNoTracking().Where(w => live.Contains(w.OrgUnitId))
            .OrderBy(w => w.OrgPath).ThenBy(w => w.SortOrder).ThenBy(w => w.Id).Take(1000).ToListAsync(ct);
        return await GroupAsync(db, entries, windows, ct);
    }

    static async Task<IReadOnlyList<UnitGuide>> GroupAsync(ShiliuDb db, List<GuideEntry> entries, List<ServiceWindow> windows, CancellationToken ct)
    {
        var ids = entries.Select(e => e.OrgUnitId).Concat(windows.Select(w => w.OrgUnitId)).Distinct().ToList();
        var units = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => ids.Contains(o.Id)).OrderBy(o => o.Path)
            .Select(o => new { o.Id, o.Name, o.Path, o.IsDemo }).ToListAsync(ct);
        return units.Select(u => new UnitGuide(u.Id, u.Name + (u.IsDemo ? "（演示）" : ""),
            entries.Where(e => e.OrgUnitId == u.Id).OrderBy(e => e.SortOrder).ThenBy(e => e.Name)
                .Select(e => new GuideEntryRow(e.Id, e.OrgUnitId, u.Name, e.Name, e.Materials, e.Place, e.Hours, e.Phone, e.Steps, e.SortOrder, e.Version)).ToList(),
            windows.Where(w => w.OrgUnitId == u.Id).OrderBy(w => w.Kind).ThenBy(w => w.SortOrder)
                .Select(w => new ServiceWindowRow(w.Id, w.OrgUnitId, u.Name, w.Kind, w.Name, w.Place, w.Hours, w.Phone, w.SortOrder, w.Version)).ToList())).ToList();
    }

    public async Task<Guid> SaveEntryAsync(Guid? id, SaveGuideEntry req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.Guide, ServiceCaseErrors.Denied, "维护办事指南");
        var e = await EditableAsync(db, db.GuideEntries, id, req.Version, "办事指南", ct);
        var unit = await UnitAsync(db, req.OrgUnitId, ct);
        (e.OrgUnitId, e.OrgPath) = (unit.Id, unit.Path);
        e.Name = Validation.CleanText(req.Name, "事项名称");
        e.Materials = EvidenceService.CleanMultiline(req.Materials, "所需材料");
        e.Place = Validation.CleanText(req.Place, "办理地点");
        e.Hours = Validation.CleanText(req.Hours, "办理时间");
        e.Phone = Validation.CleanText(req.Phone, "联系电话");
        e.Steps = EvidenceService.CleanMultiline(req.Steps, "办理流程");
        e.SortOrder = req.SortOrder;
        await db.SaveOrConflictAsync(e, ct);
        return e.Id;
    }

    public async Task<Guid> SaveWindowAsync(Guid? id, SaveServiceWindow req, CancellationToken ct = default)
    {
        Validation.Check(req);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.Guide, ServiceCaseErrors.Denied, "维护服务窗口和热线");
        var w = await EditableAsync(db, db.ServiceWindows, id, req.Version, "服务窗口", ct);
        var unit = await UnitAsync(db, req.OrgUnitId, ct);
        if (string.IsNullOrWhiteSpace(req.Phone) && string.IsNullOrWhiteSpace(req.Place))
            throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "phone", "窗口请填写地点，热线请填写电话");
        (w.OrgUnitId, w.OrgPath, w.Kind, w.SortOrder) = (unit.Id, unit.Path, req.Kind, req.SortOrder);
        w.Name = Validation.CleanText(req.Name, "名称");
        w.Place = string.IsNullOrWhiteSpace(req.Place) ? null : Validation.CleanText(req.Place, "地点");
        w.Hours = string.IsNullOrWhiteSpace(req.Hours) ? null : Validation.CleanText(req.Hours, "服务时间");
        w.Phone = string.IsNullOrWhiteSpace(req.Phone) ? null : Validation.CleanText(req.Phone, "电话");
        await db.SaveOrConflictAsync(w, ct);
        return w.Id;
    }

    public Task DeleteEntryAsync(Guid id, CancellationToken ct = default) => DeleteAsync<GuideEntry>(id, "办事指南", ct);

    public Task DeleteWindowAsync(Guid id, CancellationToken ct = default) => DeleteAsync<ServiceWindow>(id, "服务窗口", ct);

    async Task DeleteAsync<T>(Guid id, string what, CancellationToken ct) where T : class, IOrgOwned
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.Guide, ServiceCaseErrors.Denied, $"删除{what}");
        var row = await db.Set<T>().FindAsync([id], ct);
        // FindAsync skips the scope filter for a row already tracked; nothing is tracked in a fresh context, and the save checks the scope too.
        if (row is null || !db.Caller.InScope(row.OrgPath)) throw new NotFoundInScope(what);
        db.Set<T>().Remove(row);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The row to edit (its version armed for the concurrency check), or a new one added to the context.</summary>
    static async Task<T> EditableAsync<T>(ShiliuDb db, DbSet<T> set, Guid? id, int version, string what, CancellationToken ct) where T : class, IVersioned, new()
    {
        if (id is null) return set.Add(new T()).Entity;
        var row = await set.FindAsync([id.Value], ct) ?? throw new NotFoundInScope(what);
        db.Entry(row).Property(nameof(IVersioned.Version)).OriginalValue = version;
        return row;
    }

    static async Task<OrgUnit> UnitAsync(ShiliuDb db, Guid orgUnitId, CancellationToken ct)
    {
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgUnitId && !o.IsDisabled, ct)
                   ?? throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "orgUnitId", "单位不存在或不在您的管辖范围内");
        if (unit.Level > OrgLevel.Community) throw RuleViolation.ForField(ServiceCaseErrors.Invalid, "orgUnitId", "办事指南由社区及以上单位发布，网格不单独发布");
        return unit;
    }
}
