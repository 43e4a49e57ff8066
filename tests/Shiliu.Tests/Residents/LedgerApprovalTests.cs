using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Notifications;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Core.Residents;
using Shiliu.Core.Residents.Import;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Residents;

/// <summary>
/// 四眼原则 for ledger exports: above the county's threshold (3 people here, 500 by default) the ledger goes out only
/// through a request that another person in or above the requester's unit approves, and only to the requester.
/// </summary>
public sealed class LedgerApprovalTests
{
    const string Chengzhong = "530427001001", ChengzhongGrid = "530427001001-G01", Yangwu = "530427101001";
    const string Module = "少数民族档案";

    static Task<ShiliuApp> StartAsync(DbProvider kind, FakeTimeProvider? clock = null) =>
        ShiliuApp.StartAsync(kind, new Dictionary<string, string> { ["Exports:ApprovalAbove"] = "3" }, clock);

    /// <summary>Registers people in a unit as the system would, each with a whole ID number and phone to keep out of the ledger.</summary>
    static async Task<List<string>> RegisterAsync(ShiliuApp app, string unitCode, int count, string household = "CZ-0101")
    {
        var unit = await app.UnitAsync(unitCode);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = Ids.Next();
            var person = ResidentTests.Floating(unit.Id, id);
            person.HouseholdNo = household;
            await app.AsAsync(null, sp => sp.GetRequiredService<ResidentService>().CreateAsync(person));
            ids.Add(id);
        }
        return ids;
    }

    static ResidentLedger Ledger(IServiceProvider sp) => sp.GetRequiredService<ResidentLedger>();

    static async Task<int> TodoAsync(ShiliuApp app, string user, string title) =>
        (await app.AsAsync(user, sp => sp.GetRequiredService<TodoService>().MineAsync())).Where(t => t.Module == Module && t.Title == title).Sum(t => t.Count);

    static async Task<List<string>> NotificationsAsync(ShiliuApp app, string user) =>
        (await app.AsAsync(user, sp => sp.GetRequiredService<NotificationService>().ListAsync())).Items.Select(n => n.Title).ToList();

    static async Task<JsonElement> JsonAsync(HttpResponseMessage res) => await res.Content.ReadFromJsonAsync<JsonElement>();

    static async Task<string?> CodeAsync(HttpResponseMessage res) => (await JsonAsync(res)).GetProperty("code").GetString();

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Above_the_threshold_the_ledger_is_requested_approved_by_the_township_and_downloaded_by_the_requester_alone(DbProvider kind)
    {
        await using var app = await StartAsync(kind);
        var community = await app.UnitAsync(Chengzhong);
        var people = await RegisterAsync(app, ChengzhongGrid, 3);
        people.AddRange(await RegisterAsync(app, ChengzhongGrid, 2, household: "CZ-0202"));
        using var requester = app.ApiClient(await app.TokenForAsync("community"));
        using var township = app.ApiClient(await app.TokenForAsync("township"));
        using var county = app.ApiClient(await app.TokenForAsync("county"));
        using var outsider = app.ApiClient(await app.TokenForAsync("community2"));

        // Five people: refused with the count, and the page's cue to ask instead.
        using (var refused = await requester.PostAsJsonAsync("/api/v1/residents/ledger", new { purpose = "核对低保名单" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await JsonAsync(refused);
            Assert.Equal("resident.export_needs_approval", problem.GetProperty("code").GetString());
            Assert.Equal(5, problem.GetProperty("selected").GetInt32());
            Assert.Contains("所选 5 人，超过 3 人", problem.GetProperty("detail").GetString());
        }
        // Two of them (one household) go out directly; asking for them is refused as needless.
        using (var small = await requester.PostAsJsonAsync("/api/v1/residents/ledger", new { householdNo = "CZ-0202", purpose = "核对低保名单" }))
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        using (var needless = await requester.PostAsJsonAsync("/api/v1/residents/ledger/requests", new { householdNo = "CZ-0202", purpose = "核对低保名单" }))
            Assert.Equal((HttpStatusCode.BadRequest, "resident.invalid"), (needless.StatusCode, await CodeAsync(needless)));

        using var created = await requester.PostAsJsonAsync("/api/v1/residents/ledger/requests", new { purpose = "核对低保名单" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/residents/ledger/requests/{id}", created.Headers.Location!.OriginalString);
        using (var again = await requester.PostAsJsonAsync("/api/v1/residents/ledger/requests", new { purpose = "核对低保名单" }))
            Assert.Equal("resident.duplicate", await CodeAsync(again));
        using (var opened = await requester.GetAsync(created.Headers.Location))
        {
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
            var row = await JsonAsync(opened);
            Assert.Equal(("Pending", 5, "核对低保名单", "community"), (row.GetProperty("status").GetString(), row.GetProperty("count").GetInt32(),
                row.GetProperty("purpose").GetString(), row.GetProperty("requestedBy").GetString()));
            Assert.Equal($"{community.Name} · 在册", row.GetProperty("selection").GetString());
            Assert.False(row.GetProperty("canDecide").GetBoolean());
            Assert.False(row.GetProperty("canDownload").GetBoolean());
        }
        // The township's approvers are told and see it waiting; the county, not the unit above a community, is not told.
        Assert.Contains(await NotificationsAsync(app, "township"), t => t.StartsWith("community申请导出" + community.Name) && t.Contains("5人") && t.Contains("核对低保名单"));
        Assert.Empty(await NotificationsAsync(app, "county"));
        Assert.Equal(1, await TodoAsync(app, "township", "待审批的台账导出申请"));
        Assert.Equal(0, await TodoAsync(app, "community", "已批准待下载的台账"));

        // Not yet approved: nothing to download. The requester's role cannot approve; another community cannot even see it.
        using (var early = await requester.PostAsync($"/api/v1/residents/ledger/requests/{id}/download", null))
            Assert.Equal((HttpStatusCode.BadRequest, "workflow.state"), (early.StatusCode, await CodeAsync(early)));
        using (var self = await requester.PostAsJsonAsync($"/api/v1/residents/ledger/requests/{id}/approve", new { version = 0 }))
            Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        using (var hidden = await outsider.GetAsync($"/api/v1/residents/ledger/requests/{id}"))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        var list = await JsonAsync(await township.GetAsync("/api/v1/residents/ledger/requests?status=Pending"));
        var seen = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.True(seen.GetProperty("canDecide").GetBoolean());
        // A refusal needs its reason.
        using (var bare = await township.PostAsJsonAsync($"/api/v1/residents/ledger/requests/{id}/refuse", new { reason = " ", version = 0 }))
            Assert.Equal((HttpStatusCode.BadRequest, "workflow.reason"), (bare.StatusCode, await CodeAsync(bare)));

        using (var approved = await township.PostAsJsonAsync($"/api/v1/residents/ledger/requests/{id}/approve", new { version = seen.GetProperty("version").GetInt32() }))
            Assert.Equal(HttpStatusCode.NoContent, approved.StatusCode);
        Assert.Contains($"桂山街道批准了{community.Name}台账导出申请（5人）", await NotificationsAsync(app, "community"));
        Assert.Equal(0, await TodoAsync(app, "township", "待审批的台账导出申请"));
        Assert.Equal(1, await TodoAsync(app, "community", "已批准待下载的台账"));

        // The approval is the requester's: the approver and the county office, both in scope, may not take the file.
        foreach (var other in new[] { township, county })
        {
            using var taken = await other.PostAsync($"/api/v1/residents/ledger/requests/{id}/download", null);
            Assert.Equal((HttpStatusCode.Forbidden, "resident.denied"), (taken.StatusCode, await CodeAsync(taken)));
        }
        using (var foreign = await outsider.PostAsync($"/api/v1/residents/ledger/requests/{id}/download", null))
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        using var file = await requester.PostAsync($"/api/v1/residents/ledger/requests/{id}/download", null);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(Shiliu.Web.Hosting.Exported.Xlsx, file.Content.Headers.ContentType!.MediaType);
        var bytes = await file.Content.ReadAsByteArrayAsync();
        using (var reader = XlsxReader.Open(new MemoryStream(bytes)))
        {
            var rows = reader.Rows().ToList();
            var provenance = rows[1][0]!.Value.Text;
            Assert.Contains("共 5 人", provenance);
            Assert.Contains("township 于", provenance);
            Assert.Contains("用途：核对低保名单", provenance);
            var data = rows.Skip(3).Where(r => !string.IsNullOrEmpty(r[1]?.Text)).ToList();
            Assert.Equal(5, data.Count);
            Assert.Equal(people.Select(IdNumber.Mask).Order(), data.Select(r => r[4]!.Value.Text).Order());
            Assert.All(data, r => Assert.Equal("139****4321", r[6]!.Value.Text));
        }
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes)))
        {
            var all = string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".xml")).Select(e => new StreamReader(e.Open()).ReadToEnd()));
            Assert.All(people, p => Assert.DoesNotContain(p, all));
            Assert.DoesNotContain("13987654321", all);
        }

        await using (var db = await app.SystemDbAsync())
        {
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            var export = await db.AuditEntries.SingleAsync(a => a.Event == AuditEvents.PersonalDataExport && a.EntityId == id.ToString());
            Assert.Equal("community", export.UserName);
            Assert.Contains("：5 行", export.Summary);
            Assert.Contains("用途：核对低保名单", export.Summary);
            Assert.Contains(sha, export.Summary);
            var steps = await db.AuditEntries.Where(a => a.Event == AuditEvents.WorkflowStep && a.EntityId == id.ToString()).OrderBy(a => a.Id).Select(a => a.Summary).ToListAsync();
            Assert.Equal(2, steps.Count);
            Assert.StartsWith("批准", steps[0]);
            Assert.StartsWith("下载", steps[1]);
        }
        var done = await app.AsAsync("community", sp => Ledger(sp).GetRequestAsync(id));
        Assert.Equal((LedgerExportStatus.Exported, 1, "township"), (done.Status, done.Downloads, done.DecidedBy));
        Assert.True(done.CanDownload);
        Assert.Equal(0, await TodoAsync(app, "community", "已批准待下载的台账"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_requester_may_not_decide_their_own_request_and_approvers_decide_only_within_their_scope(DbProvider kind)
    {
        await using var app = await StartAsync(kind);
        await RegisterAsync(app, ChengzhongGrid, 4);
        await RegisterAsync(app, Yangwu, 4);
        var guishan = await app.UnitAsync("530427001000");

        // The township officer asks for the township's ledger: the role could approve, but not its own request.
        var own = await app.AsAsync("township", sp => Ledger(sp).RequestAsync(new ResidentQuery(), "全街道入户核查"));
        var self = await app.AsAsync("township", sp => Assert.ThrowsAsync<RuleViolation>(() => Ledger(sp).ApproveAsync(own)));
        Assert.Equal(WorkflowErrors.FourEyes, self.Code);
        Assert.Contains("四眼原则", self.Message);
        Assert.Equal(WorkflowErrors.FourEyes,
            (await app.AsAsync("township", sp => Assert.ThrowsAsync<RuleViolation>(() => Ledger(sp).RefuseAsync(own, "改主意了")))).Code);
        using (var api = app.ApiClient(await app.TokenForAsync("township")))
        using (var res = await api.PostAsJsonAsync($"/api/v1/residents/ledger/requests/{own}/approve", new { version = 0 }))
            Assert.Equal((HttpStatusCode.Forbidden, "workflow.four_eyes"), (res.StatusCode, await CodeAsync(res)));
        Assert.False((await app.AsAsync("township", sp => Ledger(sp).GetRequestAsync(own))).CanDecide);
        // Its own approvers' count leaves it out; no other approver sits in 桂山街道, so the county's are told.
        Assert.Equal(0, await TodoAsync(app, "township", "待审批的台账导出申请"));
        Assert.Contains(await NotificationsAsync(app, "county"), t => t.StartsWith("township申请导出" + guishan.Name));
        Assert.Contains(await NotificationsAsync(app, "leader"), t => t.StartsWith("township申请导出" + guishan.Name));
        Assert.Equal(1, await TodoAsync(app, "leader", "待审批的台账导出申请"));

        // 扬武镇's community asks: 桂山街道's approver does not see it and cannot decide it; the county can.
        var far = await app.AsAsync("community2", sp => Ledger(sp).RequestAsync(new ResidentQuery(), "核对流动人口"));
        await app.AsAsync("township", async sp =>
        {
            await Assert.ThrowsAsync<NotFoundInScope>(() => Ledger(sp).GetRequestAsync(far));
            await Assert.ThrowsAsync<NotFoundInScope>(() => Ledger(sp).ApproveAsync(far));
            Assert.DoesNotContain((await Ledger(sp).RequestsAsync(new LedgerExportQuery())).Items, r => r.Id == far);
        });
        using (var api = app.ApiClient(await app.TokenForAsync("township")))
        using (var res = await api.PostAsJsonAsync($"/api/v1/residents/ledger/requests/{far}/approve", new { version = 0 }))
            Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Equal(2, await TodoAsync(app, "county", "待审批的台账导出申请"));

        await app.AsAsync("county", sp => Ledger(sp).RefuseAsync(far, "用途不明确，请写明核对哪项工作"));
        await app.AsAsync("leader", sp => Ledger(sp).ApproveAsync(own));
        var refused = await app.AsAsync("community2", sp => Ledger(sp).GetRequestAsync(far));
        Assert.Equal((LedgerExportStatus.Refused, "用途不明确，请写明核对哪项工作", "county"), (refused.Status, refused.RefuseReason, refused.DecidedBy));
        Assert.Contains(await NotificationsAsync(app, "community2"), t => t.Contains("驳回了") && t.EndsWith("：用途不明确，请写明核对哪项工作"));
        Assert.Contains(await NotificationsAsync(app, "township"), t => t.EndsWith("批准了" + guishan.Name + "台账导出申请（4人）"));
        Assert.Equal(WorkflowErrors.State,
            (await app.AsAsync("community2", sp => Assert.ThrowsAsync<RuleViolation>(() => Ledger(sp).DownloadAsync(far)))).Code);
        Assert.Equal(0, await TodoAsync(app, "county", "待审批的台账导出申请"));

        await using var file = await app.AsAsync("township", sp => Ledger(sp).DownloadAsync(own));
        Assert.Equal(4, file.Rows);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_approval_covers_modest_growth_and_expires_after_its_days(DbProvider kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await StartAsync(kind, clock);
        await RegisterAsync(app, ChengzhongGrid, 5);
        var id = await app.AsAsync("community", sp => Ledger(sp).RequestAsync(new ResidentQuery(), "核对低保名单"));
        await app.AsAsync("township", sp => Ledger(sp).ApproveAsync(id));
        var approved = await app.AsAsync("community", sp => Ledger(sp).GetRequestAsync(id));
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(7), approved.ExpiresUtc!.Value, TimeSpan.FromSeconds(1));

        // Registered since the request: up to ten more people still count as approved (10%, at least 10)...
        await RegisterAsync(app, ChengzhongGrid, 10);
        await using (var file = await app.AsAsync("community", sp => Ledger(sp).DownloadAsync(id)))
            Assert.Equal(15, file.Rows);
        // ...one more is not what the approver saw.
        await RegisterAsync(app, ChengzhongGrid, 1);
        var outgrown = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => Ledger(sp).DownloadAsync(id)));
        Assert.Equal(ResidentErrors.ExportOutgrown, outgrown.Code);
        Assert.Contains("由批准时的 5 人增加到 16 人", outgrown.Message);
        Assert.Equal(1, (await app.AsAsync("community", sp => Ledger(sp).GetRequestAsync(id))).Downloads);

        // A second request, approved and left: counted as waiting until its days are up, then refused.
        var late = await app.AsAsync("community", sp => Ledger(sp).RequestAsync(new ResidentQuery { ResidenceType = ResidenceType.Floating }, "复核流动人口"));
        await app.AsAsync("county", sp => Ledger(sp).ApproveAsync(late));
        Assert.Equal(1, await TodoAsync(app, "community", "已批准待下载的台账"));
        clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await TodoAsync(app, "community", "已批准待下载的台账"));
        var expired = await app.AsAsync("community", sp => Ledger(sp).GetRequestAsync(late));
        Assert.True(expired.Expired);
        Assert.False(expired.CanDownload);
        Assert.Equal("已过期", expired.StatusName);
        var refused = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => Ledger(sp).DownloadAsync(late)));
        Assert.Equal(ResidentErrors.ExportExpired, refused.Code);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Event == AuditEvents.PersonalDataExport && a.EntityId == late.ToString()));
    }
}
