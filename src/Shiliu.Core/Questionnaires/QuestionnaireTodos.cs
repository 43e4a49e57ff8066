using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Todos;

namespace Shiliu.Core.Questionnaires;

/// <summary>Publications in the caller's tree closing within three days with fewer answers than their target.</summary>
sealed class QuestionnaireTodos : ITodoSource
{
    public async Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct)
    {
        if (!db.Caller.Can(QuestionnairePermissions.View)) return [];
        var today = QuestionnaireService.Today(db);
        var soon = today.AddDays(3);
        var count = await db.QuestionnairePublications.CountAsync(p => p.OpensOn <= today && p.ClosesOn >= today && p.ClosesOn <= soon
            && db.Set<QuestionnaireResponse>().Count(r => r.PublicationId == p.Id) < p.Target, ct);
        return [new("问卷调查", TodoKind.DueSoon, "3天内截止、答卷未达目标的问卷", count, "/questionnaires")];
    }
}
