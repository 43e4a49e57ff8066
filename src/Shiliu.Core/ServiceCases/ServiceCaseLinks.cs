using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.ServiceCases;

/// <summary>服务事项 as other modules link to it: "服务事项 FW2026-000123 协助办理子女转学".</summary>
sealed class ServiceCaseKind : ICaseKind
{
    public const string Key = "service-case";
    public string Kind => Key;
    public string Name => "服务事项";

    internal static CaseRef Ref(ServiceCase c) => new(Key, c.Id, c.Number, c.Title, $"/service-cases/{c.Id}");

    public async Task<IReadOnlyList<CaseRef>> SearchAsync(ShiliuDb db, string? text, int take, CancellationToken ct)
    {
        if (!db.Caller.Can(ServiceCasePermissions.View)) return [];
        var q = db.ServiceCases.AsNoTracking();
        if (Validation.Filter(text, "查找内容", 60) is { } t) q = q.Where(c => c.Number.Contains(t) || c.Title.Contains(t));
        var rows = await q.OrderByDescending(c => c.AcceptedUtc).Take(Math.Clamp(take, 1, 50)).ToListAsync(ct);
        return rows.Select(Ref).ToList();
    }

    public async Task<CaseRef?> FindAsync(ShiliuDb db, Guid id, CancellationToken ct)
    {
        if (!db.Caller.Can(ServiceCasePermissions.View)) return null;
        var c = await db.ServiceCases.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        return c is null ? null : Ref(c);
    }
}

/// <summary>
/// 转为服务事项: another module's record (an appeal) becomes a service case of the unit it names, in the caller's unit of
/// work; the type is the one whose name the text mentions, else 其他; the source is kept on the case.
/// </summary>
sealed class ServiceCaseIntake(ServiceCaseService cases) : ICaseIntakeTarget
{
    public string Kind => ServiceCaseKind.Key;
    public string Verb => "转为服务事项";
    public string Permission => ServiceCasePermissions.Manage;

    public async Task<CaseRef> OpenFromAsync(ShiliuDb db, CaseIntake intake, CancellationToken ct)
    {
        db.Caller.Require(ServiceCasePermissions.Manage, ServiceCaseErrors.Denied, "受理服务事项");
        var types = await db.ServiceTypes.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.SortOrder).ToListAsync(ct);
        var type = types.FirstOrDefault(t => t.Name != "其他" && (intake.Title.Contains(t.Name) || intake.Text.Contains(t.Name)))
                   ?? types.FirstOrDefault(t => t.Name == "其他") ?? types.FirstOrDefault()
                   ?? throw new RuleViolation(ServiceCaseErrors.Invalid, "尚未设置服务事项类型，请县领导小组办公室先设置");
        var title = intake.Title.Trim();
        var text = intake.Text.Trim();
        var req = new CreateServiceCase
        {
            TypeId = type.Id, Source = intake.Source.Kind == "appeal" ? ServiceSource.Appeal : ServiceSource.OtherUnit,
            PersonName = intake.PersonName is { Length: > 50 } n ? n[..50] : intake.PersonName, Phone = intake.Phone,
            Title = title.Length > 60 ? title[..60] : title,
            Request = (intake.Place is { Length: > 0 } place ? $"{text}\n地点：{place}" : text) is var r && r.Length > 2000 ? r[..2000] : r,
        };
        Validation.Check(req);
        var c = await cases.OpenAsync(db, req, intake.OrgUnitId, ct, intake.Source);
        return ServiceCaseKind.Ref(c);
    }
}
