using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.ServiceCases;

/// <summary>办事指南 on the public home: each unit that published one, its services named, with its windows and hotlines.</summary>
sealed class PublicServiceGuide : IPublicHomeSource
{
    public async Task<PublicSection?> SectionAsync(ShiliuDb db, CancellationToken ct)
    {
        var guides = await ServiceGuideService.PublicAsync(db, ct);
        if (guides.Count == 0) return null;
        return new PublicSection("办事指南", 30, guides.Take(50).Select(g => new PublicEntry(g.UnitName,
            [
                .. g.Entries.Count > 0 ? [$"可办：{string.Join("、", g.Entries.Take(8).Select(e => e.Name))}{(g.Entries.Count > 8 ? " 等" : "")}"] : Array.Empty<string>(),
                .. g.Windows.Where(w => w.Phone is not null).Take(3).Select(w => $"电话：{w.Phone}"),
            ], $"/public/guide#u-{g.OrgUnitId:N}")).ToList(), "要带什么材料、到哪里办、什么时间办，点单位名称查看。");
    }
}
