using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Organizations;

public sealed class OrgScopeTests
{
    const string Guishan = "530427001000", Yangwu = "530427101000";

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Demo_county_has_twelve_townships_three_communities_each_and_two_grids_each(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(12, await db.OrgUnits.CountAsync(o => o.Level == OrgLevel.Township));
        Assert.Equal(36, await db.OrgUnits.CountAsync(o => o.Level == OrgLevel.Community));
        Assert.Equal(72, await db.OrgUnits.CountAsync(o => o.Level == OrgLevel.Grid));
        Assert.True(await db.OrgUnits.Where(o => o.Level != OrgLevel.County).AllAsync(o => o.IsDemo));
        Assert.Equal(58, await db.DictionaryItems.CountAsync(d => d.Kind == "ethnicity"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Township_officer_sees_exactly_its_subtree(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var outside = await app.UnitAsync(Yangwu);
        await app.AsAsync("township", async sp =>
        {
            var orgs = sp.GetRequiredService<OrganizationService>();
            var roots = await orgs.GetRootsAsync();
            Assert.Equal("桂山街道", Assert.Single(roots).Name);
            Assert.Equal(3, (await orgs.GetChildrenAsync(roots[0].Id)).Count);
            await Assert.ThrowsAsync<NotFoundInScope>(() => orgs.GetAsync(outside.Id));
            await Assert.ThrowsAsync<NotFoundInScope>(() => orgs.GetChildrenAsync(outside.Id));
            Assert.Empty(await orgs.SearchAsync("扬武"));
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            Assert.Equal(1 + 3 + 6, await db.OrgUnits.CountAsync());
        });
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Writes_outside_the_subtree_are_refused_and_change_nothing(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var outside = await app.UnitAsync(Yangwu);
        await app.AsAsync("township", async sp =>
        {
            var orgs = sp.GetRequiredService<OrganizationService>();
            await Assert.ThrowsAsync<NotFoundInScope>(() => orgs.CreateAsync(new CreateOrgUnit { ParentId = outside.Id, Name = "越权社区", Code = "X1" }));
            await Assert.ThrowsAsync<NotFoundInScope>(() => orgs.UpdateAsync(outside.Id, new UpdateOrgUnit { Name = "改名", Code = outside.Code, Version = outside.Version }));
            await Assert.ThrowsAsync<NotFoundInScope>(() => orgs.DeleteAsync(outside.Id, outside.Version));
        });
        Assert.Equal("扬武镇", (await app.UnitAsync(Yangwu)).Name);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.OrgUnits.AnyAsync(o => o.Code == "X1"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_unit_added_by_a_township_is_at_once_visible_to_the_county_and_audited(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var guishan = await app.UnitAsync(Guishan);
        await app.AsAsync("county", async sp => Assert.Equal(3, (await sp.GetRequiredService<OrganizationService>().GetChildrenAsync(guishan.Id)).Count));
        var id = await app.AsAsync("township", sp =>
            sp.GetRequiredService<OrganizationService>().CreateAsync(new CreateOrgUnit { ParentId = guishan.Id, Name = "  石榴社区 ", Code = "530427001009" }));
        await app.AsAsync("county", async sp =>
        {
            var children = await sp.GetRequiredService<OrganizationService>().GetChildrenAsync(guishan.Id);
            var added = Assert.Single(children, c => c.Id == id);
            Assert.Equal("石榴社区", added.Name);
            Assert.Equal(OrgLevel.Community, added.Level);
        });
        await using var db = await app.SystemDbAsync();
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == nameof(OrgUnit) && a.EntityId == id.ToString());
        Assert.Equal("entity.create", audit.Event);
        Assert.Equal("township", audit.UserName);
        Assert.Contains("石榴社区", audit.After);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Codes_are_unique_and_bad_names_get_a_chinese_message(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var guishan = await app.UnitAsync(Guishan);
        await app.AsAsync("county", async sp =>
        {
            var orgs = sp.GetRequiredService<OrganizationService>();
            var dup = await Assert.ThrowsAsync<RuleViolation>(() => orgs.CreateAsync(new CreateOrgUnit { ParentId = guishan.Id, Name = "重复", Code = Yangwu }));
            Assert.Equal(OrgErrors.DuplicateCode, dup.Code);
            var ctl = await Assert.ThrowsAsync<RuleViolation>(() => orgs.CreateAsync(new CreateOrgUnit { ParentId = guishan.Id, Name = "坏\u0007名", Code = "B1" }));
            Assert.Contains("控制字符", ctl.Message);
            var code = await Assert.ThrowsAsync<RuleViolation>(() => orgs.CreateAsync(new CreateOrgUnit { ParentId = guishan.Id, Name = "好名", Code = "../x" }));
            Assert.Contains("单位代码", code.Message);
        });
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Moving_a_community_moves_its_grids_and_users_with_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var community = await app.UnitAsync("530427001001");
        var target = await app.UnitAsync("530427002000");
        await app.AsAsync("county", sp => sp.GetRequiredService<OrganizationService>().MoveAsync(community.Id, target.Id, community.Version));
        await using var db = await app.SystemDbAsync();
        var moved = await db.OrgUnits.SingleAsync(o => o.Id == community.Id);
        Assert.StartsWith(target.Path, moved.Path);
        Assert.Equal(2, await db.OrgUnits.CountAsync(o => o.ParentId == community.Id && o.Path.StartsWith(moved.Path)));
        Assert.StartsWith(moved.Path, (await db.Users.SingleAsync(u => u.UserName == "grid")).OrgPath);
        // The township that lost the community no longer sees its staff.
        await app.AsAsync("township", async sp =>
            await Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<OrganizationService>().GetAsync(community.Id)));
        // Its records moved with it: the old township no longer sees them, the new one does.
        var campaign = await db.Campaigns.Select(c => c.Id).SingleAsync();
        Assert.Equal(2, (await app.AsAsync("township", sp => sp.GetRequiredService<Shiliu.Core.Campaigns.CampaignService>().ProgressAsync(campaign))).Count);
        Assert.Equal(10, await db.Deliverables.CountAsync(d => d.OrgUnitId == community.Id && d.OrgPath == moved.Path));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == community.Id.ToString() && a.Summary!.Contains("条业务记录随之移动")));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_stale_edit_is_refused_naming_who_saved_first(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        await app.AsAsync("county", sp => sp.GetRequiredService<OrganizationService>()
            .UpdateAsync(unit.Id, new UpdateOrgUnit { Name = "城中社区（县改）", Code = unit.Code, Version = unit.Version }));
        var conflict = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<ConcurrencyConflict>(() =>
            sp.GetRequiredService<OrganizationService>().UpdateAsync(unit.Id, new UpdateOrgUnit { Name = "城中社区（街道改）", Code = unit.Code, Version = unit.Version })));
        Assert.Equal("county", conflict.ByUser);
        Assert.Contains("county", conflict.Message);
        Assert.Equal("城中社区（县改）", (await app.UnitAsync(unit.Code)).Name);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_unit_with_sub_units_or_users_is_never_deleted(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var community = await app.UnitAsync("530427001001");
        var grid = await app.UnitAsync("530427001001-G01");
        await app.AsAsync("county", async sp =>
        {
            var orgs = sp.GetRequiredService<OrganizationService>();
            Assert.Equal(OrgErrors.NotEmpty, (await Assert.ThrowsAsync<RuleViolation>(() => orgs.DeleteAsync(community.Id, community.Version))).Code);
            Assert.Equal(OrgErrors.NotEmpty, (await Assert.ThrowsAsync<RuleViolation>(() => orgs.DeleteAsync(grid.Id, grid.Version))).Code);
            var empty = await orgs.CreateAsync(new CreateOrgUnit { ParentId = community.Id, Name = "临时网格", Code = "TMP-1" });
            await orgs.DeleteAsync(empty, 0);
        });
    }

    [Fact]
    public async Task Every_org_owned_entity_carries_the_scope_filter()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        await using var db = await app.SystemDbAsync();
        var owned = db.Model.GetEntityTypes().Where(t => typeof(IOrgOwned).IsAssignableFrom(t.ClrType)).ToList();
        Assert.NotEmpty(owned);
        Assert.All(owned, t => Assert.NotEmpty(t.GetDeclaredQueryFilters()));
        Assert.Empty(UnscopedPathEntities(db.Model));
    }

    [Fact]
    public void An_entity_with_an_org_path_but_no_scope_interface_is_caught()
    {
        using var rogue = new RogueContext();
        Assert.Equal(["RogueLedger"], UnscopedPathEntities(rogue.Model).Select(t => t.ClrType.Name));
    }

    /// <summary>Entities that hold an org path (OrgPath or Path) yet are neither IOrgOwned nor marked [ScopedElsewhere].</summary>
    static List<Microsoft.EntityFrameworkCore.Metadata.IEntityType> UnscopedPathEntities(Microsoft.EntityFrameworkCore.Metadata.IModel model) =>
        model.GetEntityTypes().Where(t => t.GetProperties().Any(p => p.ClrType == typeof(string) && p.Name is "OrgPath" or "Path")
                && !typeof(IOrgOwned).IsAssignableFrom(t.ClrType)
                && t.ClrType.GetCustomAttributes(typeof(ScopedElsewhereAttribute), false).Length == 0)
            .ToList();

    sealed class RogueLedger
    {
        public Guid Id { get; set; }
        public string OrgPath { get; set; } = "";
    }

    sealed class RogueContext : Microsoft.EntityFrameworkCore.DbContext
    {
        protected override void OnConfiguring(Microsoft.EntityFrameworkCore.DbContextOptionsBuilder o) => o.UseSqlite("Data Source=:memory:");
        protected override void OnModelCreating(Microsoft.EntityFrameworkCore.ModelBuilder b) => b.Entity<RogueLedger>();
    }
}
