using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Reporting;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.JointMeetings;

/// <summary>联席会议: meetings held in the period, the decisions they made and how many are closed.</summary>
sealed class MeetingReportSource : IReportSource
{
    public string Permission => JointMeetingPermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        var meetings = db.JointMeetings.AsNoTracking().Under(m => m.OrgPath, q.UnitPath).Where(m => m.StartUtc >= q.FromUtc && m.StartUtc < q.ToUtcExclusive);
        var held = await meetings.CountAsync(ct);
        if (held == 0) return null;
        var tasks = await db.MeetingTasks.AsNoTracking().Join(meetings, t => t.MeetingId, m => m.Id, (t, m) => t)
            .GroupBy(t => 1).Select(g => new { All = g.Count(), Closed = g.Count(t => t.Status == TaskStatus.Closed) }).SingleOrDefaultAsync(ct);
        var text = $"落实民族工作联席会议制度，{q.Period}召开联席会议{Count(held)}次，议定事项{Count(tasks?.All ?? 0)}项，"
            + $"已办结销号{Count(tasks?.Closed ?? 0)}项（{Share(tasks?.Closed ?? 0, tasks?.All ?? 0)}），其余由牵头单位限期办理。";
        return new ReportPart(ReportSection.Work, 80, "落实联席会议制度，形成工作合力", [text], $"联席会议记录和议定事项督办台账，{q.Period}",
            [
                new("联席会议", "召开（次）", Count(held)),
                new("联席会议", "议定事项（项）", Count(tasks?.All ?? 0)),
                new("联席会议", "已销号（项）", Count(tasks?.Closed ?? 0)),
            ]);
    }
}
