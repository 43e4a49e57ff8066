using System.IO.Compression;
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

public sealed class LedgerTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_ledger_is_masked_watermarked_formula_safe_needs_a_purpose_and_is_audited(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var grid = await app.UnitAsync("530427001001-G01");
        var id = Ids.Next(new DateOnly(1988, 8, 8));
        await app.AsAsync("grid", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
        {
            OrgUnitId = grid.Id, Name = "者玉兰", EthnicityCode = "07", IdNumber = id, Phone = "13987654321", ResidenceType = ResidenceType.Permanent,
            HouseholdNo = "CZ-01", Notes = "=HYPERLINK(\"http://evil\",\"点我\")", Needs = ResidentNeeds.Medical,
        }));
        var ledger = () => app.AsAsync("community", async sp =>
        {
            await using var file = await sp.GetRequiredService<ResidentLedger>().ExportAsync(new ResidentQuery(), "核对低保名单");
            return (file.FileName, await Exports.BytesAsync(file));
        });
        var refused = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp =>
            sp.GetRequiredService<ResidentLedger>().ExportAsync(new ResidentQuery(), " ")));
        Assert.Contains("须说明用途", refused.Message);

        var (fileName, bytes) = await ledger();
        Assert.EndsWith("少数民族信息台账.xlsx", fileName);
        // No part of the package holds the full ID number or phone.
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            var all = string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".xml")).Select(e => new StreamReader(e.Open()).ReadToEnd()));
            Assert.DoesNotContain(id, all);
            Assert.DoesNotContain("13987654321", all);
            Assert.Contains("<x:picture", all.Replace("<picture", "<x:picture"));
            Assert.Contains("导出人 community", all);
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith(".png"));
        }
        using var reader = XlsxReader.Open(new MemoryStream(bytes));
        var rows = reader.Rows().ToList();
        Assert.Contains("用途：核对低保名单", rows[1][0]!.Value.Text);
        Assert.Contains("导出人：community", rows[1][0]!.Value.Text);
        Assert.Equal(ResidentSheet.Columns.Select(c => c.Header).Append("所属社区"), rows[2].Cells.OrderBy(c => c.Key).Select(c => c.Value.Text));
        var person = rows[3];
        Assert.Equal(("者玉兰", "彝族", IdNumber.Mask(id), "139****4321", "医疗"), (person[1]!.Value.Text, person[3]!.Value.Text, person[4]!.Value.Text, person[6]!.Value.Text, person[18]!.Value.Text));
        Assert.StartsWith("'=HYPERLINK", person[21]!.Value.Text);
        Assert.Equal("1988年", person[5]!.Value.Text);
        Assert.False(person[21]!.Value.IsFormula);

        await using var db = await app.SystemDbAsync();
        var audit = await db.AuditEntries.Where(a => a.Event == AuditEvents.PersonalDataExport).Select(a => new { a.UserName, a.Summary }).ToListAsync();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        Assert.Contains(audit, a => a.UserName == "community" && a.Summary!.Contains("：1 行") && a.Summary.Contains("用途：核对低保名单") && a.Summary.Contains(sha));
        // Outside the caller's scope there is nothing to export.
        await Assert.ThrowsAsync<NotFoundInScope>(() => app.AsAsync("community2", sp =>
            sp.GetRequiredService<ResidentLedger>().ExportAsync(new ResidentQuery { OrgUnitId = grid.Id }, "核对数据")));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_import_verb_prints_the_same_report_and_writes_only_with_commit(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var file = Path.Combine(app.DataDir, "城中社区居民.xlsx");
        Directory.CreateDirectory(app.DataDir);
        await using (var f = File.Create(file)) ResidentWorkbooks.Write(f, 120, bad: 3, seed: 12);

        var (exit, output) = await Cli.RunAsync(app, "import-residents", "--file", file, "--org", "530427001001");
        Assert.True(exit == 3, output);
        Assert.Contains("共 120 行，可导入 117，已登记（跳过）0，有错误 3", output);
        Assert.Contains("公民身份号码（E列）：身份证号校验码错误", output);
        Assert.Contains("仅检查，未写入", output);
        Assert.True(File.Exists(Path.Combine(app.DataDir, "城中社区居民-错误数据.xlsx")));
        await using (var db = await app.SystemDbAsync()) Assert.Equal(0, await db.Residents.CountAsync());

        (exit, output) = await Cli.RunAsync(app, "import-residents", "--file", file, "--org", "530427001001", "--commit");
        Assert.Contains("已导入 117 人", output);
        (exit, output) = await Cli.RunAsync(app, "import-residents", "--file", file, "--org", "530427001001", "--commit");
        Assert.Contains("已登记（跳过）117", output);
        Assert.Contains("没有可以导入的行", output);
        await using (var db = await app.SystemDbAsync()) Assert.Equal(117, await db.Residents.CountAsync());

        (exit, output) = await Cli.RunAsync(app, "import-residents", "--file", file, "--org", "NOPE");
        Assert.Equal(2, exit);
        Assert.Contains("找不到代码为 NOPE 的单位", output);
    }
}

