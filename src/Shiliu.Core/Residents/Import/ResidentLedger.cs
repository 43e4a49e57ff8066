using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Residents.Import;

/// <summary>
/// 少数民族信息台账 as .xlsx, in the import template's layout: ID numbers and phones masked, a stated purpose, the
/// exporter and time in the title, the print header/footer and a watermark behind the cells; audited before it is sent.
/// </summary>
public sealed class ResidentLedger(IDbContextFactory<ShiliuDb> dbs, ResidentService residents)
{
    public const int MaxRows = 1_000_000;

    /// <summary>Writes the ledger of the residents the query selects (all pages) to <paramref name="output"/>.</summary>
    public async Task<string> ExportAsync(ResidentQuery query, string? purpose, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(Permissions.ResidentView, ResidentErrors.Denied, "导出居民台账");
        var why = (purpose ?? "").Trim();
        if (why.Length < 4) throw new RuleViolation(ResidentErrors.Invalid, "导出个人信息须说明用途（不少于4个字），用途会写入台账和审计日志");
        if (why.Length > 100 || why.Any(char.IsControl)) throw new RuleViolation(ResidentErrors.Invalid, "用途不能超过100字，且不能含控制字符");
        var unit = query.OrgUnitId is { } u
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == u, ct) ?? throw new NotFoundInScope("单位")
            : await db.OrgUnits.AsNoTracking().OrderBy(o => o.Path.Length).FirstAsync(ct);
        var items = await residents.FilterAsync(db, query with { OrgUnitId = unit.Id, Purpose = query.Purpose ?? why }, ct);
        var count = await items.CountAsync(ct);
        if (count > MaxRows) throw new RuleViolation(ResidentErrors.Invalid, $"一次最多导出 {MaxRows:N0} 人（现为 {count:N0} 人），请按单位分批导出");
        var units = await db.OrgUnits.AsNoTracking().Where(o => o.Path.StartsWith(unit.Path))
            .Select(o => new { o.Id, o.Name, o.Level, o.ParentId }).ToDictionaryAsync(o => o.Id, ct);
        var eth = await db.DictionaryItems.AsNoTracking().Where(d => d.Kind == DictionaryKinds.Ethnicity).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var now = ChinaTime.Format(db.UtcNow);
        var who = db.Caller.UserName;
        var exactAge = db.Caller.Can(Permissions.ResidentReveal);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var cols = ResidentSheet.Columns;
        var width = cols.Length + 1;
        using (var x = new XlsxWriter(output))
        using (var sheet = x.AddSheet(ResidentSheet.SheetName, cols.Select(c => c.Width).Append(16).ToArray(), frozenRows: 3))
        {
            var last = XlsxReader.ColumnName(width - 1);
            sheet.Row([$"{unit.Name}少数民族信息台账"], XlsxStyle.Title, height: 30);
            sheet.Merge($"A1:{last}1");
            sheet.Row([$"导出人：{who}　导出时间：{now}　用途：{why}　共 {count:N0} 人　身份证号、电话已脱敏，仅限上述用途使用，不得外传"], XlsxStyle.Note, height: 22);
            sheet.Merge($"A2:{last}2");
            sheet.Row(cols.Select(c => c.Header).Append("所属社区").ToArray(), XlsxStyle.Header, height: 28);
            sheet.HeaderFooter($"&L&8{unit.Name}少数民族信息台账&R&8导出人 {who} {now}", $"&L&8用途：{why}&R&8第 &P 页 / 共 &N 页");
            sheet.Background(Watermark.Png([$"{who}  {now}", $"用途：{why}", "石榴 · 仅限工作使用"]));
            var seq = 0;
            var values = new string?[width];
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
        }
        // Audited before anything is sent (the caller streams the file afterwards), with the file's SHA-256 so a copy
        // found later can be traced to this export.
        var hash = "";
        if (output.CanSeek)
        {
            output.Position = 0;
            hash = $"，SHA-256 {Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(output, ct))}";
            output.Position = 0;
        }
        db.Audit(AuditEvents.PersonalDataExport, $"导出{unit.Name}少数民族信息台账 {count:N0} 人（身份证号、电话已脱敏），用途：{why}{hash}",
            nameof(Resident), unit.Id.ToString(), unit.Path);
        await db.SaveChangesAsync(ct);
        return $"{unit.Name}少数民族信息台账.xlsx";
    }
}
