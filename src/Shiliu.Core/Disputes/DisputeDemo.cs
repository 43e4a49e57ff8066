using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.JointMeetings;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Disputes;

/// <summary>
/// A year of the demo communities' 矛盾纠纷 work, made through the module's services as each community's staff would
/// (so numbering, notices, the workflow and need-to-know all apply) and then dated back: monthly 排查 with 零报告 and
/// the month reported upward (a few late), cases in the three colours — most mediated and closed, some failed, a few
/// escalated to the township, a couple overdue, a few 涉民族因素 — and a township 联席会议 whose decisions became tasks.
/// Every record says 演示; no party is a real person.
/// </summary>
static class DisputeDemo
{
    static readonly (string Category, string Title, string Summary)[] Cases =
    [
        ("D02", "两户因排水沟引发的邻里纠纷", "相邻两户因排水沟走向发生争执（演示数据，情节虚构）。"),
        ("D03", "宅基地界址纠纷", "两户对宅基地界址认识不一，多次争吵（演示数据，情节虚构）。"),
        ("D04", "灌溉用水分配纠纷", "村民小组之间对灌溉用水轮灌时间有争议（演示数据，情节虚构）。"),
        ("D05", "务工工资拖欠纠纷", "务工人员反映包工头拖欠工资（演示数据，情节虚构）。"),
        ("D01", "赡养老人纠纷", "兄弟间对赡养老人费用分担有分歧（演示数据，情节虚构）。"),
        ("D06", "借款归还纠纷", "亲戚之间借款到期未还（演示数据，情节虚构）。"),
        ("D07", "牲畜损害庄稼赔偿纠纷", "散养牲畜进入邻户田地损坏庄稼（演示数据，情节虚构）。"),
        ("D08", "婚丧习俗安排分歧", "不同民族家庭对婚礼习俗安排意见不一（演示数据，情节虚构）。"),
    ];

