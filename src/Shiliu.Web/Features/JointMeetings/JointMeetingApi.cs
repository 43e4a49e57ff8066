using Shiliu.Core.Common;
using Shiliu.Core.JointMeetings;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Features.JointMeetings;

public sealed record DepartmentQuery(Guid? OrgUnitId);
public sealed record CaseSearch(string? Text);
public sealed record OverviewQuery(int? Year);
public sealed record CreatedProgress(long Id);

public static class JointMeetingApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("联席会议", "民族工作联席会议：成员单位、会议记录、议定事项的督办和销号、纪要导出");

    public static void MapJointMeetingApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/joint-meetings").WithTag(Tag).RequireAuthorization(JointMeetingPermissions.View);

        g.MapGet("/departments", async ([AsParameters] DepartmentQuery q, JointMeetingService s, CancellationToken ct) =>
                TypedResults.Ok(await s.DepartmentsAsync(q.OrgUnitId, ct)))
            .WithName("JointMeetings_Departments").WithSummary("召集单位的联席会议成员单位（默认本单位）及联系人");

        g.MapPost("/departments", async (SaveDepartment req, JointMeetingService s, CancellationToken ct) =>
            {
                var id = await s.SaveDepartmentAsync(null, req, ct);
                return TypedResults.Created($"/api/v1/joint-meetings/departments/{id}", new CreatedId(id));
            })
            .WithName("JointMeetings_AddDepartment").WithSummary("新增本单位的成员单位").RequireAuthorization(JointMeetingPermissions.Manage);

        g.MapPut("/departments/{id:guid}", async (Guid id, SaveDepartment req, JointMeetingService s, CancellationToken ct) =>
            {
                await s.SaveDepartmentAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .WithName("JointMeetings_UpdateDepartment").WithSummary("修改成员单位及联系人，或标记为已退出").RequireAuthorization(JointMeetingPermissions.Manage);

        g.MapGet("/", async ([AsParameters] MeetingQuery q, JointMeetingService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("JointMeetings_List").WithSummary("联席会议列表，含每次会议议定事项的按期销号率");

        g.MapGet("/overview", async ([AsParameters] OverviewQuery q, MeetingTaskService s, CancellationToken ct) => TypedResults.Ok(await s.OverviewAsync(q.Year, ct)))
            .WithName("JointMeetings_Overview").WithSummary("各召集单位的会议次数和议定事项办理情况");

        g.MapGet("/cases", async ([AsParameters] CaseSearch q, JointMeetingService s, CancellationToken ct) => TypedResults.Ok(await s.CasesAsync(q.Text, ct)))
            .WithName("JointMeetings_Cases").WithSummary("可关联到议题的矛盾纠纷、诉求（按编号或标题查找）").RequireAuthorization(JointMeetingPermissions.Manage);

        g.MapGet("/{id:guid}", async (Guid id, JointMeetingService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("JointMeetings_Get").WithSummary("会议记录：出席、议程、议定事项及前次会议遗留事项");

        g.MapPost("/", async (SaveMeeting req, JointMeetingService s, CancellationToken ct) =>
            {
                var id = await s.SaveAsync(null, req, ct);
                return TypedResults.Created($"/api/v1/joint-meetings/{id}", new CreatedId(id));
            })
            .WithName("JointMeetings_Create").WithSummary("记录本单位召集的联席会议（时间为北京时间）").RequireAuthorization(JointMeetingPermissions.Manage);

        g.MapPut("/{id:guid}", async (Guid id, SaveMeeting req, JointMeetingService s, CancellationToken ct) =>
            {
                await s.SaveAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .WithName("JointMeetings_Update").WithSummary("修改会议记录（出席、议程整体替换）").RequireAuthorization(JointMeetingPermissions.Manage);

        g.MapPost("/{id:guid}/record", async (Guid id, MeetingExportService s, CancellationToken ct) => Exported.File(await s.RecordAsync(id, ct)))
            .ProducesFile(Exported.Xlsx).WithName("JointMeetings_Record").WithSummary("导出会议记录（Excel，记入审计日志）");

        g.MapPost("/{id:guid}/task-ledger", async (Guid id, MeetingExportService s, CancellationToken ct) => Exported.File(await s.TasksAsync(id, ct)))
            .ProducesFile(Exported.Xlsx).WithName("JointMeetings_TaskLedger").WithSummary("导出议定事项督办台账（Excel，记入审计日志）");

        g.MapPost("/{id:guid}/summary", async (Guid id, MeetingSummaryService s, CancellationToken ct) => Exported.File(await s.DocxAsync(id, ct)))
            .ProducesFile(Exported.Docx).WithName("JointMeetings_Summary").WithSummary("导出会议纪要（Word，按 GB/T 9704 纪要格式，记入审计日志）");

        g.MapPost("/{id:guid}/tasks", async (Guid id, SaveTask req, MeetingTaskService s, CancellationToken ct) =>
            {
                var taskId = await s.AddAsync(id, req, ct);
                return TypedResults.Created($"/api/v1/joint-meetings/tasks/{taskId}", new CreatedId(taskId));
            })
            .WithName("JointMeetings_AddTask").WithSummary("议定事项交办：牵头单位、配合单位、完成时限（日期或工作日数）")
            .RequireAuthorization(JointMeetingPermissions.Manage);

        g.MapGet("/tasks", async ([AsParameters] TaskQuery q, MeetingTaskService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(q, ct)))
            .WithName("JointMeetings_Tasks").WithSummary("议定事项督办列表：timing=Overdue 已逾期、DueSoon 即将到期、Open、ClosedOnTime、ClosedLate");

        g.MapGet("/tasks/{id:guid}", async (Guid id, MeetingTaskService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)))
            .WithName("JointMeetings_GetTask").WithSummary("一项议定事项：进展、销号、步骤");

        g.MapPost("/tasks/{id:guid}/progress", async (Guid id, SaveProgress req, MeetingTaskService s, CancellationToken ct) =>
            {
                var progressId = await s.AddProgressAsync(id, req, ct);
                return TypedResults.Created($"/api/v1/joint-meetings/tasks/{id}", new CreatedProgress(progressId));
            })
            .WithName("JointMeetings_AddProgress").WithSummary("填报牵头或配合单位的进展").RequireAuthorization(JointMeetingPermissions.Manage);

        g.MapPost("/tasks/{id:guid}/close", async (Guid id, CloseTask req, MeetingTaskService s, CancellationToken ct) =>
            {
                await s.CloseAsync(id, req, ct);
                return TypedResults.NoContent();
            })
            .WithName("JointMeetings_CloseTask").WithSummary("销号：须附痕迹台账中的佐证材料（evidenceId）和销号说明").RequireAuthorization(JointMeetingPermissions.Manage);

        g.MapPost("/tasks/{id:guid}/reopen", async (Guid id, ReopenTask req, MeetingTaskService s, CancellationToken ct) =>
            {
                await s.ReopenAsync(id, req.Reason, req.Version, ct);
                return TypedResults.NoContent();
            })
            .WithName("JointMeetings_ReopenTask").WithSummary("重新打开已销号的事项（须写明原因）").RequireAuthorization(JointMeetingPermissions.Manage);
    }
}
