using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Activities;
using Shiliu.Core.Common;
using Shiliu.Core.Evidence;
using Shiliu.Core.Residents;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 城中社区 drafts its 汇报材料 from its ledgers, the Word file is rendered by LibreOffice to PDF and its first pages to PNG
/// (to look at), and the community files its copy as the 十个一 item "撰写一份汇报材料"; the county drafts its 工作总结.
/// </summary>
public sealed class ReportJourneyTests(ITestOutputHelper output) : Journey(output, "reports")
{
    [Fact]
    public Task A_community_drafts_its_report_from_the_record_and_files_its_copy() => RunAsync(1366, 768, async (page, browser, circuit, live) =>
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        var grid = await live.App.UnitAsync("530427001001-G01");
        var community = await live.App.UnitAsync("530427001001");
        var residents = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        foreach (var (ethnicity, type, household, relation) in new[]
                 {
                     ("07", ResidenceType.Permanent, "H-01", "户主"), ("07", ResidenceType.Permanent, "H-01", "配偶"), ("18", ResidenceType.Permanent, "H-02", "户主"),
                     ("17", ResidenceType.Floating, "H-03", "户主"), ("07", ResidenceType.UnitEmployee, "H-04", "户主"),
                 })
        {
            await live.App.AsAsync("grid", sp => residents(sp).CreateAsync(new SaveResident
            {
                OrgUnitId = grid.Id, Name = "演示居民", EthnicityCode = ethnicity, IdNumber = Shiliu.Tests.Residents.Ids.Next(), ResidenceType = type,
                HouseholdNo = household, RelationToHead = relation, OriginPlace = type == ResidenceType.Floating ? "云南省红河州" : null,
                ArrivalDate = type == ResidenceType.Floating ? today.AddDays(-30) : null, Employer = type == ResidenceType.UnitEmployee ? "新平县供电局" : null,
            }));
        }
        foreach (var (title, type, days, people, colour) in new[] { ("火把节联欢晚会", "A03", 40, 320, SkiaSharp.SKColors.IndianRed), ("民族团结政策宣讲", "A01", 12, 85, SkiaSharp.SKColors.SteelBlue) })
        {
            var activity = await live.App.AsAsync("community", sp => sp.GetRequiredService<ActivityService>().SaveAsync(null, new SaveActivity
            {
                OrgUnitId = community.Id, TypeCode = type, Title = title, Date = today.AddDays(-days), Place = "城中社区广场", Organiser = "城中社区居委会",
                ParticipantsTotal = people, Participants = [new() { EthnicityCode = "07", Count = people / 2 }], Criteria = [5],
            }));
            await live.App.AsAsync("community", sp => sp.GetRequiredService<EvidenceService>().UploadAsync(
                new EvidenceMeta { OrgUnitId = community.Id, Year = today.Year, ActivityId = activity, Criteria = [5] }, $"{title}.jpg",
                new MemoryStream(Shiliu.Tests.Evidence.TestFiles.Jpeg(1600, 1000, colour))));
        }

        await page.GotoAsync("/reports");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.GetByText("本单位还没有报送过汇报材料")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "reports-page");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "生成初稿（Word）" }).ClickAsync());
        Assert.StartsWith("城中社区创建工作汇报（初稿）-", download.SuggestedFilename);
        var docx = Path.Combine(ShotDir, "城中社区汇报初稿.docx");
        await download.SaveAsAsync(docx);
        await RenderAsync(docx, "community-draft");

        // The community edits the draft and files its copy: it becomes a version of 十个一 item 6.
        await page.GetByLabel("选择定稿文件").SetInputFilesAsync(docx);
        await page.GetByRole(AriaRole.Button, new() { Name = "报送定稿" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("作为“撰写一份汇报材料”的成果存入痕迹台账");
        await Expect(page.GetByTestId("filed-reports")).ToContainTextAsync("城中社区汇报初稿.docx");
        await ShotAsync(page, browser, "filed");

        await SignOutAsync(page);
        await page.GotoAsync("/reports");
        await SignInAsync(page, "county", Db.DemoPassword);
        await circuit.WaitAsync();
        var county = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "生成初稿（Word）" }).ClickAsync());
        Assert.StartsWith("新平彝族傣族自治县创建工作总结（初稿）-", county.SuggestedFilename);
        var summary = Path.Combine(ShotDir, "县创建工作总结初稿.docx");
        await county.SaveAsAsync(summary);
        await RenderAsync(summary, "county-summary");
    });

    /// <summary>Word → PDF with LibreOffice as an office would open it, then its first two pages → PNG for a person to look at.</summary>
    async Task RenderAsync(string docx, string name)
    {
        var outDir = Path.Combine(ShotDir, name);
        Directory.CreateDirectory(outDir);
        var profile = Path.Combine(Path.GetTempPath(), $"shiliu-lo-{Guid.NewGuid():N}");
        try
        {
            await RunAsync("soffice", ["-env:UserInstallation=file://" + profile, "--headless", "--convert-to", "pdf", "--outdir", outDir, docx]);
            var pdf = Directory.GetFiles(outDir, "*.pdf").Single();
            await RunAsync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "2", pdf, Path.Combine(ShotDir, name)]);
            var pages = Directory.GetFiles(ShotDir, $"{name}-*.png");
            Assert.NotEmpty(pages);
            Log($"{name}: {string.Join(", ", pages.Select(Path.GetFileName))}");
        }
        finally
        {
            if (Directory.Exists(profile)) Directory.Delete(profile, recursive: true);
        }
    }

    static async Task RunAsync(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var err = p.StandardError.ReadToEndAsync(cts.Token);
        await p.StandardOutput.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);
        Assert.True(p.ExitCode == 0, $"{tool} exited {p.ExitCode}: {await err}");
    }
}
