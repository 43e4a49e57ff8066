using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Appeals;

/// <summary>Closes answered appeals the resident did not rate within the configured days (their silence counts as settled).</summary>
sealed class AppealAutoClose(IDbContextFactory<ShiliuDb> dbs, AppealOptions options) : IJobHandler
{
    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await CloseSilentAsync(db, options.FeedbackDays, ct);
    }

    public static async Task<int> CloseSilentAsync(ShiliuDb db, int days, CancellationToken ct)
    {
        var cutoff = db.UtcNow.AddDays(-days);
        var due = await db.Appeals.Where(a => a.Status == AppealStatus.Answered && a.AnsweredUtc < cutoff).OrderBy(a => a.AnsweredUtc).Take(500).ToListAsync(ct);
        foreach (var a in due) await AppealFlow.Definition.ApplyAsync(db, a, "close", $"答复后{days}日内群众未评价，自动办结", ct: ct);
        await db.SaveChangesAsync(ct);
        return due.Count;
    }
}

/// <summary>Forgets lookup failure counters that are old and no longer lock anything.</summary>
sealed class AppealLookupSweep(IDbContextFactory<ShiliuDb> dbs) : IJobHandler
{
    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var cutoff = db.UtcNow.AddDays(-1);
        await db.AppealLookupGuards.Where(g => g.UpdatedUtc < cutoff && (g.LockedUntilUtc == null || g.LockedUntilUtc < cutoff)).ExecuteDeleteAsync(ct);
    }
}
