using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Residents;

/// <summary>
/// The demo county's minority population archive: in every demo community, households of Xinping's peoples (彝、傣、哈尼、
/// 拉祜、白、回、苗 in roughly the county's proportions) with valid, checksummed ID numbers of the demo area code 530427
/// (fictitious people), some floating and unit residents, and a year of grid visits. Deterministic per community.
/// </summary>
static class ResidentDemo
{
    const int HouseholdsPerCommunity = 6;

    // GB/T 3304 codes with weights close to Xinping's minority population.
    static readonly (string Code, int Weight, string[] Surnames, string[] Given)[] Peoples =
    [
        ("07", 50, ["普", "李", "者", "罗", "杨", "白", "施"], ["文华", "玉兰", "正学", "秀英", "国荣", "春梅", "志明", "丽芬"]),
        ("18", 20, ["刀", "陶", "白", "岩", "玉"], ["罕", "应香", "光明", "金凤", "叫", "香"]),
        ("16", 14, ["李", "白", "马", "陈"], ["阿三", "批然", "秀珍", "福生"]),
        ("24", 6, ["李", "扎", "娜"], ["扎戈", "娜努", "老三"]),
        ("14", 4, ["杨", "段", "赵"], ["丽华", "建国", "秀兰"]),
        ("03", 3, ["马", "纳", "沙"], ["成林", "玉珍", "志强"]),
        ("06", 3, ["熊", "王", "杨"], ["正清", "美英", "光华"]),
    ];

