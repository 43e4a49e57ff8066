using Shiliu.Core.Residents;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.Residents.Import;

/// <summary>
/// 少数民族信息台账 as .xlsx, in the import template's layout, through the one export path: ID numbers and phones masked,
/// a stated purpose, the exporter and time on the sheet, the printed page and the watermark; audited before it is sent.
/// </summary>
public sealed class ResidentLedger(IDbContextFactory<ShiliuDb> dbs, ResidentService residents, ExportService exports)
{
    public const int MaxRows = 1_000_000;

    /// <summary>The ledger of the residents the query selects (all pages).</summary>
    public async Task<ExportFile> ExportAsync(ResidentQuery query, string? purpose, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ResidentPermissions.View, ResidentErrors.Denied, "导出居民台账");
        var unit = query.OrgUnitId is { } u
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == u, ct) ?? throw new NotFoundInScope("单位")
            : await db.OrgUnits.AsNoTracking().OrderBy(o => o.Path.Length).FirstAsync(ct);
        var items = await residents.FilterAsync(db, query with { OrgUnitId = unit.Id, Purpose = query.Purpose ?? purpose }, ct);
        var count = await items.CountAsync(ct);
        if (count > MaxRows) throw new RuleViolation(ResidentErrors.Invalid, $"一次最多导出 {MaxRows:N0} 人（现为 {count:N0} 人），请按单位分批导出");
        var units = await db.OrgUnits.AsNoTracking().Where(o => o.Path.StartsWith(unit.Path))
            .Select(o => new { o.Id, o.Name, o.Level, o.ParentId }).ToDictionaryAsync(o => o.Id, ct);
        var eth = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.Ethnicity).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var exactAge = db.Caller.Can(ResidentPermissions.Reveal);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var cols = ResidentSheet.Columns;
        var spec = new ExportSpec($"{unit.Name}少数民族信息台账.xlsx", $"{unit.Name}少数民族信息台账（身份证号、电话已脱敏）", nameof(Resident), unit.Id.ToString(), unit.Path)
        {
            PersonalData = true, Purpose = purpose,
        };
        return await exports.XlsxAsync(db, spec, async book =>
        {
            using var sheet = book.Sheet(ResidentSheet.SheetName, $"{unit.Name}少数民族信息台账", cols.Select(c => c.Header).Append("所属社区").ToArray(),
                cols.Select(c => c.Width).Append(16).ToArray(), note: $"共 {count:N0} 人");
            var seq = 0;
            var values = new string?[cols.Length + 1];
            await foreach (var r in items.OrderBy(r => r.OrgPath).ThenBy(r => r.HouseholdNo).ThenBy(r => r.Name).ThenBy(r => r.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                var grid = units.GetValueOrDefault(r.OrgUnitId);
                var community = units.GetValueOrDefault(r.CommunityId)?.Name ?? (grid?.Level == OrgLevel.Community ? grid.Name : "");
                values[0] = (++seq).ToString();
                values[1] = r.Name;
                values[2] = ResidentNames.Gender(r.Gender);
                values[3] = eth.GetValueOrDefault(r.EthnicityCode, r.EthnicityCode);
                values[4] = r.IdNumberMasked;
                // The year only, and only for a role that may reveal the number anyway: a full birth date beside the masked
                // number gives the number back, and the year alone leaves about 33 guesses; others get a ten-year band.
                values[5] = exactAge ? $"{r.BirthDate.Year}年" : ResidentService.AgeFor(r.BirthDate, today, exact: false).Text;
                values[6] = r.PhoneMasked;
                values[7] = r.HouseholdNo;
                values[8] = r.RelationToHead;
                values[9] = r.Address;
                values[10] = grid?.Level == OrgLevel.Grid ? grid.Name : null;
                values[11] = ResidentNames.Type(r.ResidenceType);
                values[12] = r.OriginPlace;
                values[13] = r.ArrivalDate?.ToString("yyyy-MM-dd");
                values[14] = r.ExpectedStay;
                values[15] = r.ArrivalReason;
                values[16] = r.Employer;
                values[17] = r.Languages;
                values[18] = ResidentNames.NeedsText(r.Needs);
                values[19] = ResidentNames.Status(r.Status);
                values[20] = r.StatusDate?.ToString("yyyy-MM-dd");
                values[21] = r.Notes;
                values[22] = community;
                sheet.Row(values);
            }
        }, ct);
    }
}
