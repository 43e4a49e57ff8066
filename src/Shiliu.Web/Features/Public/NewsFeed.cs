using System.Text;
using System.Xml;
using Shiliu.Core.Activities;
using Shiliu.Core.Common;
using Shiliu.Core.Platform.Public;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.Public;

/// <summary>
/// 创建动态 for the county's portal to pull: an Atom 1.0 feed of the same items as the public page, and the published
/// activity photos, redrawn without metadata. Both are public and answer only what is published (else 404).
/// </summary>
public static class NewsFeed
{
    public const string Path = "/public/news/atom";

    public static void MapPublicNews(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext http, PublicNewsService news, PublicOrigin origin, CancellationToken ct) =>
        {
            var view = await news.ReadAsync(ct: ct);
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(Atom(view, origin.For(http.Request)), "application/atom+xml; charset=utf-8");
        }).AllowAnonymous().RequireRateLimiting(PublicLimits.Pages).ExcludeFromDescription();

        app.MapGet("/public/news/photos/{id:guid}", async (Guid id, HttpContext http, ActivityPhotoService photos, CancellationToken ct) =>
        {
            try
            {
                var photo = await photos.PublicPhotoAsync(id, ct);
                // Revalidated on every view, so a photo taken down stops showing at once; one still shown answers 304.
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers.ETag = photo.ETag;
                if (http.Request.Headers.IfNoneMatch.Contains(photo.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
                return Results.Bytes(photo.Jpeg, "image/jpeg");
            }
            catch (NotFoundInScope)
            {
                return Results.NotFound();
            }
        }).AllowAnonymous().RequireRateLimiting(PublicLimits.Photos).ExcludeFromDescription();
    }

    /// <summary>Atom 1.0 (RFC 4287): feed id, title, updated, author and self link; each entry with id, title, updated, link and content.</summary>
    public static byte[] Atom(NewsView view, string origin)
    {
        const string ns = "http://www.w3.org/2005/Atom";
        var page = origin + "/public/news";
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("feed", ns);
            w.WriteAttributeString("xml", "lang", null, "zh-CN");
            w.WriteElementString("id", ns, $"tag:shiliu,2019:news:{view.CountyCode}");
            w.WriteElementString("title", ns, $"{view.CountyName}民族团结进步创建动态");
            w.WriteElementString("updated", ns, Stamp(view.UpdatedUtc));
            w.WriteStartElement("author", ns);
            w.WriteElementString("name", ns, view.CountyName.Length > 0 ? $"{view.CountyName}民族团结进步创建工作领导小组办公室" : "民族团结进步创建工作领导小组办公室");
            w.WriteEndElement();
            Link(w, origin + Path, "self", "application/atom+xml");
            Link(w, page, "alternate", "text/html");
            foreach (var item in view.Items)
            {
                w.WriteStartElement("entry", ns);
                w.WriteElementString("id", ns, $"tag:shiliu,2019:news:{view.CountyCode}:{item.Key}");
                w.WriteElementString("title", ns, item.Title);
                w.WriteElementString("updated", ns, Stamp(item.UpdatedUtc));
                w.WriteElementString("published", ns, Stamp(item.UpdatedUtc));
                w.WriteStartElement("category", ns);
                w.WriteAttributeString("term", item.Kind);
                w.WriteEndElement();
                Link(w, item.Href is null ? $"{page}#{item.Key}" : origin + item.Href, "alternate", "text/html");
                foreach (var p in item.Photos ?? []) Link(w, origin + p.Url, "enclosure", "image/jpeg");
                w.WriteStartElement("content", ns);
                w.WriteAttributeString("type", "html");
                w.WriteString(Content(item, origin));
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return ms.ToArray();
    }

    static void Link(XmlWriter w, string href, string rel, string type)
    {
        w.WriteStartElement("link", "http://www.w3.org/2005/Atom");
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    /// <summary>The entry as HTML: the lines escaped, a brief's body as stored (sanitised), the photos by absolute address.</summary>
    static string Content(NewsItem item, string origin)
    {
        var sb = new StringBuilder();
        if (item.UnitName.Length > 0) sb.Append("<p>").Append(Enc(item.UnitName)).Append("</p>");
        foreach (var line in item.Lines) sb.Append("<p>").Append(Enc(line)).Append("</p>");
        if (item.Html is not null) sb.Append(item.Html);
        foreach (var p in item.Photos ?? [])
            sb.Append("<figure><img src=\"").Append(Enc(origin + p.Url)).Append("\" alt=\"").Append(Enc(p.Caption)).Append("\"/><figcaption>")
              .Append(Enc(p.Caption)).Append("</figcaption></figure>");
        return sb.ToString();
    }

    static string Enc(string s) => System.Net.WebUtility.HtmlEncode(s);

    static string Stamp(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
