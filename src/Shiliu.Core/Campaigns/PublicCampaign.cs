using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.Campaigns;

/// <summary>The campaign as residents may read it: its title, 文号, goals and the phases with their dates.</summary>
sealed class PublicCampaign : IPublicHomeSource
{
    public async Task<PublicSection?> SectionAsync(ShiliuDb db, CancellationToken ct)
    {
        var c = await db.Campaigns.IgnoreQueryFilters().AsNoTracking().Include(x => x.Phases).OrderByDescending(x => x.IssueDate).FirstOrDefaultAsync(ct);
        if (c is null) return null;
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var phases = c.Phases.OrderBy(p => p.No).Select(p => new PublicEntry(
            $"{p.Name}{(p.StartDate <= today && today <= p.EndDate ? "（进行中）" : "")}",
            [$"{p.StartDate:yyyy年M月d日}至{p.EndDate:yyyy年M月d日}"])).ToList();
        // Goals are kept as sanitised rich text; residents get them as plain sentences.
        var goals = RichText.ToPlainText(c.Goals ?? "").Trim();
        return new PublicSection($"{c.Title}", 10, phases,
            $"{c.IssuingOrg} {c.DocNumber}。{(goals.Length > 160 ? goals[..160] + "……" : goals)}");
    }
}
