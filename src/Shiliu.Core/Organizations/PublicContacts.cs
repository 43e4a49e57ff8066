using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.Organizations;

/// <summary>服务窗口与热线 on the public home page: each county and township office that has entered its public contact.</summary>
sealed class PublicContacts : IPublicHomeSource
{
    public async Task<PublicSection?> SectionAsync(ShiliuDb db, CancellationToken ct)
    {
        // Public by nature (what a unit chose to publish); read across the scope filter, which an anonymous caller has none of.
        var units = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking()
            .Where(o => !o.IsDisabled && o.Level <= OrgLevel.Community && (o.PublicPhone != null || o.PublicAddress != null))
            .OrderBy(o => o.Level).ThenBy(o => o.Code).Take(200)
            .Select(o => new { o.Name, o.PublicPhone, o.PublicAddress, o.OfficeHours, o.IsDemo }).ToListAsync(ct);
        if (units.Count == 0) return null;
        return new PublicSection("服务窗口与热线", 20, units.Select(u => new PublicEntry(u.Name + (u.IsDemo ? "（演示）" : ""), new[]
        {
            u.PublicPhone is null ? null : $"电话：{u.PublicPhone}",
            u.PublicAddress is null ? null : $"地址：{u.PublicAddress}",
            u.OfficeHours is null ? null : $"办公时间：{u.OfficeHours}",
        }.OfType<string>().ToList())).ToList(), "有事可以打电话或到窗口办理；涉及民族语言的，可以请工作人员安排翻译。");
    }
}
