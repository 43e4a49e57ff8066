using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Public;

/// <summary>One block of the county's public home page: a heading and entries of plain lines (no personal data).</summary>
public sealed record PublicSection(string Title, int Order, IReadOnlyList<PublicEntry> Entries, string? Intro = null);

public sealed record PublicEntry(string Title, IReadOnlyList<string> Lines, string? Href = null);

/// <summary>
/// A module's block on the public home page. It is read for anonymous residents: a source reads only what is public
/// (unit contacts, the plan, the service guide), explicitly across the scope filter, and never people.
/// </summary>
public interface IPublicHomeSource
{
    Task<PublicSection?> SectionAsync(ShiliuDb db, CancellationToken ct);
}

public static class PublicServiceCollectionExtensions
{
    public static IServiceCollection AddPublicHomeSource<T>(this IServiceCollection services) where T : class, IPublicHomeSource =>
        services.AddScoped<IPublicHomeSource, T>();
}

/// <summary>The public home page's blocks, in order; a failing block is left out rather than taking the page down.</summary>
public sealed class PublicHomeService(IDbContextFactory<ShiliuDb> dbs, IEnumerable<IPublicHomeSource> sources)
{
    public async Task<(string CountyName, IReadOnlyList<PublicSection> Sections)> HomeAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var county = await db.OrgUnits.IgnoreQueryFilters().Where(o => o.ParentId == null).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? "";
        var sections = new List<PublicSection>();
        foreach (var source in sources)
            if (await source.SectionAsync(db, ct) is { } s) sections.Add(s);
        return (county, sections.OrderBy(s => s.Order).ToList());
    }
}
