using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.Reporting;

public static class ReportingPermissions
{
    public const string Draft = "perm.report.draft";
}

public static class ReportingErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("reporting.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("reporting.invalid");
}

/// <summary>A filed version of the unit's 汇报材料 in the evidence archive.</summary>
public sealed record FiledReport(Guid Id, string Title, string FileName, long Size, string UploadedBy, DateTime UploadedUtc);

public sealed class ReportRequest
{
    /// <summary>The unit the report is about; the caller's own unit when left out.</summary>
    public Guid? OrgUnitId { get; set; }
    /// <summary>First day of the period (China time); 1 January of this year when left out.</summary>
    public DateOnly? From { get; set; }
    /// <summary>Last day of the period; today when left out.</summary>
    public DateOnly? To { get; set; }
}

/// <summary>
/// 汇报材料: one click drafts a unit's report for a period from its own records, in the structure offices use
/// (一、基本情况 / 二、主要做法和成效 / 三、存在的问题 / 四、下一步打算, and a figures annex), laid out as a 公文 by the one Word
/// writer. Every part comes from a module's <see cref="IReportSource"/> and says where its figures came from; the unit
/// edits the draft and files its copy, which becomes a version of the 十个一 item "撰写一份汇报材料".
/// A township's and the county's drafts add up their subtree the same way (the county's is its 工作总结).
/// </summary>
public sealed class ReportService(IDbContextFactory<ShiliuDb> dbs, IEnumerable<IReportSource> sources, ExportService exports, EvidenceService evidence)
{
    /// <summary>The 十个一 item a filed report is a version of: "撰写一份汇报材料".</summary>
    public const int ReportItemNo = 6;

    public async Task<ExportFile> DraftAsync(ReportRequest req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ReportingPermissions.Draft, ReportingErrors.Denied, "起草汇报材料");
        var q = await QueryAsync(db, req, ct);
        var parts = new List<(IReportSource Source, ReportPart? Part, string? Note)>();
        foreach (var source in sources)
        {
            if (!db.Caller.Can(source.Permission))
            {
                parts.Add((source, null, $"（{PermissionName(source.Permission)}：您的账号无此权限，相关情况未列入，请向有权限的同事核实后补充。）"));
                continue;
            }
            parts.Add((source, await source.ReadAsync(db, q, ct), null));
        }

