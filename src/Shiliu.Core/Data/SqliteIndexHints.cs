using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shiliu.Core.Data;

/// <summary>
/// An index hint for SQLite alone. The SQLite bundled with the provider is built without STAT4, so its planner cannot
/// tell from the bound values that a county's scope range holds every row: it estimates the scope's path ranges as
/// selective and reads the whole table through them. A query that knows a better index says so with
/// <see cref="PreferIndexOnSqlite{T}"/>; on SQLite its table gets <c>INDEXED BY</c>, elsewhere the tag stays a comment
/// (PostgreSQL plans with the bound values and finds the index itself).
/// </summary>
public static partial class SqliteIndexHints
{
    const string Marker = "sqlite-index-hint";

    public static IQueryable<T> PreferIndexOnSqlite<T>(this IQueryable<T> query, string table, string index)
    {
        if (!Identifier().IsMatch(table) || !Identifier().IsMatch(index)) throw new ArgumentException("table and index are plain identifiers");
        return query.TagWith($"{Marker} {table} {index}");
    }

    /// <summary>The command text with each tagged table's first <c>FROM "table" AS "alias"</c> pinned to its index.</summary>
    public static string Rewrite(string sql)
    {
        if (!sql.StartsWith("-- ", StringComparison.Ordinal) || !sql.Contains(Marker, StringComparison.Ordinal)) return sql;
        foreach (Match hint in Tag().Matches(sql))
        {
            // EF writes each table as FROM "Table" AS "alias": the hint goes after the alias's closing quote.
            var from = $"FROM \"{hint.Groups[1].Value}\" AS \"";
            var at = sql.IndexOf(from, StringComparison.Ordinal);
            var close = at < 0 ? -1 : sql.IndexOf('"', at + from.Length);
            if (close > 0) sql = sql.Insert(close + 1, $" INDEXED BY \"{hint.Groups[2].Value}\"");
        }
        return sql;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^-- sqlite-index-hint ([A-Za-z0-9_]+) ([A-Za-z0-9_]+)\r?$", RegexOptions.Multiline)]
    private static partial Regex Tag();
}

/// <summary>Applies <see cref="SqliteIndexHints"/> to the commands EF sends to SQLite.</summary>
public sealed class SqliteIndexHintInterceptor : DbCommandInterceptor
{
    public static readonly SqliteIndexHintInterceptor Instance = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        command.CommandText = SqliteIndexHints.Rewrite(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        command.CommandText = SqliteIndexHints.Rewrite(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        command.CommandText = SqliteIndexHints.Rewrite(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken ct = default)
    {
        command.CommandText = SqliteIndexHints.Rewrite(command.CommandText);
        return ValueTask.FromResult(result);
    }
}
