using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Core.Residents.Import;
using Shiliu.Testing;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Residents;

public sealed class ImportTests
{
    internal static async Task<ImportView> WaitAsync(ShiliuApp app, string? user, Guid id, params ImportStatus[] until)
    {
        for (var i = 0; i < 600; i++)
        {
            var v = await app.AsAsync(user, sp => sp.GetRequiredService<ResidentImportService>().GetAsync(id));
            if (until.Contains(v.Status)) return v;
            if (v.Status is ImportStatus.Failed or ImportStatus.Cancelled && !until.Contains(v.Status)) throw new Xunit.Sdk.XunitException($"import ended {v.Status}: {v.Error}");
            await Task.Delay(100);
        }
        throw new TimeoutException("import did not finish");
    }

    internal static Task<Guid> StartAsync(ShiliuApp app, string? user, Guid unit, byte[] file, string name = "居民.xlsx") =>
        app.AsAsync(user, sp => sp.GetRequiredService<ResidentImportService>().StartAsync(new MemoryStream(file), name, unit));

    internal static byte[] Book(int rows, int bad, int seed, string? grid = null)
    {
        using var ms = new MemoryStream();
        ResidentWorkbooks.Write(ms, rows, bad, seed, grid: grid);
        return ms.ToArray();
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_file_is_checked_row_by_row_then_its_valid_rows_are_written_once_and_a_reimport_skips_them(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var community = await app.UnitAsync("530427001001");
        using var ms = new MemoryStream();
        var made = ResidentWorkbooks.Write(ms, 1200, bad: 20, seed: 3);
        var file = ms.ToArray();

        var id = await StartAsync(app, "community", community.Id, file, "../桂山社区\u0007居民.xlsx");
        // The same file sent again while its import is open (a double click, a retried request) is that import: 409 with its id.
        var again1 = await Assert.ThrowsAsync<ImportAlreadyOpen>(() => StartAsync(app, "community", community.Id, file));
        Assert.Equal(id, again1.ImportId);
        var view = await WaitAsync(app, "community", id, ImportStatus.Previewed);
        Assert.Equal("桂山社区居民.xlsx", view.FileName);
        Assert.Equal((1200, 1180, 20, 0), (view.TotalRows, view.ValidRows, view.ErrorRows, view.ExistingRows));
        // Row numbers as Excel shows them: the blank rows the file has (after every 500) do not shift them.
        Assert.Equal(made.BadRows.Keys.Order(), view.Errors.Select(e => e.Row).Distinct().Order());
        string ErrorOf(string kind) => string.Join(" | ", view.Errors.Where(e => made.BadRows[e.Row] == kind).Select(e => $"{e.Column}：{e.Message}"));
        Assert.Contains("公民身份号码（E列）：身份证号校验码错误", ErrorOf("check"));
        Assert.Contains("民族（D列）：“火星族”不在民族字典中", ErrorOf("ethnicity"));
        Assert.Contains("户籍地（流出地）（M列）：流动人口须填写户籍地", ErrorOf("origin"));
        Assert.Contains("流入时间（N列）：“2019年13月1日”不是有效日期", ErrorOf("date"));
        Assert.Contains("联系电话（G列）：电话号码格式不正确", ErrorOf("phone"));
        Assert.Contains("与第2行的身份证号重复", ErrorOf("duplicate"));
        Assert.Contains("性别（C列）", ErrorOf("gender"));
        Assert.Contains("出生日期（F列）：出生日期（1900-01-01）与身份证号中的出生日期", ErrorOf("birth"));
        Assert.Contains("人员类型（L列）：“外来”应为常住、流动或辖区单位", ErrorOf("type"));
        Assert.Contains("变动日期（U列）：状态为“迁出”时须填写变动日期", ErrorOf("status"));
        await using (var db = await app.SystemDbAsync())
            Assert.Equal(0, await db.Residents.CountAsync());

        // The error sheet: the template's columns, the original row number and the reasons; it goes back in once fixed.
        var (sheet, sheetName) = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().ErrorSheetAsync(id));
        Assert.Equal("桂山社区居民-错误数据.xlsx", sheetName);
        var errorBytes = new MemoryStream();
        await using (sheet) await sheet.CopyToAsync(errorBytes);
        errorBytes.Position = 0;
        using (var reader = XlsxReader.Open(errorBytes))
        {
            var rows = reader.Rows().ToList();
            Assert.Equal(21, rows.Count);
            var rowCol = rows[0].Cells.Single(c => c.Value.Text == ResidentSheet.RowHeader).Key;
            var errCol = rows[0].Cells.Single(c => c.Value.Text == ResidentSheet.ErrorHeader).Key;
            Assert.Equal(made.BadRows.Keys.Order().Select(n => n.ToString()), rows.Skip(1).Select(r => r[rowCol]!.Value.Text));
            Assert.All(rows.Skip(1), r => Assert.False(string.IsNullOrEmpty(r[errCol]?.Text)));
        }

        view = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().CommitAsync(id));
        view = await WaitAsync(app, "community", id, ImportStatus.Committed);
        Assert.Equal(1180, view.InsertedRows);
        // Committing again changes nothing.
        view = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().CommitAsync(id));
        Assert.Equal((ImportStatus.Committed, 1180), (view.Status, view.InsertedRows));
        await using (var db = await app.SystemDbAsync())
        {
            Assert.Equal(1180, await db.Residents.CountAsync(r => r.CommunityId == community.Id));
            var one = await db.Residents.FirstAsync(r => r.ResidenceType == ResidenceType.Floating);
            var history = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().HistoryAsync(one.Id));
            Assert.Equal("导入", history[^1].Action);
            Assert.Contains($"由文件“桂山社区居民.xlsx”第{one.ImportRow}行导入{community.Name}", history[^1].Details);
            Assert.Equal("community", history[^1].UserName);
            Assert.Equal(new DateOnly(2019, 3, 1), one.ArrivalDate);
            Assert.DoesNotContain(made.IdNumbers[0], one.IdNumberCipher);
            Assert.Contains(await db.AuditEntries.Select(a => a.Summary).ToListAsync(), s => s != null && s.StartsWith("导入居民 1,180 人到"));
            Assert.False(File.Exists(Path.Combine(app.DataDir, "files", ".staging", "imports", $"{id:N}.xlsx")));
        }

        // The statistics count the imported people at once (recounted in the commit's transaction).
        var stats = await app.AsAsync("township", sp => sp.GetRequiredService<PopulationStatisticsService>().GetAsync(community.Id));
        Assert.Equal(1180, stats.Totals.Permanent + stats.Totals.Floating + stats.Totals.UnitEmployee);

        // The same file again: everyone is already there, nothing is written twice.
        var again = await StartAsync(app, "community", community.Id, file);
        view = await WaitAsync(app, "community", again, ImportStatus.Previewed);
        Assert.Equal((0, 20, 1180), (view.ValidRows, view.ErrorRows, view.ExistingRows));
        var refused = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().CommitAsync(again)));
        Assert.Contains("没有可以导入的行", refused.Message);

        // The fixed error sheet goes in as it is (its extra columns are ignored).
        using var fixedBook = new MemoryStream();
        errorBytes.Position = 0;
        ResidentWorkbooks.Fix(errorBytes, fixedBook, seed: 3);
        var third = await StartAsync(app, "community", community.Id, fixedBook.ToArray(), "桂山社区居民-错误数据.xlsx");
        view = await WaitAsync(app, "community", third, ImportStatus.Previewed);
        Assert.Equal((20, 0), (view.ValidRows, view.ErrorRows));
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().CommitAsync(third));
        await WaitAsync(app, "community", third, ImportStatus.Committed);
        await using (var db = await app.SystemDbAsync())
            Assert.Equal(1200, await db.Residents.CountAsync(r => r.CommunityId == community.Id));

        // Another community sees neither the jobs nor the people, and its own import of them is told only that they are
        // kept elsewhere (no unit, no record); the auditor gets the attempt with both.
        await Assert.ThrowsAsync<NotFoundInScope>(() => app.AsAsync("community2", sp => sp.GetRequiredService<ResidentImportService>().GetAsync(id)));
        var page = await app.AsAsync("community2", sp => sp.GetRequiredService<ResidentService>().ListAsync(new ResidentQuery()));
        Assert.Equal(0, page.Total);
        var other = await app.UnitAsync("530427101001");
        var foreign = await StartAsync(app, "community2", other.Id, Book(30, 0, seed: 3));
        view = await WaitAsync(app, "community2", foreign, ImportStatus.Previewed);
        Assert.Equal(30, view.ErrorRows);
        Assert.Contains("已在其他单位登记，请联系乡镇（街道）办理转入", view.Errors[0].Message);
        Assert.DoesNotContain(view.Errors, e => e.Message.Contains(community.Name));
        await using (var db = await app.SystemDbAsync())
        {
            var attempt = await db.AuditEntries.SingleAsync(a => a.Event == Shiliu.Core.Auditing.AuditEvents.RegisteredElsewhere);
            Assert.Equal((false, "community2"), (attempt.Success, attempt.UserName));
            Assert.Contains("30 人已在其他单位登记", attempt.Summary);
            Assert.Contains($"（{community.Name}）", attempt.After);
        }
        await Assert.ThrowsAsync<NotFoundInScope>(() => StartAsync(app, "community2", community.Id, Book(5, 0, seed: 9)));
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Someone_registered_between_preview_and_commit_makes_the_whole_commit_write_nothing(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var community = await app.UnitAsync("530427001001");
        var other = await app.UnitAsync("530427101001");
        var id = await StartAsync(app, "community", community.Id, Book(40, 0, seed: 14));
        Assert.Equal(40, (await WaitAsync(app, "community", id, ImportStatus.Previewed)).ValidRows);
        // Meanwhile another community registers the person of row 30.
        await app.AsAsync("community2", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
        {
            OrgUnitId = other.Id, Name = "李文华", EthnicityCode = "07", IdNumber = ResidentWorkbooks.Id(28, 14), ResidenceType = ResidenceType.Permanent,
        }));
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().CommitAsync(id));
        var view = await WaitAsync(app, "community", id, ImportStatus.Failed);
        Assert.Contains("没有写入任何数据", view.Error);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(0, await db.Residents.CountAsync(r => r.CommunityId == community.Id));
        Assert.Equal(0, await db.ResidentTallies.CountAsync(t => t.CommunityId == community.Id));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task What_clerks_type_is_accepted_dates_full_width_digits_serials_numbers_as_text_and_15_digit_ids(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var grid = await app.UnitAsync("530427001001-G01");
        var id15 = "530427" + "850301" + "123"; // a 15-digit number of a man born 1985-03-01
        var id18 = ResidentWorkbooks.Id(5, 77);
        using var ms = new MemoryStream();
        using (var x = new XlsxWriter(ms))
        using (var s = x.AddSheet("Sheet1", []))
        {
            s.Row(["说明：本表由社区填写"], XlsxStyle.Plain); // a title line above the header
            s.Row([" 姓名 ", "*民族", "身份证号码", "类型", "户籍地", "流入日期", "电话", "出生年月", "网格", "户号", "需求"], XlsxStyle.Header);
            s.Row(["张 三", "彝", id15, "流动人口", "云南省红河州", "2019年3月1日", "139 8765 4321", "1985.3.1", "第一网格", "0101", "就业，培训"]);
            s.Mixed(["阿依古丽·买买提", "维吾尔族", " " + string.Concat(id18.Select(c => char.IsAsciiDigit(c) ? (char)(c - '0' + '０') : c)), "流动",
                "新疆喀什", 43525, 13987654322L, null, null, 102, "医疗"]);
        }
        var jid = await StartAsync(app, "grid", grid.Id, ms.ToArray());
        var view = await WaitAsync(app, "grid", jid, ImportStatus.Previewed);
        Assert.True(view.ErrorRows == 0, string.Join("\n", view.Errors.Select(e => $"{e.Row} {e.Column} {e.Message}")));
        Assert.Equal(2, view.ValidRows);
        await app.AsAsync("grid", sp => sp.GetRequiredService<ResidentImportService>().CommitAsync(jid));
        await WaitAsync(app, "grid", jid, ImportStatus.Committed);
        await using var db = await app.SystemDbAsync();
        var people = await db.Residents.OrderBy(r => r.Name).ToListAsync();
        var zhang = people.Single(p => p.Name == "张三");
        Assert.Equal((new DateOnly(1985, 3, 1), new DateOnly(2019, 3, 1), "07", "0101", grid.Id), (zhang.BirthDate, zhang.ArrivalDate!.Value, zhang.EthnicityCode, zhang.HouseholdNo, zhang.OrgUnitId));
        Assert.Equal(ResidentNeeds.Employment | ResidentNeeds.Training, zhang.Needs);
        Assert.Equal("530427********" + IdNumberLast4(id15), zhang.IdNumberMasked);
        var ayi = people.Single(p => p.Name == "阿依古丽·买买提");
        Assert.Equal((new DateOnly(2019, 3, 1), "139****4322", "102"), (ayi.ArrivalDate!.Value, ayi.PhoneMasked, ayi.HouseholdNo));
    }

    static string IdNumberLast4(string id15) => IdNumber.TryParse(id15, out var p, out _) ? p!.Value[^4..] : "";

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Hostile_and_broken_files_are_refused_with_a_reason_and_leave_nothing_behind(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind, new Dictionary<string, string> { ["Import:MaxUploadMb"] = "2", ["Import:MaxRows"] = "100" });
        var unit = (await app.UnitAsync("530427001001")).Id;
        async Task<string> Refused(byte[] bytes) =>
            (await Assert.ThrowsAnyAsync<RuleViolation>(() => StartAsync(app, "community", unit, bytes))).Message;

        Assert.Contains("0 字节", await Refused([]));
        Assert.Contains("旧版 Excel（.xls）", await Refused([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]));
        Assert.Contains("不是 Excel 工作簿", await Refused(Encoding.UTF8.GetBytes("姓名,身份证号\n张三,1")));
        var good = Book(10, 0, seed: 5);
        Assert.Contains("已损坏", await Refused(good[..(good.Length / 2)]));
        Assert.Contains("缺少“xl/workbook.xml”", await Refused(Zip(("word/document.xml", "<w:document/>"u8.ToArray()))));
        // A zip bomb: 50 MB of spaces in a few KB.
        var bomb = Zip(("xl/workbook.xml", "<workbook/>"u8.ToArray()), ("xl/worksheets/sheet1.xml", new byte[50_000_000]));
        Assert.Contains("压缩炸弹", await Refused(bomb));
        Assert.Contains("超过 2 MB", await Refused(new byte[3 * 1024 * 1024]));
        // A sheet longer than allowed is found while checking in the background: the job fails with the reason.
        var tooLong = await StartAsync(app, "community", unit, Book(150, 0, seed: 6));
        Assert.Contains("工作表超过 100 行", (await WaitAsync(app, "community", tooLong, ImportStatus.Failed)).Error);
        using var noHeader = new MemoryStream();
        using (var x = new XlsxWriter(noHeader))
        using (var s = x.AddSheet("Sheet1", []))
            s.Row(["名字", "号码"]);
        Assert.Contains("找不到表头", await Refused(noHeader.ToArray()));
        using var missing = new MemoryStream();
        using (var x = new XlsxWriter(missing))
        using (var s = x.AddSheet("Sheet1", []))
            s.Row(["姓名", "身份证号", "民族"]);
        Assert.Contains("缺少必填列：人员类型", await Refused(missing.ToArray()));

        // A formula in a cell is not imported: that row is refused, the others go in.
        var withFormula = WithFormula(Book(5, 0, seed: 8), "B3", "HYPERLINK(\"http://x\",\"点我\")");
        var job = await StartAsync(app, "community", unit, withFormula);
        var view = await WaitAsync(app, "community", job, ImportStatus.Previewed);
        Assert.Equal((4, 1), (view.ValidRows, view.ErrorRows));
        Assert.Equal((3, "姓名（B列）"), (view.Errors[0].Row, view.Errors[0].Column));
        Assert.Contains("是公式", view.Errors[0].Message);

        await using var db = await app.SystemDbAsync();
        Assert.Equal(2, await db.ResidentImports.CountAsync());
        // Left behind: only what the waiting import needs (its checked rows and its error sheet); the uploads are gone.
        Assert.Equal(new[] { $"{job:N}-errors.xlsx", $"{job:N}.rows" },
            Directory.GetFiles(Path.Combine(app.DataDir, "files", ".staging", "imports")).Select(Path.GetFileName).Order());
    }

    static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var ms = new MemoryStream();
        using (var z = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var s = z.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                if (content.Length > 1_000_000) Array.Fill(content, (byte)' ');
                s.Write(content);
            }
        return ms.ToArray();
    }

    /// <summary>Puts a formula into one cell of a workbook, as a clerk's spreadsheet might carry.</summary>
    static byte[] WithFormula(byte[] book, string cellRef, string formula)
    {
        using var ms = new MemoryStream();
        ms.Write(book);
        using (var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(ms, true))
        {
            var ws = doc.WorkbookPart!.WorksheetParts.First().Worksheet;
            var cell = ws.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().First(c => c.CellReference == cellRef);
            cell.RemoveAllChildren();
            cell.DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.String;
            cell.Append(new DocumentFormat.OpenXml.Spreadsheet.CellFormula(formula), new DocumentFormat.OpenXml.Spreadsheet.CellValue("点我"));
            ws.Save();
        }
        return ms.ToArray();
    }
}
