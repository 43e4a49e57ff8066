using Shiliu.Core.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Indicators;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Platform.Public;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Commendations;

/// <summary>模范评选: calls, nominations through 乡镇审核 and 县级审定, 公示 with objections, 表彰 with certificates, the honour roll.</summary>
public sealed class CommendationsModule : FeatureModule
{
    public override string Name => "模范评选";

    public override void Declare(ModuleBuilder m) => m
        .Permission(CommendationPermissions.View, "查看模范评选", Roles.CountyOfficer, Roles.Leader, Roles.TownshipOfficer, Roles.CommunityStaff)
        .Permission(CommendationPermissions.Nominate, "推荐模范（申报）", Roles.TownshipOfficer, Roles.CommunityStaff)
        .Permission(CommendationPermissions.Review, "审核模范推荐", Roles.CountyOfficer, Roles.TownshipOfficer)
        .Permission(CommendationPermissions.Manage, "发布评选、审定、公示和表彰模范", Roles.CountyOfficer)
        .MenuItem(MenuSection.Work, "模范评选", "/commendations", "trophy", 45, CommendationPermissions.View)
        .Link("模范评选", "/commendations", "评选通知、推荐审核、公示异议、表彰和光荣榜", 45, CommendationPermissions.View)
        .Audit<CommendationCall>("评选通知", c => $"评选通知《{c.Title}》（{CommendationNames.Call(c.Status)}）")
        .AuditedByService<CallQuota>("评选名额")
        .Audit<Nomination>("推荐对象", n => $"推荐对象“{n.NomineeName}”（{CommendationNames.Category(n.Category)}，{CommendationNames.Status(n.Status)}）")
        .AuditedByService<NominationFile>("推荐材料")
        // The text and contact of an objection are a resident's words: the row says which nominee and the state, nothing more.
        .Audit<Objection>("公示异议", o => $"公示异议（{CommendationNames.Outcome(o.Outcome)}）",
            new Dictionary<string, string> { ["Status"] = "状态", ["Outcome"] = "核查结论", ["AnsweredBy"] = "答复人", ["AnsweredUtc"] = "答复时间" })
        .Sealed<Objection>("异议人联系电话", cipher: o => o.ContactCipher)
        .Workflow(NominationFlow.Definition)
        .ErrorCodes(typeof(CommendationErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<CommendationService>();
        services.AddSingleton<PublicCommendationService>();
        services.AddTodoSource<CommendationTodos>();
        services.AddCriterionRecordSource<CommendationRecords>();
        services.AddReportSource<CommendationReportSource>();
        services.AddPublicHomeSource<CommendationPublicHome>();
        services.AddPublicNewsSource<CommendationNews>();
    }

    /// <summary>A decided call of last year (the honour roll) and this year's open call with nominations at several steps, all marked 演示.</summary>
    public override async Task SeedDemoAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        if (await db.CommendationCalls.AnyAsync(ct)) return;
        var county = await db.OrgUnits.SingleAsync(o => o.ParentId == null, ct);
        var guishan = await db.OrgUnits.SingleOrDefaultAsync(o => o.Code == "530427001000", ct);
        var yangwu = await db.OrgUnits.SingleOrDefaultAsync(o => o.Code == "530427101000", ct);
        if (guishan is null || yangwu is null) return;
        var gc = await db.OrgUnits.Where(o => o.ParentId == guishan.Id).OrderBy(o => o.SortOrder).ToListAsync(ct);
        var yc = await db.OrgUnits.Where(o => o.ParentId == yangwu.Id).OrderBy(o => o.SortOrder).ToListAsync(ct);
        if (gc.Count < 3 || yc.Count < 1) return;
        var calendar = await seed.Services.GetRequiredService<CalendarCache>().GetAsync(seed.Services.GetRequiredService<IDbContextFactory<ShiliuDb>>(), ct);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        List<CallQuota> Quotas() =>
        [
            new() { Category = ModelCategory.Estate, Count = 2 }, new() { Category = ModelCategory.Family, Count = 5 },
            new() { Category = ModelCategory.Collective, Count = 3 }, new() { Category = ModelCategory.Person, Count = 5 },
            new() { Category = ModelCategory.Family, TownshipId = guishan.Id, Count = 2 },
        ];
        var past = new CommendationCall
        {
            IssuedByUnitId = county.Id, Title = $"（演示）{today.Year - 1}年度民族团结进步模范评选", Body = "<p>演示数据：各乡镇（街道）、社区按名额推荐模范小区、家庭、集体和个人。</p>",
            IssuedOn = new DateOnly(today.Year - 1, 9, 1), Deadline = new DateOnly(today.Year - 1, 9, 30), PublicityDays = 5, Status = CallStatus.Decided,
            PublicityFrom = new DateOnly(today.Year - 1, 10, 20), PublicityTo = new DateOnly(today.Year - 1, 10, 24),
            DecisionNo = $"新民发〔{today.Year - 1}〕12号", DecisionDate = new DateOnly(today.Year - 1, 11, 3), Quotas = Quotas(), CreatedBy = "system", CreatedUtc = db.UtcNow,
        };
        var open = new CommendationCall
        {
            IssuedByUnitId = county.Id, Title = $"（演示）{today.Year}年度民族团结进步模范评选", Body = "<p>演示数据：请于截止日期前在系统中申报，并上传事迹材料和照片。</p>",
            IssuedOn = today, Deadline = NextWorkday(calendar, today.AddDays(20)), PublicityDays = 5, Status = CallStatus.Open, Quotas = Quotas(),
            CreatedBy = "system", CreatedUtc = db.UtcNow,
        };
        db.CommendationCalls.AddRange(past, open);
        var seq = 0;
        Nomination N(CommendationCall call, OrgUnit unit, ModelCategory cat, string name, string? ethnicity, string? work, string summary, NominationStatus status) => new()
        {
            CallId = call.Id, OrgUnitId = unit.Id, OrgPath = unit.Path, Category = cat, NomineeName = name, Ethnicity = ethnicity, WorkUnit = work, Summary = summary,
            Deeds = $"<p>（演示）{summary}</p>", Status = status, CreatedBy = "system", CreatedUtc = db.UtcNow,
            SubmittedUtc = status == NominationStatus.Draft ? null : db.UtcNow,
            VotesFor = status >= NominationStatus.Approved && status != NominationStatus.Withdrawn ? 9 : null,
            VotesAgainst = status >= NominationStatus.Approved && status != NominationStatus.Withdrawn ? 0 : null,
            VotesAbstain = status >= NominationStatus.Approved && status != NominationStatus.Withdrawn ? 0 : null,
            MeetingDate = status == NominationStatus.Commended ? new DateOnly(today.Year - 1, 10, 15) : null,
            CertificateNo = status == NominationStatus.Commended ? $"{today.Year - 1}-DEMO-{++seq:000}" : null,
        };
        db.Nominations.AddRange(
            N(past, gc[0], ModelCategory.Family, "（演示）马永福家庭", "03", null, "回族、彝族、汉族三代同堂，常年帮扶邻里，调解邻里纠纷十余起。", NominationStatus.Commended),
            N(past, yc[0], ModelCategory.Collective, $"（演示）{yc[0].Name}妇女之家", null, null, "组织各族妇女开展刺绣合作社，带动四十余户增收。", NominationStatus.Commended),
            N(past, gc[1], ModelCategory.Person, "（演示）刀玉香", "18", $"{gc[1].Name}网格员", "坚持用傣语、汉语双语宣讲民族政策，走访少数民族流动人口三百余户次。", NominationStatus.Commended),
            N(open, gc[1], ModelCategory.Estate, "（演示）桂山花园小区", null, null, "小区居民来自八个民族，建成民族文化长廊，每月举办邻里节。", NominationStatus.Submitted),
            N(open, yc[0], ModelCategory.Person, "（演示）普国华", "02", $"{yc[0].Name}党支部书记", "带领村民发展特色种植，组建多民族文艺队。", NominationStatus.TownshipApproved),
            N(open, gc[2], ModelCategory.Family, "（演示）李正明家庭", "01", null, "多民族家庭，热心公益，资助困难学生。", NominationStatus.Returned));
        await db.SaveChangesAsync(ct);
        seed.Report.Add("已创建演示模范评选：上年度已表彰 3 个，本年度征集中 3 个");
    }

    static DateOnly NextWorkday(WorkCalendar calendar, DateOnly d)
    {
        while (!calendar.IsWorkday(d)) d = d.AddDays(1);
        return d;
    }
}

/// <summary>The public home's way in to the 公示 list and the honour roll.</summary>
sealed class CommendationPublicHome : IPublicHomeSource
{
    public async Task<PublicSection?> SectionAsync(ShiliuDb db, CancellationToken ct)
    {
        var inPublicity = await db.CommendationCalls.CountAsync(c => c.Status == CallStatus.Publicity, ct);
        return new PublicSection("模范评选", 25,
        [
            new PublicEntry("模范评选公示", [inPublicity > 0 ? $"{inPublicity} 项评选正在公示，可以提出异议" : "目前没有正在公示的评选"], "/public/commendations"),
            new PublicEntry("民族团结进步光荣榜", ["历年表彰的模范小区、家庭、集体和个人"], "/public/commendations/roll"),
        ], "民族团结进步模范的评选结果在这里公示，欢迎监督。");
    }
}
