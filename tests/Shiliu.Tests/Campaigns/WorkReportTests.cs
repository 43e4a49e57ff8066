using Shiliu.Core.Platform.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.WorkReports;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Campaigns;

public sealed class WorkReportTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_brief_goes_draft_reported_returned_reported_adopted_published(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        WorkReportService S(IServiceProvider sp) => sp.GetRequiredService<WorkReportService>();
        var id = await app.AsAsync("community", sp => S(sp).SaveAsync(null, new SaveReport { Title = "城中社区举办民族团结联谊会", Body = "<p>各族群众 200 余人参加。</p>" }));

        // Drafts stay in their unit.
        Assert.Empty(await app.AsAsync("township", sp => S(sp).ListAsync(ReportList.Incoming)));
        await app.AsAsync("township", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => S(sp).GetAsync(id)));

        await app.AsAsync("community", sp => S(sp).ReportAsync(id, 0));
        var incoming = Assert.Single(await app.AsAsync("township", sp => S(sp).ListAsync(ReportList.Incoming)));
        Assert.Equal(("城中社区", ReportStatus.Reported), (incoming.UnitName, incoming.Status));
        Assert.Single(await app.AsAsync("county", sp => S(sp).ListAsync(ReportList.Incoming)));
        Assert.Empty(await app.AsAsync("community2", sp => S(sp).ListAsync(ReportList.Incoming)));

        var own = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(async () => S(sp).ReviewAsync(id, true, null, (await S(sp).GetAsync(id)).Version).GetAwaiter().GetResult()));
        Assert.Equal(WorkflowErrors.Denied, own.Code);
        await app.AsAsync("township", async sp => await S(sp).ReviewAsync(id, false, "请补充活动照片和参加人数的民族构成", (await S(sp).GetAsync(id)).Version));
        var returned = await app.AsAsync("community", sp => S(sp).GetAsync(id));
        Assert.Equal((ReportStatus.Returned, "请补充活动照片和参加人数的民族构成"), (returned.Status, returned.ReturnReason));

        await app.AsAsync("community", async sp => await S(sp).SaveAsync(id, new SaveReport
            { Title = returned.Title, Body = "<p>各族群众 200 余人参加，其中彝族 86 人、傣族 41 人。</p>", Version = returned.Version }));
        await app.AsAsync("community", async sp => await S(sp).ReportAsync(id, (await S(sp).GetAsync(id)).Version));
        await app.AsAsync("county", async sp => await S(sp).ReviewAsync(id, true, null, (await S(sp).GetAsync(id)).Version));
        var denied = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(async () =>
            await S(sp).PublishAsync(id, true, (await S(sp).GetAsync(id)).Version)));
        Assert.Equal(ReportErrors.Denied, denied.Code);
        await app.AsAsync("county", async sp => await S(sp).PublishAsync(id, true, (await S(sp).GetAsync(id)).Version));

        // Published briefs are readable in every unit, even outside the author's branch.
        var seen = await app.AsAsync("community2", sp => S(sp).GetAsync(id));
        Assert.Contains("彝族 86 人", seen.Body);
        Assert.Single(await app.AsAsync("community2", sp => S(sp).ListAsync(ReportList.Published)));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Script_in_the_body_is_removed_and_a_body_of_only_script_is_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await app.AsAsync("community", sp => sp.GetRequiredService<WorkReportService>().SaveAsync(null, new SaveReport
        {
            Title = "宣传活动",
            Body = "<p onclick=\"alert(1)\">开展<b>政策宣讲</b><script>alert(2)</script><img src=x onerror=alert(3)><a href=\"javascript:alert(4)\">链接</a></p>",
        }));
        var body = (await app.AsAsync("community", sp => sp.GetRequiredService<WorkReportService>().GetAsync(id))).Body;
        // Disallowed elements go with their content; allowed formatting stays.
        Assert.Equal("<p>开展<b>政策宣讲</b></p>", body);
        var empty = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            sp.GetRequiredService<WorkReportService>().SaveAsync(null, new SaveReport { Title = "空", Body = "<script>alert(1)</script>" })));
        Assert.Contains("正文不能为空", empty.Message);
        await using var db = await app.SystemDbAsync();
        Assert.DoesNotContain(await db.WorkReports.Select(r => r.Body).ToListAsync(), b => b.Contains("script") || b.Contains("onerror"));
    }
}
