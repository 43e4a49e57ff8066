using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Calendar;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Commendations;

/// <summary>
/// The residents' side of 模范评选, without an account: the nominees in 公示 (name, category, unit and the deeds summary,
/// nothing else), the objection form, and the honour roll. Runs as the system in a scope of its own. The window is checked
/// here, at write time, so a page opened before the window closed is refused all the same.
/// </summary>
public sealed class PublicCommendationService(IServiceScopeFactory scopes)
{
    Task<T> AsSystemAsync<T>(Func<ShiliuDb, IServiceProvider, Task<T>> work, CancellationToken ct) =>
        scopes.AsSystemAsync("模范评选公示（公开页面）", work, ct);

    /// <summary>Calls in 公示 now or recently ended (until 表彰), with their nominees.</summary>
    public Task<IReadOnlyList<PublicityView>> PublicityAsync(CancellationToken ct = default) => AsSystemAsync<IReadOnlyList<PublicityView>>(async (db, sp) =>
    {
        var calendar = await sp.GetRequiredService<CalendarCache>().GetAsync(sp.GetRequiredService<IDbContextFactory<ShiliuDb>>(), ct);
        var calls = await db.CommendationCalls.AsNoTracking().Where(c => c.Status == CallStatus.Publicity).OrderByDescending(c => c.PublicityFrom).ToListAsync(ct);
        var ids = calls.Select(c => c.Id).ToList();
        var nominees = await db.Nominations.AsNoTracking().Where(n => ids.Contains(n.CallId) && n.Status == NominationStatus.Publicity)
            .OrderBy(n => n.Category).ThenBy(n => n.CreatedUtc)
            .Select(n => new { n.Id, n.CallId, n.Category, n.NomineeName, n.OrgUnitId, n.Summary }).ToListAsync(ct);
        var names = await db.UnitNamesAsync(nominees.Select(n => n.OrgUnitId), ct);
        var now = db.UtcNow;
        return calls.Select(c => new PublicityView(c.Id, c.Title, c.PublicityFrom!.Value, c.PublicityTo!.Value, c.PublicityDays,
            Open: WindowOpen(calendar, c, now), Ended: now > calendar.EndOfDayUtc(c.PublicityTo!.Value) ? true : false,
            nominees.Where(n => n.CallId == c.Id).Select(n => new PublicNominee(n.Id, n.Category, n.NomineeName, names[n.OrgUnitId], n.Summary)).ToList())).ToList();
    }, ct);

    /// <summary>From the first day's start to the last day's end, China time (calendar days within the working-day window).</summary>
    static bool WindowOpen(WorkCalendar calendar, CommendationCall c, DateTime nowUtc) =>
        c.Status == CallStatus.Publicity && nowUtc >= ChinaTime.DayStartUtc(c.PublicityFrom!.Value)
                                         && nowUtc < ChinaTime.DayStartUtc(c.PublicityTo!.Value.AddDays(1));

    /// <summary>
    /// Files an objection. Checked before the guard counts the post (a resident correcting a field keeps their posts);
    /// <paramref name="admit"/> runs on the same context so its spent challenge is saved with the objection.
    /// </summary>
    public Task<ObjectionReceipt> ObjectAsync(FileObjection req, Func<ShiliuDb, Task> admit, CancellationToken ct = default) => AsSystemAsync(async (db, sp) =>
    {
        var n = await db.Nominations.SingleOrDefaultAsync(x => x.Id == req.NominationId && x.Status == NominationStatus.Publicity, ct)
            ?? throw RuleViolation.ForField(CommendationErrors.Invalid, "nominationId", "请选择公示名单中的推荐对象");
        var call = await db.CommendationCalls.SingleAsync(c => c.Id == n.CallId, ct);
        var calendar = await sp.GetRequiredService<CalendarCache>().GetAsync(sp.GetRequiredService<IDbContextFactory<ShiliuDb>>(), ct);
        if (!WindowOpen(calendar, call, db.UtcNow))
            throw new RuleViolation(CommendationErrors.Window, db.UtcNow < ChinaTime.DayStartUtc(call.PublicityFrom!.Value)
                ? $"公示期自{Dates.Format(call.PublicityFrom!.Value)}开始，届时再提出异议"
                : $"公示期已于{Dates.Format(call.PublicityTo!.Value)}结束，不再受理异议");
        var text = EvidenceService.CleanMultiline(req.Text ?? "", "异议内容");
        if (text.Length < 5) throw RuleViolation.ForField(CommendationErrors.Invalid, "text", "请写明异议的具体事实（至少5个字）");
        if (text.Length > 2000) throw RuleViolation.ForField(CommendationErrors.Invalid, "text", "异议内容不能超过2000字");
        if (string.IsNullOrWhiteSpace(req.Contact)) throw RuleViolation.ForField(CommendationErrors.Invalid, "contact", "请填写联系电话，便于核实情况");
        if (!Phone.TryNormalize(req.Contact, out var phone, out var error)) throw RuleViolation.ForField(CommendationErrors.Invalid, "contact", $"联系电话：{error}");
        await admit(db);
        var o = new Objection
        {
            CallId = call.Id, NominationId = n.Id, Text = text, ContactCipher = sp.GetRequiredService<PersonalData>().Seal(phone), ContactMasked = Phone.Mask(phone),
            ReceivedUtc = db.UtcNow,
        };
        db.CommendationObjections.Add(o);
        await db.SaveChangesAsync(ct);
        return new ObjectionReceipt(o.Id, n.NomineeName);
    }, ct);

    /// <summary>光荣榜 as residents read it: every year's awardees, revoked titles marked.</summary>
    public Task<IReadOnlyList<RollRow>> RollAsync(CancellationToken ct = default) => AsSystemAsync((db, _) => CommendationService.Roll(db, null, ct), ct);
}