    static readonly string[] Origins = ["云南省红河州元阳县", "云南省普洱市墨江县", "云南省楚雄州双柏县", "四川省凉山州昭觉县"];

    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var communities = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Community).OrderBy(o => o.Code).ToListAsync(ct);
        // The benchmark-size residents of seed-demo --size are their own set: they do not stand for these households.
        var ids = communities.Select(c => c.Id).ToList();
        if (communities.Count == 0 || await db.Residents.AnyAsync(r => ids.Contains(r.CommunityId)
                && (r.HouseholdNo == null || !r.HouseholdNo.StartsWith(DemoPopulation.BulkPrefix)), ct)) return;
        var pii = seed.Services.GetRequiredService<PersonalData>();
        var bulk = await db.Residents.AnyAsync(r => ids.Contains(r.CommunityId) && r.HouseholdNo!.StartsWith(DemoPopulation.BulkPrefix), ct);
        var grids = (await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Grid).Select(o => new { o.Id, o.ParentId, o.Code }).ToListAsync(ct))
            .ToLookup(g => g.ParentId!.Value);
        var residents = seed.Services.GetRequiredService<ResidentService>();
        var visits = seed.Services.GetRequiredService<VisitService>();
        var gridService = seed.Services.GetRequiredService<GridService>();
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var seq = 0;
        int people = 0, visitCount = 0, staff = 0;
        foreach (var community in communities)
        {
            var rng = DemoRandom.For(community.Code);
            var own = grids[community.Id].OrderBy(g => g.Code).ToList();
            // Each grid's notice board: a 网格长 and a 专职网格员, the latter linked to a grid worker's sign-in where the
            // grid has one (the demo "grid" account). A random source of its own leaves the households as they were.
            var staffRng = DemoRandom.For(community.Code + "-staff");
            foreach (var g in own)
            {
                var account = (await gridService.AccountsAsync(g.Id, ct)).FirstOrDefault();
                await gridService.SaveMembersAsync(g.Id, new SaveGridMembers
                {
                    Members =
                    [
                        new() { Name = Name(staffRng, Pick(staffRng)), Role = GridRole.Leader, Phone = DemoPhone(++staff) },
                        new() { Name = Name(staffRng, Pick(staffRng)), Role = GridRole.FullTime, Phone = DemoPhone(++staff), UserId = account?.Id },
                    ],
                }, ct);
            }
            for (var h = 1; h <= HouseholdsPerCommunity; h++)
            {
                var people0 = Pick(rng);
                var grid = own.Count > 0 ? own[(h - 1) % own.Count].Id : community.Id;
                var type = h == HouseholdsPerCommunity ? ResidenceType.Floating : h == HouseholdsPerCommunity - 1 && rng.Next(2) == 0 ? ResidenceType.UnitEmployee : ResidenceType.Permanent;
                var household = $"{community.Code[6..]}-H{h:00}";
                var size = type == ResidenceType.Permanent ? rng.Next(1, 5) : 1;
                Guid? head = null;
                string? headSurname = null;
                for (var m = 0; m < size; m++)
                {
                    // The household mostly shares the head's people; a mixed marriage now and then.
                    var p = m == 1 && rng.Next(4) == 0 ? Pick(rng) : people0;
                    var male = m switch { 0 => rng.Next(3) > 0, 1 => false, _ => rng.Next(2) == 0 };
                    // Children take the head's surname; a spouse keeps her own.
                    var name = m < 2 ? Name(rng, p) : Name(rng, p, headSurname);
                    if (m == 0) headSurname = name[..1];
                    var birth = m < 2 ? today.AddYears(-rng.Next(28, 70)).AddDays(-rng.Next(365)) : today.AddYears(-rng.Next(3, 22)).AddDays(-rng.Next(365));
                    // One person, one record: a number the benchmark-size set already holds is passed over (asked only when there is one).
                    string number;
                    do number = IdOf(birth, ++seq, male);
                    while (bulk && await db.Residents.AnyAsync(r => r.IdNumberHash == pii.Hash(number), ct));
                    var id = await residents.CreateAsync(new SaveResident
                    {
                        OrgUnitId = grid, Name = name,
                        Gender = male ? Gender.Male : Gender.Female, EthnicityCode = p.Code, IdNumber = number,
                        HouseholdNo = household, RelationToHead = m switch { 0 => "户主", 1 => "配偶", _ => "子女" },
                        Address = $"{community.Name}{h}号（演示地址，虚构）", ResidenceType = type,
                        OriginPlace = type == ResidenceType.Floating ? Origins[rng.Next(Origins.Length)] : null,
                        ArrivalDate = type == ResidenceType.Floating ? today.AddDays(-rng.Next(20, 330)) : null,
                        ExpectedStay = type == ResidenceType.Floating ? "一年以上" : null,
                        Employer = type == ResidenceType.UnitEmployee ? "新平县第一中学（演示）" : null,
                    }, ct);
                    head ??= id;
                    people++;
                }
                // Seven households in ten were visited in the year, some more than once.
                if (rng.Next(10) < 7)
                {
                    for (var v = rng.Next(1, 4); v > 0; v--)
                    {
                        var kind = rng.Next(10) switch { 0 => VisitKind.Condolence, 1 => VisitKind.MustVisit, _ => VisitKind.Routine };
                        await visits.CreateAsync(new SaveVisit
                        {
                            ResidentId = head!.Value, VisitDate = today.AddDays(-rng.Next(1, 360)), Kind = kind, Visitor = "网格员（演示）",
                            Findings = kind == VisitKind.Condolence ? "走访慰问，送去米、油，了解生活困难" : "家中正常，了解就业和子女入学情况，无困难诉求",
                        }, ct);
                        visitCount++;
                    }
                }
            }
        }
        // In each community a seasonal worker who came in the last twelve months and has moved on, so the dashboard's 流入 and 流动人口迁出
        // have someone behind them. After the households and from random sources of their own: those stay as they were.
        var leavers = 0;
        foreach (var community in communities)
        {
            var rng = DemoRandom.For(community.Code + "-left");
            var who = Pick(rng);
            var own = grids[community.Id].OrderBy(g => g.Code).ToList();
            var birth = today.AddYears(-rng.Next(20, 45)).AddDays(-rng.Next(365));
            var arrived = today.AddDays(-rng.Next(150, 300));
            string number;
            do number = IdOf(birth, ++seq, true);
            while (bulk && await db.Residents.AnyAsync(r => r.IdNumberHash == pii.Hash(number), ct));
            await residents.CreateAsync(new SaveResident
            {
                OrgUnitId = own.Count > 0 ? own[^1].Id : community.Id, Name = Name(rng, who), Gender = Gender.Male, EthnicityCode = who.Code, IdNumber = number,
                HouseholdNo = $"{community.Code[6..]}-H{HouseholdsPerCommunity + 1:00}", RelationToHead = "户主",
                Address = $"{community.Name}务工人员宿舍（演示地址，虚构）", ResidenceType = ResidenceType.Floating,
                OriginPlace = Origins[rng.Next(Origins.Length)], ArrivalDate = arrived, ExpectedStay = "半年以内", ArrivalReason = "季节性务工（演示）",
                Status = ResidentStatus.MovedOut, StatusDate = arrived.AddDays(rng.Next(60, 140)),
            }, ct);
            leavers++;
        }
        seed.Report.Add($"已为演示社区登记 {people + leavers} 名演示居民（{communities.Count * HouseholdsPerCommunity} 户在册，另有 {leavers} 名流动人员已迁出；身份证号为虚构的有效号码）、{visitCount} 次入户走访和 {staff} 名网格工作人员");
    }

    /// <summary>A landline of the county's area code that no exchange can have (local numbers never begin with 0).</summary>
    static string DemoPhone(int n) => $"0877-0{n:000000}";

    static (string Code, int Weight, string[] Surnames, string[] Given) Pick(Random rng)
    {
        var n = rng.Next(Peoples.Sum(p => p.Weight));
        foreach (var p in Peoples)
        {
            if (n < p.Weight) return p;
            n -= p.Weight;
        }
        return Peoples[0];
    }

    static string Name(Random rng, (string Code, int Weight, string[] Surnames, string[] Given) p, string? surname = null) =>
        (surname ?? p.Surnames[rng.Next(p.Surnames.Length)]) + p.Given[rng.Next(p.Given.Length)];

    /// <summary>A checksummed ID number of the demo area code; the order code's parity gives the sex, as on a real card.</summary>
    static string IdOf(DateOnly birth, int seq, bool male)
    {
        var order = seq % 499 * 2 + (male ? 1 : 2);
        var body = $"530427{birth:yyyyMMdd}{order % 1000:000}";
        return body + IdNumber.CheckChar(body);
    }
}