public sealed class MaskingAndHousekeepingTests
{
    static bool HasValidIdNumber(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, "[0-9]{17}[0-9X]").Any(m => IdNumber.TryParse(m.Value, out _, out _));

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task No_list_detail_history_or_household_answer_holds_a_whole_id_number_or_the_birth_date(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var grid = await app.UnitAsync("530427001001-G01");
        var id = Ids.Next(new DateOnly(1976, 10, 23));
        var rid = await app.AsAsync("grid", sp => sp.GetRequiredService<ResidentService>().CreateAsync(new SaveResident
        {
            OrgUnitId = grid.Id, Name = "普文", EthnicityCode = "07", IdNumber = id, Phone = "13987650000", ResidenceType = ResidenceType.Permanent, HouseholdNo = "CZ-9",
        }));
        using var api = app.ApiClient(await app.TokenForAsync("community"));
        var answers = new List<string>();
        foreach (var path in new[] { "/api/v1/residents", $"/api/v1/residents/{rid}", $"/api/v1/residents/{rid}/history", $"/api/v1/grids/{grid.Id}/households" })
        {
            using var res = await api.GetAsync(path);
            Assert.True(res.IsSuccessStatusCode, $"{path}: {(int)res.StatusCode}");
            answers.Add(await res.Content.ReadAsStringAsync());
        }
        Assert.All(answers, a => Assert.False(HasValidIdNumber(a), a));
        Assert.All(answers, a => Assert.DoesNotContain("13987650000", a));
        Assert.All(answers, a => Assert.DoesNotContain("1976-10-23", a));
        Assert.Contains("530427********", answers[0]);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Import_files_expire_an_unconfirmed_import_is_cancelled_and_the_error_sheet_goes_back_only_to_its_uploader(DbProvider kind)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var community = await app.UnitAsync("530427001001");
        var id = await ImportTests.StartAsync(app, "community", community.Id, ImportTests.Book(30, 3, seed: 51));
        await ImportTests.WaitAsync(app, "community", id, ImportStatus.Previewed);
        var denied = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("township", sp => sp.GetRequiredService<ResidentImportService>().ErrorSheetAsync(id)));
        Assert.Contains("只能由上传文件的人下载", denied.Message);
        var folder = Path.Combine(app.DataDir, "files", ".staging", "imports");
        Assert.Equal(2, Directory.GetFiles(folder).Length);

        clock.Advance(TimeSpan.FromHours(25));
        var late = await Assert.ThrowsAsync<RuleViolation>(() => app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().CommitAsync(id)));
        Assert.Contains("已失效", late.Message);
        await app.AsAsync(null, sp => sp.GetRequiredService<ResidentImportService>().SweepAsync(CancellationToken.None));
        var view = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().GetAsync(id));
        Assert.Equal(ImportStatus.Cancelled, view.Status);
        Assert.Contains("已自动取消", view.Error);
        Assert.Empty(Directory.GetFiles(folder));
    }

    static MemoryStream Workbook(string sheetData, string? sharedStrings = null) => Evidence.TestFiles.HandWorkbook(sheetData, sharedStrings);

    [Fact]
    public void Empty_shared_strings_keep_their_index_and_apostrophes_from_our_exports_are_dropped_on_the_way_back()
    {
        using var ms = Workbook(
            $"""<sheetData><row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c></row><row r="4"><c r="A4" t="s"><v>3</v></c></row></sheetData>""",
            // Phonetic guides (<rPh>, as Excel writes for Japanese input) are not part of the text.
            """<si><t>甲</t><rPh sb="0" eb="1"><t>コウ</t></rPh></si><si/><si><r><t>乙</t></r><r><t>丙</t></r></si>""");
        // The same whether the table is read at once or as far as the cells need it (a header check).
        foreach (var lazy in new[] { false, true })
        {
            ms.Position = 0;
            using var reader = XlsxReader.Open(ms, lazyStrings: lazy);
            using var rows = reader.Rows().GetEnumerator();
            Assert.True(rows.MoveNext());
            var row = rows.Current;
            Assert.Equal((3, "甲", "乙丙"), (row.Number, row[0]!.Value.Text, row[2]!.Value.Text));
            Assert.Null(row[1]);
            // Row 4 points past the end of the table.
            Assert.Contains("第 4 行引用了不存在的文字", Assert.Throws<RuleViolation>(() => rows.MoveNext()).Message);
        }
        Assert.Equal("+86 139", ResidentSheet.Clean("'+86 139"));
        // One cell longer than Excel allows is refused while it is read, not after.
        using var huge = Workbook($"""<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{new string('字', 40_000)}</t></is></c></row></sheetData>""");
        using var bad = XlsxReader.Open(huge);
        Assert.Contains("超过 32,767 字", Assert.Throws<RuleViolation>(() => bad.Rows().ToList()).Message);
        Assert.Equal("'普通文字", ResidentSheet.Clean("'普通文字"));
    }
}
