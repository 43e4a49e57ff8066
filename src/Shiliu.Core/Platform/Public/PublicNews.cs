using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Public;

/// <summary>A photo on the 创建动态 page: its public address (served only while publishable) and its caption.</summary>
public sealed record NewsPhoto(Guid Id, string Url, string Caption);

/// <summary>
/// One item of the county's campaign news (创建动态), as residents and the county portal read it: what is already public
/// and nothing else. <paramref name="Html"/> is sanitised HTML when the item has a body; <paramref name="Key"/> is stable
/// (the feed's entry id and the page's anchor).
/// </summary>
public sealed record NewsItem(string Key, string Kind, string Title, DateTime UpdatedUtc, DateOnly Date, string UnitName,
    IReadOnlyList<string> Lines, string? Html = null, IReadOnlyList<NewsPhoto>? Photos = null, string? Href = null);

/// <summary>
/// A module's contribution to 创建动态. Read for anonymous readers: a source reads across the scope filter, narrows to
/// the county's subtree itself (<c>Under(x => x.OrgPath, countyPath)</c>) and returns only what its module has made public.
/// </summary>
public interface IPublicNewsSource
{
    Task<IReadOnlyList<NewsItem>> ReadAsync(ShiliuDb db, string countyPath, int take, CancellationToken ct);
}

public static class PublicNewsServiceCollectionExtensions
{
    public static IServiceCollection AddPublicNewsSource<T>(this IServiceCollection services) where T : class, IPublicNewsSource =>
        services.AddScoped<IPublicNewsSource, T>();
}

/// <summary>The county's news, newest first, from every module's source; the page and the Atom feed read the same list.</summary>
public sealed record NewsView(string CountyName, string CountyCode, IReadOnlyList<NewsItem> Items, DateTime UpdatedUtc);

public sealed class PublicNewsService(IDbContextFactory<ShiliuDb> dbs, IEnumerable<IPublicNewsSource> sources)
{
    public const int MaxItems = 50;

    public async Task<NewsView> ReadAsync(int take = MaxItems, CancellationToken ct = default)
    {
        take = Math.Clamp(take, 1, MaxItems);
        await using var db = await dbs.CreateDbContextAsync(ct);
        // The county is the first root, as on the public home page; a second county on the same server is not this one.
        var county = await CountyAsync(db, ct);
        if (county is null) return new NewsView("", "", [], DateTime.UnixEpoch);
        var items = new List<NewsItem>();
        foreach (var source in sources) items.AddRange(await source.ReadAsync(db, county.Path, take, ct));
        // Items published together (a batch of photos) read newest event first.
        var list = items.OrderByDescending(i => i.UpdatedUtc).ThenByDescending(i => i.Date).ThenBy(i => i.Key, StringComparer.Ordinal).Take(take).ToList();
        return new NewsView(county.Name, county.Code, list, list.Count > 0 ? list.Max(i => i.UpdatedUtc) : DateTime.UnixEpoch);
    }

    /// <summary>The county the public pages speak for.</summary>
    public static Task<Organizations.OrgUnit?> CountyAsync(ShiliuDb db, CancellationToken ct) =>
        db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(o => o.ParentId == null).OrderBy(o => o.CreatedUtc).ThenBy(o => o.Id).FirstOrDefaultAsync(ct);
}

/// <summary>The public home's way in to 创建动态, with the latest few titles.</summary>
sealed class NewsPublicHome(PublicNewsService news) : IPublicHomeSource
{
    public async Task<PublicSection?> SectionAsync(ShiliuDb db, CancellationToken ct)
    {
        var view = await news.ReadAsync(3, ct);
        return new PublicSection("创建动态", 27,
        [
            new PublicEntry("创建动态", view.Items.Count == 0 ? ["暂无公开的创建动态"] : view.Items.Select(i => $"{i.Kind}：{i.Title}").ToList(), "/public/news"),
        ], "工作信息、模范表彰和社区活动照片。");
    }
}
