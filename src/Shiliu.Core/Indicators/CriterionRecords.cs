using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;

namespace Shiliu.Core.Indicators;

/// <summary>
/// What one module's ledger holds toward the criteria for a unit and a period: the lines an assessor reads beside the
/// score box ("活动 12 场", "问卷 238 份，满意率 91%"), with where to look, and optionally a suggested score. The assessment
/// round reads every registered source; a module adds its own with <see cref="CriterionRecordSourceExtensions.AddCriterionRecordSource{T}"/>
/// and never lists itself centrally. Sources read inside the caller's scope (the context's filters) and never return
/// personal data.
/// </summary>
public interface ICriterionRecordSource
{
    Task<IReadOnlyList<CriterionRecord>> ReadAsync(ShiliuDb db, CriterionRecordQuery query, CancellationToken ct);
}

/// <summary>The unit (its subtree counts), the period (inclusive dates, China time) and, when the round names one, the campaign.</summary>
public sealed record CriterionRecordQuery(Guid OrgUnitId, string OrgPath, DateOnly From, DateOnly To, Guid? CampaignId);

/// <summary>
/// One line toward criterion <paramref name="CriterionNo"/> (the framework's 第 N 条): which ledger (<paramref name="Source"/>,
/// e.g. "证明材料"), what (<paramref name="Label"/>), the figure as shown (<paramref name="Figure"/>), a staff page that lists
/// the records behind it, and a suggested share of the criterion's points.
/// </summary>
public sealed record CriterionRecord(int CriterionNo, string Source, string Label, string Figure, string? Href = null, SuggestedShare? Suggested = null);

/// <summary>
/// A suggestion, never a score: <paramref name="Share"/> (0–1) of the criterion's points, and <paramref name="Basis"/>, the
/// figures it came from in words (e.g. "满意 180 + 基本满意 38 / 有效答卷 238"); the assessor sees it and decides.
/// </summary>
public sealed record SuggestedShare(decimal Share, string Basis)
{
    public decimal PointsOf(int criterionPoints) => Math.Round(Math.Clamp(Share, 0m, 1m) * criterionPoints, 1, MidpointRounding.AwayFromZero);

    /// <summary>The formula shown to the assessor, e.g. "满意 180 + 基本满意 38 / 有效答卷 238 = 91.6% × 8 分 = 7.3 分".</summary>
    public string Formula(int criterionPoints) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Basis} = {Math.Round(Math.Clamp(Share, 0m, 1m) * 100, 1, MidpointRounding.AwayFromZero):0.#}% × {criterionPoints} 分 = {PointsOf(criterionPoints):0.#} 分");
}

public static class CriterionRecordSourceExtensions
{
    public static IServiceCollection AddCriterionRecordSource<T>(this IServiceCollection services) where T : class, ICriterionRecordSource =>
        services.AddScoped<ICriterionRecordSource, T>();
}
