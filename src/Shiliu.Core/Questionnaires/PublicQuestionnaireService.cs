using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Questionnaires;

public enum PublicState
{
    Open,
    NotYet,
    Closed,
}

public sealed record PublicQuestionnaire(Guid Id, string Slug, string Title, string? Intro, string UnitName, QuestionForm Form, Distribution Distribution,
    PublicState State, DateOnly OpensOn, DateOnly ClosesOn);

/// <summary>A refusal that says when to come back (the page answers 429 with Retry-After).</summary>
public sealed class QuestionnaireTryLater(string message, TimeSpan after) : RuleViolation(QuestionnaireErrors.TooMany, message)
{
    public TimeSpan After { get; } = after;
}

/// <summary>
/// The residents' side: read a publication by its public address and hand in a finished sheet, without an account. Runs
/// as the system in a scope of its own; the sheet is checked against the frozen questions (hidden questions dropped,
/// required only when shown) before anything is counted; a code is used up in the same transaction as the sheet is
/// stored, and only if it was still unused (two sheets with one code: exactly one is accepted); the stored sheet keeps
/// no link to its code, its browser or its time.
/// </summary>
public sealed class PublicQuestionnaireService(IServiceScopeFactory scopes)
{
    Task<T> AsSystemAsync<T>(Func<ShiliuDb, Task<T>> work, CancellationToken ct) =>
        scopes.AsSystemAsync("问卷调查（公开页面）", (db, _) => work(db), ct);

    public Task<PublicQuestionnaire> OpenAsync(string? slug, CancellationToken ct = default) => AsSystemAsync(db => FindAsync(db, slug, ct), ct);

    static async Task<PublicQuestionnaire> FindAsync(ShiliuDb db, string? slug, CancellationToken ct)
    {
        var s = (slug ?? "").Trim().ToLowerInvariant();
        var p = s.Length is 0 or > 20 ? null : await db.QuestionnairePublications.AsNoTracking().SingleOrDefaultAsync(x => x.Slug == s, ct);
        if (p is null) throw new RuleViolation(QuestionnaireErrors.Lookup, "没有找到这份问卷，请核对链接或重新扫描二维码");
        var unit = await db.OrgUnits.AsNoTracking().Where(o => o.Id == p.OrgUnitId).Select(o => o.Name).SingleAsync(ct);
        var today = QuestionnaireService.Today(db);
        var state = today < p.OpensOn ? PublicState.NotYet : today > p.ClosesOn ? PublicState.Closed : PublicState.Open;
        return new PublicQuestionnaire(p.Id, p.Slug, p.Title, p.Intro, unit, QuestionForm.FromJson(p.FormJson), p.Distribution, state, p.OpensOn, p.ClosesOn);
    }

    /// <summary>
    /// Hands in a sheet. <paramref name="browserToken"/> is the browser's random cookie (open links), <paramref name="code"/>
    /// the printed code (code publications); <paramref name="admit"/> is the page's guard (challenge and per-address
    /// limit), run on the same context after the answers are found complete, so a resident correcting a question does
    /// not use up their posts.
    /// </summary>
    public Task SubmitAsync(string? slug, IReadOnlyDictionary<string, IReadOnlyList<string>> posted, string? code, string? browserToken,
        Func<ShiliuDb, Task> admit, CancellationToken ct = default) => AsSystemAsync<bool>(async db =>
    {
        var p = await FindAsync(db, slug, ct);
        if (p.State == PublicState.NotYet) throw new RuleViolation(QuestionnaireErrors.Closed, $"问卷将于{p.OpensOn:yyyy年M月d日}开始，现在还不能作答");
        if (p.State == PublicState.Closed) throw new RuleViolation(QuestionnaireErrors.Closed, $"问卷已于{p.ClosesOn:yyyy年M月d日}截止，感谢您的关注");
        var normal = QuestionnaireService.NormalizeCode(code);
        if (p.Distribution == Distribution.Codes && normal.Length == 0)
            throw RuleViolation.ForField(QuestionnaireErrors.BadCode, "code", "请填写发到您家的答题码（在问卷通知单上）");
        var answers = p.Form.Read(posted);
        await admit(db);

        var today = QuestionnaireService.Today(db);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (p.Distribution == Distribution.Codes)
        {
            // Used up atomically: the row changes only while still unused, so of two simultaneous sheets exactly one wins.
            var taken = await db.QuestionnaireAnswerCodes.Where(c => c.PublicationId == p.Id && c.Code == normal && !c.Used)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Used, true), ct);
            if (taken != 1)
                throw RuleViolation.ForField(QuestionnaireErrors.AlreadyAnswered, "code", "答题码不正确或已经用过（每个答题码只能提交一次），请核对通知单上的答题码");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(browserToken) || browserToken.Length > 100)
                throw new RuleViolation(QuestionnaireErrors.BadCode, "请允许浏览器保存 Cookie 后重新打开问卷页面再提交（用于防止重复作答，不记录您的身份）");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{p.Id:N}:{browserToken}")));
            if (await db.QuestionnaireBrowserMarks.AnyAsync(m => m.PublicationId == p.Id && m.TokenHash == hash, ct))
                throw new RuleViolation(QuestionnaireErrors.AlreadyAnswered, "您已经填写过这份问卷，每人只需填写一次，感谢您的参与");
            db.QuestionnaireBrowserMarks.Add(new BrowserMark { PublicationId = p.Id, TokenHash = hash });
        }
        var sheet = new QuestionnaireResponse { PublicationId = p.Id, AnsweredOn = today };
        db.QuestionnaireResponses.Add(sheet);
        foreach (var a in answers) (a.PublicationId, a.ResponseId) = (p.Id, sheet.Id);
        db.QuestionnaireAnswers.AddRange(answers);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (p.Distribution == Distribution.OpenLink)
        {
            // The same browser's second sheet that raced the first one: the mark's key refused it.
            throw new RuleViolation(QuestionnaireErrors.AlreadyAnswered, "您已经填写过这份问卷，每人只需填写一次，感谢您的参与");
        }
        await tx.CommitAsync(ct);
        return true;
    }, ct);
}
