using Shiliu.Core.Platform.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Deliverables;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Campaigns;

public sealed class DeliverableTests
{
    const string Chengzhong = "530427001001";

    static async Task<Guid> CampaignIdAsync(ShiliuApp app)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Campaigns.Select(c => c.Id).SingleAsync();
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Every_participating_community_has_the_ten_items_and_the_matrix_follows_scope(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var county = await app.AsAsync("county", sp => sp.GetRequiredService<DeliverableService>().MatrixAsync(id));
        Assert.Equal(36, county.Rows.Count);
        Assert.All(county.Rows, r => Assert.Equal(Enumerable.Range(1, 10), r.Cells.Select(c => c.ItemNo)));
        var guishan = await app.UnitAsync("530427001000");
        Assert.Equal(3, (await app.AsAsync("county", sp => sp.GetRequiredService<DeliverableService>().MatrixAsync(id, guishan.Id))).Rows.Count);
        Assert.Equal(3, (await app.AsAsync("township", sp => sp.GetRequiredService<DeliverableService>().MatrixAsync(id))).Rows.Count);
        Assert.Single((await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().MatrixAsync(id))).Rows);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Culture_wall_is_submitted_returned_with_a_reason_fixed_and_approved(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        var unit = await app.UnitAsync(Chengzhong);
        DeliverableDetail Wall(IReadOnlyList<DeliverableDetail> items) => items.Single(d => d.ItemName == "完成一块民族文化墙");

        var wall = Wall(await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().UnitAsync(id, unit.Id)));
        var noEvidence = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            sp.GetRequiredService<DeliverableService>().UpdateAsync(wall.Id, new UpdateDeliverable { Status = DeliverableStatus.Completed, Version = wall.Version })));
        Assert.Contains("须写明成果及佐证材料", noEvidence.Message);
        await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().UpdateAsync(wall.Id,
            new UpdateDeliverable { Status = DeliverableStatus.Completed, Owner = "李华", DueDate = new DateOnly(2019, 5, 1), Evidence = "文化墙照片见痕迹台账", Version = wall.Version }));

        wall = Wall(await app.AsAsync("township", sp => sp.GetRequiredService<DeliverableService>().UnitAsync(id, unit.Id)));
        Assert.Equal(DeliverableStatus.Completed, wall.Status);
        // The reviewer cannot fill in the unit's item itself (and then pass its own submission).
        var forged = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() => sp.GetRequiredService<DeliverableService>()
            .UpdateAsync(wall.Id, new UpdateDeliverable { Status = DeliverableStatus.Completed, Evidence = "代填", Version = wall.Version })));
        Assert.Equal(DeliverableErrors.Denied, forged.Code);
        var self = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            sp.GetRequiredService<DeliverableService>().ReviewAsync(wall.Id, true, null, wall.Version)));
        Assert.Equal(WorkflowErrors.Denied, self.Code);
        var noReason = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            sp.GetRequiredService<DeliverableService>().ReviewAsync(wall.Id, false, " ", wall.Version)));
        Assert.Contains("退回须写明退回原因", noReason.Message);
        await app.AsAsync("township", sp => sp.GetRequiredService<DeliverableService>().ReviewAsync(wall.Id, false, "照片不清晰，请补拍全景", wall.Version));

        wall = Wall(await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().UnitAsync(id, unit.Id)));
        Assert.Equal(("已退回", "照片不清晰，请补拍全景"), (wall.StatusName, wall.ReturnReason));
        await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().UpdateAsync(wall.Id,
            new UpdateDeliverable { Status = DeliverableStatus.Completed, Owner = "李华", Evidence = "已补拍全景照片", Version = wall.Version }));
        wall = Wall(await app.AsAsync("township", sp => sp.GetRequiredService<DeliverableService>().UnitAsync(id, unit.Id)));
        await app.AsAsync("township", sp => sp.GetRequiredService<DeliverableService>().ReviewAsync(wall.Id, true, null, wall.Version));

        var matrix = await app.AsAsync("county", sp => sp.GetRequiredService<DeliverableService>().MatrixAsync(id));
        Assert.Equal(DeliverableStatus.Approved, matrix.Rows.Single(r => r.OrgUnitId == unit.Id).Cells[7].Status);
        Assert.Equal(1, matrix.ApprovedPerItem[7]);
        wall = Wall(await app.AsAsync("community", sp => sp.GetRequiredService<DeliverableService>().UnitAsync(id, unit.Id)));
        var locked = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            sp.GetRequiredService<DeliverableService>().UpdateAsync(wall.Id, new UpdateDeliverable { Status = DeliverableStatus.InProgress, Version = wall.Version })));
        Assert.Equal(DeliverableErrors.Locked, locked.Code);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_export_is_a_real_sheet_with_a_row_per_unit_and_no_live_formulas(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var id = await CampaignIdAsync(app);
        // A unit name that a spreadsheet would otherwise run as a formula.
        var guishan = await app.UnitAsync("530427001000");
        await app.AsAsync("county", async sp => await sp.GetRequiredService<Shiliu.Core.Organizations.OrganizationService>()
            .UpdateAsync((await app.UnitAsync(Chengzhong)).Id, new Shiliu.Core.Organizations.UpdateOrgUnit { Name = "=HYPERLINK(\"http://x\")", Code = Chengzhong, Version = (await app.UnitAsync(Chengzhong)).Version }));
        var (bytes, _) = await app.AsAsync("township", async sp => await Exports.ReadAsync(await sp.GetRequiredService<DeliverableService>().ExportAsync(id, guishan.Id)));
        using var ms = new MemoryStream(bytes);
        // Row 1 is the title, row 2 who exported it and when; the headers are on row 3.
        var rows = ms.Query(useHeaderRow: true, startCell: "A3").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(4, rows.Count); // three communities and the total row
        Assert.Equal("未开始", rows[0]["完成一块民族文化墙"]);
        Assert.Contains(rows, r => (string)r["社区（村）"] == "'=HYPERLINK(\"http://x\")");
        Assert.Equal("合计（已审核）", rows[^1]["乡镇（街道）"]);
    }
}
