using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>The modules' declarations hold together: what pages, endpoints and the audit log rely on is declared by a module.</summary>
public sealed class ModuleCatalogTests
{
    [Fact]
    public void Every_permission_has_a_chinese_name_and_known_roles_and_is_declared_once()
    {
        var catalog = ShiliuModules.Catalog;
        Assert.NotEmpty(catalog.Permissions);
        Assert.All(catalog.Permissions, p =>
        {
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", p.Name);
            Assert.NotEmpty(p.Roles);
            Assert.All(p.Roles, r => Assert.Contains(r, Roles.All));
        });
        Assert.Equal(catalog.Permissions.Count, catalog.Permissions.Select(p => p.Code).Distinct().Count());
        Assert.Equal(catalog.Errors.Count, catalog.Errors.Select(e => e.Code).Distinct().Count());
    }

    [Fact]
    public async Task Every_policy_an_endpoint_or_page_asks_for_is_a_declared_permission()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        var declared = ShiliuModules.Catalog.Permissions.Select(p => p.Code).ToHashSet();
        var asked = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.OfType<IAuthorizeData>()).Select(a => a.Policy).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(asked);
        Assert.All(asked, p => Assert.Contains(p, declared));
    }

    [Fact]
    public async Task Every_entity_is_named_for_the_audit_log_by_its_module()
    {
        await using var app = await ShiliuApp.StartAsync(DbProvider.Sqlite);
        await using var db = await app.SystemDbAsync();
        // Identity's own tables that no row of ours is ever written to.
        var unused = new[] { "IdentityUserClaim`1" };
        var undeclared = db.Model.GetEntityTypes().Where(t => !t.IsOwned() && ShiliuModules.Catalog.AuditOf(t.ClrType) is null)
            .Select(t => t.ClrType.Name).Where(n => !unused.Contains(n)).ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public void The_menu_shows_each_role_only_what_it_may_open()
    {
        var menu = ShiliuModules.Catalog.Menu;
        Assert.Contains(menu, e => e.Href == "/residents" && e.VisibleTo([Roles.CommunityStaff]));
        Assert.DoesNotContain(menu, e => e.Href == "/residents" && e.VisibleTo([Roles.Leader]));
        Assert.Contains(menu, e => e.Href == "/audit" && e.VisibleTo([Roles.AuditAdmin]));
        Assert.DoesNotContain(menu, e => e.Href == "/audit" && e.VisibleTo([Roles.SystemAdmin]));
        Assert.All(menu, e => Assert.StartsWith("/", e.Href));
    }
}
