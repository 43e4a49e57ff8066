using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Auditing;
using Shiliu.Core.Campaigns;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Exports;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>The one export path: provenance on every ledger, masking enforced, audited with count and hash before it is sent.</summary>
public sealed class ExportTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Every_ledger_carries_who_when_a_watermark_and_an_audit_row_with_its_hash(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var campaign = await app.AsAsync("county", async sp => (await sp.GetRequiredService<CampaignService>().ListAsync()).First().Id);
        var (bytes, name) = await app.AsAsync("county", async sp => await Exports.ReadAsync(await sp.GetRequiredService<DeliverableService>().ExportAsync(campaign, null)));
        Assert.Equal("十个一完成情况.xlsx", name);
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            var sheet = new StreamReader(zip.Entries.Single(e => e.FullName == "xl/worksheets/sheet1.xml").Open()).ReadToEnd();
            Assert.Contains("导出人 county", sheet);      // the printed page header
            Assert.Contains("导出人：county", sheet);      // the provenance row
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith(".png", StringComparison.Ordinal)); // the watermark
        }
        await using var db = await app.SystemDbAsync();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var row = await db.AuditEntries.SingleAsync(a => a.Event == AuditEvents.Export && a.UserName == "county");
        Assert.Equal($"导出“十个一”完成情况（全部参加单位，36 个单位）：36 行，SHA-256 {sha}", row.Summary);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_whole_id_number_in_any_cell_stops_the_export_and_leaves_no_file_and_no_audit_row(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var staging = app.Services.GetRequiredService<IFileStore>().StagingDirectory;
        var before = Directory.GetFiles(staging, "export-*").Length;
        var refused = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(async () =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            await sp.GetRequiredService<ExportService>().XlsxAsync(db, new ExportSpec("x.xlsx", "测试台账", "Resident", null, null), book =>
            {
                using var sheet = book.Sheet("表", "标题", ["姓名", "备注"], [10, 20]);
                sheet.Row(["者玉兰", "身份证 见下"]);
                sheet.Row(["普文华", Ids.Next()]);
                return Task.CompletedTask;
            });
        }));
        Assert.Equal(ExportErrors.Unmasked, refused.Code);
        Assert.Equal(before, Directory.GetFiles(staging, "export-*").Length);
        var noPurpose = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(async () =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            await sp.GetRequiredService<ExportService>().XlsxAsync(db, new ExportSpec("x.xlsx", "测试台账", "Resident", null, null) { PersonalData = true, Purpose = "看" },
                _ => Task.CompletedTask);
        }));
        Assert.Equal(["purpose"], noPurpose.Fields.Keys);
        await using var check = await app.SystemDbAsync();
        Assert.False(await check.AuditEntries.AnyAsync(a => a.Event == AuditEvents.Export || a.Event == AuditEvents.PersonalDataExport));
    }
}
