namespace Shiliu.Core.Common;

/// <summary>
/// The one page envelope of lists, in services and the API alike: the rows of this page, how many match in all, and the
/// page asked for. Where counting everything would cost more than the page, <see cref="TotalCapped"/> says Total is a floor.
/// </summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public bool TotalCapped { get; init; }

    public int Pages => PageSize <= 0 ? 0 : (Total + PageSize - 1) / PageSize;

    /// <summary>Clamps a requested page and size to sane bounds (size 1…<paramref name="maxSize"/>).</summary>
    public static (int Page, int Size) Bounds(int page, int size, int maxSize = 200) => (Math.Clamp(page, 1, 1_000_000), Math.Clamp(size, 1, maxSize));
}
