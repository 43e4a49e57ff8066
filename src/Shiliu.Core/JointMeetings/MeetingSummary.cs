using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.JointMeetings;

/// <summary>
/// 会议纪要 as a Word document laid out by GB/T 9704 §10.3 (<see cref="OfficialDocument"/>): the red "××纪要" mark centred
/// in 小标宋, the body in 3号仿宋 with "现将议定事项纪要如下：" and the decisions numbered 一、二、…, and at the end "出席："
/// (3号黑体, full-width colon) with units and names in 仿宋 aligned after the colon, "请假：" and "列席：" alike. A draft for
/// the office to edit and sign, written and audited by the export service.
/// </summary>
public sealed class MeetingSummaryService(IDbContextFactory<ShiliuDb> dbs, JointMeetingService meetings, ExportService exports)
{
    public async Task<ExportFile> DocxAsync(Guid meetingId, CancellationToken ct = default)
    {
        var m = await meetings.GetAsync(meetingId, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var path = await db.JointMeetings.Where(x => x.Id == meetingId).Select(x => x.OrgPath).SingleAsync(ct);
        var start = ChinaTime.ToChina(m.StartUtc);
        var when = ChinaTime.Format(db.UtcNow);
        var spec = new ExportSpec($"{m.UnitName}联席会议纪要-{start:yyyyMMdd}.docx", $"会议纪要《{m.Title}》，{m.Tasks.Count} 项议定事项", nameof(JointMeeting), m.Id.ToString(), path);
        return await exports.DocxAsync(db, spec, $"{m.UnitName}联席会议纪要", doc =>
        {
            Write(doc, m, when);
            return Task.CompletedTask;
        }, ct);
    }

    static void Write(OfficialDocument doc, MeetingDetail m, string when)
    {
        var start = ChinaTime.ToChina(m.StartUtc);
        doc.Mark($"{m.UnitName}联席会议纪要", $"{m.UnitName}　　　　{start:yyyy年M月d日}");
        var present = m.Attendees.Where(a => a.Kind == AttendanceKind.Present).Select(a => a.Unit).Distinct().ToList();
        var topics = string.Join("；", m.Agenda.Select(a => a.Title));
        doc.Paragraph($"{start:yyyy年M月d日}，{m.HostName}（{m.HostPost}）在{m.Place}主持召开{m.Title}，{string.Join("、", present)}参加会议。会议研究了{topics}。"
            + (m.Tasks.Count == 0 ? "会议未形成议定事项。" : "现将议定事项纪要如下："));
        foreach (var t in m.Tasks)
            doc.Paragraph(new Span($"{GongwenNumerals.Of(t.No)}、", GongwenFonts.HeiTi),
                new Span($"{t.Matter}由{t.LeadDepartment}牵头{(t.CoDepartments.Length > 0 ? $"，{t.CoDepartments}配合" : "")}，于{t.DueDate:yyyy年M月d日}前办结。"));
        if (m.CarriedOver.Count > 0)
            doc.Paragraph($"前次会议议定事项尚有{m.CarriedOver.Count}项未销号：" + string.Join("；", m.CarriedOver.Select(t => $"{t.Matter}（{t.LeadDepartment}牵头）")) + "，请牵头单位抓紧办理。");
        if (m.Pending is not null) doc.Paragraph($"遗留问题：{m.Pending.Replace("\n", "；")}");

        doc.Blank();
        foreach (var (kind, label) in new[] { (AttendanceKind.Present, "出席："), (AttendanceKind.Absent, "请假："), (AttendanceKind.Observer, "列席：") })
        {
            var people = m.Attendees.Where(a => a.Kind == kind).ToList();
            // "回行对齐冒号后首字": the label hangs, so wrapped lines start under the first name.
            if (people.Count > 0) doc.Hanging(label, string.Join("，", people.Select(a => $"{a.Unit}{a.Name}")));
        }
        doc.Note($"（记录人：{m.RecorderName}　导出时间：{when}）");
    }
}
