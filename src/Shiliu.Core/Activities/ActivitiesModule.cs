using Shiliu.Core.Reporting;
using Shiliu.Core.Indicators;
using Shiliu.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Public;
using Shiliu.Core.Platform.Dashboards;

namespace Shiliu.Core.Activities;

public static class ActivityPermissions
{
    public const string FestivalManage = "perm.festival.manage";
}

public static class ActivityErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("activity.denied");
    public static readonly ErrorCode FestivalDenied = ErrorCode.Denied("festival.denied");
    public static readonly ErrorCode HasEvidence = ErrorCode.Invalid("activity.has_evidence");
    public static readonly ErrorCode PhotoInvalid = ErrorCode.Invalid("activity.photo_invalid");
    public static readonly ErrorCode NoConsent = ErrorCode.Invalid("activity.photo_no_consent");
}

/// <summary>活动与节庆: activities (policy study, festivals, culture, visits) with head counts by ethnicity, and the festival calendar.</summary>
public sealed class ActivitiesModule : FeatureModule
{
    public override string Name => "活动与节庆";

    static readonly string[] ActivityTypes = ["政策宣讲", "理论学习", "民族节庆", "文体活动", "座谈联谊", "走访慰问", "法律宣传", "志愿服务", "技能培训", "其他"];

    public override void Declare(ModuleBuilder m) => m
        .Permission(ActivityPermissions.FestivalManage, "维护节庆日历", Roles.CountyOfficer)
        .MenuItem(MenuSection.Ledgers, "活动与节庆", "/activities", "calendar", 10, EvidencePermissions.View)
        .Link("活动与节庆", "/activities", "登记宣传教育和节庆活动，查看节庆日历", 40, EvidencePermissions.View)
        .Dictionary(DictionaryKinds.ActivityType, "活动类型")
        .Audit<Activity>("活动", a => $"活动《{a.Title}》")
        .Audit<Festival>("节庆", f => $"节庆 {f.Name}")
        // Head counts are written with their activity, whose service audits them in one row.
        .AuditedByService<ActivityParticipant>("活动参加人数")
        .Audit<ActivityPhotoConsent>("活动照片公开", c => c.Publishable ? $"活动照片（可公开：{c.Caption}）" : c.ConsentUtc is null ? "活动照片（未登记同意）" : "活动照片（已登记同意，未公开）",
            new Dictionary<string, string>
            {
                [nameof(ActivityPhotoConsent.ConsentNote)] = "同意情况", [nameof(ActivityPhotoConsent.ConsentBy)] = "同意登记人", [nameof(ActivityPhotoConsent.ConsentUtc)] = "同意登记时间",
                [nameof(ActivityPhotoConsent.Publishable)] = "可公开", [nameof(ActivityPhotoConsent.PublishedBy)] = "公开设置人", [nameof(ActivityPhotoConsent.PublishedUtc)] = "公开时间",
                [nameof(ActivityPhotoConsent.Caption)] = "照片说明",
            })
        .ErrorCodes(typeof(ActivityErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<ActivityService>();
        services.AddScoped<FestivalService>();
        services.AddScoped<ActivityPhotoService>();
        services.AddSingleton<PublicPhotoCache>();
        services.AddPublicNewsSource<ActivityNews>();
        services.AddReportSource<ActivityReportSource>();
        services.AddDashboardSource<ActivityDashboardSource>();
        services.AddCriterionRecordSource<ActivityCriterionRecords>();
    }

    public override async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        if (!await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKinds.ActivityType, ct))
        {
            for (var i = 0; i < ActivityTypes.Length; i++)
                db.DictionaryItems.Add(new DictionaryItem { Kind = DictionaryKinds.ActivityType, Code = $"A{i + 1:00}", Name = ActivityTypes[i], SortOrder = i + 1 });
            await db.SaveChangesAsync(ct);
            seed.Report.Add($"已导入活动类型字典 {ActivityTypes.Length} 项");
        }
        if (await FestivalService.SeedAsync(db, ct) is > 0 and var fests) seed.Report.Add($"已导入节庆日历 {fests} 个节日（火把节、花街节、泼水节等）");
    }

    public override Task SeedDemoLedgersAsync(SeedContext seed, CancellationToken ct) => ActivityDemo.SeedAsync(seed, ct);
}
