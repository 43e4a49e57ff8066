using Microsoft.Extensions.DependencyInjection;
using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Seed;

/// <summary>What seeding did, for the console.</summary>
public sealed record SeedReport(List<string> Lines)
{
    public void Add(string line) => Lines.Add(line);

    /// <summary>The generated first password of admin, for the host to write to a file only the service user can read.</summary>
    public string? AdminPassword { get; set; }
}

/// <summary>
/// Idempotent seeding: roles, dictionaries, the county root and its first administrator; optionally the demo
/// county (Xinping's 12 townships, 3 communities each, 2 grids each) and one demo user per role.
/// </summary>
public sealed class Seeder(IDbContextFactory<ShiliuDb> dbs, RoleManager<AppRole> roles, UserService userService, IServiceProvider services)
{
    public const string CountyCode = "530427000000";
    public const string CountyName = "新平彝族傣族自治县";

    // Xinping's 2 街道, 4 镇 and 6 乡 (DESIGN.md); codes follow the statistical pattern 530427 + 3-digit township.
    public static readonly (string Name, string Code)[] Townships =
    [
        ("桂山街道", "530427001000"), ("古城街道", "530427002000"),
        ("扬武镇", "530427101000"), ("漠沙镇", "530427102000"), ("戛洒镇", "530427103000"), ("水塘镇", "530427104000"),
        ("平甸乡", "530427201000"), ("新化乡", "530427202000"), ("建兴乡", "530427203000"),
        ("老厂乡", "530427204000"), ("者竜乡", "530427205000"), ("平掌乡", "530427206000"),
    ];

    const string OfficeHoursText = "工作日 9:00—12:00，14:30—18:00";

    static readonly string[] StreetCommunities = ["城中社区", "桂山社区", "东风社区", "古城社区", "新城社区", "南门社区"];
    static readonly string[] VillageNames = ["中心村", "新寨村", "大平掌村", "河口村", "坡头村", "龙潭村", "小河村", "团结村", "丫口村",
        "新民村", "腊庄村", "磨盘村", "哈科村", "竹园村", "南恩村", "旧哈村", "方山村", "平安村", "石门村", "者干村", "梭山村",
        "新塘村", "把坝村", "水底村", "者竜村", "峨德村", "底巴都村", "平掌村", "勐炳村", "曼蚌村"];

    public async Task<SeedReport> SeedBaseAsync(string? adminPassword, CancellationToken ct = default)
    {
        var report = new SeedReport([]);
        foreach (var role in Roles.All.Where(r => !roles.Roles.Any(x => x.Name == r)))
        {
            await roles.CreateAsync(new AppRole(role));
            report.Add($"已创建角色 {role}（{Roles.ChineseName(role)}）");
        }
        await using var db = await dbs.CreateDbContextAsync(ct);
        foreach (var module in ShiliuModules.All) await module.SeedAsync(new SeedContext(db, services, report), ct);

        var county = await db.OrgUnits.SingleOrDefaultAsync(o => o.ParentId == null, ct);
        if (county is null)
        {
            county = OrgUnit.Root(CountyName, CountyCode);
            county.CreatedUtc = db.UtcNow;
            db.OrgUnits.Add(county);
            await db.SaveChangesAsync(ct);
            report.Add($"已创建县级单位 {CountyName}（{CountyCode}）");
        }
        if (!await db.Users.AnyAsync(u => u.UserName == "admin", ct))
        {
            var random = string.IsNullOrEmpty(adminPassword);
            var password = random ? UserService.NewInitialPassword("admin") : adminPassword!;
            await userService.CreateAsOperatorAsync("admin", "系统管理员", county, password, Roles.SystemAdmin, mustChange: true, demo: false);
            // Never on the console: standard output ends up in journals and CI logs readable by others.
            if (random) report.AdminPassword = password;
            report.Add(random
                ? "已创建系统管理员 admin（首次登录须修改密码并绑定动态口令）"
                : "已创建系统管理员 admin，初始密码取自 SHILIU_ADMIN_PASSWORD（首次登录须修改密码并绑定动态口令）");
        }
        return report;
    }

    /// <summary>
    /// Whether the demo county may be seeded here: never in Production (nine accounts with one shared password), unless the
    /// host is explicitly a training server. Null when allowed, else the Chinese reason for the start-up error.
    /// </summary>
    public static string? DemoRefusal(bool production, bool trainingServer) => production && !trainingServer
        ? "生产环境不能创建演示县和演示账号（九个账号共用一个密码）。请去掉 Shiliu__SeedDemo=true；如确为培训服务器，请同时设置 Shiliu__TrainingServer=true"
        : null;

    /// <summary>The demo county's townships, communities and grids, and (with a password) one demo user per role.</summary>
    public async Task<SeedReport> SeedDemoAsync(string? demoPassword, CancellationToken ct = default) => await SeedDemoAsync(demoPassword, false, ct);

