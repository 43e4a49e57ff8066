using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.Disputes;

/// <summary>
/// 人民调解台账 and the 人民调解卷宗 cover with its 卷内目录, through the one export service: parties by masked name and
/// masked ID number only, a stated purpose, audited.
/// </summary>
public sealed class DisputeLedger(IDbContextFactory<ShiliuDb> dbs, ExportService exports, DisputeService disputes)
{
    public async Task<ExportFile> ExportAsync(DisputeQuery q, string? purpose, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "导出调解台账");
        ExportService.CheckPurpose(purpose);
        var list = await (await DisputeService.FilterAsync(db, q, ct)).OrderBy(d => d.Year).ThenBy(d => d.Seq).Take(10_000).ToListAsync(ct);
        var rows = await disputes.RowsAsync(db, list, ct);
        var ids = list.Select(d => d.Id).ToList();
        var parties = (await db.DisputeParties.AsNoTracking().Where(p => ids.Contains(p.DisputeId)).OrderBy(p => p.Sort)
            .Select(p => new { p.DisputeId, p.NameMasked, p.IdNumberMasked }).ToListAsync(ct))
            .ToLookup(p => p.DisputeId, p => p.IdNumberMasked is null ? p.NameMasked : $"{p.NameMasked}（{p.IdNumberMasked}）");
        var mediators = (await db.DisputeMediations.AsNoTracking().Where(m => ids.Contains(m.DisputeId)).Select(m => new { m.DisputeId, m.Mediator }).ToListAsync(ct))
            .ToLookup(m => m.DisputeId, m => m.Mediator);
        var visits = (await db.DisputeFollowUps.AsNoTracking().Where(v => ids.Contains(v.DisputeId)).Select(v => new { v.DisputeId, v.AgreementKept }).ToListAsync(ct))
            .ToLookup(v => v.DisputeId);
        var unit = await db.OrgUnits.AsNoTracking().Where(o => o.Path == db.Caller.OrgPath).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? "";
        string[] headers = ["序号", "案件编号", "登记日期", "承办单位", "案件来源", "纠纷类别", "涉民族因素", "等级", "风险", "当事人", "纠纷名称", "调解员", "办理状态", "协议编号", "回访", "结案日期"];
        return await exports.XlsxAsync(db, new ExportSpec($"调解台账-{unit}.xlsx", "人民调解台账", nameof(Dispute), null, db.Caller.OrgPath)
            { PersonalData = true, Purpose = purpose }, book =>
        {
            using var sheet = book.Sheet("调解台账", $"{unit}人民调解台账", headers, [6, 14, 12, 14, 10, 12, 8, 6, 6, 30, 24, 14, 10, 14, 12, 12], note: $"填报单位：{unit}");
            var seq = 0;
            foreach (var (d, r) in list.Zip(rows))
            {
                var v = visits[d.Id].ToList();
                sheet.Mixed([++seq, d.Number, ChinaTime.FormatDate(d.RegisteredUtc), r.UnitName, DisputeNames.Source(d.Source), r.CategoryName, d.EthnicFactors ? "是" : "否",
                    r.TierName, r.ColourName, string.Join("、", parties[d.Id]), d.Title, string.Join("、", mediators[d.Id].Distinct()), r.StatusName, d.AgreementNo ?? "",
                    v.Count == 0 ? "" : $"{v.Count}次（{(v.Any(x => x.AgreementKept) ? "已履行" : "未履行")}）", d.ClosedUtc is { } cl ? ChinaTime.FormatDate(cl) : ""]);
            }
            sheet.Total(["合计", $"{list.Count} 件", "", "", "", "", $"{list.Count(d => d.EthnicFactors)} 件", "", "", "", "", "", "", "", "", ""]);
            return Task.CompletedTask;
        }, ct);
    }

    /// <summary>
    /// One case's 人民调解卷宗 cover (卷名、卷号、调解员、调解日期起止、立卷人、立卷日期、保管期限) and 卷内目录 (the documents of
    /// DOMAIN.md §3, marked present where the case holds them).
    /// </summary>
    public async Task<ExportFile> DossierAsync(Guid id, CancellationToken ct = default)
    {
        var d = await disputes.GetAsync(id, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DisputePermissions.Handle, DisputeErrors.Denied, "导出人民调解卷宗");
        var path = await db.OrgUnits.AsNoTracking().Where(o => o.Id == d.OrgUnitId).Select(o => o.Path).FirstOrDefaultAsync(ct);
        var mediators = string.Join("、", d.Mediations.Select(m => m.Mediator).Distinct());
        var dates = d.Mediations.Count == 0 ? "" : $"{d.Mediations[0].Date:yyyy年M月d日} 至 {d.Mediations[^1].Date:yyyy年M月d日}";
        return await exports.XlsxAsync(db, new ExportSpec($"人民调解卷宗-{d.Number}.xlsx", $"人民调解卷宗 {d.Number}", nameof(Dispute), d.Id.ToString(), path), book =>
        {
            using (var cover = book.Sheet("封面", "人民调解卷宗", ["项目", "内容"], [18, 60]))
            {
                var parties = string.Join("、", d.Parties.Select(p => Residents.PersonalData.MaskName(p.Name)));
                cover.Row(["卷名", $"{parties}{d.Title}"]);
                cover.Row(["卷号", $"（{d.Year()}）人调字第 {d.Number} 号"]);
                cover.Row(["人民调解员", mediators]);
                cover.Row(["调解日期", dates]);
                cover.Row(["承办单位", d.UnitName]);
                cover.Row(["立卷人", d.RegisteredBy]);
                cover.Row(["立卷日期", ChinaTime.FormatDate(d.RegisteredUtc)]);
                cover.Row(["保管期限", "长期"]);
                cover.Row(["备注", $"{d.CategoryName} · {d.TierName} · {d.ColourName}色 · {d.StatusName}{(d.EthnicFactors ? " · 涉民族因素" : "")}"]);
            }
            using var toc = book.Sheet("卷内目录", $"卷内目录（{d.Number}）", ["序号", "文件名称", "必须/按需", "是否在卷", "页数/份数"], [6, 26, 10, 10, 10]);
            (string Name, bool Required, int Count)[] docs =
            [
                ("受理登记表", true, 1), ("权利义务告知书", true, 0), ("当事人身份证明", true, d.Parties.Count(p => p.IdNumberMasked is not null)),
                ("授权委托书", false, 0), ("调查记录", false, 0), ("证据材料", false, 0), ("调解记录", true, d.Mediations.Count),
                ("调解协议书", true, d.AgreementEvidenceId is null ? 0 : 1), ("履行凭证", false, 0), ("回访记录", false, d.FollowUps.Count),
                ("司法确认材料", false, 0), ("卷宗情况说明", false, 0), ("封底", true, 1),
            ];
            var n = 0;
            foreach (var doc in docs) toc.Mixed([++n, doc.Name, doc.Required ? "必须" : "按需", doc.Count > 0 ? "在卷" : "缺", doc.Count]);
            return Task.CompletedTask;
        }, ct);
    }
}

static class DossierNames
{
    public static int Year(this DisputeDetail d) => int.TryParse(d.Number.AsSpan(2, 4), out var y) ? y : ChinaTime.ToChina(d.RegisteredUtc).Year;
}