        var county = q.Level == OrgLevel.County;
        var title = county ? $"{q.UnitName}民族团结进步创建工作总结" : $"{q.UnitName}民族团结进步创建工作情况汇报";
        var spec = new ExportSpec($"{q.UnitName}{(county ? "创建工作总结" : "创建工作汇报")}（初稿）-{q.Today:yyyyMMdd}.docx",
            $"{q.UnitName}汇报材料初稿（{q.Period}）", "Report", q.UnitId.ToString(), q.UnitPath);
        return await exports.DocxAsync(db, spec, title, doc =>
        {
            Write(doc, q, title, county, parts);
            return Task.CompletedTask;
        }, ct);
    }

    static void Write(OfficialDocument doc, ReportQuery q, string title, bool county, List<(IReportSource Source, ReportPart? Part, string? Note)> parts)
    {
        doc.Title(title, county ? $"（{q.Period}）" : $"——{q.UnitName}民族工作情况汇报");
        doc.Note($"（本稿由石榴平台于{q.Today:yyyy年M月d日}根据{q.UnitName}台账数据自动生成，统计期间为{q.Period}。各部分数字后注明了来源，请核实、修改后再报送。）");
        var present = parts.Where(p => p.Part is not null).Select(p => p.Part!).ToList();

        doc.Heading(1, "一、基本情况");
        var basics = present.Where(p => p.Section == ReportSection.Basics).OrderBy(p => p.Order).ToList();
        foreach (var p in basics) WriteBody(doc, p);
        if (basics.Count == 0) doc.Paragraph($"{q.UnitName}基本情况（辖区面积、户数、人口、民族构成等）请补充。");

        doc.Heading(1, "二、主要做法和成效");
        var no = 0;
        foreach (var p in present.Where(p => p.Section == ReportSection.Work).OrderBy(p => p.Order))
        {
            doc.Heading(2, $"（{GongwenNumerals.Of(++no)}）{p.Heading}");
            WriteBody(doc, p);
            foreach (var photo in p.Photos) doc.Picture(photo.Jpeg, photo.Caption, 110);
        }
        foreach (var (_, _, note) in parts.Where(p => p.Note is not null)) doc.Note(note!);

        doc.Heading(1, "三、存在的问题");
        doc.Paragraph("（请结合上述数据和日常工作，写明创建工作中的不足，如宣传教育覆盖面、流动人口服务管理、台账规范等方面存在的问题。）");
        doc.Heading(1, "四、下一步打算");
        doc.Paragraph("（请针对存在的问题，写明下一步的工作措施和时间安排。）");
        doc.Blank();
        doc.Signature(q.UnitName, q.Today);

        var figures = present.OrderBy(p => p.Section).ThenBy(p => p.Order).SelectMany(p => p.Figures).ToList();
        if (figures.Count > 0)
        {
            doc.PageBreak();
            doc.Hanging("附件", "", GongwenFonts.HeiTi);
            doc.Centered($"{q.UnitName}民族团结进步创建工作数据附表", GongwenFonts.XiaoBiaoSong, GongwenSizes.Er);
            doc.Centered($"（{q.Period}）", GongwenFonts.KaiTi, GongwenSizes.San);
            doc.Table(["类别", "项目", "数值"], figures.Select(f => (IReadOnlyList<string?>)[f.Group, f.Name, f.Value]).ToList(), [1.2, 3.2, 1.2], GongwenSizes.XiaoSi);
        }
    }

    static void WriteBody(OfficialDocument doc, ReportPart p)
    {
        foreach (var para in p.Paragraphs) doc.Paragraph(para);
        doc.Note($"（数据来源：{p.Source}）");
    }

    static string PermissionName(string code) =>
        ShiliuModules.Catalog.Permissions.FirstOrDefault(p => p.Code == code)?.Name ?? code;

    /// <summary>
    /// Files the unit's edited report as a version of its 十个一 item "撰写一份汇报材料" (kept in the evidence archive, where
    /// the 十个一 page lists it). Only Word, WPS or PDF files.
    /// </summary>
    public async Task<UploadResult> FileAsync(Guid? orgUnitId, string? fileName, Stream content, CancellationToken ct = default)
    {
        string unitName;
        Guid unitId;
        int year;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.Caller.Require(ReportingPermissions.Draft, ReportingErrors.Denied, "报送汇报材料");
            var q = await QueryAsync(db, new ReportRequest { OrgUnitId = orgUnitId }, ct);
            (unitName, unitId, year) = (q.UnitName, q.UnitId, q.Today.Year);
        }
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (ext is not (".docx" or ".doc" or ".wps" or ".pdf"))
            throw RuleViolation.ForField(ReportingErrors.Invalid, "file", "汇报材料须为 Word（.docx/.doc）、WPS（.wps）或 PDF 文件");
        var meta = new EvidenceMeta
        {
            OrgUnitId = unitId, Year = year, Title = $"{unitName}汇报材料（{ChinaTime.FormatDate(DateTime.UtcNow)}报送稿）",
            Description = "由“汇报材料”页面报送：根据平台生成的初稿修改定稿。", Deliverables = [ReportItemNo],
        };
        return await evidence.UploadAsync(meta, fileName, content, ct);
    }

    /// <summary>The reports the unit has filed (versions of its 十个一 item 6), newest first.</summary>
    public async Task<IReadOnlyList<FiledReport>> FiledAsync(Guid? orgUnitId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(ReportingPermissions.Draft, ReportingErrors.Denied, "查看报送的汇报材料");
        var q = await QueryAsync(db, new ReportRequest { OrgUnitId = orgUnitId }, ct);
        return await db.EvidenceRefs.Where(r => r.Kind == EvidenceRefKind.Deliverable && r.No == ReportItemNo)
            .Join(db.Evidence.AsNoTracking().Where(e => e.OrgUnitId == q.UnitId && e.DeletedUtc == null), r => r.EvidenceId, e => e.Id, (r, e) => e)
            .OrderByDescending(e => e.UploadedUtc).Take(50)
            .Select(e => new FiledReport(e.Id, e.Title, e.FileName, e.Size, e.UploadedBy, e.UploadedUtc)).ToListAsync(ct);
    }

    async Task<ReportQuery> QueryAsync(ShiliuDb db, ReportRequest req, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var (from, to) = Periods.Check(req.From, req.To, today, ReportingErrors.Invalid);
        var unit = await db.FocusUnitAsync(req.OrgUnitId, ct);
        if (unit.Level == OrgLevel.Grid)
            throw RuleViolation.ForField(ReportingErrors.Invalid, "orgUnitId", "汇报材料按社区（村）、乡镇（街道）或县起草，网格的情况写在所属社区的汇报中");
        // Sources that file by campaign read the one under way.
        var campaign = await db.CurrentCampaignIdAsync(ct);
        return new ReportQuery(unit.Id, unit.Name, unit.Path, unit.Level, from, to, today, campaign);
    }
}