    /// <summary>As above; with <paramref name="ledgers"/> the modules also fill the demo county's ledgers with a year of records.</summary>
    public async Task<SeedReport> SeedDemoAsync(string? demoPassword, bool ledgers, CancellationToken ct = default)
    {
        var report = new SeedReport([]);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var county = await db.OrgUnits.SingleAsync(o => o.ParentId == null, ct);
        var units = 0;
        var village = 0;
        for (var t = 0; t < Townships.Length; t++)
        {
            var (name, code) = Townships[t];
            var town = await db.OrgUnits.SingleOrDefaultAsync(o => o.Code == code, ct);
            if (town is not null) continue;
            town = Add(db, county, name, code, OrgLevel.Township, t);
            // Demo contacts (marked 演示 on the public page with their unit), so the public home has windows to show.
            (town.PublicPhone, town.PublicAddress, town.OfficeHours) = ($"0877-70{t + 11:D2}000", $"{name}人民政府（社会事务办）一楼便民服务窗口", OfficeHoursText);
            units++;
            var isStreet = name.EndsWith("街道", StringComparison.Ordinal);
            for (var c = 0; c < 3; c++)
            {
                var cname = isStreet ? StreetCommunities[(t * 3 + c) % StreetCommunities.Length] : VillageNames[village++ % VillageNames.Length];
                var community = Add(db, town, cname, $"{code[..9]}{c + 1:D3}", OrgLevel.Community, c);
                units++;
                for (var g = 0; g < 2; g++)
                {
                    Add(db, community, $"{cname}第{(g == 0 ? "一" : "二")}网格", $"{code[..9]}{c + 1:D3}-G{g + 1:D2}", OrgLevel.Grid, g);
                    units++;
                }
            }
        }
        if (units > 0)
        {
            await db.SaveChangesAsync(ct);
            report.Add($"已创建演示数据：{units} 个乡镇、社区和网格（标记为演示数据）");
        }
        foreach (var module in ShiliuModules.All) await module.SeedDemoAsync(new SeedContext(db, services, report), ct);
        if (!string.IsNullOrEmpty(demoPassword)) await SeedDemoUsersAsync(db, county, demoPassword, report, ct);
        if (ledgers) report.Lines.AddRange((await SeedDemoLedgersAsync(ct)).Lines);
        return report;
    }

    /// <summary>Puts the ledger seeding on the job table unless it was queued before (then it ran, or runs, already); true when queued.</summary>
    public async Task<bool> QueueDemoLedgersAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.BackgroundJobs.AnyAsync(j => j.Kind == DemoLedgerJob.Kind, ct)) return false;
        services.GetRequiredService<Platform.Jobs.JobQueue>().Enqueue(db, DemoLedgerJob.Kind, null, "填充演示县的台账数据");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A year of records in the demo county's ledgers, module by module (each skips what it already filled).</summary>
    public async Task<SeedReport> SeedDemoLedgersAsync(CancellationToken ct = default)
    {
        var report = new SeedReport([]);
        await using var db = await dbs.CreateDbContextAsync(ct);
        foreach (var module in ShiliuModules.All) await module.SeedDemoLedgersAsync(new SeedContext(db, services, report), ct);
        return report;
    }

    static OrgUnit Add(ShiliuDb db, OrgUnit parent, string name, string code, OrgLevel level, int order)
    {
        var u = OrgUnit.ChildOf(parent, name, code, level);
        u.IsDemo = true;
        u.SortOrder = order;
        u.CreatedUtc = db.UtcNow;
        db.OrgUnits.Add(u);
        return u;
    }

    async Task SeedDemoUsersAsync(ShiliuDb db, OrgUnit county, string password, SeedReport report, CancellationToken ct)
    {
        var guishan = await db.OrgUnits.SingleAsync(o => o.Code == "530427001000", ct);
        var community = await db.OrgUnits.Where(o => o.ParentId == guishan.Id).OrderBy(o => o.SortOrder).FirstAsync(ct);
        var grid = await db.OrgUnits.Where(o => o.ParentId == community.Id).OrderBy(o => o.SortOrder).FirstAsync(ct);
        var yangwu = await db.OrgUnits.SingleAsync(o => o.Code == "530427101000", ct);
        var community2 = await db.OrgUnits.Where(o => o.ParentId == yangwu.Id).OrderBy(o => o.SortOrder).FirstAsync(ct);
        (string User, string Name, OrgUnit Unit, string Role)[] demo =
        [
            ("security", "演示安全管理员", county, Roles.SecurityAdmin),
            ("auditor", "演示审计管理员", county, Roles.AuditAdmin),
            ("county", "演示县创建办", county, Roles.CountyOfficer),
            ("leader", "演示县领导", county, Roles.Leader),
            ("township", "演示桂山街道民政办", guishan, Roles.TownshipOfficer),
            ("community", $"演示{community.Name}工作人员", community, Roles.CommunityStaff),
            ("grid", $"演示{grid.Name}网格员", grid, Roles.GridWorker),
            ("assessor", "演示测评人员", county, Roles.Assessor),
            ("community2", $"演示{community2.Name}工作人员", community2, Roles.CommunityStaff),
        ];
        foreach (var d in demo)
        {
            if (await db.Users.AnyAsync(u => u.UserName == d.User, ct)) continue;
            // One shared password for nine accounts: each must be changed at its first sign-in, like any initial password.
            await userService.CreateAsOperatorAsync(d.User, d.Name, d.Unit, password, d.Role, mustChange: true, demo: true);
            report.Add($"已创建演示账号 {d.User}（{Roles.ChineseName(d.Role)}，{d.Unit.Name}）");
        }
    }
}