    static readonly string[] Surnames = ["李", "王", "张", "刀", "普", "白", "杨", "罗", "陈", "方"];
    static readonly (string Code, string Name)[] Peoples = [("07", "彝族"), ("18", "傣族"), ("01", "汉族"), ("16", "哈尼族"), ("24", "拉祜族")];

    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var communities = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Community).OrderBy(o => o.Code).ToListAsync(ct);
        var ids = communities.Select(c => c.Id).ToList();
        if (communities.Count == 0 || await db.Disputes.AnyAsync(d => ids.Contains(d.RegisteredUnitId), ct)
            || await db.DisputeScreenings.AnyAsync(s => ids.Contains(s.OrgUnitId), ct)) return;
        if (!await db.DictionaryItems.AnyAsync(d => d.Kind == DisputeDictionaries.Category, ct)) return;
        var towns = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Township).ToDictionaryAsync(o => o.Id, ct);
        var now = db.UtcNow;
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(now));
        var options = seed.Services.GetRequiredService<DisputeOptions>();
        int screenings = 0, nil = 0, reports = 0, late = 0, made = 0, n = 0;
        var fates = new Dictionary<string, int>();
        Guid? escalatedAtFirstTown = null;

        foreach (var community in communities)
        {
            var rng = DemoRandom.For("dispute-" + community.Code);
            var town = towns[community.ParentId!.Value];
            // 排查: one or two a month for the last twelve months, each past month reported upward.
            await DemoCallers.AsUnitAsync(seed.Services, community, Roles.CommunityStaff, async sp =>
            {
                var service = sp.GetRequiredService<ScreeningService>();
                for (var k = 11; k >= 0; k--)
                {
                    var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-k);
                    var last = k == 0 ? today : first.AddMonths(1).AddDays(-1);
                    var earliest = k == 11 ? Max(first, today.AddYears(-1).AddDays(1)) : first;
                    if (earliest > last) continue;
                    // The month is reported by the 20th (每月20日前), now and then a few days late; its screenings come before the report.
                    var reportDay = rng.Next(100) < 10 ? rng.Next(21, 26) : rng.Next(12, 21);
                    var reportOn = new DateOnly(first.Year, first.Month, Math.Min(reportDay, DateTime.DaysInMonth(first.Year, first.Month)));
                    var reported = reportOn <= today && reportOn >= earliest;
                    if (reported) last = reportOn;
                    if (earliest > last) last = earliest;
                    var times = rng.Next(100) < 30 ? 2 : 1;
                    for (var t = 0; t < times; t++)
                    {
                        var date = earliest.AddDays(rng.Next(last.DayNumber - earliest.DayNumber + 1));
                        var found = rng.Next(100) < 35;
                        await service.SaveAsync(found
                            ? new SaveScreening
                            {
                                Date = date, Area = $"{community.Name}全域（演示）", Screener = "演示网格员", FactorCount = rng.Next(1, 3),
                                Risk = rng.Next(100) < 80 ? ScreeningRisk.Low : ScreeningRisk.Medium, EthnicFactors = rng.Next(100) < 8,
                                Factors = "排查发现邻里、土地等方面的矛盾苗头，已登记跟进（演示数据）",
                            }
                            : new SaveScreening { Date = date, Area = $"{community.Name}全域（演示）", Screener = "演示网格员", Nil = true }, ct);
                        screenings++;
                        if (!found) nil++;
                    }
                    if (!reported) continue;
                    var month = ScreeningService.MonthOf(first);
                    await service.ReportAsync(month, ct);
                    var r = await db.DisputeScreeningReports.SingleAsync(x => x.OrgUnitId == community.Id && x.Month == month, ct);
                    r.ReportedUtc = ChinaTime.ToUtc(reportOn.ToDateTime(new TimeOnly(16, rng.Next(60))));
                    if (r.ReportedUtc > now) r.ReportedUtc = now;
                    r.Late = reportOn > new DateOnly(first.Year, first.Month, Math.Min(options.ReportDueDay, DateTime.DaysInMonth(first.Year, first.Month)));
                    await db.SaveChangesAsync(ct);
                    reports++;
                    if (r.Late) late++;
                }
            });

            // Cases: two to four a community, through the workflow, then dated back.
            var count = rng.Next(2, 5);
            for (var i = 0; i < count; i++, n++)
            {
                var (category, title, summary) = Cases[rng.Next(Cases.Length)];
                var colour = rng.Next(100) switch { < 60 => RiskColour.Blue, < 90 => RiskColour.Yellow, _ => RiskColour.Red };
                var ethnic = n % 11 == 3 || category == "D08";
                // Which fate: 2 and 19 overdue, every 9th escalated to the township, every 7th just registered; the rest concluded.
                var fate = n is 2 or 19 ? "overdue" : n % 9 == 4 ? "escalated" : n % 7 == 5 ? "open" : n % 5 == 1 ? "unresolved" : "resolved";
                var difficult = n == 8;
                // The first case escalated in the first township stays there, received and being handled: a fresh blue one.
                var staysOpen = fate == "escalated" && escalatedAtFirstTown is null && town.Code == communities[0].Code[..9] + "000";
                if (staysOpen) colour = RiskColour.Blue;
                var id = await DemoCallers.AsUnitAsync(seed.Services, community, Roles.CommunityStaff, sp => sp.GetRequiredService<DisputeService>().RegisterAsync(new SaveDispute
                {
                    OrgUnitId = community.Id, Title = $"{title}（演示）", Summary = summary, CategoryCode = category, EthnicFactors = ethnic,
                    Tier = fate == "escalated" ? DisputeTier.Complex : difficult ? DisputeTier.Difficult : DisputeTier.Simple,
                    Leader = difficult ? "县司法局副局长（演示）" : null, Colour = colour,
                    Source = (DisputeSource)rng.Next(1, 6), Place = $"{community.Name}（演示）", OccurredOn = today,
                    Parties = [Party(rng, PartyRole.Applicant), Party(rng, PartyRole.Respondent)],
                }, ct));
                int V() => db.Disputes.AsNoTracking().Where(d => d.Id == id).Select(d => d.Version).Single();
                int open, last;
                await DemoCallers.AsUnitAsync(seed.Services, community, Roles.CommunityStaff, async sp =>
                {
                    var s = sp.GetRequiredService<DisputeService>();
                    if (fate == "open") return;
                    await s.StepAsync(id, "accept", null, V(), ct);
                    if (fate == "escalated")
                    {
                        await s.EscalateAsync(id, "涉及多个村民小组，需乡镇协调（演示）", V(), ct);
                        return;
                    }
                    await s.AddMediationAsync(id, new SaveMediation { Date = today, Mediator = "演示调解员", Content = "组织双方当面调解，释法明理（演示数据）" }, ct);
                    if (fate == "overdue") return;
                    await Conclude(s, id, fate == "resolved", V, n, today, ct);
                });
                if (fate == "escalated")
                {
                    // The township receives it (same number) and, but for the first one, mediates it to a close.
                    await DemoCallers.AsUnitAsync(seed.Services, town, Roles.TownshipOfficer, async sp =>
                    {
                        var s = sp.GetRequiredService<DisputeService>();
                        await s.StepAsync(id, "receive", null, V(), ct);
                        if (staysOpen) { escalatedAtFirstTown = id; return; }
                        await s.AddMediationAsync(id, new SaveMediation { Date = today, Mediator = "乡镇调委会演示调解员", Content = "乡镇调委会联合派出所、司法所调解（演示数据）" }, ct);
                        await Conclude(s, id, true, V, n, today, ct);
                    });
                }
                (open, last) = fate switch
                {
                    "open" => (0, 0),
                    "overdue" => (rng.Next(20, 45), rng.Next(3, 10)),
                    _ when staysOpen => (1, 0),
                    _ => OpenedAndConcluded(rng),
                };
                await ShiftAsync(db, id, open, last, ct);
                fates[fate] = fates.GetValueOrDefault(fate) + 1;
                made++;
            }
        }

        var meetings = await MeetingAsync(seed, communities, towns, escalatedAtFirstTown, today, ct);
        seed.Report.Add($"已为演示社区登记 {screenings} 次演示矛盾纠纷排查（{nil} 次零报告，{reports} 份月报，其中 {late} 份逾期上报）和 {made} 件演示矛盾纠纷（" +
                        string.Join("，", fates.OrderBy(f => f.Key).Select(f => $"{FateName(f.Key)} {f.Value} 件")) + $"），{meetings}");
    }

    static string FateName(string fate) => fate switch
    {
        "open" => "新登记", "overdue" => "逾期未调结", "escalated" => "上报乡镇", "unresolved" => "调解不成后结案", _ => "调解成功并结案",
    };

    static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    static (int, int) OpenedAndConcluded(Random rng)
    {
        var opened = rng.Next(5, 330);
        return (opened, Math.Max(0, opened - rng.Next(1, 8)));
    }

    static SaveParty Party(Random rng, PartyRole role)
    {
        var people = Peoples[rng.Next(100) switch { < 40 => 0, < 55 => 1, < 80 => 2, < 92 => 3, _ => 4 }];
        return new SaveParty
        {
            Role = role, Name = $"{Surnames[rng.Next(Surnames.Length)]}某（演示）", Gender = (Residents.Gender)rng.Next(1, 3), Ethnicity = people.Code,
            Age = rng.Next(25, 75), Occupation = "农民",
        };
    }

    /// <summary>调解成功 (agreement uploaded, 回访, 结案) or 调解不成 then 结案.</summary>
    static async Task Conclude(DisputeService s, Guid id, bool agreed, Func<int> version, int n, DateOnly today, CancellationToken ct)
    {
        if (!agreed)
        {
            await s.StepAsync(id, "fail", "双方分歧较大，告知通过诉讼途径解决（演示）", version(), ct);
            await s.StepAsync(id, "close", null, version(), ct);
            return;
        }
        var sheet = DemoCallers.Sheet("人民调解协议书", ["（演示材料，由平台生成）", "经调解，双方自愿达成如下协议：", "一、双方互谅互让，按约定履行；", "二、本协议经双方签字后生效。"], n);
        await s.UploadAgreementAsync(id, "调解协议书.png", new MemoryStream(sheet), null, "双方达成调解协议并当场履行（演示）", ct);
        await s.StepAsync(id, "succeed", null, version(), ct);
        await s.AddFollowUpAsync(id, new SaveFollowUp { Date = today, Visitor = "演示调解员", AgreementKept = true, Notes = "协议已履行，双方关系缓和（演示）" }, ct);
        await s.StepAsync(id, "close", null, version(), ct);
    }

    /// <summary>
    /// Dates a case back: registration and acceptance <paramref name="openedDaysAgo"/> days ago, later steps (mediation,
    /// conclusion, follow-up, close) <paramref name="lastDaysAgo"/> days ago; a case that lands in last year takes a number of that year.
    /// </summary>
    static async Task ShiftAsync(ShiliuDb db, Guid id, int openedDaysAgo, int lastDaysAgo, CancellationToken ct)
    {
        var d = await db.Disputes.SingleAsync(x => x.Id == id, ct);
        var open = TimeSpan.FromDays(openedDaysAgo);
        var last = TimeSpan.FromDays(lastDaysAgo);
        var mid = TimeSpan.FromDays((openedDaysAgo + lastDaysAgo) / 2);
        foreach (var s in await db.WorkflowSteps.Where(s => s.Workflow == DisputeFlow.Name && s.ItemId == id).ToListAsync(ct))
            s.TimeUtc -= s.Action is "accept" or "escalate" ? open : s.Action is "receive" or "mediate" ? mid : last;
        d.RegisteredUtc -= open;
        d.AcceptedUtc -= open;
        d.ConcludedUtc -= last;
        d.ClosedUtc -= last;
        d.OccurredOn = d.OccurredOn?.AddDays(-openedDaysAgo - 1);
        foreach (var m in await db.DisputeMediations.Where(m => m.DisputeId == id).ToListAsync(ct))
            (m.RecordedUtc, m.Date) = (m.RecordedUtc - mid, m.Date.AddDays(-(int)mid.TotalDays));
        foreach (var v in await db.DisputeFollowUps.Where(v => v.DisputeId == id).ToListAsync(ct))
            (v.RecordedUtc, v.Date) = (v.RecordedUtc - last, v.Date.AddDays(-lastDaysAgo));
        var year = ChinaTime.ToChina(d.RegisteredUtc).Year;
        if (year != d.Year)
        {
            var seq = (await db.Disputes.IgnoreQueryFilters().Where(x => x.Year == year).MaxAsync(x => (int?)x.Seq, ct) ?? 0) + 1;
            (d.Year, d.Seq, d.Number) = (year, seq, $"JF{year}-{seq:0000}");
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A 联席会议 of the first demo township about the case escalated to it, two decisions turned into tasks (one closed
    /// with evidence, one open and overdue), and one of the county.
    /// </summary>
    static async Task<string> MeetingAsync(SeedContext seed, List<OrgUnit> communities, Dictionary<Guid, OrgUnit> towns, Guid? linked, DateOnly today, CancellationToken ct)
    {
        var db = seed.Db;
        var town = towns[communities[0].ParentId!.Value];
        var county = await db.OrgUnits.AsNoTracking().SingleAsync(o => o.Id == town.ParentId, ct);
        int meetings = 0, tasks = 0;
        foreach (var (unit, role, daysAgo, depts) in new[]
        {
            (town, Roles.TownshipOfficer, 40, new[] { "桂山派出所", "桂山司法所", "街道综治中心", "街道民族宗教工作站" }),
            (county, Roles.CountyOfficer, 75, new[] { "县公安局", "县司法局", "县民族宗教事务局", "县信访局" }),
        })
        {
            if (await db.JointMeetings.AnyAsync(m => m.OrgUnitId == unit.Id, ct)) continue;
            await DemoCallers.AsUnitAsync(seed.Services, unit, role, async sp =>
            {
                var service = sp.GetRequiredService<JointMeetingService>();
                var ids = new List<Guid>();
                for (var i = 0; i < depts.Length; i++)
                    ids.Add(await service.SaveDepartmentAsync(null, new SaveDepartment { Name = depts[i], ContactName = "演示联络员", ContactPost = "联络员", SortOrder = i }, ct));
                var day = today.AddDays(-daysAgo);
                var meeting = await service.SaveAsync(null, new SaveMeeting
                {
                    Title = $"{unit.Name}矛盾纠纷排查化解联席会议（演示）", Start = day.ToDateTime(new TimeOnly(9, 0)), End = day.ToDateTime(new TimeOnly(11, 30)),
                    Place = $"{unit.Name}会议室", HostName = "演示主持人", HostPost = "分管领导", RecorderName = "演示记录员",
                    Minutes = "通报本季度矛盾纠纷排查情况，研究重点纠纷化解措施（演示数据）。",
                    Attendees = ids.Select((d, i) => new SaveAttendee { DepartmentId = d, Name = $"演示代表{i + 1}", Post = "负责人", Kind = AttendanceKind.Present }).ToList(),
                    Agenda =
                    [
                        new SaveAgendaItem { Title = "通报矛盾纠纷排查情况", Notes = "各成员单位通报（演示）" },
                        unit == town && linked is { } c
                            ? new SaveAgendaItem { Title = "研究上报纠纷的化解方案", CaseKind = DisputeCaseKind.Key, CaseId = c }
                            : new SaveAgendaItem { Title = "部署重要节日期间矛盾纠纷排查", Notes = "节日期间每日排查（演示）" },
                    ],
                }, ct);
                meetings++;
                var taskService = sp.GetRequiredService<MeetingTaskService>();
                var done = await taskService.AddAsync(meeting, new SaveTask { Matter = "牵头组织当事双方再次调解，十个工作日内反馈（演示）", LeadDepartmentId = ids[1], CoDepartmentIds = [ids[0]], DueWorkingDays = 10 }, ct);
                await taskService.AddAsync(meeting, new SaveTask { Matter = "节日期间开展民族团结法治宣传（演示）", LeadDepartmentId = ids[3], CoDepartmentIds = [ids[2]], DueWorkingDays = 15 }, ct);
                tasks += 2;
                var evidence = await sp.GetRequiredService<Evidence.EvidenceService>().UploadAsync(new Evidence.EvidenceMeta
                {
                    OrgUnitId = unit.Id, Year = day.Year, Title = "议定事项办结材料（演示材料）", Description = "演示材料：由平台生成。",
                }, "办结材料.png", new MemoryStream(DemoCallers.Sheet("议定事项办结情况", ["（演示材料，由平台生成）", "牵头单位已组织调解，双方达成一致。"], daysAgo)), ct);
                var version = db.MeetingTasks.AsNoTracking().Where(t => t.Id == done).Select(t => t.Version).Single();
                await taskService.CloseAsync(done, new CloseTask { EvidenceId = evidence.Id, Note = "已组织调解并反馈（演示）", Version = version }, ct);
                // The decisions date from the meeting; the closing a week after it.
                var start = ChinaTime.ToUtc(day.ToDateTime(new TimeOnly(11, 30)));
                foreach (var t in await db.MeetingTasks.Where(t => t.MeetingId == meeting).ToListAsync(ct))
                {
                    t.CreatedUtc = start;
                    if (t.ClosedOn is not null) t.ClosedOn = day.AddDays(7);
                }
                foreach (var s in await db.WorkflowSteps.Where(s => s.ItemId == done).ToListAsync(ct)) s.TimeUtc = start.AddDays(7);
                var m = await db.JointMeetings.SingleAsync(x => x.Id == meeting, ct);
                m.CreatedUtc = start;
                await db.SaveChangesAsync(ct);
            });
        }
        return meetings == 0 ? "联席会议已有记录" : $"{meetings} 次演示联席会议（{tasks} 项议定事项，其中 1 项已销号）";
    }
}
