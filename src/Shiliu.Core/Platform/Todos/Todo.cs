using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Todos;

public enum TodoKind
{
    /// <summary>Someone below submitted it; the caller decides (待审核).</summary>
    Review,
    /// <summary>The level above sent it back to the caller's unit (被退回).</summary>
    Returned,
    /// <summary>Waits for the caller to act (待处理).</summary>
    Waiting,
    DueSoon,
    Overdue,
    /// <summary>Something went wrong that the caller should look at (失败).</summary>
    Failed,
}

/// <summary>One line of 我的待办: what waits, how many, and where to go.</summary>
public sealed record TodoItem(string Module, TodoKind Kind, string Title, int Count, string Href)
{
    public string KindName => Kind switch
    {
        TodoKind.Review => "待审核",
        TodoKind.Returned => "被退回",
        TodoKind.Waiting => "待处理",
        TodoKind.DueSoon => "即将到期",
        TodoKind.Overdue => "已逾期",
        _ => "失败",
    };
}

/// <summary>
/// A module's contribution to 我的待办: given a context scoped to the signed-in user, counts what waits for them.
/// Registered with <see cref="TodoServiceCollectionExtensions.AddTodoSource{T}"/> in the module's AddServices.
/// </summary>
public interface ITodoSource
{
    Task<IReadOnlyList<TodoItem>> ForCallerAsync(ShiliuDb db, CancellationToken ct);
}

public static class TodoServiceCollectionExtensions
{
    public static IServiceCollection AddTodoSource<T>(this IServiceCollection services) where T : class, ITodoSource =>
        services.AddScoped<ITodoSource, T>();
}

/// <summary>我的待办: every module's sources for the caller, most urgent first, only lines with something in them.</summary>
public sealed class TodoService(IDbContextFactory<ShiliuDb> dbs, IEnumerable<ITodoSource> sources)
{
    public async Task<IReadOnlyList<TodoItem>> MineAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!db.Caller.IsAuthenticated && !db.Caller.IsSystem) return [];
        var items = new List<TodoItem>();
        foreach (var source in sources) items.AddRange(await source.ForCallerAsync(db, ct));
        return items.Where(i => i.Count > 0).OrderBy(i => i.Kind switch
        {
            TodoKind.Overdue => 0, TodoKind.Failed => 1, TodoKind.Returned => 2, TodoKind.DueSoon => 3, TodoKind.Review => 4, _ => 5,
        }).ThenBy(i => i.Module).ToList();
    }
}
