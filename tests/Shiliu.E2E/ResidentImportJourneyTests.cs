using Microsoft.Playwright;
using Shiliu.Core.Common;
using Shiliu.E2E.Infrastructure;
using Shiliu.Testing;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// A community clerk imports its 2,000-person ledger with 30 mistakes: the check lists them by row and column, the clerk
/// commits the good rows, downloads the error sheet, fixes it and imports it too; the ledger of 2,000 people then goes out
/// masked with a purpose, once the township has approved the clerk's request. Another community sees none of these people.
/// </summary>
public sealed class ResidentImportJourneyTests(ITestOutputHelper output) : Journey(output, "resident-import")
{
    [Fact]
    public Task Community_staff_imports_2000_rows_fixes_the_30_bad_ones_from_the_error_sheet_and_exports_the_ledger() => RunAsync(1366, 768, async (page, browser, circuit) =>
    {
        var dir = Path.Combine(ShotDir, "files");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "城中社区少数民族信息.xlsx");
        ResidentWorkbooks.Made made;
        await using (var f = File.Create(file)) made = ResidentWorkbooks.Write(f, 2000, bad: 30, seed: 21, grid: "城中社区第一网格");
        Assert.Equal(30, made.BadRows.Count);

        await page.GotoAsync("/residents");
        await SignInAsync(page, "community", Db.DemoPassword);
        await circuit.WaitAsync();
        await page.GetByText("Excel 导入").ClickAsync();
        await page.WaitForURLAsync("**/residents/import");
        await circuit.WaitAsync();
        var template = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("template-link").ClickAsync());
        var templateFile = Path.Combine(dir, template.SuggestedFilename);
        await template.SaveAsAsync(templateFile);
        using (var t = XlsxReader.Open(File.OpenRead(templateFile)))
            Assert.Equal("公民身份号码", t.Rows().First()[4]!.Value.Text);

