using System.Linq.Expressions;

namespace Shiliu.Core.Common;

/// <summary>
/// A subtree as a range of paths. Paths are ASCII and compared byte by byte (SQLite's BINARY, PostgreSQL's "C"
/// collation), so the paths starting with p are exactly those with p &lt;= path &lt; End(p). Queries say it as that range
/// rather than <c>LIKE 'p%'</c>: SQLite's LIKE is case-insensitive and never uses an index for a parameter's prefix,
/// which made every scoped list read the whole table there.
/// </summary>
public static class OrgPaths
{
    /// <summary>The parent unit's path (a root's own path for a root).</summary>
    public static string Parent(string path)
    {
        var cut = path.TrimEnd('/').LastIndexOf('/');
        return cut <= 0 ? path : path[..(cut + 1)];
    }

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/>.</summary>
    public static string End(string prefix)
    {
        // Strip trailing chars that cannot be incremented; the empty prefix covers everything.
        var p = prefix.TrimEnd(char.MaxValue);
        return p.Length == 0 ? new string(char.MaxValue, 1) : string.Concat(p.AsSpan(0, p.Length - 1), ((char)(p[^1] + 1)).ToString());
    }

    static readonly System.Reflection.MethodInfo Compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    /// <summary>
    /// <c>start &lt;= path &lt; end</c> as an expression over <paramref name="path"/>; <paramref name="start"/> and
    /// <paramref name="end"/> are read when the query runs (EF sends them as parameters, so the SQL is cached once).
    /// </summary>
    public static Expression Within(Expression path, Expression start, Expression end)
    {
        var zero = Expression.Constant(0);
        return Expression.AndAlso(
            Expression.GreaterThanOrEqual(Expression.Call(Compare, path, start), zero),
            Expression.LessThan(Expression.Call(Compare, path, end), zero));
    }

    /// <summary>The rows whose <paramref name="path"/> lies in the subtree <paramref name="prefix"/> (or, with
    /// <paramref name="orElse"/>, whose second path does: a hand-over's receiver).</summary>
    public static IQueryable<T> Under<T>(this IQueryable<T> q, Expression<Func<T, string>> path, string prefix, Expression<Func<T, string?>>? orElse = null)
    {
        var range = new Range(prefix, End(prefix));
        var start = Expression.Property(Expression.Constant(range), nameof(Range.Start));
        var end = Expression.Property(Expression.Constant(range), nameof(Range.End));
        var e = path.Parameters[0];
        var body = Within(path.Body, start, end);
        if (orElse is not null)
        {
            var other = new Rebind(orElse.Parameters[0], e).Visit(orElse.Body);
            body = Expression.OrElse(body, Expression.AndAlso(Expression.NotEqual(other, Expression.Constant(null, typeof(string))), Within(other, start, end)));
        }
        return q.Where(Expression.Lambda<Func<T, bool>>(body, e));
    }

    sealed record Range(string Start, string End);

    sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
