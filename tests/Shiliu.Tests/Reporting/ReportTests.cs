using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Activities;
using Shiliu.Core.Auditing;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Platform.Exports;
using Shiliu.Core.Reporting;
using Shiliu.Core.Residents;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Reporting;

/// <summary>汇报材料: a draft written from the unit's own records, in the 公文 layout, inside the caller's scope, and filed as 十个一 item 6.</summary>
public sealed class ReportTests
{
    static DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToChina(TimeProvider.System.GetUtcNow().UtcDateTime));

    static SaveResident Person(Guid unit, string ethnicity, ResidenceType type, string household, string relation) => new()
    {
        OrgUnitId = unit, Name = "汇报居民", EthnicityCode = ethnicity, IdNumber = Ids.Next(), ResidenceType = type, HouseholdNo = household, RelationToHead = relation,
        Phone = "13800002222", OriginPlace = type == ResidenceType.Floating ? "云南省红河州" : null,
        ArrivalDate = type == ResidenceType.Floating ? Today.AddDays(-20) : null,
    };

    internal static async Task<(List<string> Paragraphs, List<string[]> Annex, WordprocessingDocument Doc)> OpenAsync(ExportFile file)
    {
        var ms = new MemoryStream();
        await using (file) await file.Content.CopyToAsync(ms);
        ms.Position = 0;
        var doc = WordprocessingDocument.Open(ms, false);
        var body = doc.MainDocumentPart!.Document.Body!;
        var paragraphs = body.Elements<Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();
        var annex = body.Elements<Table>().LastOrDefault()?.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray()).ToList() ?? [];
        return (paragraphs, annex, doc);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_community_draft_tells_its_own_figures_with_their_sources_and_the_county_draft_adds_up_its_units(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var g1 = await app.UnitAsync("530427001001-G01");
        var chengzhong = await app.UnitAsync("530427001001");
        var zhongxin = await app.UnitAsync("530427101001");
        var residents = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var head = await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-01", "户主")));
        await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "07", ResidenceType.Permanent, "H-01", "配偶")));
        await app.AsAsync("grid", sp => residents(sp).CreateAsync(Person(g1.Id, "18", ResidenceType.Floating, "H-02", "户主")));
        await app.AsAsync("community2", sp => residents(sp).CreateAsync(Person(zhongxin.Id, "17", ResidenceType.Permanent, "Z-1", "户主")));
        await app.AsAsync("grid", sp => sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit { ResidentId = head, VisitDate = Today.AddDays(-2), Visitor = "网格员", Findings = "家中正常" }));
        var activity = await app.AsAsync("community", sp => sp.GetRequiredService<ActivityService>().SaveAsync(null, new SaveActivity
        {
            OrgUnitId = chengzhong.Id, TypeCode = "A03", Title = "火把节联欢", Date = Today.AddDays(-1), Place = "城中社区广场", Organiser = "城中社区居委会",
            ParticipantsTotal = 120, Participants = [new() { EthnicityCode = "07", Count = 80 }], Criteria = [5],
        }));
        await app.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
            new EvidenceMeta { OrgUnitId = chengzhong.Id, Year = Today.Year, ActivityId = activity, Criteria = [5] }, "点火.jpg", new MemoryStream(TestFiles.Jpeg(1600, 1200))));

        var (text, annex, doc) = await app.AsAsync("community", async sp => await OpenAsync(await sp.GetRequiredService<ReportService>().DraftAsync(new ReportRequest())));
        using (doc)
        {
            Assert.Empty(new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}"));
            Assert.Equal("城中社区民族团结进步创建工作情况汇报", text[0]);
            Assert.Equal("——城中社区民族工作情况汇报", text[1]);
            var period = $"{Today.Year}年1月1日至{Today:M月d日}";
            Assert.Contains(text, p => p.Contains($"统计期间为{period}"));
            // 一、基本情况: two households, three residents of two peoples, one floating arrival; nothing of 中心村.
            var basics = text.Single(p => p.StartsWith("城中社区辖区面积"));
            Assert.Contains("少数民族人口台账在册2户3人，其中常住2人、流动1人、辖区单位人员0人，涉及2个民族，人数较多的有彝族2人、傣族1人。", basics);
            Assert.Contains(text, p => p.StartsWith($"{period}，新登记流入的流动人口1人"));
            Assert.Contains(text, p => p.StartsWith("（数据来源：少数民族人口台账"));
            // 二、主要做法和成效, numbered in order, each with its figures.
            var headings = text.Where(p => p.StartsWith('（') && p.Length < 40 && !p.StartsWith("（数据来源") && !p.StartsWith("（本稿") && !p.StartsWith("（请")).ToList();
            Assert.Equal("（一）加强组织领导，制定工作方案", headings[0]);
            Assert.Contains("（二）对照“十个一”要求，扎实推进创建任务", headings);
            Assert.Contains(text, p => p.Contains("共开展各类活动1场次，参与群众120人次，其中民族节庆1场"));
            Assert.Contains(text, p => p.StartsWith("图1　火把节联欢"));
            Assert.Single(doc.MainDocumentPart!.ImageParts);
            Assert.Contains(text, p => p.Contains("网格员入户走访1次") && p.Contains("走访覆盖1户，占在册户数的50%"));
            Assert.Contains(text, p => p.StartsWith($"{period}平台中尚未受理服务事项"));
            Assert.Contains("三、存在的问题", text);
            Assert.Contains("四、下一步打算", text);
            Assert.Contains(["基本情况", "在册少数民族人口（人）", "3"], annex);
            Assert.Contains(["活动", "参与（人次）", "120"], annex);
            Assert.DoesNotContain(text, p => p.Contains("中心村") || p.Contains("13800002222"));
            // Every run names its East-Asian face: the one writer laid it out.
            Assert.All(doc.MainDocumentPart.Document.Descendants<Run>().Where(r => r.GetFirstChild<Text>() is not null),
                r => Assert.False(string.IsNullOrEmpty(r.RunProperties?.RunFonts?.EastAsia?.Value)));
        }

        var (county, countyAnnex, countyDoc) = await app.AsAsync("county", async sp => await OpenAsync(await sp.GetRequiredService<ReportService>().DraftAsync(new ReportRequest())));
        using (countyDoc)
        {
            Assert.Equal("新平彝族傣族自治县民族团结进步创建工作总结", county[0]);
            Assert.Contains(["基本情况", "在册少数民族人口（人）", "4"], countyAnnex);
            Assert.Contains(county, p => p.Contains("少数民族人口台账在册3户4人") && p.Contains("涉及3个民族"));
        }
        await using var db = await app.SystemDbAsync();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Event == AuditEvents.Export && a.EntityType == "Report" && a.Summary!.Contains("汇报材料初稿")));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_filed_report_becomes_a_version_of_the_ten_items_report_and_a_draft_outside_the_scope_or_period_is_refused(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var chengzhong = await app.UnitAsync("530427001001");
        var zhongxin = await app.UnitAsync("530427101001");
        var reports = (IServiceProvider sp) => sp.GetRequiredService<ReportService>();

        var later = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => reports(sp).DraftAsync(new ReportRequest { To = Today.AddDays(1) })));
        Assert.Equal(("to", "统计截止日期不能晚于今天"), (later.Fields!.Keys.Single(), later.Fields.Values.Single().Single()));
        var reversed = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => reports(sp).DraftAsync(new ReportRequest { From = Today, To = Today.AddDays(-3) })));
        Assert.Equal("统计起始日期不能晚于截止日期", reversed.Fields!["from"].Single());
        await app.AsAsync("community", sp => Assert.ThrowsAsync<NotFoundInScope>(() => reports(sp).DraftAsync(new ReportRequest { OrgUnitId = zhongxin.Id })));
        var grid = await app.UnitAsync("530427001001-G01");
        var gridDraft = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => reports(sp).DraftAsync(new ReportRequest { OrgUnitId = grid.Id })));
        Assert.Contains("网格的情况写在所属社区的汇报中", gridDraft.Message);
        var gridWorker = await app.AsAsync("grid", sp => Assert.ThrowsAsync<RuleViolation>(() => reports(sp).DraftAsync(new ReportRequest())));
        Assert.Equal(ReportingErrors.Denied, gridWorker.Code);

        // The unit edits the draft and files it: a Word file, kept under 十个一 item 6 of its unit.
        var draft = await app.AsAsync("community", async sp =>
        {
            await using var file = await reports(sp).DraftAsync(new ReportRequest());
            using var ms = new MemoryStream();
            await file.Content.CopyToAsync(ms);
            return ms.ToArray();
        });
        var notWord = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => reports(sp).FileAsync(null, "汇报.xlsx", new MemoryStream(draft))));
        Assert.Equal("汇报材料须为 Word（.docx/.doc）、WPS（.wps）或 PDF 文件", notWord.Fields!["file"].Single());
        var filed = await app.AsAsync("community", sp => reports(sp).FileAsync(null, "城中社区汇报（定稿）.docx", new MemoryStream(draft)));
        Assert.Equal("docx", filed.Format);
        var list = await app.AsAsync("community", sp => reports(sp).FiledAsync(null));
        Assert.Equal(filed.Id, Assert.Single(list).Id);
        Assert.StartsWith("城中社区汇报材料（", list[0].Title);
        var campaign = await app.AsAsync("community", async sp => (await sp.GetRequiredService<CampaignService>().ListAsync()).First(c => !c.IsClosed).Id);
        var items = await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().UnitAsync(campaign, chengzhong.Id));
        Assert.Contains(items.Single(i => i.ItemNo == ReportService.ReportItemNo).Files, f => f.Id == filed.Id);
        Assert.Empty(await app.AsAsync("community2", sp => reports(sp).FiledAsync(null)));
    }
}
