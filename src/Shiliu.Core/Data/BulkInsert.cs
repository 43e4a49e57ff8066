using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace Shiliu.Core.Data;

/// <summary>
/// Writes many rows of one entity type inside the context's current transaction, the fastest way each engine offers:
/// binary COPY on PostgreSQL, one prepared INSERT re-executed on SQLite. Columns, names and value conversions come from
/// the EF model, so rows land exactly as SaveChanges would write them. It bypasses the change tracker: scope checks and
/// audit are the calling service's job (it must check every row's OrgPath and write its own audit entry).
/// </summary>
public static class BulkInsert
{
    sealed record Column(string Name, Func<object, object?> Get, ValueConverter? Converter, RelationalTypeMapping Mapping, NpgsqlDbType PgType);

    sealed record Plan(string Table, Column[] Columns);

    static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, bool), Plan> Plans = new();

    /// <summary>
    /// Writes the rows as they come (one COPY or one prepared statement for all of them), so whoever produces them works
    /// on the other core meanwhile. Returns how many were written.
    /// </summary>
    public static async Task<int> InsertAsync<T>(ShiliuDb db, IAsyncEnumerable<T> rows, CancellationToken ct) where T : class
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("BulkInsert needs an open transaction (all-or-nothing).");
        var plan = Plans.GetOrAdd((typeof(T), db.IsPostgres), _ => Build(db, typeof(T)));
        var conn = db.Database.GetDbConnection();
        if (conn is NpgsqlConnection pg)
        {
            var cols = string.Join(", ", plan.Columns.Select(c => $"\"{c.Name}\""));
            var written = 0;
            // The raw stream takes the whole binary COPY as we encode it; disposing it ends the COPY (the server's verdict,
            // e.g. a unique violation, is thrown there). A failure before that cancels the COPY and is the one reported.
            var stream = await pg.BeginRawBinaryCopyAsync($"COPY \"{plan.Table}\" ({cols}) FROM STDIN (FORMAT BINARY)", ct);
            try
            {
                using var writer = new PgCopyWriter(stream);
                writer.Header();
                // Synchronous writes: they fill a buffer and only touch the socket when it is full.
                await foreach (var row in rows.WithCancellation(ct))
                {
                    ct.ThrowIfCancellationRequested(); // the rows' source may not watch the token itself
                    written++;
                    writer.StartRow(plan.Columns.Length);
                    foreach (var c in plan.Columns)
                    {
                        var v = Provider(c, row);
                        if (v is null) writer.Null();
                        else writer.Field(v, c.PgType);
                    }
                }
                writer.Finish();
            }
            catch
            {
                // The first failure is the one to report: if cancelling or closing fails too, the connection is likely gone.
                await Quietly(stream.CancelAsync);
                await Quietly(async () => await stream.DisposeAsync());
                throw;
            }
            await stream.DisposeAsync();
            return written;
        }
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction.GetDbTransaction();
        cmd.CommandText = $"INSERT INTO \"{plan.Table}\" ({string.Join(", ", plan.Columns.Select(c => $"\"{c.Name}\""))}) " +
                          $"VALUES ({string.Join(", ", plan.Columns.Select((_, i) => "@p" + i))})";
        var parameters = new DbParameter[plan.Columns.Length];
        for (var i = 0; i < plan.Columns.Length; i++)
        {
            parameters[i] = plan.Columns[i].Mapping.CreateParameter(cmd, "@p" + i, null, nullable: true);
            cmd.Parameters.Add(parameters[i]);
        }
        cmd.Prepare();
        var count = 0;
        // SQLite runs in-process: its async calls are synchronous underneath, plus the cost of a task per row.
        await foreach (var row in rows.WithCancellation(ct))
        {
            ct.ThrowIfCancellationRequested();
            count++;
            for (var i = 0; i < plan.Columns.Length; i++) parameters[i].Value = Provider(plan.Columns[i], row) ?? DBNull.Value;
            cmd.ExecuteNonQuery();
        }
        return count;
    }

    static async Task Quietly(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException or TimeoutException)
        {
        }
    }

    static object? Provider(Column c, object row)
    {
        var v = c.Get(row);
        return v is null ? null : c.Converter is null ? v : c.Converter.ConvertToProvider(v);
    }

    static Plan Build(ShiliuDb db, Type type)
    {
        var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped");
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var columns = new List<Column>();
        foreach (var p in entity.GetProperties())
        {
            // Database-generated keys (identity columns) are left to the database.
            if (p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey() && p.ClrType != typeof(Guid)) continue;
            if (p.PropertyInfo is null) continue;
            var mapping = (RelationalTypeMapping)p.GetRelationalTypeMapping();
            var converter = p.GetValueConverter() ?? mapping.Converter;
            var param = Expression.Parameter(typeof(object));
            var get = Expression.Lambda<Func<object, object?>>(
                Expression.Convert(Expression.Property(Expression.Convert(param, type), p.PropertyInfo), typeof(object)), param).Compile();
            var providerType = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? p.ClrType) ?? converter?.ProviderClrType ?? p.ClrType;
            if (providerType.IsEnum) providerType = Enum.GetUnderlyingType(providerType);
            columns.Add(new Column(p.GetColumnName(store)!, get, converter, mapping, PgType(providerType)));
        }
        return new Plan(table, columns.ToArray());
    }

    static NpgsqlDbType PgType(Type t) =>
        t == typeof(Guid) ? NpgsqlDbType.Uuid
        : t == typeof(string) ? NpgsqlDbType.Text
        : t == typeof(int) ? NpgsqlDbType.Integer
        : t == typeof(long) ? NpgsqlDbType.Bigint
        : t == typeof(short) ? NpgsqlDbType.Smallint
        : t == typeof(bool) ? NpgsqlDbType.Boolean
        : t == typeof(DateOnly) ? NpgsqlDbType.Date
        : t == typeof(DateTime) ? NpgsqlDbType.TimestampTz
        : t == typeof(double) ? NpgsqlDbType.Double
        : t == typeof(byte[]) ? NpgsqlDbType.Bytea
        : throw new NotSupportedException($"BulkInsert has no PostgreSQL type for {t.Name}");
}
