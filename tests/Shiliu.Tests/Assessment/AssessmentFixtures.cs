using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Assessment;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Assessment;

static class AssessmentFixtures
{
    public const string Chengzhong = "530427001001"; // 城中社区, user community
    public const string Zhongxin = "530427101001";   // 中心村, user community2

    public static AssessmentService A(IServiceProvider sp) => sp.GetRequiredService<AssessmentService>();

    /// <summary>The first <paramref name="n"/> demo communities by code, spread over the townships.</summary>
    public static async Task<List<OrgUnit>> CommunitiesAsync(ShiliuApp app, int n)
    {
        await using var db = await app.SystemDbAsync();
        return await db.OrgUnits.AsNoTracking().Where(o => o.Level == OrgLevel.Community).OrderBy(o => o.Code).Take(n).ToListAsync();
    }

    public static SaveRound Round(string name, IEnumerable<Guid> units) => new()
    {
        Name = name, PeriodFrom = new DateOnly(2026, 1, 1), PeriodTo = new DateOnly(2026, 12, 31), UnitIds = units.ToList(),
    };

    /// <summary>A round over 城中社区, 中心村 and two more communities of other townships, opened (自检自查).</summary>
    public static async Task<(Guid Id, List<OrgUnit> Units)> OpenRoundAsync(ShiliuApp app, string name = "2026年12月综合考核")
    {
        await using var db = await app.SystemDbAsync();
        var codes = new[] { Chengzhong, Zhongxin, "530427002001", "530427102001" };
        var units = await db.OrgUnits.AsNoTracking().Where(o => codes.Contains(o.Code)).OrderBy(o => o.Code).ToListAsync();
        var id = await app.AsAsync("county", sp => A(sp).CreateAsync(Round(name, units.Select(u => u.Id))));
        await app.AsAsync("county", async sp => await A(sp).OpenAsync(id, (await A(sp).GetAsync(id)).Version));
        return (id, units);
    }

    public static async Task<int> VersionAsync(ShiliuApp app, Guid id) => await app.AsAsync("county", async sp => (await A(sp).GetAsync(id)).Version);

    /// <summary>Full marks on every criterion but the first, which loses one point with its reason.</summary>
    public static SaveSheet Scores(SheetView sheet, decimal firstLoses = 1m) => new()
    {
        Version = sheet.Version, Feedback = "总体较好",
        Lines = sheet.Lines.Select((l, i) => new SaveLine
        {
            CriterionNo = l.CriterionNo, Score = i == 0 ? l.Points - firstLoses : l.Points, DeductionReason = i == 0 && firstLoses > 0 ? "会议记录不全" : null,
        }).ToList(),
    };
}
