using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Reporting;

/// <summary>
/// What one module's ledger says in a unit's 汇报材料: the paragraphs it drafts from its own records, where they came from,
/// the figures for the annex, and photos. The report reads every registered source; a module adds its own with
/// <see cref="ReportSourceExtensions.AddReportSource{T}"/> and never lists itself centrally. Sources read through the
/// caller's context (their data scope) and never write personal data: counts, types and titles only.
/// </summary>
public interface IReportSource
{
    /// <summary>The permission whose holders may read this ledger; a caller without it gets a note instead of the part.</summary>
    string Permission { get; }

    Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery query, CancellationToken ct);
}

/// <summary>The unit (its whole subtree counts), the period (inclusive dates, China time), today, and the campaign when one applies.</summary>
public sealed record ReportQuery(Guid UnitId, string UnitName, string UnitPath, OrgLevel Level, DateOnly From, DateOnly To, DateOnly Today, Guid? CampaignId)
{
    /// <summary>"2026年1月1日至12月6日" — how the draft names the period.</summary>
    public string Period => From.Year == To.Year ? $"{From:yyyy年M月d日}至{To:M月d日}" : $"{From:yyyy年M月d日}至{To:yyyy年M月d日}";

    public DateTime FromUtc => Common.ChinaTime.DayStartUtc(From);
    public DateTime ToUtcExclusive => Common.ChinaTime.DayStartUtc(To.AddDays(1));

    /// <summary>What the unit's children are called ("网格", "社区（村）", "乡镇（街道）").</summary>
    public string ChildName => Level switch { OrgLevel.County => "乡镇（街道）", OrgLevel.Township => "社区（村）", _ => "网格" };
}

public enum ReportSection
{
    /// <summary>一、基本情况</summary>
    Basics = 1,
    /// <summary>二、主要做法和成效</summary>
    Work = 2,
}

/// <summary>
/// A part of the draft: a heading (under 二、 numbered （一）（二）… in <paramref name="Order"/>; under 一、 none), its
/// paragraphs, the note saying where the figures came from, annex figures, and photos with captions.
/// </summary>
public sealed record ReportPart(ReportSection Section, int Order, string? Heading, IReadOnlyList<string> Paragraphs, string Source,
    IReadOnlyList<ReportFigure> Figures)
{
    public IReadOnlyList<ReportPhoto> Photos { get; init; } = [];
}

/// <summary>A line of the figures annex: its group ("人口"), what it counts, and the value as shown ("1,204", "96.3%").</summary>
public sealed record ReportFigure(string Group, string Name, string Value);

/// <summary>A photo for the draft (already reduced for print) and its caption.</summary>
public sealed record ReportPhoto(byte[] Jpeg, string Caption);

public static class ReportSourceExtensions
{
    public static IServiceCollection AddReportSource<T>(this IServiceCollection services) where T : class, IReportSource =>
        services.AddScoped<IReportSource, T>();
}

/// <summary>Number formats the drafts share.</summary>
public static class ReportFormat
{
    public static string Count(int n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Share(int part, int whole) => whole == 0 ? "—" : Percent((double)part / whole);

    public static string Percent(double? share) => share is { } s
        ? (Math.Round(s * 100, 1, MidpointRounding.AwayFromZero)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%"
        : "—";
}
