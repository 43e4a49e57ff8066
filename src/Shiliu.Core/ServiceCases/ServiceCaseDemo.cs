using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.ServiceCases;

/// <summary>
/// A year of the demo communities' service cases (服务群众): opened and moved through the one workflow by the service, then
/// dated back over the last twelve months (case and steps together, so the clock, the tallies and the history agree):
/// most closed and revisited with a satisfaction rating, a few 重办 after 不满意, some still open and some of those overdue.
/// Every case says 演示 and names no real person.
/// </summary>
static class ServiceCaseDemo
{
    static readonly Dictionary<string, string[]> Titles = new()
    {
        ["就业指导"] = ["咨询县城务工岗位", "申请就业困难人员认定", "办理失业登记"],
        ["职业培训"] = ["报名茶叶种植技术培训", "咨询家政服务培训", "报名电商直播培训"],
        ["子女入学"] = ["随迁子女就近入学咨询", "办理转学手续", "申请民族班就读"],
        ["医疗卫生"] = ["办理城乡居民医保", "慢性病门诊备案", "家庭医生签约"],
        ["社会救助"] = ["申请临时救助", "低保复核材料咨询", "申请困难群众慰问"],
        ["民族语文翻译"] = ["彝汉双语翻译办事材料", "傣语政策解读", "哈尼语就医陪同翻译"],
        ["法律援助"] = ["劳务费追讨咨询", "土地承包纠纷法律咨询", "赡养纠纷法律援助"],
        ["政策咨询"] = ["咨询少数民族高考加分政策", "咨询民族团结示范户评选条件", "咨询惠农补贴政策"],
    };

    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var communities = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Community).OrderBy(o => o.Code).ToListAsync(ct);
        var ids = communities.Select(c => c.Id).ToList();
        if (communities.Count == 0 || await db.ServiceCases.AnyAsync(c => ids.Contains(c.OrgUnitId), ct)) return;
        var types = await db.ServiceTypes.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.SortOrder).ToListAsync(ct);
        if (types.Count == 0) return;
        var service = seed.Services.GetRequiredService<ServiceCaseService>();
        var calendar = await seed.Services.GetRequiredService<CalendarCache>().GetAsync(seed.Services.GetRequiredService<IDbContextFactory<ShiliuDb>>(), ct);
        var now = db.UtcNow;
        int made = 0, overdue = 0, rated = 0;
        foreach (var community in communities)
        {
            var rng = DemoRandom.For("service-" + community.Code);
            var count = rng.Next(6, 11);
            for (var i = 0; i < count; i++)
            {
                var type = types[rng.Next(types.Count)];
                var titles = Titles.GetValueOrDefault(type.Name, ["代办证件咨询", "反映小区设施问题", "群众办事咨询"]);
                var id = await service.CreateAsync(new CreateServiceCase
                {
                    TypeId = type.Id, OrgUnitId = community.Id, Source = (ServiceSource)rng.Next(1, 5), PersonName = "演示居民",
                    Title = $"{titles[rng.Next(titles.Length)]}（演示）", Request = "演示数据：群众诉求为虚构。",
                }, ct);
                // Which fate: 0 open within its time, 1 open and overdue, the rest closed (and revisited where the type asks).
                var fate = i switch { 0 => 0, 1 when rng.Next(3) > 0 => 1, _ => 2 };
                int V() => db.ServiceCases.AsNoTracking().Where(c => c.Id == id).Select(c => c.Version).Single();
                if (fate < 2)
                {
                    await service.StepAsync(id, "handle", new ServiceStep(null, V()), ct);
                    var back = fate == 0 ? rng.Next(0, 2) : rng.Next(25, 60);
                    await ShiftAsync(db, calendar, id, back, back, now, ct);
                    if (fate == 1) overdue++;
                }
                else
                {
                    await service.StepAsync(id, "handle", new ServiceStep(null, V()), ct);
                    await service.StepAsync(id, "close", new ServiceStep("已按政策办理并告知群众（演示）", V()), ct);
                    var satisfaction = rng.Next(100) switch { < 70 => Satisfaction.Satisfied, < 92 => Satisfaction.Basic, _ => Satisfaction.Unsatisfied };
                    if (type.NeedsRevisit)
                    {
                        await service.StepAsync(id, "revisit", new ServiceStep(satisfaction == Satisfaction.Unsatisfied ? "群众认为办理时间过长（演示）" : null, V(), Satisfaction: satisfaction), ct);
                        rated++;
                    }
                    // Opened 0–330 days ago; closed within (mostly) the type's limit.
                    var opened = rng.Next(3, 330);
                    var took = rng.Next(100) < 85 ? rng.Next(0, Math.Max(1, type.TimeLimitDays)) : type.TimeLimitDays + rng.Next(2, 8);
                    await ShiftAsync(db, calendar, id, opened, Math.Max(0, opened - took), now, ct);
                }
                made++;
            }
        }
        seed.Report.Add($"已为演示社区登记 {made} 件演示服务事项（{rated} 件已回访评价，{overdue} 件逾期未办结）");
    }

    /// <summary>
    /// Dates a case back: its acceptance <paramref name="openedDaysAgo"/> days ago, its later steps <paramref name="lastDaysAgo"/> days ago;
    /// the deadline and the closing figures are read again from the calendar for those dates. Saved through the context, so
    /// the unit-month tallies follow.
    /// </summary>
    static async Task ShiftAsync(ShiliuDb db, WorkCalendar calendar, Guid id, int openedDaysAgo, int lastDaysAgo, DateTime now, CancellationToken ct)
    {
        var c = await db.ServiceCases.SingleAsync(x => x.Id == id, ct);
        var steps = await db.WorkflowSteps.Where(s => s.Workflow == ServiceCaseFlow.Name && s.ItemId == id).OrderBy(s => s.Id).ToListAsync(ct);
        var open = TimeSpan.FromDays(openedDaysAgo);
        var last = TimeSpan.FromDays(lastDaysAgo);
        foreach (var s in steps) s.TimeUtc -= s.Action == "accept" ? open : last;
        (c.CreatedUtc, c.AcceptedUtc) = (c.CreatedUtc - open, c.AcceptedUtc - open);
        var limit = new TimeLimit(c.TimeLimitDays, ClockUnit.WorkingDays);
        if (c.ClosedUtc is { } closed)
        {
            c.ClosedUtc = closed - last;
            var reading = DeadlineClock.Read(calendar, limit, c.AcceptedUtc, [], c.ClosedUtc.Value);
            c.ClosedOnTime = reading.State != DeadlineState.Overdue;
            c.DaysToClose = Math.Round((double)reading.UsedMinutes / calendar.Hours.MinutesPerDay, 2);
            c.DueUtc = null;
        }
        else c.DueUtc = DeadlineClock.Read(calendar, limit, c.AcceptedUtc, [], now).DueUtc;
        if (c.RevisitedUtc is { } revisited) c.RevisitedUtc = revisited - last;
        await db.SaveChangesAsync(ct);
    }
}
