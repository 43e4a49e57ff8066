using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Platform.Dashboards;

/// <summary>
/// A module's panel(s) on the 数据看板: figures counted from its own ledger for a unit's subtree and a period, each with the
/// address of the scoped list page that shows the records behind it. The dashboard reads every registered source the
/// caller may read (a source it may not read is absent, never zeros); a module adds its own with
/// <see cref="DashboardSourceExtensions.AddDashboardSource{T}"/>. Sources read through the caller's context (its data scope)
/// and narrow to the unit with <c>Under(…)</c>; they return counts only, never a person.
/// </summary>
public interface IDashboardSource
{
    /// <summary>The permission whose holders may read this ledger.</summary>
    string Permission { get; }

    /// <summary>Where the panels stand on the page (smaller first).</summary>
    int Order { get; }

    Task<IReadOnlyList<DashboardPanel>> ReadAsync(ShiliuDb db, DashboardQuery query, CancellationToken ct);
}

/// <summary>The unit (its whole subtree counts), the period (inclusive dates, China time), today, and the campaign that applies.</summary>
public sealed record DashboardQuery(Guid UnitId, string UnitName, string UnitPath, OrgLevel Level, DateOnly From, DateOnly To, DateOnly Today, Guid? CampaignId)
{
    public DateTime FromUtc => Common.ChinaTime.DayStartUtc(From);
    public DateTime ToUtcExclusive => Common.ChinaTime.DayStartUtc(To.AddDays(1));

    /// <summary>The query-string part every drill-down shares: the unit and, for dated figures, the period.</summary>
    public string UnitArg => $"unit={UnitId}";
    public string PeriodArg => $"from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}";

    /// <summary>What the unit's children are called.</summary>
    public string ChildName => Level switch { OrgLevel.County => "乡镇（街道）", OrgLevel.Township => "社区（村）", _ => "网格" };
}

/// <summary>One panel: its title, the figures (each linked to its records), an optional chart and matrix, and a note on where the figures came from.</summary>
public sealed record DashboardPanel(string Key, string Title, IReadOnlyList<DashboardFigure> Figures, string Source)
{
    public DashboardChart? Chart { get; init; }
    public DashboardMatrix? Matrix { get; init; }
}

/// <summary>A figure: "逾期 7 件" with the list page of those seven records; a share has no link of its own.</summary>
public sealed record DashboardFigure(string Label, double? Value, string Unit, string? Link = null)
{
    public string Text => Value is not { } v ? "—"
        : Unit == "%" ? v.ToString("0.#", CultureInfo.InvariantCulture) + "%"
        : v.ToString(v == Math.Floor(v) ? "N0" : "N1", CultureInfo.InvariantCulture);

    public static DashboardFigure Share(string label, int part, int whole) =>
        new(label, whole == 0 ? null : Math.Round(100.0 * part / whole, 1, MidpointRounding.AwayFromZero), "%");
}

public enum ChartKind { Bar, StackedBar, Line, Pie, HorizontalBar }

/// <summary>A chart: its categories (x axis, or slices) and series; every value may link to the records behind it.</summary>
public sealed record DashboardChart(ChartKind Kind, string Caption, IReadOnlyList<string> Categories, IReadOnlyList<DashboardSeries> Series)
{
    /// <summary>
    /// Categories counting fewer people than this are folded together where anyone may read the chart (the 大屏 in a hall):
    /// "彝族 1 人" in one community points at a family. Staff views show them as they are.
    /// </summary>
    public int? FoldBelow { get; init; }
}

public sealed record DashboardSeries(string Name, IReadOnlyList<double> Values, IReadOnlyList<string?>? Links = null);

/// <summary>A units × items table of states (the 十个一 matrix): each cell a short state name, a tone for its colour and a link.</summary>
public sealed record DashboardMatrix(IReadOnlyList<string> Columns, IReadOnlyList<DashboardMatrixRow> Rows);

public sealed record DashboardMatrixRow(string Name, string? Link, IReadOnlyList<DashboardCell> Cells);

public sealed record DashboardCell(string Text, string Tone);

public static class DashboardSourceExtensions
{
    public static IServiceCollection AddDashboardSource<T>(this IServiceCollection services) where T : class, IDashboardSource =>
        services.AddScoped<IDashboardSource, T>();
}
