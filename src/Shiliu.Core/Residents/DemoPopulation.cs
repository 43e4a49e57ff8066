using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Residents;

/// <summary>县级规模 ≈ 10^5 residents, 省级规模 ≈ 10^6: the demo county at a size for benchmarks and dashboards.</summary>
public enum DemoSize
{
    County = 1,
    Province = 2,
}

public sealed record DemoPopulationResult(DemoSize Size, int Target, int Before, int Added, int Communities, TimeSpan Took)
{
    public string SizeName => DemoPopulation.SizeName(Size);
}

/// <summary>
/// <c>seed-demo --size</c>: fills the demo county's communities with synthetic residents in Xinping's mix of peoples (汉 about
/// three in ten, 彝 nearly half, then 傣、哈尼、拉祜、白、回、苗), with valid checksummed ID numbers of the demo area code
/// 530427, written in batches, each batch in its own transaction, in the row shape the import writes (sealed through the
/// real protector, the same <see cref="ResidentService.Apply"/>), past the per-row import path that is too slow for a
/// million. Each size is its own set (household numbers 演示县-… or 演示省-…) counted towards its target, so a second
/// run adds nothing and an interrupted one carries on where it stopped. The population tallies are recounted after.
/// </summary>
public static class DemoPopulation
{
    public const int CountyTarget = 100_000;
    public const int ProvinceTarget = 1_000_000;
    const int BatchSize = 20_000;

    /// <summary>Birth dates spread over this many days from 1941-01-01 (ages about 3 to 85).</summary>
    const int Days = 30_011;
    /// <summary>A step coprime to <see cref="Days"/>: consecutive rows get far-apart birth dates.</summary>
    const int Step = 7_919;
    /// <summary>Order codes (the three digits after the birth date) each size draws from, so the two sets never share a number.</summary>
    const int OrdersPerSize = 450;

    static readonly DateOnly FirstBirth = new(1941, 1, 1);

    // GB/T 3304 codes weighted near Xinping's population (汉 29%, 彝 47%, 傣 16% …).
    static readonly (string Code, int Weight, string[] Surnames, string[] Given, string Languages)[] Peoples =
    [
        ("01", 29, ["王", "张", "刘", "陈", "赵", "周"], ["建华", "丽萍", "志刚", "海燕", "云峰", "桂英"], "汉语"),
        ("07", 47, ["普", "李", "者", "罗", "杨", "白", "施"], ["文华", "玉兰", "正学", "秀英", "国荣", "春梅"], "彝语、汉语"),
        ("18", 16, ["刀", "陶", "白", "岩", "玉"], ["罕", "应香", "光明", "金凤", "叫", "香"], "傣语、汉语"),
        ("16", 4, ["李", "白", "马", "陈"], ["阿三", "批然", "秀珍", "福生"], "哈尼语、汉语"),
        ("24", 1, ["李", "扎", "娜"], ["扎戈", "娜努", "老三"], "拉祜语、汉语"),
        ("14", 1, ["杨", "段", "赵"], ["丽华", "建国", "秀兰"], "白语、汉语"),
        ("03", 1, ["马", "纳", "沙"], ["成林", "玉珍", "志强"], "汉语"),
        ("06", 1, ["熊", "王", "杨"], ["正清", "美英", "光华"], "苗语、汉语"),
    ];

    static readonly string[] Origins = ["云南省红河州元阳县", "云南省普洱市墨江县", "云南省楚雄州双柏县", "四川省凉山州昭觉县", "云南省玉溪市峨山县"];

    public static string SizeName(DemoSize size) => size == DemoSize.County ? "县级规模" : "省级规模";

    public static int TargetOf(DemoSize size) => size == DemoSize.County ? CountyTarget : ProvinceTarget;

