using System.Xml.Linq;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;
using Shiliu.Web.Hosting;

namespace Shiliu.Tests.Public;

/// <summary>
/// Absolute links the site hands out (the Atom feed, QR posters, code cards, a 大屏's link) use the configured public
/// origin, never the Host a visitor sent; a malformed origin stops the server at start-up.
/// </summary>
public sealed class PublicOriginTests
{
    static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_feed_links_to_the_configured_origin_whatever_host_the_request_names(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string> { [PublicOrigin.Setting] = "https://mzzj.example.gov.cn/" });
        var client = app.BrowserClient();
        using var req = new HttpRequestMessage(HttpMethod.Get, "/public/news/atom");
        req.Headers.Host = "evil.example";
        var feed = XElement.Parse(await (await client.SendAsync(req)).Content.ReadAsStringAsync());
        var links = feed.Descendants(Atom + "link").Select(l => (string)l.Attribute("href")!).ToList();
        Assert.Contains("https://mzzj.example.gov.cn/public/news/atom", links);
        Assert.Contains("https://mzzj.example.gov.cn/public/news", links);
        Assert.All(links, l => Assert.StartsWith("https://mzzj.example.gov.cn/", l));
        Assert.DoesNotContain("evil.example", feed.ToString());
    }

    [Fact]
    public void Only_a_bare_http_or_https_origin_is_accepted()
    {
        Assert.Equal("https://mzzj.example.gov.cn:8443/x", new PublicOrigin(" https://mzzj.example.gov.cn:8443 ").Url(new Microsoft.AspNetCore.Http.DefaultHttpContext().Request, "/x"));
        Assert.False(new PublicOrigin(null).IsConfigured);
        foreach (var bad in new[] { "mzzj.example.gov.cn", "ftp://mzzj.example.gov.cn", "https://mzzj.example.gov.cn/portal", "https://a@mzzj.example.gov.cn", "https://mzzj.example.gov.cn/?x=1" })
        {
            var e = Assert.Throws<InvalidOperationException>(() => new PublicOrigin(bad));
            Assert.Contains("Shiliu:PublicOrigin 应是网站对外的地址", e.Message);
        }
    }
}
