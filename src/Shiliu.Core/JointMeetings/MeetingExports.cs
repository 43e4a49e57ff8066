using System.Text;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.JointMeetings;

/// <summary>
/// The meeting's 会议记录 (the items offices file: 会议名称、时间起止、地点、主持人（职务）、出席/缺席（原因）/列席、记录人、议程、
/// 会议记录、决议、遗留问题、散会 and the signatures) and its 议定事项督办台账, both through the one export service.
/// </summary>
public sealed class MeetingExportService(IDbContextFactory<ShiliuDb> dbs, JointMeetingService meetings, ExportService exports)
{
    public async Task<ExportFile> RecordAsync(Guid meetingId, CancellationToken ct = default)
    {
        var m = await meetings.GetAsync(meetingId, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var path = await db.JointMeetings.Where(x => x.Id == meetingId).Select(x => x.OrgPath).SingleAsync(ct);
        var present = m.Attendees.Where(a => a.Kind == AttendanceKind.Present).ToList();
        var absent = m.Attendees.Where(a => a.Kind == AttendanceKind.Absent).ToList();
        var observers = m.Attendees.Where(a => a.Kind == AttendanceKind.Observer).ToList();
        static string Person(AttendeeView a) => $"{a.Unit} {a.Name}{(a.Post is null ? "" : $"（{a.Post}）")}";
        var decisions = m.Tasks.Count == 0 ? "（无）" : string.Join("\n", m.Tasks.Select(t =>
            $"{GongwenNumerals.Of(t.No)}、{t.Matter}（牵头单位：{t.LeadDepartment}{(t.CoDepartments.Length > 0 ? $"；配合单位：{t.CoDepartments}" : "")}；完成时限：{t.DueDate:yyyy年M月d日}）"));
        var leftover = new StringBuilder(m.Pending ?? "");
        if (m.CarriedOver.Count > 0)
        {
            if (leftover.Length > 0) leftover.Append('\n');
            leftover.Append("前次会议议定事项尚未销号：");
            foreach (var t in m.CarriedOver)
                leftover.Append($"\n{ChinaTime.FormatDate(t.MeetingStartUtc)}《{t.MeetingTitle}》第{t.No}项 {t.Matter}（{t.LeadDepartment}牵头，{t.DueDate:yyyy年M月d日}前，{t.TimingName}）");
        }
        var start = ChinaTime.ToChina(m.StartUtc);
        var end = ChinaTime.ToChina(m.EndUtc);
        (string, string)[] rows =
        [
            ("会议名称", m.Title),
            ("召集单位", m.UnitName),
            ("时间", $"{start:yyyy年M月d日 HH时mm分}至{(end.Date == start.Date ? end.ToString("HH时mm分") : end.ToString("yyyy年M月d日 HH时mm分"))}"),
            ("地点", m.Place),
            ("主持人", $"{m.HostName}（{m.HostPost}）"),
            ($"出席人（{present.Count}人）", string.Join("；", present.Select(Person))),
            ($"缺席人（{absent.Count}人）", absent.Count == 0 ? "无" : string.Join("；", absent.Select(a => $"{Person(a)}，{a.AbsenceReason}"))),
            ($"列席人（{observers.Count}人）", observers.Count == 0 ? "无" : string.Join("；", observers.Select(Person))),
            ("记录人", m.RecorderName),
            ("议程", string.Join("\n", m.Agenda.Select(a => $"{GongwenNumerals.Of(a.No)}、{a.Title}{(a.CaseText is null ? "" : $"（{a.CaseText}）")}"))),
            ("会议记录", (m.Minutes ?? "") + (m.MinutesFileName is null ? "" : $"{(m.Minutes is null ? "" : "\n")}（会议记录原件见痕迹台账：{m.MinutesFileName}）")),
            ("决议", decisions),
            ("遗留问题", leftover.Length == 0 ? "无" : leftover.ToString()),
            ("", "散会"),
            ("主持人（签名）", ""),
            ("记录人（签名）", ""),
        ];
        var spec = new ExportSpec($"{m.UnitName}联席会议记录-{start:yyyyMMdd}.xlsx", $"联席会议记录《{m.Title}》", nameof(JointMeeting), m.Id.ToString(), path);
        return await exports.XlsxAsync(db, spec, book =>
        {
            using var sheet = book.Sheet("会议记录", $"{m.UnitName}联席会议记录", ["项目", "内容"], [18, 90], note: $"召集单位：{m.UnitName}");
            foreach (var (label, value) in rows) sheet.Row([label, value]);
            return Task.CompletedTask;
        }, ct);
    }

    static string? Blank(string s) => s.Length == 0 ? null : s;

    /// <summary>议定事项督办台账: 序号、事项、牵头单位、配合单位、完成时限、进展、状态、销号日期.</summary>
    public async Task<ExportFile> TasksAsync(Guid meetingId, CancellationToken ct = default)
    {
        var m = await meetings.GetAsync(meetingId, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var path = await db.JointMeetings.Where(x => x.Id == meetingId).Select(x => x.OrgPath).SingleAsync(ct);
        var ids = m.Tasks.Select(t => t.Id).ToList();
        var progress = (await db.MeetingTaskProgress.AsNoTracking().Where(p => ids.Contains(p.TaskId)).OrderBy(p => p.Date).ThenBy(p => p.Id).ToListAsync(ct))
            .ToLookup(p => p.TaskId);
        var start = ChinaTime.ToChina(m.StartUtc);
        string[] headers = ["序号", "事项", "牵头单位", "配合单位", "完成时限", "进展", "状态", "销号日期"];
        var spec = new ExportSpec($"{m.UnitName}议定事项督办台账-{start:yyyyMMdd}.xlsx", $"议定事项督办台账《{m.Title}》", nameof(MeetingTask), m.Id.ToString(), path);
        return await exports.XlsxAsync(db, spec, book =>
        {
            using var sheet = book.Sheet("督办台账", $"{m.Title}议定事项督办台账", headers, [6, 40, 14, 20, 14, 50, 12, 14],
                note: $"召集单位：{m.UnitName}　会议时间：{start:yyyy年M月d日}　按期销号率：{m.Progress.OnTimeText}");
            foreach (var t in m.Tasks)
                sheet.Mixed([t.No, t.Matter, t.LeadDepartment, Blank(t.CoDepartments), t.DueDate.ToString("yyyy年M月d日"),
                    Blank(string.Join("\n", progress[t.Id].Select(p => $"{p.Date:M月d日} {p.Department}：{p.Text}"))),
                    t.TimingName, t.ClosedOn?.ToString("yyyy年M月d日")]);
            var p = m.Progress;
            sheet.Total(["合计", $"{p.Total} 项", $"按期销号 {p.ClosedOnTime}", $"逾期销号 {p.ClosedLate}", $"进行中 {p.Open}", $"已逾期 {p.Overdue}", $"按期销号率 {p.OnTimeText}", ""]);
            return Task.CompletedTask;
        }, ct);
    }
}
