using System.Net;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Activities;
using Shiliu.Core.Commendations;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Shiliu.Core.WorkReports;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Infrastructure;
using SkiaSharp;

namespace Shiliu.Tests.Public;

/// <summary>创建动态: only what the county published, the titles that stand and the consented 可公开 photos reach the page, the feed and the photo route.</summary>
public sealed class NewsTests
{
    const string Chengzhong = "530427001001";
    static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    static ActivityPhotoService Photos(IServiceProvider sp) => sp.GetRequiredService<ActivityPhotoService>();

    /// <summary>A brief of 城中社区 taken through the real flow to <paramref name="until"/>.</summary>
    public static async Task<Guid> ReportAsync(ShiliuApp app, string title, ReportStatus until)
    {
        static WorkReportService S(IServiceProvider sp) => sp.GetRequiredService<WorkReportService>();
        async Task<int> Version(Guid id) { await using var db = await app.SystemDbAsync(); return (await db.WorkReports.SingleAsync(r => r.Id == id)).Version; }
        var id = await app.AsAsync("community", sp => S(sp).SaveAsync(null, new SaveReport { Title = title, Body = $"<p>{title}的正文。</p><script>alert(1)</script>" }));
        if (until == ReportStatus.Draft) return id;
        await app.AsAsync("community", async sp => await S(sp).ReportAsync(id, await Version(id)));
        await app.AsAsync("township", async sp => await S(sp).ReviewAsync(id, true, null, await Version(id)));
        if (until == ReportStatus.Published) await app.AsAsync("county", async sp => await S(sp).PublishAsync(id, true, await Version(id)));
        return id;
    }

