using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Appeals;

/// <summary>A refusal that says when to come back (the page answers 429 with Retry-After).</summary>
public sealed class TryLater(string message, TimeSpan after) : RuleViolation(AppealErrors.TooMany, message)
{
    public TimeSpan After { get; } = after;
}

/// <summary>One step as the resident reads it: when, and what was done, in plain words (no staff names).</summary>
public sealed record PublicAppealStep(DateTime TimeUtc, string Text);

public sealed record PublicAppealView(string Code, string TopicName, string StatusText, DateTime CreatedUtc, string UnitName, string? Answer, DateTime? AnsweredUtc,
    IReadOnlyList<PublicAppealStep> Steps, bool CanFeedback, bool? Resolved, bool CanReopen);

public sealed record PublicPlace(string Township, IReadOnlyList<(Guid Id, string Name)> Communities);

/// <summary>
/// The residents' side of 诉求, without an account: file an appeal (code + PIN shown once), look it up with both, say
/// whether it was resolved. Runs as the system in a scope of its own; the page's guard has already admitted the post.
/// Wrong code and wrong PIN take the same path and the same time and get the same answer; failures are counted per code
/// as typed (so a locked code does not say it exists) and lookups per address.
/// </summary>
public sealed class PublicAppealService(IServiceScopeFactory scopes, AppealOptions options)
{
    const string Wrong = "查询码或查询密码不正确，请核对后重新输入（注意区分查询码和查询密码）";
    readonly PartitionedRateLimiter<string> _addresses = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.LookupsPerAddress, Window = TimeSpan.FromMinutes(10), SegmentsPerWindow = 5, QueueLimit = 0,
        }));

    Task<T> AsSystemAsync<T>(Func<ShiliuDb, IServiceProvider, Task<T>> work, CancellationToken ct) =>
        scopes.AsSystemAsync("群众诉求（公开页面）", work, ct);

    /// <summary>Townships and their communities, for the place select.</summary>
    public Task<IReadOnlyList<PublicPlace>> PlacesAsync(CancellationToken ct = default) => AsSystemAsync<IReadOnlyList<PublicPlace>>(async (db, _) =>
    {
        var units = await db.OrgUnits.AsNoTracking().Where(o => !o.IsDisabled && (o.Level == OrgLevel.Township || o.Level == OrgLevel.Community))
            .OrderBy(o => o.SortOrder).ThenBy(o => o.Code).Select(o => new { o.Id, o.ParentId, o.Name, o.Level }).ToListAsync(ct);
        return units.Where(u => u.Level == OrgLevel.Township)
            .Select(t => new PublicPlace(t.Name, units.Where(c => c.ParentId == t.Id && c.Level == OrgLevel.Community).Select(c => (c.Id, c.Name)).ToList()))
            .Where(p => p.Communities.Count > 0).ToList();
    }, ct);

    /// <summary>
    /// Files an appeal from the public page. <paramref name="admit"/> is the page's guard, run on the same context so its
    /// spent challenge is saved with the appeal; it throws <see cref="TryLater"/> to refuse.
    /// </summary>
    public Task<AppealReceipt> FileAsync(FileAppeal req, IReadOnlyList<IncomingPhoto> photos, Func<ShiliuDb, Task> admit, CancellationToken ct = default) =>
        AsSystemAsync(async (db, sp) =>
        {
            req.Channel = AppealChannel.Public;
            // Checked before the guard counts the post: a resident correcting a field does not use up their hourly posts.
            var (a, pin, unit) = await AppealIntake.CreateAsync(db, sp.GetRequiredService<PersonalData>(), options, req, AppealChannel.Public, ct);
            await admit(db);
            await AppealIntake.StorePhotosAsync(db, sp.GetRequiredService<IFileStore>(), sp.GetRequiredService<EvidenceOptions>(), a, photos, ct);
            await db.SaveChangesAsync(ct);
            return new AppealReceipt(a.Id, a.Code, pin, unit);
        }, ct);

    public Task<PublicAppealView> LookupAsync(string? code, string? pin, string address, CancellationToken ct = default) =>
        AsSystemAsync(async (db, _) => await ViewAsync(db, await OpenAsync(db, code, pin, address, ct), ct), ct);

    /// <summary>已解决 closes the appeal; 未解决 (with a comment) reopens it once, and closes it unresolved the second time.</summary>
    public Task<PublicAppealView> FeedbackAsync(string? code, string? pin, bool resolved, string? comment, string address, CancellationToken ct = default) =>
        AsSystemAsync(async (db, _) =>
        {
            var a = await OpenAsync(db, code, pin, address, ct);
            if (a.Status != AppealStatus.Answered) throw new RuleViolation(AppealErrors.State, "该诉求现在不在等待您评价的状态");
            string? why = null;
            if (!string.IsNullOrWhiteSpace(comment))
            {
                why = EvidenceService.CleanMultiline(comment, "补充说明");
                if (why.Length > 500) throw RuleViolation.ForField(AppealErrors.Invalid, "comment", "补充说明不能超过500字");
            }
            if (!resolved && why is null) throw RuleViolation.ForField(AppealErrors.Invalid, "comment", "请写明还有哪些问题没有解决");
            (a.Resolved, a.FeedbackComment, a.FeedbackUtc) = (resolved, why, db.UtcNow);
            if (resolved) await AppealFlow.Definition.ApplyAsync(db, a, "close", why is null ? "群众表示已解决" : $"群众表示已解决：{why}", ct: ct);
            else if (a.ReopenCount == 0) await AppealFlow.Definition.ApplyAsync(db, a, "reopen", why, ct: ct);
            else await AppealFlow.Definition.ApplyAsync(db, a, "close", $"群众表示仍未解决（已重办过一次）：{why}", ct: ct);
            await db.SaveChangesAsync(ct);
            return await ViewAsync(db, a, ct);
        }, ct);

    /// <summary>The one path for every lookup: address limit, code lock, one PBKDF2 whether or not the code exists, the same refusal.</summary>
    async Task<Appeal> OpenAsync(ShiliuDb db, string? code, string? pin, string address, CancellationToken ct)
    {
        using (var lease = _addresses.AttemptAcquire(address))
            if (!lease.IsAcquired)
            {
                var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(10);
                throw new TryLater($"查询过于频繁，请 {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} 分钟后再试", wait);
            }
        var normal = AppealIntake.NormalizeCode(code);
        if (normal.Length is 0 or > 20) normal = "-";
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
        var guard = await db.AppealLookupGuards.SingleOrDefaultAsync(g => g.CodeKey == key, ct);
        var now = db.UtcNow;
        if (guard?.LockedUntilUtc > now)
        {
            var wait = guard.LockedUntilUtc.Value - now;
            throw new TryLater($"该查询码的密码输错次数过多，已暂时锁定，请 {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} 分钟后再试", wait);
        }
        var a = await db.Appeals.SingleOrDefaultAsync(x => x.Code == normal, ct);
        var cleanPin = (pin ?? "").Trim();
        if (AppealIntake.VerifyPin(cleanPin.Length > 20 ? "" : cleanPin, a?.PinHash, options.PinIterations) && a is not null)
        {
            if (guard is not null) db.AppealLookupGuards.Remove(guard);
            return a;
        }
        if (guard is null) db.AppealLookupGuards.Add(guard = new AppealLookupGuard { CodeKey = key });
        guard.Failures++;
        guard.UpdatedUtc = now;
        if (guard.Failures >= options.PinAttempts) (guard.LockedUntilUtc, guard.Failures) = (now.AddMinutes(options.LockMinutes), 0);
        await db.SaveChangesAsync(ct);
        throw new RuleViolation(AppealErrors.Lookup, Wrong);
    }

    static async Task<PublicAppealView> ViewAsync(ShiliuDb db, Appeal a, CancellationToken ct)
    {
        var unit = await db.OrgUnits.AsNoTracking().Where(o => o.Id == a.OrgUnitId).Select(o => o.Name).SingleAsync(ct);
        var steps = await db.Set<Platform.Workflow.WorkflowStep>().AsNoTracking().Where(s => s.Workflow == AppealFlow.Definition.Name && s.ItemId == a.Id)
            .OrderBy(s => s.Id).Select(s => new { s.Action, s.TimeUtc }).ToListAsync(ct);
        var shown = new List<PublicAppealStep> { new(a.CreatedUtc, "您的诉求已提交，等待受理") };
        foreach (var s in steps)
        {
            var text = s.Action switch
            {
                "accept" => "已受理，正在办理",
                "transfer" => "已转交其他单位办理",
                "take" => "接收单位已受理，正在办理",
                "return" => "转交未成，由原单位继续办理",
                "answer" => "已答复，请查看答复内容",
                "reopen" => "您反馈问题未解决，已重新办理",
                "close" => "已办结",
                "convert" => $"已转为{a.ConvertedName}办理",
                _ => null,
            };
            if (text is not null) shown.Add(new PublicAppealStep(s.TimeUtc, text));
        }
        var status = a.Status switch
        {
            AppealStatus.Converted => $"已转为{a.ConvertedName}办理",
            AppealStatus.Transferring => "办理中",
            _ => AppealNames.Status(a.Status),
        };
        return new PublicAppealView(a.Code, AppealNames.TopicName(a.Topic), status, a.CreatedUtc, unit,
            a.Status is AppealStatus.Answered or AppealStatus.Closed ? a.Answer : null, a.AnsweredUtc, shown, a.Status == AppealStatus.Answered, a.Resolved,
            a.Status == AppealStatus.Answered && a.ReopenCount == 0);
    }
}