    /// <summary>"county" / "province" (or 县 / 省) as typed on the command line.</summary>
    public static DemoSize? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "county" or "县" or "县级" => DemoSize.County,
        "province" or "省" or "省级" => DemoSize.Province,
        _ => null,
    };

    /// <summary>How every benchmark-size household number starts (演示县-… / 演示省-…).</summary>
    public const string BulkPrefix = "演示";

    static string Marker(DemoSize size) => size == DemoSize.County ? BulkPrefix + "县-" : BulkPrefix + "省-";

    /// <param name="target">How many residents the size holds; <see cref="TargetOf"/> unless a test asks for a small county.</param>
    public static async Task<DemoPopulationResult> SeedAsync(IServiceProvider services, DemoSize size, int? target = null, CancellationToken ct = default)
    {
        var want = target ?? TargetOf(size);
        if (want is < 1 or > ProvinceTarget) throw new ArgumentOutOfRangeException(nameof(target));
        var started = DateTime.UtcNow;
        var dbs = services.GetRequiredService<IDbContextFactory<ShiliuDb>>();
        var pii = services.GetRequiredService<PersonalData>();
        var residents = services.GetRequiredService<ResidentService>();
        var marker = Marker(size);
        List<OrgUnit> communities;
        Dictionary<Guid, OrgUnit> firstGrid;
        int before;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!db.Caller.IsSystem) throw new InvalidOperationException("seeding the demo population runs as the system (an operator command)");
            communities = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Community && !o.IsDisabled).OrderBy(o => o.Code).ToListAsync(ct);
            if (communities.Count == 0) throw new RuleViolation(ResidentErrors.Invalid, "还没有演示县：请先运行 seed-demo（不带 --size）创建演示县的乡镇和社区");
            var ids = communities.Select(c => c.Id).ToList();
            firstGrid = (await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Grid && ids.Contains(o.ParentId!.Value)).OrderBy(o => o.Code).ToListAsync(ct))
                .GroupBy(g => g.ParentId!.Value).ToDictionary(g => g.Key, g => g.First());
            before = await db.Residents.CountAsync(r => r.HouseholdNo!.StartsWith(marker), ct);
        }
        var added = 0;
        if (before < want)
        {
            var now = DateTime.UtcNow;
            var i = 0;
            var left = want - before;
            while (left > 0)
            {
                var candidates = new List<(int I, IdNumber.Parsed Id, string Hash)>(Math.Min(BatchSize, left));
                for (; candidates.Count < Math.Min(BatchSize, left); i++)
                {
                    if (i >= Days * OrdersPerSize) throw new InvalidOperationException("demo ID numbers exhausted");
                    var id = IdOf(size, i);
                    candidates.Add((i, id, pii.Hash(id.Value)));
                }
                // Numbers the archive already holds (this size's earlier rows, the small demo) are passed over: asked per batch
                // through the import's own lookup on the unique index, rather than reading every hash of the archive.
                Dictionary<string, Guid> held;
                await using (var probe = await dbs.CreateDbContextAsync(ct))
                    held = await Import.ResidentImportService.KeepersAsync(probe, candidates.Select(c => c.Hash).ToList(), ct);
                var batch = new List<Resident>(candidates.Count);
                foreach (var (n, id, hash) in candidates.Where(c => !held.ContainsKey(c.Hash)))
                {
                    var community = communities[n % communities.Count];
                    var unit = firstGrid.GetValueOrDefault(community.Id) is { } g && n % 3 != 0 ? g : community;
                    var r = new Resident
                    {
                        OrgUnitId = unit.Id, OrgPath = unit.Path, CommunityId = community.Id, IdNumberHash = hash, Version = 1, UpdatedUtc = now,
                        UpdatedBy = $"演示数据（{SizeName(size)}）",
                    };
                    residents.Apply(r, Request(size, n, id, community, unit), id);
                    if (!r.OrgPath.StartsWith(community.Path, StringComparison.Ordinal)) throw new InvalidOperationException("demo row outside its community");
                    batch.Add(r);
                }
                if (batch.Count == 0) continue;
                await using var db = await dbs.CreateDbContextAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await BulkInsert.InsertAsync(db, batch.ToAsyncEnumerable(), ct);
                await tx.CommitAsync(ct);
                added += batch.Count;
                left -= batch.Count;
            }
        }
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (added > 0)
            {
                // The figures the dashboards read, recounted from the rows (what rebuild-statistics does for the population).
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await PopulationTally.RefreshAsync(db, communities.Select(c => c.Id).ToList(), ct);
                var county = await db.OrgUnits.AsNoTracking().Where(o => o.Code == Seed.Seeder.CountyCode).Select(o => o.Path).SingleAsync(ct);
                db.Audit(AuditEvents.Create, $"生成{SizeName(size)}演示居民 {added:N0} 人（演示县 {communities.Count} 个社区，共 {before + added:N0} 人）", nameof(Resident), null, county);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                if (added >= 10_000) await db.Database.ExecuteSqlRawAsync("ANALYZE \"Residents\"", ct);
            }
        }
        return new DemoPopulationResult(size, want, before, added, communities.Count, DateTime.UtcNow - started);
    }

    /// <summary>
    /// The i-th ID number of a size: birth date and order code from i (one to one for i below Days × OrdersPerSize), the
    /// order's parity giving the sex as on a real card, the check character computed.
    /// </summary>
    internal static IdNumber.Parsed IdOf(DemoSize size, int i)
    {
        var birth = FirstBirth.AddDays((int)((long)i * Step % Days));
        var order = (size == DemoSize.County ? 100 : 100 + OrdersPerSize) + i / Days % OrdersPerSize;
        var body = $"530427{birth:yyyyMMdd}{order:000}";
        return IdNumber.TryParse(body + IdNumber.CheckChar(body), out var parsed, out var error) ? parsed! : throw new InvalidOperationException(error);
    }

    static SaveResident Request(DemoSize size, int i, IdNumber.Parsed id, OrgUnit community, OrgUnit unit)
    {
        var rng = new Random(i * 31 + (int)size);
        var p = Pick(rng.Next(100));
        var type = rng.Next(100) switch { < 86 => ResidenceType.Permanent, < 96 => ResidenceType.Floating, _ => ResidenceType.UnitEmployee };
        var arrival = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-rng.Next(15, 1500));
        return new SaveResident
        {
            OrgUnitId = unit.Id, Name = p.Surnames[rng.Next(p.Surnames.Length)] + p.Given[rng.Next(p.Given.Length)], EthnicityCode = p.Code,
            IdNumber = id.Value, HouseholdNo = $"{Marker(size)}{i / 4:0000000}", RelationToHead = (i % 4) switch { 0 => "户主", 1 => "配偶", _ => "子女" },
            Address = $"{community.Name}{i / 4 % 500 + 1}号（演示地址，虚构）", ResidenceType = type,
            OriginPlace = type == ResidenceType.Floating ? Origins[rng.Next(Origins.Length)] : null,
            ArrivalDate = type == ResidenceType.Floating ? (arrival < id.BirthDate ? id.BirthDate : arrival) : null,
            ExpectedStay = type == ResidenceType.Floating ? "一年以上" : null,
            Employer = type == ResidenceType.UnitEmployee ? "新平县演示单位（虚构）" : null,
            Languages = p.Languages, Needs = rng.Next(10) == 0 ? ResidentNeeds.Employment : ResidentNeeds.None,
        };
    }

    static (string Code, int Weight, string[] Surnames, string[] Given, string Languages) Pick(int n)
    {
        foreach (var p in Peoples)
        {
            if (n < p.Weight) return p;
            n -= p.Weight;
        }
        return Peoples[0];
    }
}
