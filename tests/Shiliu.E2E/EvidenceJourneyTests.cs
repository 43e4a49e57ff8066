using System.IO.Compression;
using Microsoft.Playwright;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Evidence;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 痕迹台账: the community files a photo, a Word document and a typed record (and is refused an .exe named .jpg); the
/// county previews the photo, sees which criteria still lack material, and builds and downloads the inspection dossier.
/// </summary>
public sealed class EvidenceJourneyTests(ITestOutputHelper output) : Journey(output, "evidence")
{
    [Fact]
    public Task Community_files_material_and_the_county_builds_the_inspection_dossier() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        var photo = Path.Combine(ShotDir, "宣传月活动合影.jpg");
        var docx = Path.Combine(ShotDir, "领导小组成立文件.docx");
        var exe = Path.Combine(ShotDir, "签到表.jpg");
        await File.WriteAllBytesAsync(photo, TestFiles.Jpeg(1200, 900));
        await File.WriteAllBytesAsync(docx, TestFiles.Docx("关于成立城中社区民族团结进步创建工作领导小组的通知"));
        await File.WriteAllBytesAsync(exe, TestFiles.Exe());

        await page.GotoAsync("/evidence");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        var upload = page.GetByTestId("evidence-upload");
        await Expect(upload.GetByLabel("选择文件")).ToBeEnabledAsync();
        await upload.GetByLabel("选择文件").SetInputFilesAsync([photo, docx, exe]);
        await upload.GetByLabel("测评标准第4条 民族政策宣传", new() { Exact = true }).CheckAsync();
        await upload.GetByLabel("测评标准第2条 组织机构与工作机制", new() { Exact = true }).CheckAsync();
        await upload.GetByLabel("成立一个领导小组").CheckAsync();
        await upload.GetByRole(AriaRole.Button, new() { Name = "上传 3 个文件" }).ClickAsync();
        var results = page.GetByTestId("upload-results");
        await Expect(results.Locator("li")).ToHaveCountAsync(3);
        await Expect(results.Locator("li.bad")).ToContainTextAsync("可执行程序");
        await page.GetByText("登记文字材料（会议记录、情况说明等）").ClickAsync();
        await page.GetByLabel("文字材料标题").FillAsync("民族工作联席会议记录");
        await page.GetByLabel("文字材料内容").FillAsync("时间：2019年3月1日\n地点：社区会议室\n议题：民族团结进步宣传月安排");
        await page.GetByLabel("文字材料内容").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存文字材料" }).ClickAsync();
        await Expect(page.GetByTestId("evidence-list").Locator(".evidence-card")).ToHaveCountAsync(3);
        await ShotAsync(page, browser, "community-archive");
        // Deleting is soft: the community removes the record, the county brings it back from the recycle bin.
        var record = page.GetByTestId("evidence-list").Locator(".evidence-card").Filter(new() { HasText = "民族工作联席会议记录" });
        await record.GetByText("删除").ClickAsync();
        await page.Locator(".ant-popover").GetByRole(AriaRole.Button).Last.ClickAsync();
        await Expect(page.GetByTestId("evidence-list").Locator(".evidence-card")).ToHaveCountAsync(2);
        await SignOutAsync(page);

        await SignInAsync(page, "county", Db.DemoPassword);
        await page.GotoAsync("/evidence");
        await circuit.WaitAsync();
        await page.Locator("select[aria-label='单位']").SelectOptionAsync(new SelectOptionValue { Label = "城中社区" });
        await Expect(page.GetByTestId("evidence-list").Locator(".evidence-card")).ToHaveCountAsync(2);
        await page.GetByLabel("回收站", new() { Exact = true }).CheckAsync();
        await Expect(page.GetByTestId("evidence-list")).ToContainTextAsync("community 于");
        await page.GetByTestId("evidence-list").GetByText("恢复").ClickAsync();
        await Expect(page.GetByTestId("evidence-list").Locator(".evidence-card")).ToHaveCountAsync(0);
        await ShotAsync(page, browser, "county-restored");
        await page.GetByLabel("回收站", new() { Exact = true }).UncheckAsync();
        await Expect(page.GetByTestId("evidence-list").Locator(".evidence-card")).ToHaveCountAsync(3);
        await page.GetByTestId("evidence-list").Locator(".evidence-thumb").Filter(new() { Has = page.Locator("img") }).First.ClickAsync();
        await Expect(page.GetByTestId("preview").Locator("img")).ToBeVisibleAsync();
        await ShotAsync(page, browser, "county-preview");
        await page.Keyboard.PressAsync("Escape");

        await page.GetByRole(AriaRole.Tab, new() { Name = "测评标准覆盖" }).ClickAsync();
        await Expect(page.GetByTestId("coverage-summary")).ToContainTextAsync("还有 11 条没有任何材料");
        await ShotAsync(page, browser, "county-coverage");

        await page.GetByRole(AriaRole.Tab, new() { Name = "迎检台账" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "一键生成迎检台账" }).ClickAsync();
        var table = page.GetByTestId("dossier-table");
        await Expect(table).ToContainTextAsync("已完成", new() { Timeout = 30_000 });
        await ShotAsync(page, browser, "county-dossier");
        var download = await page.RunAndWaitForDownloadAsync(() => table.GetByText("下载").ClickAsync());
        var file = Path.Combine(ShotDir, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        using (var zip = ZipFile.OpenRead(file))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("目录.docx", names);
            Assert.Contains("二、十个一/01 成立一个领导小组/领导小组成立文件.docx", names);
            Assert.Contains(names, n => n.StartsWith("一、测评标准/04 ", StringComparison.Ordinal) && n.EndsWith("宣传月活动合影.jpg", StringComparison.Ordinal));
            Assert.Contains("三、其他材料/2026年/民族工作联席会议记录.txt", names);
        }
    });
}
