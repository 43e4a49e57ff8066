using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Appeals;

/// <summary>
/// A year of the demo communities' 群众诉求: filed as the public form files them (and a few by staff from the hotline or
/// window), handled by the community's staff through the service, the resident's 已解决 given through the public page's
/// own path, then dated back. Most answered and closed, some awaiting the resident's word, two turned into a service case
/// or a dispute, one overdue, one just filed. Every text says 演示 and no resident is real.
/// </summary>
static class AppealDemo
{
    // Short (≤ 20 characters) so the title of a case opened from one still ends in （演示）.
    static readonly Dictionary<string, string[]> Texts = new()
    {
        ["environment"] = ["小区门口垃圾未及时清运（演示）", "村口沟渠堵塞有异味（演示）"],
        ["neighborhood"] = ["楼上住户夜间噪音扰民（演示）", "邻居占用公共通道堆物（演示）"],
        ["facilities"] = ["村道路灯损坏多日未修（演示）", "活动室屋顶漏雨（演示）"],
        ["employment"] = ["咨询灵活就业社保缴费（演示）"],
        ["education"] = ["咨询随迁子女入学手续（演示）"],
        ["health"] = ["咨询慢性病门诊报销（演示）"],
        ["ethnic"] = ["咨询少数民族学生升学政策（演示）", "需要彝语翻译陪同办事（演示）"],
        ["legal"] = ["咨询土地流转合同问题（演示）"],
    };

    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var communities = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Community).OrderBy(o => o.Code).ToListAsync(ct);
        var ids = communities.Select(c => c.Id).ToList();
        if (communities.Count == 0 || await db.Appeals.AnyAsync(a => ids.Contains(a.PlaceUnitId), ct)) return;
        var publicForm = seed.Services.GetRequiredService<PublicAppealService>();
        var calendar = await seed.Services.GetRequiredService<CalendarCache>().GetAsync(seed.Services.GetRequiredService<IDbContextFactory<ShiliuDb>>(), ct);
        var topics = Texts.Keys.ToArray();
        var fates = new Dictionary<string, int>();
        var n = 0;
        foreach (var community in communities)
        {
            var rng = DemoRandom.For("appeal-" + community.Code);
            var count = rng.Next(2, 4);
            for (var i = 0; i < count; i++, n++)
            {
                var topic = topics[rng.Next(topics.Length)];
                var texts = Texts[topic];
                var req = new FileAppeal { Topic = topic, Text = texts[rng.Next(texts.Length)], PlaceUnitId = community.Id, Name = "演示居民" };
                // One just filed, one overdue, two turned into other cases, some answered and awaiting the resident; the rest closed.
                var fate = n switch { 0 => "open", 3 => "overdue", 6 => "service", 8 => "dispute", _ when n % 6 == 1 => "answered", _ => "closed" };
                // Mostly through the public form; a third from the hotline or the window, entered by staff.
                var receipt = rng.Next(3) == 0
                    ? await DemoCallers.AsUnitAsync(seed.Services, community, Roles.CommunityStaff, sp =>
                        sp.GetRequiredService<AppealService>().CreateAsync(new FileAppeal
                        {
                            Topic = req.Topic, Text = req.Text, PlaceUnitId = req.PlaceUnitId, Name = req.Name, Channel = rng.Next(2) == 0 ? AppealChannel.Hotline : AppealChannel.Window,
                        }, ct))
                    : await publicForm.FileAsync(req, [], _ => Task.CompletedTask, ct);
                var id = receipt.Id;
                int V() => db.Appeals.AsNoTracking().Where(a => a.Id == id).Select(a => a.Version).Single();
                var answerDays = AppealNames.Topic(topic)!.AnswerDays;
                await DemoCallers.AsUnitAsync(seed.Services, community, Roles.CommunityStaff, async sp =>
                {
                    var s = sp.GetRequiredService<AppealService>();
                    if (fate == "open") return;
                    await s.StepAsync(id, "accept", null, V(), ct);
                    if (fate == "overdue") return;
                    if (fate is "service" or "dispute")
                    {
                        await s.ConvertAsync(id, fate == "service" ? ServiceCases.ServiceCaseKind.Key : Disputes.DisputeCaseKind.Key, V(), ct);
                        return;
                    }
                    await s.AnswerAsync(id, "已安排社区工作人员上门了解并处理，处理结果已告知（演示答复）。", V(), ct);
                });
                if (fate == "closed")
                    await publicForm.FeedbackAsync(receipt.Code, receipt.Pin, true, null, $"演示-{receipt.Code}", ct);
                var (filed, last) = fate switch
                {
                    "open" => (0, 0),
                    "overdue" => (rng.Next(25, 40), rng.Next(20, 25)),
                    "service" or "dispute" => (rng.Next(1, 3), 0),
                    "answered" => (rng.Next(3, 6), rng.Next(0, 3)),
                    _ => FiledAndAnswered(rng, answerDays),
                };
                await ShiftAsync(db, calendar, id, filed, last, ct);
                fates[fate] = fates.GetValueOrDefault(fate) + 1;
            }
        }
        seed.Report.Add($"已为演示社区登记 {n} 件演示群众诉求（" + string.Join("，", fates.OrderBy(f => f.Key).Select(f => $"{FateName(f.Key)} {f.Value} 件")) + "）");
    }

    static string FateName(string fate) => fate switch
    {
        "open" => "待受理", "overdue" => "逾期未答复", "service" => "转为服务事项", "dispute" => "转为矛盾纠纷", "answered" => "已答复待评价", _ => "已办结",
    };

    /// <summary>Filed 8–330 days ago; answered mostly within the topic's days (the odd one late).</summary>
    static (int, int) FiledAndAnswered(Random rng, int answerDays)
    {
        var filed = rng.Next(8, 330);
        var took = rng.Next(100) < 88 ? rng.Next(0, answerDays) : answerDays + rng.Next(4, 10);
        return (filed, Math.Max(0, filed - took));
    }

    /// <summary>
    /// Dates an appeal back: filing and acceptance <paramref name="filedDaysAgo"/> days ago, the answer, the resident's word
    /// and a conversion <paramref name="lastDaysAgo"/> days ago; the on-time answer is read again from the calendar for those dates.
    /// </summary>
    static async Task ShiftAsync(ShiliuDb db, WorkCalendar calendar, Guid id, int filedDaysAgo, int lastDaysAgo, CancellationToken ct)
    {
        var a = await db.Appeals.SingleAsync(x => x.Id == id, ct);
        var filed = TimeSpan.FromDays(filedDaysAgo);
        var last = TimeSpan.FromDays(lastDaysAgo);
        var steps = await db.WorkflowSteps.Where(s => s.Workflow == AppealFlow.Definition.Name && s.ItemId == id).OrderBy(s => s.Id).ToListAsync(ct);
        foreach (var s in steps) s.TimeUtc -= s.Action == "accept" ? filed : last;
        a.CreatedUtc -= filed;
        a.AnsweredUtc -= last;
        a.FeedbackUtc -= last;
        a.ClosedUtc -= last;
        if (a.AnsweredUtc is { } answered)
            a.AnsweredOnTime = Handover.Clock(calendar, AppealNames.Topic(a.Topic)?.Limit ?? new TimeLimit(10, ClockUnit.WorkingDays), a.CreatedUtc,
                steps, AppealFlow.Pausing, answered).State != DeadlineState.Overdue;
        await db.SaveChangesAsync(ct);
    }
}
