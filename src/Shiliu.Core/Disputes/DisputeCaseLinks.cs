using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Disputes;

/// <summary>Lets other modules (joint meetings' agenda items) name a dispute: searched and found through the need-to-know queryable.</summary>
sealed class DisputeCaseKind : ICaseKind
{
    public const string Key = "dispute";

    public string Kind => Key;
    public string Name => "矛盾纠纷";

    public async Task<IReadOnlyList<CaseRef>> SearchAsync(ShiliuDb db, string? text, int take, CancellationToken ct)
    {
        if (!db.Caller.Can(DisputePermissions.View)) return [];
        var rows = await (await DisputeService.FilterAsync(db, new DisputeQuery { Text = text }, ct)).OrderByDescending(d => d.RegisteredUtc).Take(Math.Clamp(take, 1, 50)).Select(d => new { d.Id, d.Number, d.Title }).ToListAsync(ct);
        return rows.Select(d => Ref(d.Id, d.Number, d.Title)).ToList();
    }

    public async Task<CaseRef?> FindAsync(ShiliuDb db, Guid id, CancellationToken ct)
    {
        if (!db.Caller.Can(DisputePermissions.View)) return null;
        var d = await DisputeAccess.Visible(db).AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Id, x.Number, x.Title }).FirstOrDefaultAsync(ct);
        return d is null ? null : Ref(d.Id, d.Number, d.Title);
    }

    internal static CaseRef Ref(Guid id, string number, string title) => new(Key, id, number, title, $"/disputes/{id}");
}

/// <summary>诉求转为矛盾纠纷: opens a case in the caller's unit of work from another module's record, keeping where it came from.</summary>
sealed class DisputeIntake(DisputeService disputes) : ICaseIntakeTarget
{
    public string Kind => DisputeCaseKind.Key;
    public string Verb => "转为矛盾纠纷";
    public string Permission => DisputePermissions.Handle;

    public async Task<CaseRef> OpenFromAsync(ShiliuDb db, CaseIntake intake, CancellationToken ct)
    {
        // "其他" until the handler classifies it; blue (the lowest) until assessed. The person becomes the applicant.
        var other = await db.DictionaryItems.Where(x => x.Kind == DisputeDictionaries.Category && x.Name == "其他").Select(x => x.Code).FirstOrDefaultAsync(ct)
                    ?? await db.DictionaryItems.Where(x => x.Kind == DisputeDictionaries.Category).OrderBy(x => x.SortOrder).Select(x => x.Code).FirstAsync(ct);
        var title = intake.Title.Trim();
        var req = new SaveDispute
        {
            OrgUnitId = intake.OrgUnitId, Title = title.Length > 100 ? title[..100] : title, Summary = intake.Text.Length > 2000 ? intake.Text[..2000] : intake.Text,
            CategoryCode = other, Tier = DisputeTier.Simple, Colour = RiskColour.Blue, Source = DisputeSource.Appeal, Place = intake.Place is { Length: > 100 } p ? p[..100] : intake.Place,
        };
        if (!string.IsNullOrWhiteSpace(intake.PersonName)) req.Parties.Add(new SaveParty { Name = intake.PersonName, Phone = intake.Phone });
        var d = await disputes.AddAsync(db, req, intake.Source, ct);
        return DisputeCaseKind.Ref(d.Id, d.Number, d.Title);
    }
}
