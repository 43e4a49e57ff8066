using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.ServiceCases;

/// <summary>The county office's list of service types: name, time limit, 回访 or not, active, order.</summary>
public sealed class ServiceTypeService(IDbContextFactory<ShiliuDb> dbs)
{
    public async Task<IReadOnlyList<ServiceTypeRow>> ListAsync(bool activeOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.RequireAny(ServiceCaseErrors.Denied, "查看服务事项类型", ServiceCasePermissions.View, ServiceCasePermissions.Types);
        var q = db.ServiceTypes.AsNoTracking();
        if (activeOnly) q = q.Where(t => t.IsActive);
        return await q.OrderBy(t => t.SortOrder).ThenBy(t => t.Name)
            .Select(t => new ServiceTypeRow(t.Id, t.Name, t.TimeLimitDays, t.NeedsRevisit, t.LegalAid, t.IsActive, t.SortOrder, t.Version)).ToListAsync(ct);
    }

    /// <summary>Creates (id null) or edits a type. Open cases keep the limit they were opened with.</summary>
    public async Task<Guid> SaveAsync(Guid? id, SaveServiceType req, CancellationToken ct = default)
    {
        Validation.Check(req);
        var name = Validation.CleanText(req.Name, "事项类型名称");
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ServiceCasePermissions.Types, ServiceCaseErrors.Denied, "维护服务事项类型");
        if (await db.ServiceTypes.AnyAsync(t => t.Name == name && t.Id != id, ct))
            throw RuleViolation.ForField(ServiceCaseErrors.Duplicate, "name", $"已有名为“{name}”的事项类型");
        ServiceType t;
        if (id is { } existing)
        {
            t = await db.ServiceTypes.SingleOrDefaultAsync(x => x.Id == existing, ct) ?? throw new NotFoundInScope("服务事项类型");
            db.Entry(t).Property(x => x.Version).OriginalValue = req.Version;
        }
        else db.ServiceTypes.Add(t = new ServiceType());
        (t.Name, t.TimeLimitDays, t.NeedsRevisit, t.LegalAid, t.IsActive, t.SortOrder) = (name, req.TimeLimitDays, req.NeedsRevisit, req.LegalAid, req.IsActive, req.SortOrder);
        await db.SaveOrConflictAsync(t, ct);
        return t.Id;
    }
}
