using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Assessment;
using Shiliu.Core.Data;
using Shiliu.Tests.Infrastructure;
using static Shiliu.Tests.Assessment.AssessmentFixtures;

namespace Shiliu.Tests.Assessment;

/// <summary>
/// The ranking against a table worked out by hand (weights 20/30/50; bands 示范 ≥ 90, 达标 ≥ 80, 基本达标 ≥ 60, 未达标;
/// ties by 调研督查, then fewer deductions, then 并列; gaps over 10 points flagged). Sheets are written straight into the
/// database (their totals are what is being added up); scoring a sheet is tested in <see cref="AssessmentTests"/>.
/// </summary>
public sealed class AssessmentRankingTests
{
    // unit: submitted sheet totals per mode, deductions on all its sheets, veto
    static readonly (string Unit, decimal[] Self, decimal[] Mutual, decimal[] Supervision, int Deductions, bool Veto)[] Sheets =
    [
        ("A", [95], [90.5m, 91.6m], [93], 4, false),
        ("B", [88], [85], [84], 6, false),
        ("C", [89], [81], [86], 7, false),
        ("D", [80], [80], [80], 3, false),
        ("E", [95], [70], [80], 5, false),
        ("F", [60], [60], [60], 2, false),
        ("G", [60], [60], [60], 2, false),
        ("H", [98], [97], [99], 0, true),
        ("I", [50], [55], [59.5m], 9, false),
    ];