        // A file saved by old Excel is refused at once, in words the clerk can act on, and nothing is started.
        var old = Path.Combine(dir, "旧表格.xls");
        await File.WriteAllBytesAsync(old, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]]);
        await page.GetByLabel("选择要导入的 Excel 文件").SetInputFilesAsync(old);
        await Expect(page.Locator(".error-banner")).ToContainTextAsync("旧版 Excel（.xls）文件，请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入");
        await Expect(page.GetByTestId("import-counts")).ToHaveCountAsync(0);
        await ShotAsync(page, browser, "old-excel-refused");

        await page.GetByLabel("选择要导入的 Excel 文件").SetInputFilesAsync(file);
        var counts = page.GetByTestId("import-counts");
        await Expect(counts).ToContainTextAsync("1,970", new() { Timeout = 60_000 });
        await Expect(counts).ToContainTextAsync("30");
        var errors = page.GetByTestId("import-errors");
        var first = made.BadRows.Keys.Min();
        await Expect(errors.Locator("tbody tr").First).ToContainTextAsync($"第 {first} 行");
        await Expect(errors).ToContainTextAsync("公民身份号码（E列）");
        await ShotAsync(page, browser, "preview-with-errors");

        var sheet = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("error-sheet").ClickAsync());
        var sheetFile = Path.Combine(dir, sheet.SuggestedFilename);
        await sheet.SaveAsAsync(sheetFile);
        Assert.EndsWith("-错误数据.xlsx", sheetFile);

        await page.GetByRole(AriaRole.Button, new() { Name = "确认导入 1,970 人" }).ClickAsync();
        await Expect(page.GetByTestId("import-status")).ToContainTextAsync("已导入", new() { Timeout = 60_000 });
        await Expect(counts).ToContainTextAsync("1,970");
        await ShotAsync(page, browser, "committed");

        // The clerk fixes the error sheet (every reason it lists) and uploads it as it is.
        var fixedFile = Path.Combine(dir, "错误数据-已改正.xlsx");
        await using (var src = File.OpenRead(sheetFile))
        await using (var dst = File.Create(fixedFile))
            ResidentWorkbooks.Fix(src, dst, seed: 21);
        await page.GetByLabel("选择要导入的 Excel 文件").SetInputFilesAsync(fixedFile);
        await Expect(page.GetByTestId("import-status")).ToContainTextAsync("待确认导入", new() { Timeout = 60_000 });
        await Expect(counts).ToContainTextAsync("30");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "确认导入 30 人" })).ToBeVisibleAsync();
        await ShotAsync(page, browser, "fixed-sheet-previewed");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认导入 30 人" }).ClickAsync();
        await Expect(page.GetByTestId("import-status")).ToContainTextAsync("已导入", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("import-list")).ToContainTextAsync("错误数据-已改正.xlsx");
        await ShotAsync(page, browser, "fixed-sheet-committed");

        await page.GetByText("查看居民档案").ClickAsync();
        await page.WaitForURLAsync("**/residents");
        await circuit.WaitAsync();
        await Expect(page.Locator(".pager")).ToContainTextAsync("共 2,000 人");
        await page.GetByRole(AriaRole.Button, new() { Name = "导出台账" }).ClickAsync();
        await page.GetByLabel("导出用途").FillAsync("工作需要");
        // 2,000 people are more than the county's 500: the ledger goes out only after someone else approves (四眼原则).
        await page.GetByTestId("ledger-link").ClickAsync();
        await Expect(page.Locator(".export-note")).ToContainTextAsync("所选 2,000 人，超过 500 人的台账须经本单位领导或上级审批后才能导出");
        await page.GetByTestId("ledger-request").ClickAsync();
        await Expect(page.Locator(".export-note")).ToContainTextAsync("已提交导出申请");
        await ShotAsync(page, browser, "ledger-export-requested");
        await SignOutAsync(page);

        // A vague purpose is refused with a reason the clerk reads on the approvals page.
        await SignInAsync(page, "township", Db.DemoPassword);
        await page.GotoAsync("/residents/exports");
        await circuit.WaitAsync();
        var vague = page.GetByTestId("export-requests").Locator("tbody tr").First;
        await Expect(vague).ToContainTextAsync("工作需要");
        await vague.GetByText("驳回", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("驳回原因").FillAsync("用途不明确，请写明核对哪项工作");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认驳回" }).ClickAsync();
        await Expect(vague).ToContainTextAsync("已驳回");
        await SignOutAsync(page);
        await SignInAsync(page, "community", Db.DemoPassword);
        await page.GotoAsync("/residents/exports");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("export-requests")).ToContainTextAsync("原因：用途不明确，请写明核对哪项工作");
        await ShotAsync(page, browser, "clerk-reads-refusal");
        await page.GotoAsync("/residents");
        await circuit.WaitAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "导出台账" }).ClickAsync();
        await page.GetByLabel("导出用途").FillAsync("年度核对少数民族台账");
        await page.GetByTestId("ledger-link").ClickAsync();
        await page.GetByTestId("ledger-request").ClickAsync();
        await Expect(page.Locator(".export-note")).ToContainTextAsync("已提交导出申请");
        await SignOutAsync(page);

        await SignInAsync(page, "township", Db.DemoPassword);
        await circuit.WaitAsync();
        await Expect(page.Locator(".todo-list")).ToContainTextAsync("待审批的台账导出申请");
        await page.GotoAsync("/residents/exports");
        await circuit.WaitAsync();
        var request = page.GetByTestId("export-requests").Locator("tbody tr").First;
        await Expect(request).ToContainTextAsync("2,000 人");
        await Expect(request).ToContainTextAsync("年度核对少数民族台账");
        await Expect(request).ToContainTextAsync("待审批");
        await request.GetByText("批准", new() { Exact = true }).ClickAsync();
        await Expect(request).ToContainTextAsync("已批准");
        await Expect(request.GetByRole(AriaRole.Button, new() { Name = "下载台账" })).ToHaveCountAsync(0); // only the requester downloads
        await ShotAsync(page, browser, "township-approved-export");
        await SignOutAsync(page);

        await SignInAsync(page, "community", Db.DemoPassword);
        await page.GotoAsync("/residents/exports");
        await circuit.WaitAsync();
        request = page.GetByTestId("export-requests").Locator("tbody tr").First;
        await Expect(request).ToContainTextAsync("已批准");
        var ledger = await page.RunAndWaitForDownloadAsync(() => request.GetByRole(AriaRole.Button, new() { Name = "下载台账" }).ClickAsync());
        var ledgerFile = Path.Combine(dir, ledger.SuggestedFilename);
        await ledger.SaveAsAsync(ledgerFile);
        using (var l = XlsxReader.Open(File.OpenRead(ledgerFile)))
        {
            var rows = l.Rows().ToList();
            Assert.Contains("用途：年度核对少数民族台账", rows[1][0]!.Value.Text);
            Assert.Equal(2003, rows.Count);
            Assert.Matches("^530427\\*{8}[0-9]{3}[0-9X]$", rows[3][4]!.Value.Text);
        }
        await Expect(request).ToContainTextAsync("已导出");
        await ShotAsync(page, browser, "ledger-exported");
        await SignOutAsync(page);

        await SignInAsync(page, "community2", Db.DemoPassword);
        await page.GotoAsync("/residents");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("resident-list")).ToContainTextAsync("没有符合条件的居民");
        await page.GotoAsync("/residents/import");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("import-list")).ToContainTextAsync("还没有导入记录");
        await ShotAsync(page, browser, "other-community-sees-nothing");
    });
}
