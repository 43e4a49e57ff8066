namespace Shiliu.Core.Common;

/// <summary>
/// The one page envelope of lists, in services and the API alike: the rows of this page, how many match in all, and the
/// page asked for. Where counting everything would cost more than the page, <see cref="TotalCapped"/> says Total is a floor.
/// </summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public bool TotalCapped { get; init; }

    public int Pages => PageSize <= 0 ? 0 : (Total + PageSize - 1) / PageSize;

    /// <summary>
    /// Counting a whole county on every page costs more than the page; lists count up to this many and then say
    /// "2,000 以上" (exact figures are on the statistics pages).
    /// </summary>
    public const int CountCap = 2_000;

    /// <summary>The envelope of a page whose total was counted up to <see cref="CountCap"/> + 1.</summary>
    public static Paged<T> Capped(IReadOnlyList<T> items, int counted, int page, int size) =>
        new(items, counted, page, size) { TotalCapped = counted > CountCap };

    /// <summary>Clamps a requested page and size to sane bounds (size 1…<paramref name="maxSize"/>).</summary>
    public static (int Page, int Size) Bounds(int page, int size, int maxSize = 200) => (Math.Clamp(page, 1, 1_000_000), Math.Clamp(size, 1, maxSize));
}
