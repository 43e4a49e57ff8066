using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Platform;

/// <summary>
/// BulkInsert writes rows past EF (our own binary COPY encoding on PostgreSQL, a prepared INSERT on SQLite): what it writes
/// must read back through EF exactly as SaveChanges would have stored it.
/// </summary>
public sealed class BulkInsertTests
{
    static async IAsyncEnumerable<T> Feed<T>(IEnumerable<T> rows)
    {
        foreach (var r in rows)
        {
            await Task.Yield();
            yield return r;
        }
    }

    static Resident Make(OrgUnit unit, int i) => new()
    {
        OrgUnitId = unit.Id, OrgPath = unit.Path, CommunityId = unit.Id, Name = $"者玉兰{i}", Gender = Gender.Female, EthnicityCode = "07",
        IdNumberCipher = $"g1.cipher-{i}", IdNumberHash = $"hash-{i:D6}", IdNumberMasked = "530427********123X", BirthDate = new DateOnly(1980, 2, 29),
        Version = 1, UpdatedUtc = new DateTime(2026, 11, 27, 1, 2, 3, DateTimeKind.Utc).AddTicks(4_567_890), UpdatedBy = "bulk",
    };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Rows_read_back_through_EF_as_written_and_a_failed_insert_leaves_nothing(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var rows = Enumerable.Range(0, 3000).Select(i => Make(unit, i)).ToList();
        // Values at the edges of the encoding: nulls beside values, dates before and after 2000 (PostgreSQL's epoch), flags,
        // the longest text the columns take, quotes, tabs and characters outside the BMP. (Values longer than the write
        // buffer are the encoder's own test below: no resident column is that long.)
        rows[1] = Make(unit, 1);
        (rows[1].PhoneCipher, rows[1].PhoneHash, rows[1].PhoneMasked) = ("g1.phone", "phone-hash", "139****5678");
        (rows[1].ResidenceType, rows[1].OriginPlace, rows[1].ArrivalDate) = (ResidenceType.Floating, "云南省楚雄州双柏县", new DateOnly(2019, 3, 1));
        (rows[1].Needs, rows[1].Status, rows[1].StatusDate, rows[1].ReligionConsent) = (ResidentNeeds.Employment | ResidentNeeds.Legal, ResidentStatus.MovedOut, new DateOnly(1999, 12, 31), true);
        (rows[1].ImportId, rows[1].ImportRow, rows[1].BirthDate) = (Guid.CreateVersion7(), 1_048_576, new DateOnly(1900, 1, 1));
        for (var i = 2; i < rows.Count; i += 7) rows[i].Notes = new string('石', 500);
        rows[4].Address = "O'Brien \"引号\" \\ 反斜杠\t制表 😀 emoji";

        await using (var db = await app.SystemDbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.Equal(rows.Count, await BulkInsert.InsertAsync(db, Feed(rows), CancellationToken.None));
            await tx.CommitAsync();
        }

        await using (var db = await app.SystemDbAsync())
        {
            var back = await db.Residents.IgnoreQueryFilters().AsNoTracking().Where(r => r.UpdatedBy == "bulk").ToDictionaryAsync(r => r.Id);
            Assert.Equal(rows.Count, back.Count);
            var mapped = db.Model.FindEntityType(typeof(Resident))!.GetProperties().Where(p => p.PropertyInfo is not null).Select(p => p.PropertyInfo!).ToList();
            foreach (var row in rows)
            {
                var got = back[row.Id];
                foreach (var p in mapped)
                {
                    var (want, have) = (p.GetValue(row), p.GetValue(got));
                    // Timestamps keep microseconds on PostgreSQL; both engines hand them back as UTC.
                    if (want is DateTime w && have is DateTime h) (want, have) = (w.Ticks / 10 * 10, h.Ticks / 10 * 10);
                    Assert.True(Equals(want, have), $"{p.Name} of row {row.Name}: wrote {want}, read {have}");
                }
            }
        }

        // A row that breaks the unique index fails the insert; the transaction takes back the rows before it.
        var more = Enumerable.Range(5000, 2500).Select(i => Make(unit, i)).Append(Make(unit, 7)).ToList();
        await using (var db = await app.SystemDbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var e = await Assert.ThrowsAnyAsync<Exception>(() => BulkInsert.InsertAsync(db, Feed(more), CancellationToken.None));
            // What the import's conflict handling looks for: the engine's own unique-violation code.
            var cause = e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException;
            var sqlite = e as Microsoft.Data.Sqlite.SqliteException ?? e.InnerException as Microsoft.Data.Sqlite.SqliteException;
            Assert.True(cause is { SqlState: "23505" } || sqlite is { SqliteErrorCode: 19 }, e.ToString());
            Assert.Contains("IdNumberHash", e.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        await using (var db = await app.SystemDbAsync())
            Assert.Equal(rows.Count, await db.Residents.IgnoreQueryFilters().CountAsync(r => r.UpdatedBy == "bulk"));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task It_refuses_to_run_outside_a_transaction(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        await using var db = await app.SystemDbAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => BulkInsert.InsertAsync(db, Feed([Make(unit, 1)]), CancellationToken.None));
        Assert.Equal(0, await db.Residents.IgnoreQueryFilters().CountAsync(r => r.UpdatedBy == "bulk"));
    }

    /// <summary>
    /// The encoder against PostgreSQL and Npgsql: every value it writes must be stored exactly as Npgsql's own parameter
    /// encoding stores it (the extreme dates as infinity, timestamps truncated to microseconds), including values longer
    /// than its buffer and nulls.
    /// </summary>
    [Fact]
    public async Task The_binary_copy_encoding_stores_what_Npgsql_would()
    {
        Assert.True(PostgresServer.AdminConnectionString is not null, $"PostgreSQL is needed: {PostgresServer.Unavailable}");
        var name = $"t_{Guid.NewGuid():N}";
        await PostgresServer.ExecAsync($"CREATE DATABASE {name}");
        await using var conn = new Npgsql.NpgsqlConnection(PostgresServer.ConnectionStringFor(name));
        await conn.OpenAsync();
        const string columns = "(n int, u uuid, s text, i int, h smallint, l bigint, b boolean, d date, ts timestamptz, f double precision, y bytea)";
        await using (var create = new Npgsql.NpgsqlCommand($"CREATE TABLE t {columns}; CREATE TABLE npgsql {columns}", conn))
            await create.ExecuteNonQueryAsync();
        var longText = string.Concat(Enumerable.Repeat("民族团结进步创建活动进社区😀", 6000)); // 96,000 UTF-16 units, about 260 KB of UTF-8
        var bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        object?[][] rows =
        [
            [1, Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"), "石榴籽", int.MinValue, short.MaxValue, long.MinValue, true, new DateOnly(1949, 10, 1),
                new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999), -0.5, new byte[] { 0, 255 }],
            [2, Guid.Empty, "", int.MaxValue, short.MinValue, long.MaxValue, false, DateOnly.MinValue, DateTime.MinValue, double.MaxValue, Array.Empty<byte>()],
            [3, null, null, null, null, null, null, DateOnly.MaxValue, DateTime.MaxValue, null, null],
            [4, Guid.CreateVersion7(), longText, 0, (short)0, 0L, true, new DateOnly(2000, 1, 1), new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc).AddTicks(-7), 1e-300, bytes],
            [5, Guid.CreateVersion7(), "O'Brien \"引号\" \\ \t 制表", -1, (short)-1, -1L, false, new DateOnly(1900, 1, 1), DateTime.UnixEpoch, double.NaN, null],
        ];
        NpgsqlTypes.NpgsqlDbType[] types =
        [
            NpgsqlTypes.NpgsqlDbType.Integer, NpgsqlTypes.NpgsqlDbType.Uuid, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Integer, NpgsqlTypes.NpgsqlDbType.Smallint,
            NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Boolean, NpgsqlTypes.NpgsqlDbType.Date, NpgsqlTypes.NpgsqlDbType.TimestampTz,
            NpgsqlTypes.NpgsqlDbType.Double, NpgsqlTypes.NpgsqlDbType.Bytea,
        ];
        const int copies = 40; // enough rows that the buffer fills and flushes between them as well as inside the long values
        await using (var stream = await conn.BeginRawBinaryCopyAsync("COPY t FROM STDIN (FORMAT BINARY)"))
        using (var writer = new PgCopyWriter(stream))
        {
            writer.Header();
            for (var copy = 0; copy < copies; copy++)
                foreach (var row in rows)
                {
                    writer.StartRow(row.Length);
                    for (var c = 0; c < row.Length; c++)
                        if (row[c] is { } v) writer.Field(c == 0 ? (int)v + copy * 10 : v, types[c]);
                        else writer.Null();
                }
            writer.Finish();
        }
        foreach (var row in rows)
        {
            await using var insert = new Npgsql.NpgsqlCommand("INSERT INTO npgsql VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", conn);
            for (var c = 0; c < row.Length; c++) insert.Parameters.Add(new Npgsql.NpgsqlParameter { NpgsqlDbType = types[c], Value = row[c] ?? DBNull.Value });
            await insert.ExecuteNonQueryAsync();
        }

        await using (var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM t", conn))
            Assert.Equal((long)(rows.Length * copies), await count.ExecuteScalarAsync());
        // Every copy of every row, column by column, against what Npgsql stored for it.
        await using (var differ = new Npgsql.NpgsqlCommand(
            "SELECT t.n FROM t JOIN npgsql x ON x.n = t.n % 10 WHERE (t.u, t.s, t.i, t.h, t.l, t.b, t.d, t.ts, t.f, t.y) IS DISTINCT FROM (x.u, x.s, x.i, x.h, x.l, x.b, x.d, x.ts, x.f, x.y)", conn))
        await using (var r = await differ.ExecuteReaderAsync())
            Assert.False(await r.ReadAsync(), "a row differs from Npgsql's encoding");
        await using (var joined = new Npgsql.NpgsqlCommand("SELECT count(*) FROM t JOIN npgsql x ON x.n = t.n % 10", conn))
            Assert.Equal((long)(rows.Length * copies), await joined.ExecuteScalarAsync());
        await using (var infinity = new Npgsql.NpgsqlCommand("SELECT d::text || ' ' || ts::text FROM t WHERE n IN (2, 3) ORDER BY n", conn))
        await using (var r = await infinity.ExecuteReaderAsync())
        {
            Assert.True(await r.ReadAsync());
            Assert.Equal("-infinity -infinity", r.GetString(0));
            Assert.True(await r.ReadAsync());
            Assert.Equal("infinity infinity", r.GetString(0));
        }
        using var sink = new PgCopyWriter(System.IO.Stream.Null);
        // A local time has no fixed instant, and a lone surrogate is no text: refused, as Npgsql refuses them.
        Assert.Throws<ArgumentException>(() => sink.Field(DateTime.Now, NpgsqlTypes.NpgsqlDbType.TimestampTz));
        Assert.ThrowsAny<ArgumentException>(() => sink.Field("石\ud800榴", NpgsqlTypes.NpgsqlDbType.Text));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_failure_while_rows_are_still_coming_is_reported_as_it_is_and_leaves_nothing(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");

        async IAsyncEnumerable<Resident> Failing()
        {
            // Well past the first buffer flushes and COPY messages before the producer fails.
            for (var i = 0; i < 4000; i++)
            {
                if (i % 500 == 0) await Task.Yield();
                yield return Make(unit, i);
            }
            throw new InvalidDataException("the staged rows end early");
        }

        await using (var db = await app.SystemDbAsync())
        {
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                var e = await Assert.ThrowsAsync<InvalidDataException>(() => BulkInsert.InsertAsync(db, Failing(), CancellationToken.None));
                Assert.Equal("the staged rows end early", e.Message);
            }
            // The same connection still works, and nothing was kept.
            Assert.Equal(0, await db.Residents.IgnoreQueryFilters().CountAsync(r => r.UpdatedBy == "bulk"));
            await using var again = await db.Database.BeginTransactionAsync();
            Assert.Equal(3, await BulkInsert.InsertAsync(db, Feed([Make(unit, 1), Make(unit, 2), Make(unit, 3)]), CancellationToken.None));
            await again.CommitAsync();
        }

        // Cancelled half-way: the cancellation surfaces, nothing is kept.
        using var cancel = new CancellationTokenSource();
        async IAsyncEnumerable<Resident> Slow()
        {
            for (var i = 100; i < 5000; i++)
            {
                if (i == 3000) await cancel.CancelAsync();
                yield return Make(unit, i);
            }
            await Task.CompletedTask;
        }
        await using (var db = await app.SystemDbAsync())
        {
            await using (var tx = await db.Database.BeginTransactionAsync())
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BulkInsert.InsertAsync(db, Slow(), cancel.Token));
            Assert.Equal(3, await db.Residents.IgnoreQueryFilters().CountAsync(r => r.UpdatedBy == "bulk"));
        }
    }
}
