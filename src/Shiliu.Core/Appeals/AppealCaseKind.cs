using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.Appeals;

/// <summary>Appeals as other modules link to them (a joint meeting's agenda item), found in the caller's scope.</summary>
sealed class AppealCaseKind : ICaseKind
{
    public const string KindKey = "appeal";

    public string Kind => KindKey;
    public string Name => "诉求";

    /// <summary>"环境卫生诉求：小区门口垃圾堆放…": the topic and the start of the text, no person.</summary>
    public static string Title(Appeal a) => $"{AppealNames.TopicName(a.Topic)}诉求：{Start(a.Text, 20)}".ReplaceLineEndings(" ");

    /// <summary>The first characters, never cutting a surrogate pair in two.</summary>
    static string Start(string text, int length)
    {
        if (text.Length <= length) return text;
        var cut = char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
        return text[..cut] + "…";
    }

    static CaseRef Ref(Appeal a) => new(KindKey, a.Id, a.Code, Title(a), $"/appeals?id={a.Id}");

    public async Task<IReadOnlyList<CaseRef>> SearchAsync(ShiliuDb db, string? text, int take, CancellationToken ct)
    {
        var q = db.Appeals.AsNoTracking();
        var t = text?.Trim();
        if (!string.IsNullOrEmpty(t)) q = q.Where(a => a.Code.Contains(t.ToUpper()) || a.Text.Contains(t));
        return (await q.OrderByDescending(a => a.CreatedUtc).Take(Math.Clamp(take, 1, 100)).ToListAsync(ct)).Select(Ref).ToList();
    }

    public async Task<CaseRef?> FindAsync(ShiliuDb db, Guid id, CancellationToken ct) =>
        await db.Appeals.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) is { } a ? Ref(a) : null;
}
