using System.Security.Cryptography;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.JointMeetings;

/// <summary>A finished 纪要: the .docx bytes, audited (with their SHA-256) before they are handed out.</summary>
public sealed record SummaryFile(byte[] Content, string FileName)
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
}

/// <summary>
/// 会议纪要 as a Word document laid out by GB/T 9704 §10.3: the red "××纪要" mark centred in 小标宋, the body in 3号仿宋
/// with "现将议定事项纪要如下：" and the decisions numbered 一、二、…, and at the end "出席：" (3号黑体, full-width colon)
/// with units and names in 仿宋 aligned after the colon, "请假：" and "列席：" alike. A draft for the office to edit and sign:
/// the export service writes spreadsheets only, so this file is audited here the way it audits them.
/// </summary>
public sealed class MeetingSummaryService(IDbContextFactory<ShiliuDb> dbs, JointMeetingService meetings)
{
    const string Song = "方正小标宋简体", FangSong = "仿宋_GB2312", Hei = "黑体";
    const int San = 32, Er = 44; // 3号 16 pt, 2号 22 pt, in half-points

    public async Task<SummaryFile> DocxAsync(Guid meetingId, CancellationToken ct = default)
    {
        var m = await meetings.GetAsync(meetingId, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var path = await db.JointMeetings.Where(x => x.Id == meetingId).Select(x => x.OrgPath).SingleAsync(ct);
        var bytes = Write(m, ChinaTime.Format(db.UtcNow));
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var start = ChinaTime.ToChina(m.StartUtc);
        db.Audit(AuditEvents.Export, $"导出会议纪要《{m.Title}》：{m.Tasks.Count} 项议定事项，SHA-256 {sha}", nameof(JointMeeting), m.Id.ToString(), path);
        // Fail closed, as the export service does: no audit row, no file.
        await db.SaveChangesAsync(ct);
        return new SummaryFile(bytes, $"{m.UnitName}联席会议纪要-{start:yyyyMMdd}.docx");
    }

    static byte[] Write(MeetingDetail m, string when)
    {
        var start = ChinaTime.ToChina(m.StartUtc);
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var body = new Body();
            body.Append(Para([Run($"{m.UnitName}联席会议纪要", Song, Er, color: "FF0000")], center: true, before: 0));
            body.Append(Para([Run($"{m.UnitName}　　　　{start:yyyy年M月d日}", FangSong, San)], center: true));
            body.Append(new Paragraph(new ParagraphProperties(new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 12, Color = "FF0000" }))));

            var present = m.Attendees.Where(a => a.Kind == AttendanceKind.Present).Select(a => a.Unit).Distinct().ToList();
            var topics = string.Join("；", m.Agenda.Select(a => a.Title));
            body.Append(Indented($"{start:yyyy年M月d日}，{m.HostName}（{m.HostPost}）在{m.Place}主持召开{m.Title}，{string.Join("、", present)}参加会议。会议研究了{topics}。"
                + (m.Tasks.Count == 0 ? "会议未形成议定事项。" : "现将议定事项纪要如下：")));
            foreach (var t in m.Tasks)
                body.Append(Para([Run($"{MeetingExportService.Numeral(t.No)}、", Hei, San),
                    Run($"{t.Matter}由{t.LeadDepartment}牵头{(t.CoDepartments.Length > 0 ? $"，{t.CoDepartments}配合" : "")}，于{t.DueDate:yyyy年M月d日}前办结。", FangSong, San)],
                    firstLine: 640));
            if (m.CarriedOver.Count > 0)
                body.Append(Indented($"前次会议议定事项尚有{m.CarriedOver.Count}项未销号：" + string.Join("；", m.CarriedOver.Select(t => $"{t.Matter}（{t.LeadDepartment}牵头）")) + "，请牵头单位抓紧办理。"));
            if (m.Pending is not null) body.Append(Indented($"遗留问题：{m.Pending.Replace("\n", "；")}"));

            body.Append(new Paragraph());
            foreach (var (kind, label) in new[] { (AttendanceKind.Present, "出席："), (AttendanceKind.Absent, "请假："), (AttendanceKind.Observer, "列席：") })
            {
                var people = m.Attendees.Where(a => a.Kind == kind).ToList();
                if (people.Count == 0) continue;
                // "回行对齐冒号后首字": the label hangs in a 3-character indent, so wrapped lines start under the first name.
                body.Append(Para([Run(label, Hei, San), Run(string.Join("，", people.Select(a => $"{a.Unit}{a.Name}")), FangSong, San)], left: 960, hanging: 960));
            }
            body.Append(Para([Run($"（记录人：{m.RecorderName}　导出时间：{when}）", FangSong, 24)], before: 240));
            // 天头 37 mm, 下 35 mm, 订口 28 mm, 右 26 mm; A4.
            body.Append(new SectionProperties(new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588, Right = 1474, Header = 851, Footer = 992 }));
            doc.AddMainDocumentPart().Document = new Document(body);
        }
        return ms.ToArray();
    }

    static Paragraph Indented(string text) => Para([Run(text, FangSong, San)], firstLine: 640);

    static Paragraph Para(IEnumerable<Run> runs, bool center = false, int firstLine = 0, int left = 0, int hanging = 0, int before = 0)
    {
        var ind = new Indentation();
        if (firstLine > 0) ind.FirstLine = firstLine.ToString();
        if (left > 0) ind.Left = left.ToString();
        if (hanging > 0) ind.Hanging = hanging.ToString();
        // Fixed 29 pt lines: 22 lines to the 225 mm type area.
        var props = new ParagraphProperties(new SpacingBetweenLines { Line = "580", LineRule = LineSpacingRuleValues.Exact, Before = before.ToString(), After = "0" }, ind);
        if (center) props.Append(new Justification { Val = JustificationValues.Center });
        var p = new Paragraph(props);
        foreach (var r in runs) p.Append(r);
        return p;
    }

    static Run Run(string text, string font, int halfPoints, string? color = null)
    {
        var props = new RunProperties(new RunFonts { Ascii = font, HighAnsi = font, EastAsia = font }, new FontSize { Val = halfPoints.ToString() },
            new FontSizeComplexScript { Val = halfPoints.ToString() });
        if (color is not null) props.Append(new Color { Val = color });
        return new Run(props, new Text(text) { Space = SpaceProcessingModeValues.Preserve });
    }
}
