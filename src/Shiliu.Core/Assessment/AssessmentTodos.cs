using Shiliu.Core.Data;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Assessment;

/// <summary>Sheets the caller's unit (or the assessor) is due to fill and has not submitted, in rounds at their stage.</summary>
sealed class AssessmentTodos(AssessmentService assessments) : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(AssessmentPermissions.Score)) return [];
        var tasks = await assessments.TasksAsync(ct);
        var today = DateOnly.FromDateTime(Common.ChinaTime.ToChina(db.UtcNow));
        var open = tasks.Where(t => t.Open).ToList();
        return
        [
            new TodoItem("督查考评", TodoKind.Returned, "被退回重评的考评评分表", open.Count(t => t.Reopened), "/assessment"),
            new TodoItem("督查考评", TodoKind.Waiting, "待填写的考评评分表", open.Count(t => !t.Reopened && !(t.Due < today)), "/assessment"),
            new TodoItem("督查考评", TodoKind.Overdue, "已逾期未提交的考评评分表", open.Count(t => !t.Reopened && t.Due < today), "/assessment"),
        ];
    }
}
