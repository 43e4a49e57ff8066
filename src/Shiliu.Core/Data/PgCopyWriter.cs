using System.Buffers.Binary;
using System.Text;
using NpgsqlTypes;

namespace Shiliu.Core.Data;

/// <summary>
/// Encodes rows in PostgreSQL's binary COPY format (header, tuples of length-prefixed big-endian fields, trailer) into a
/// buffer that goes to the copy stream in large writes. Npgsql's row API resolves a converter and runs an async state
/// machine per value; for a million rows of 27 columns that is most of the client's work, and this is a few byte copies.
/// Only the types <see cref="BulkInsert"/> maps are handled; anything else is refused when the plan is built.
/// </summary>
sealed class PgCopyWriter(Stream output) : IDisposable
{
    static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];
    static readonly DateOnly DateEpoch = new(2000, 1, 1);
    static readonly long TimestampEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    // Strict, as Npgsql is: a lone surrogate is an error, not a silent U+FFFD in someone's record.
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    byte[]? _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
    int _used;

    public void Header()
    {
        Ensure(19);
        Signature.CopyTo(Buffer.AsSpan(_used));
        _used += Signature.Length;
        Int32(0); // flags: no OIDs
        Int32(0); // header extension length
    }

    public void StartRow(int fields)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(Buffer.AsSpan(_used), checked((short)fields));
        _used += 2;
    }

    public void Null()
    {
        Ensure(4);
        Int32(-1);
    }

    /// <summary>One field: its length, then its value in the type's binary send format.</summary>
    public void Field(object value, NpgsqlDbType type)
    {
        switch (type)
        {
            case NpgsqlDbType.Text:
                Text((string)value);
                break;
            case NpgsqlDbType.Bytea:
                Bytes((byte[])value);
                break;
            case NpgsqlDbType.Uuid:
                ((Guid)value).TryWriteBytes(Fixed(16), bigEndian: true, out _);
                break;
            case NpgsqlDbType.Integer:
                BinaryPrimitives.WriteInt32BigEndian(Fixed(4), (int)value);
                break;
            case NpgsqlDbType.Smallint:
                BinaryPrimitives.WriteInt16BigEndian(Fixed(2), (short)value);
                break;
            case NpgsqlDbType.Bigint:
                BinaryPrimitives.WriteInt64BigEndian(Fixed(8), (long)value);
                break;
            case NpgsqlDbType.Double:
                BinaryPrimitives.WriteDoubleBigEndian(Fixed(8), (double)value);
                break;
            case NpgsqlDbType.Boolean:
                Fixed(1)[0] = (bool)value ? (byte)1 : (byte)0;
                break;
            case NpgsqlDbType.Date:
                var d = (DateOnly)value;
                // As Npgsql writes them by default: the extreme values are PostgreSQL's -infinity and infinity.
                BinaryPrimitives.WriteInt32BigEndian(Fixed(4),
                    d == DateOnly.MinValue ? int.MinValue : d == DateOnly.MaxValue ? int.MaxValue : d.DayNumber - DateEpoch.DayNumber);
                break;
            case NpgsqlDbType.TimestampTz:
                var t = (DateTime)value;
                // The same rules as Npgsql: MinValue and MaxValue are -infinity and infinity whatever their kind; otherwise
                // timestamptz takes UTC only, so a local or unspecified time is a bug to surface.
                if (t != DateTime.MinValue && t != DateTime.MaxValue && t.Kind != DateTimeKind.Utc)
                    throw new ArgumentException($"timestamptz needs a UTC DateTime, got {t.Kind}");
                BinaryPrimitives.WriteInt64BigEndian(Fixed(8),
                    t == DateTime.MinValue ? long.MinValue : t == DateTime.MaxValue ? long.MaxValue : (t.Ticks - TimestampEpochTicks) / TimeSpan.TicksPerMicrosecond);
                break;
            default:
                throw new NotSupportedException($"PgCopyWriter cannot encode {type}");
        }
    }

    /// <summary>A fixed-size field: writes its length and returns the bytes for its value.</summary>
    Span<byte> Fixed(int length)
    {
        Ensure(4 + length);
        Int32(length);
        var span = Buffer.AsSpan(_used, length);
        _used += length;
        return span;
    }

    /// <summary>The end-of-data marker, then everything still buffered.</summary>
    public void Finish()
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(Buffer.AsSpan(_used), -1);
        _used += 2;
        Flush();
    }

    void Text(string s)
    {
        var max = Utf8.GetMaxByteCount(s.Length);
        if (max + 4 <= Buffer.Length)
        {
            Ensure(max + 4);
            var n = Utf8.GetBytes(s, Buffer.AsSpan(_used + 4));
            BinaryPrimitives.WriteInt32BigEndian(Buffer.AsSpan(_used), n);
            _used += 4 + n;
            return;
        }
        Bytes(Utf8.GetBytes(s)); // longer than the buffer: rare, encoded apart
    }

    void Bytes(byte[] b)
    {
        Ensure(4);
        Int32(b.Length);
        if (b.Length <= Buffer.Length - _used)
        {
            b.CopyTo(Buffer, _used);
            _used += b.Length;
            return;
        }
        Flush();
        output.Write(b);
    }

    void Int32(int v)
    {
        BinaryPrimitives.WriteInt32BigEndian(Buffer.AsSpan(_used), v);
        _used += 4;
    }

    void Ensure(int bytes)
    {
        if (Buffer.Length - _used < bytes) Flush();
    }

    void Flush()
    {
        if (_used == 0) return;
        output.Write(Buffer, 0, _used);
        _used = 0;
    }

    byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PgCopyWriter));

    /// <summary>The buffer goes back to the pool wiped: it held names and addresses.</summary>
    public void Dispose()
    {
        if (_buffer is null) return;
        System.Buffers.ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
        _buffer = null;
    }
}