    // Worked by hand:
    //   A: 自检 95; 互评 (90.5 + 91.6) / 2 = 91.05; 督查 93 → 95×0.2 + 91.05×0.3 + 93×0.5 = 19 + 27.315 + 46.5 = 92.815 → 92.82 示范
    //   B: 88×0.2 + 85×0.3 + 84×0.5 = 17.6 + 25.5 + 42 = 85.1 达标;  C: 89×0.2 + 81×0.3 + 86×0.5 = 17.8 + 24.3 + 43 = 85.1 达标
    //      equal totals: C's 督查 86 > B's 84, so C is 2nd and B 3rd.
    //   D: 80 + 0 … = 80.0 达标;  E: 95×0.2 + 70×0.3 + 80×0.5 = 19 + 21 + 40 = 80.0 达标
    //      equal totals and equal 督查 80: D has 3 deductions, E 5, so D is 4th and E 5th.
    //      E's gaps: 自检 − 互评 = 25 and 自检 − 督查 = 15 are over 10; 互评 − 督查 = 10 is not.
    //   F, G: 60 each, equal in everything → both 6th (并列), 基本达标 (60 reaches the floor); the next rank is 8.
    //   I: 50×0.2 + 55×0.3 + 59.5×0.5 = 10 + 16.5 + 29.75 = 56.25 未达标, 8th.
    //   H: 98×0.2 + 97×0.3 + 99×0.5 = 19.6 + 29.1 + 49.5 = 98.2, but vetoed: no rank, 一票否决.
    static readonly (string Unit, string Rank, decimal? Self, decimal? Mutual, decimal? Supervision, decimal Weighted, string Grade, string[] Gaps)[] Expected =
    [
        ("A", "1", 95, 91.05m, 93, 92.82m, "示范", []),
        ("C", "2", 89, 81, 86, 85.1m, "达标", []),
        ("B", "3", 88, 85, 84, 85.1m, "达标", []),
        ("D", "4", 80, 80, 80, 80m, "达标", []),
        ("E", "5", 95, 70, 80, 80m, "达标", ["自检自查比互检互评高 25 分", "自检自查比调研督查高 15 分"]),
        ("F", "6（并列）", 60, 60, 60, 60m, "基本达标", []),
        ("G", "6（并列）", 60, 60, 60, 60m, "基本达标", []),
        ("I", "8", 50, 55, 59.5m, 56.25m, "未达标", []),
        ("H", "—", 98, 97, 99, 98.2m, "一票否决", []),
    ];

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_ranking_matches_the_hand_computed_table_with_weights_veto_tie_rule_and_bands(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var units = await CommunitiesAsync(app, Sheets.Length);
        var letter = Sheets.Select((s, i) => (s.Unit, units[i])).ToDictionary(x => x.Unit, x => x.Item2);
        var id = await app.AsAsync("county", sp => A(sp).CreateAsync(Round("2019年3月综合考核", units.Select(u => u.Id))));
        await app.AsAsync("county", async sp => await A(sp).OpenAsync(id, await VersionAsync(app, id)));
        var h = letter["H"];
        await app.AsAsync("county", async sp => await A(sp).SetVetoAsync(id, h.Id, new SaveVeto
        {
            Reason = "发生涉及民族因素的群体性事件", Reference = "新平县委办通报〔2019〕3号",
            Version = (await A(sp).GetAsync(id)).Units.Single(u => u.OrgUnitId == h.Id).Version,
        }));

        await using (var db = await app.SystemDbAsync())
        {
            foreach (var s in Sheets)
            {
                var unit = letter[s.Unit];
                var modes = new[] { (AssessMode.Self, s.Self), (AssessMode.Mutual, s.Mutual), (AssessMode.Supervision, s.Supervision) };
                var sheets = modes.SelectMany(m => m.Item2.Select((total, n) => new Scoresheet
                {
                    RoundId = id, Mode = m.Item1, ScoredUnitId = unit.Id, ScoredName = unit.Name, OrgUnitId = unit.Id, OrgPath = unit.Path, ScorerName = $"评分{n}",
                    ScorerKey = $"unit:{Guid.CreateVersion7()}", Status = SheetStatus.Submitted, TotalTenths = (int)(total * 10),
                })).ToList();
                sheets[0].Deductions = s.Deductions; // all of the unit's deductions on one sheet: the tie rule counts them per unit
                db.AssessmentSheets.AddRange(sheets);
            }
            // A draft never counts.
            db.AssessmentSheets.Add(new Scoresheet
            {
                RoundId = id, Mode = AssessMode.Supervision, ScoredUnitId = letter["I"].Id, ScoredName = "I", OrgUnitId = letter["I"].Id, OrgPath = letter["I"].Path,
                ScorerName = "草稿", ScorerKey = "unit:draft", Status = SheetStatus.Draft, TotalTenths = 1000,
            });
            await db.SaveChangesAsync();
        }

        var results = await app.AsAsync("county", sp => A(sp).ResultsAsync(id));
        var name = letter.ToDictionary(x => x.Value.Id, x => x.Key);
        var order = results.Ranking.Select(r => name[r.OrgUnitId]).ToList();
        // F and G are 并列: either may be listed first.
        Assert.Equal(["A", "C", "B", "D", "E", "FG", "FG", "I", "H"], order.Select(u => u is "F" or "G" ? "FG" : u));
        foreach (var e in Expected)
        {
            var r = results.Ranking.Single(x => x.OrgUnitId == letter[e.Unit].Id);
            Assert.Equal((e.Unit, e.Rank, e.Self, e.Mutual, e.Supervision, e.Weighted, e.Grade), (e.Unit, r.RankText, r.Self, r.Mutual, r.Supervision, r.Weighted, r.Grade));
            Assert.Equal(e.Gaps, r.Gaps);
        }
        Assert.Equal("发生涉及民族因素的群体性事件", results.Ranking.Single(r => r.Vetoed).VetoReason);

        // The 命名 list: the top band, vetoed units left out.
        Assert.Equal([letter["A"].Id], AssessmentExportService.Recommended(results).Select(r => r.OrgUnitId));
        var file = await app.AsAsync("county", async sp => await Exports.ReadAsync(await sp.GetRequiredService<AssessmentExportService>().RankingAsync(id)));
        Assert.Equal("2019年3月综合考核-排名.xlsx", file.Name);

        // The unit's 考核评分表 as a Word form: valid Open XML in the 公文 layout, a row per criterion and the vetoed unit's verdict.
        var vetoed = results.Ranking.Single(r => r.Vetoed);
        var word = await app.AsAsync("county", async sp => await Exports.ReadAsync(await sp.GetRequiredService<AssessmentExportService>().UnitSheetAsync(id, vetoed.OrgUnitId, "docx")));
        var pdf = await app.AsAsync("county", sp => Assert.ThrowsAsync<Shiliu.Core.Common.RuleViolation>(() => sp.GetRequiredService<AssessmentExportService>().UnitSheetAsync(id, vetoed.OrgUnitId, "pdf")));
        Assert.Equal("format 须为 xlsx（Excel）或 docx（Word）", pdf.Fields["format"].Single());
        Assert.Equal($"2019年3月综合考核-{vetoed.UnitName}-考核评分表.docx", word.Name);
        using var doc = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(word.Bytes), false);
        Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc).Select(e => e.Description));
        var body = doc.MainDocumentPart!.Document.Body!;
        var rows = body.Descendants<DocumentFormat.OpenXml.Wordprocessing.TableRow>().ToList();
        var criteria = await app.AsAsync("county", async sp => (await sp.GetRequiredService<AssessmentService>().GetAsync(id)).Criteria.Count);
        Assert.Equal(criteria + 2, rows.Count); // header, one per criterion, 合计
        Assert.Contains(body.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>(), p => p.InnerText.StartsWith($"考评等次：一票否决：{vetoed.VetoReason}（"));
    }
}
