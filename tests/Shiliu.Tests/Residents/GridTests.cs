using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Residents;

public sealed class GridTests
{
    static DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToChina(TimeProvider.System.GetUtcNow().UtcDateTime));

    static SaveResident Person(Guid unit, string name, string id, string? household, string? relation, string ethnicity = "07") => new()
    {
        OrgUnitId = unit, Name = name, EthnicityCode = ethnicity, IdNumber = id, ResidenceType = ResidenceType.Permanent, HouseholdNo = household,
        RelationToHead = relation, Phone = "13912345678", Needs = relation == "户主" ? ResidentNeeds.Employment : ResidentNeeds.Medical,
    };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Township_and_community_edit_a_grid_and_its_staff_grid_workers_only_look_and_other_communities_get_not_found(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var g1 = await app.UnitAsync("530427001001-G01");
        var g2 = await app.UnitAsync("530427001001-G02");
        var s = (IServiceProvider sp) => sp.GetRequiredService<GridService>();
        Guid gridAccount;
        await using (var db = await app.SystemDbAsync())
            gridAccount = await db.Users.Where(u => u.UserName == "grid").Select(u => u.Id).SingleAsync();

        await app.AsAsync("community", sp => s(sp).SaveInfoAsync(g1.Id, new SaveGridInfo { Bounds = "东至新平大街，南至桂山路", Covers = "1—6栋" }));
        var accounts = await app.AsAsync("community", sp => s(sp).AccountsAsync(g1.Id));
        Assert.Equal(gridAccount, Assert.Single(accounts).Id);
        Assert.Empty(await app.AsAsync("community", sp => s(sp).AccountsAsync(g2.Id)));
        await app.AsAsync("community", sp => s(sp).SaveMembersAsync(g1.Id, new SaveGridMembers
        {
            Members = [new() { Name = "李网格", Role = GridRole.Leader, Phone = "0877-7012345" }, new() { Name = "刀专职", Role = GridRole.FullTime, Phone = "139 1234 5678", UserId = gridAccount }],
        }));
        var row = await app.AsAsync("grid", sp => s(sp).GetAsync(g1.Id));
        Assert.Equal(("东至新平大街，南至桂山路", "1—6栋"), (row.Bounds, row.Covers));
        Assert.Equal([("李网格", "网格长", "08777012345", (string?)null), ("刀专职", "专职网格员", "13912345678", "grid")],
            row.Members.Select(m => (m.Name, m.RoleName, m.Phone!, m.UserName)));

        // The township reorders and edits; one member leaves (deleted, audited).
        await app.AsAsync("township", sp => s(sp).SaveMembersAsync(g1.Id, new SaveGridMembers
        {
            Members = [new() { Id = row.Members[1].Id, Name = "刀专职", Role = GridRole.Leader, Phone = row.Members[1].Phone, UserId = gridAccount, Version = row.Members[1].Version }],
        }));
        await app.AsAsync("township", sp => s(sp).SaveInfoAsync(g1.Id, new SaveGridInfo { Bounds = "东至新平大街", Version = row.InfoVersion }));
        row = await app.AsAsync("community", sp => s(sp).GetAsync(g1.Id));
        Assert.Equal(("刀专职", GridRole.Leader), (Assert.Single(row.Members).Name, row.Members[0].Role));
        Assert.Equal("东至新平大街", row.Bounds);
        await using (var db = await app.SystemDbAsync())
        {
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == AuditEvents.Delete && a.EntityType == nameof(GridMember) && a.UserName == "township"));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == AuditEvents.Create && a.EntityType == nameof(GridInfo) && a.UserName == "community"));
        }

        // A stale version is a conflict, not a silent overwrite.
        await app.AsAsync("community", async sp => await Assert.ThrowsAsync<ConcurrencyConflict>(() => s(sp).SaveInfoAsync(g1.Id, new SaveGridInfo { Bounds = "旧", Version = 0 })));

        async Task<RuleViolation> Refused(string user, Guid grid, SaveGridMember m) =>
            await app.AsAsync(user, async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).SaveMembersAsync(grid, new SaveGridMembers { Members = [m] })));
        Assert.Equal(GridErrors.Denied, (await Refused("grid", g1.Id, new() { Name = "网格员自己" })).Code);
        Assert.Contains("本网格在用的网格员账号", (await Refused("community", g2.Id, new() { Name = "错配", UserId = gridAccount })).Message);
        Assert.Contains("电话号码格式不正确", (await Refused("community", g1.Id, new() { Name = "号码错", Phone = "12345" })).Message);
        Assert.Contains("第1名网格人员：网格人员姓名不能为空", (await Refused("community", g1.Id, new() { Name = "" })).Message);
        Assert.Equal(GridErrors.Denied, (await app.AsAsync("grid", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).SaveInfoAsync(g1.Id, new SaveGridInfo())))).Code);

        // 扬武镇's community sees nothing of 城中社区's grids.
        await app.AsAsync("community2", async sp =>
        {
            await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).GetAsync(g1.Id));
            await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).SaveInfoAsync(g1.Id, new SaveGridInfo { Bounds = "越权" }));
            await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).SaveMembersAsync(g1.Id, new SaveGridMembers()));
            await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).HouseholdsAsync(g1.Id));
            await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).TreeAsync(g1.ParentId));
            Assert.DoesNotContain((await s(sp).TreeAsync(null)).SelectMany(c => c.Grids), g => g.Id == g1.Id);
        });
        var mine = await app.AsAsync("grid", sp => s(sp).TreeAsync(null));
        Assert.Equal(g1.Id, Assert.Single(Assert.Single(mine).Grids).Id);
        var township = await app.AsAsync("township", sp => s(sp).TreeAsync(null));
        Assert.Equal(3, township.Count);
        Assert.All(township, c => Assert.Equal(2, c.Grids.Count));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_grids_households_are_grouped_by_household_number_with_the_head_first_and_personal_data_masked(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var g1 = await app.UnitAsync("530427001001-G01");
        var g2 = await app.UnitAsync("530427001001-G02");
        var ids = Enumerable.Range(0, 6).Select(_ => Ids.Next()).ToArray();
        var created = await app.AsAsync("grid", async sp =>
        {
            var r = sp.GetRequiredService<ResidentService>();
            var child = await r.CreateAsync(Person(g1.Id, "刀小明", ids[0], "H-01", "子女"));
            var head = await r.CreateAsync(Person(g1.Id, "刀国华", ids[1], "H-01", "户主", "18"));
            await r.CreateAsync(Person(g1.Id, "李秀英", ids[2], "H-02", "配偶"));
            var solo = await r.CreateAsync(Person(g1.Id, "普文", ids[3], null, null));
            await sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit { ResidentId = child, VisitDate = Today.AddDays(-2), Visitor = "网格员", Findings = "正常" });
            return (head, solo);
        });
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Person(g2.Id, "别的网格", ids[4], "H-01", "户主")));

        var page = await app.AsAsync("grid", sp => sp.GetRequiredService<GridService>().HouseholdsAsync(g1.Id, 1, 2));
        Assert.Equal((3, 2), (page.Households.Total, page.Households.Items.Count));
        var h1 = page.Households.Items[0];
        Assert.Equal(("H-01", "刀国华", 2, Today.AddDays(-2)), (h1.HouseholdNo, h1.HeadName, h1.MemberCount, h1.LastVisit));
        Assert.Equal(["刀国华", "刀小明"], h1.Members.Select(m => m.Name));
        Assert.Equal("傣族、彝族", h1.Ethnicities);
        Assert.Equal("就业、医疗", h1.NeedsText);
        Assert.Equal(("H-02", "李秀英", (DateOnly?)null), (page.Households.Items[1].HouseholdNo, page.Households.Items[1].HeadName, page.Households.Items[1].LastVisit));
        var last = await app.AsAsync("grid", sp => sp.GetRequiredService<GridService>().HouseholdsAsync(g1.Id, 2, 2));
        Assert.Equal((null, "普文", 1), (last.Households.Items.Single().HouseholdNo, last.Households.Items[0].HeadName, last.Households.Items[0].MemberCount));

        var json = JsonSerializer.Serialize(new[] { page, last });
        Assert.All(ids[..4], id => Assert.DoesNotContain(id, json));
        Assert.DoesNotContain("13912345678", json);
        Assert.Equal((ids[1][..6] + "********" + ids[1][^4..], "139****5678"), (h1.Members[0].IdNumberMasked, h1.Members[0].PhoneMasked));

        // One more person registered at the community itself, outside any grid: part of the community's line, in no grid's.
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Person(g1.ParentId!.Value, "本级", ids[5], "H-09", "户主")));
        var tree = await app.AsAsync("community", sp => sp.GetRequiredService<GridService>().TreeAsync(null));
        var community = Assert.Single(tree);
        var grid = community.Grids.Single(g => g.Id == g1.Id);
        Assert.Equal((4, 3, 1), (grid.Residents, grid.Households, grid.Visited));
        Assert.Equal((1, 1, 0), (community.Unassigned, community.UnassignedHouseholds, community.UnassignedVisited));
        Assert.Equal((6, 5, 1, 2), (community.Residents, community.Households, community.Visited, community.Unstaffed));
        // The township sees the same line for it among its communities, in the county's code order.
        var township = await app.AsAsync("township", sp => sp.GetRequiredService<GridService>().TreeAsync(null));
        Assert.Equal(township.Select(c => c.Code).Order(StringComparer.Ordinal), township.Select(c => c.Code));
        Assert.Equal((6, 5, 1), township.Where(c => c.Id == community.Id).Select(c => (c.Residents, c.Households, c.Visited)).Single());
    }
}