    /// <summary>A photo (with camera and GPS metadata as taken) filed to a new activity of 城中社区.</summary>
    public static async Task<(Guid Activity, Guid Photo)> PhotoAsync(ShiliuApp app, string title, Guid? activity = null, DateOnly? date = null)
    {
        var unit = await app.UnitAsync(Chengzhong);
        var a = activity ?? await app.AsAsync("community", sp => sp.GetRequiredService<ActivityService>().SaveAsync(null, new SaveActivity
        {
            OrgUnitId = unit.Id, TypeCode = "A03", Title = "火把节联欢", Date = date ?? new DateOnly(2026, 7, 20), Place = "城中社区广场", Organiser = "城中社区居委会", ParticipantsTotal = 120,
        }));
        var photo = await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
            new EvidenceMeta { OrgUnitId = unit.Id, Year = 2026, ActivityId = a, Title = title }, $"{title}.jpg", new MemoryStream(EvidenceTests.WithExif(TestFiles.Jpeg(2400, 1600, Colour())))));
        return (a, photo.Id);
    }

    static SKColor Colour() => new((byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256));

    static async Task<(Guid Commended, Guid Revoked)> CommendationsAsync(ShiliuApp app, OrgUnit unit)
    {
        await using var db = await app.SystemDbAsync();
        var county = await db.OrgUnits.IgnoreQueryFilters().SingleAsync(o => o.Code == "530427000000");
        var call = new CommendationCall
        {
            IssuedByUnitId = county.Id, Title = "2026年度民族团结进步模范评选", Body = "评选通知", IssuedOn = new DateOnly(2026, 3, 1), Deadline = new DateOnly(2026, 4, 1),
            Status = CallStatus.Decided, DecisionNo = "新民发〔2026〕5号", DecisionDate = new DateOnly(2026, 6, 1), CreatedBy = "test", CreatedUtc = DateTime.UtcNow,
        };
        Nomination N(string name, NominationStatus status) => new()
        {
            CallId = call.Id, OrgUnitId = unit.Id, OrgPath = unit.Path, Category = ModelCategory.Family, NomineeName = name, Summary = "邻里和睦", Deeds = "事迹",
            Status = status, CertificateNo = $"2026-{name.Length:000}", CreatedBy = "test", CreatedUtc = DateTime.UtcNow,
            RevokeReason = status == NominationStatus.Revoked ? "弄虚作假" : null,
        };
        var kept = N("马永福家庭", NominationStatus.Commended);
        var revoked = N("李撤销家庭", NominationStatus.Revoked);
        db.CommendationCalls.Add(call);
        db.Nominations.AddRange(kept, revoked);
        await db.SaveChangesAsync();
        return (kept.Id, revoked.Id);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Only_published_reports_standing_titles_and_consented_public_photos_reach_the_page_the_feed_and_the_photo_route(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync(Chengzhong);

        await ReportAsync(app, "城中社区火把节活动简报", ReportStatus.Published);
        await ReportAsync(app, "尚在草稿的简报", ReportStatus.Draft);
        await ReportAsync(app, "已采用未发布的简报", ReportStatus.Adopted);
        await CommendationsAsync(app, unit);

        // Another county on the same server: its published brief is not this county's news.
        await using (var db = await app.SystemDbAsync())
        {
            var other = OrgUnit.Root("邻县", "530428000000");
            other.CreatedUtc = DateTime.UtcNow.AddYears(1);
            db.OrgUnits.Add(other);
            db.WorkReports.Add(new WorkReport { OrgUnitId = other.Id, OrgPath = other.Path, Title = "邻县的发布简报", Body = "<p>邻县</p>", Status = ReportStatus.Published,
                Author = "x", CreatedUtc = DateTime.UtcNow, PublishedUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var (activity, shown) = await PhotoAsync(app, "点火仪式");
        var (_, consentedOnly) = await PhotoAsync(app, "左脚舞", activity);
        var (_, noConsent) = await PhotoAsync(app, "长街宴", activity);

        // 可公开 needs the consent first; the consent needs a real note.
        var refused = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            Photos(sp).SetPublishableAsync(noConsent, new SetPhotoPublishable { Publishable = true })));
        Assert.Equal(ActivityErrors.NoConsent, refused.Error);
        Assert.Contains("publishable", refused.Fields.Keys);
        var shortNote = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            Photos(sp).RecordConsentAsync(shown, new RecordPhotoConsent { Note = "同意" })));
        Assert.Contains("至少4个字", shortNote.Fields["note"].Single());
        // Another community cannot touch this photo.
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() =>
            Photos(sp).RecordConsentAsync(shown, new RecordPhotoConsent { Note = "参加者现场签字同意" })));

        foreach (var p in new[] { shown, consentedOnly })
            await app.AsAsync("community", sp => Photos(sp).RecordConsentAsync(p, new RecordPhotoConsent { Note = "参加者现场签字同意，签字表已存档" }));
        var rows = await app.AsAsync("community", sp => Photos(sp).ListAsync(activity));
        await app.AsAsync("community", sp => Photos(sp).SetPublishableAsync(shown, new SetPhotoPublishable
            { Publishable = true, Caption = "城中社区火把节点火仪式", Version = rows.Single(r => r.EvidenceId == shown).Version }));
        rows = await app.AsAsync("community", sp => Photos(sp).ListAsync(activity));
        Assert.Equal((true, "演示城中社区工作人员", true), (rows.Single(r => r.EvidenceId == shown).ConsentUtc is not null, rows.Single(r => r.EvidenceId == shown).ConsentBy, rows.Single(r => r.EvidenceId == shown).Publishable));
        Assert.False(rows.Single(r => r.EvidenceId == consentedOnly).Publishable);
        Assert.Null(rows.Single(r => r.EvidenceId == noConsent).ConsentUtc);

        var anonymous = app.BrowserClient();
        var page = await (await anonymous.GetAsync("/public/news")).Content.ReadAsStringAsync();
        var feedResponse = await anonymous.GetAsync("/public/news/atom");
        Assert.Equal("application/atom+xml", feedResponse.Content.Headers.ContentType!.MediaType);
        var feedText = await feedResponse.Content.ReadAsStringAsync();
        foreach (var text in new[] { page, feedText })
        {
            Assert.Contains("城中社区火把节活动简报", text);
            Assert.Contains("马永福家庭", text);
            Assert.Contains($"/public/news/photos/{shown}", text);
            Assert.Contains("城中社区火把节点火仪式", text);
            foreach (var hidden in new[] { "尚在草稿的简报", "已采用未发布的简报", "李撤销家庭", "邻县的发布简报", consentedOnly.ToString(), noConsent.ToString() })
                Assert.DoesNotContain(hidden, text);
            Assert.DoesNotContain("<script>alert(1)", text);
            Assert.DoesNotContain("&lt;script&gt;alert(1)", text);
        }

        // Atom 1.0: the feed and every entry have an id, a title and an updated stamp; the feed names its author and itself.
        var feed = XDocument.Parse(feedText).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        foreach (var el in new[] { "id", "title", "updated" }) Assert.False(string.IsNullOrWhiteSpace(feed.Element(Atom + el)?.Value), el);
        Assert.Contains("新平彝族傣族自治县", feed.Element(Atom + "author")!.Element(Atom + "name")!.Value);
        Assert.Contains(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self" && ((string)l.Attribute("href")!).EndsWith("/public/news/atom", StringComparison.Ordinal));
        var entries = feed.Elements(Atom + "entry").ToList();
        // The brief, our decision and the activity (the demo county's own earlier 表彰 may stand beside them).
        foreach (var title in new[] { "城中社区火把节活动简报", "表彰决定：2026年度民族团结进步模范评选", "火把节联欢" })
            Assert.Contains(entries, e => e.Element(Atom + "title")!.Value == title);
        Assert.Equal(entries.Count, entries.Select(e => e.Element(Atom + "id")!.Value).Distinct().Count());
        foreach (var e in entries)
        {
            foreach (var el in new[] { "id", "title", "updated" }) Assert.False(string.IsNullOrWhiteSpace(e.Element(Atom + el)?.Value), el);
            Assert.True(DateTimeOffset.TryParse(e.Element(Atom + "updated")!.Value, out _));
            Assert.StartsWith("http", (string)e.Elements(Atom + "link").First(l => (string?)l.Attribute("rel") == "alternate").Attribute("href")!);
        }

        // The published photo: a fresh JPEG at most 1280 px, with no EXIF block at all (no camera, no GPS).
        var photo = await anonymous.GetAsync($"/public/news/photos/{shown}");
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        var jpeg = await photo.Content.ReadAsByteArrayAsync();
        Assert.Equal(-1, jpeg.AsSpan().IndexOf("Exif"u8));
        Assert.Equal(-1, jpeg.AsSpan().IndexOf("ShiliuTestCam"u8));
        using (var codec = SKCodec.Create(new MemoryStream(jpeg))) Assert.Equal(1280, Math.Max(codec.Info.Width, codec.Info.Height));
        // Served again from the redrawing kept in memory, byte for byte; a browser holding it is answered 304 without a body.
        var etag = photo.Headers.ETag!;
        Assert.Equal(jpeg, await anonymous.GetByteArrayAsync($"/public/news/photos/{shown}"));
        using (var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/public/news/photos/{shown}"))
        {
            revalidate.Headers.IfNoneMatch.Add(etag);
            var again = await anonymous.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        }
        foreach (var hidden in new[] { consentedOnly, noConsent, Guid.NewGuid() })
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/public/news/photos/{hidden}")).StatusCode);

        // A person asks to be taken down: withdrawing the consent takes the photo off the page, the feed and the route at once.
        rows = await app.AsAsync("community", sp => Photos(sp).ListAsync(activity));
        await app.AsAsync("community", sp => Photos(sp).WithdrawConsentAsync(shown, rows.Single(r => r.EvidenceId == shown).Version));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/public/news/photos/{shown}")).StatusCode);
        using (var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/public/news/photos/{shown}"))
        {
            // A browser that kept the photo asks again: taken down is 404, never 304.
            revalidate.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.SendAsync(revalidate)).StatusCode);
        }
        Assert.DoesNotContain(shown.ToString(), await (await anonymous.GetAsync("/public/news/atom")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(shown.ToString(), await (await anonymous.GetAsync("/public/news")).Content.ReadAsStringAsync());
        // A stale version is a conflict, not a silent overwrite.
        await app.AsAsync("community", async sp => await Assert.ThrowsAsync<ConcurrencyConflict>(() =>
            Photos(sp).RecordConsentAsync(shown, new RecordPhotoConsent { Note = "再次签字同意", Version = rows.Single(r => r.EvidenceId == shown).Version })));

        // A deleted photo is gone from the public side even while marked 可公开.
        rows = await app.AsAsync("community", sp => Photos(sp).ListAsync(activity));
        await app.AsAsync("community", sp => Photos(sp).SetPublishableAsync(consentedOnly, new SetPhotoPublishable { Publishable = true, Version = rows.Single(r => r.EvidenceId == consentedOnly).Version }));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/public/news/photos/{consentedOnly}")).StatusCode);
        await app.AsAsync("community", async sp =>
        {
            var ev = sp.GetRequiredService<EvidenceService>();
            await ev.DeleteAsync(consentedOnly, (await ev.GetAsync(consentedOnly)).Version);
        });
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/public/news/photos/{consentedOnly}")).StatusCode);

        await using (var db = await app.SystemDbAsync())
        {
            var audited = await db.AuditEntries.Where(a => a.EntityType == nameof(ActivityPhotoConsent)).Select(a => a.Summary).ToListAsync();
            Assert.Contains(audited, s => s!.Contains("可公开", StringComparison.Ordinal));
            Assert.True(audited.Count >= 5, $"{audited.Count} audit rows");
        }
    }
}
