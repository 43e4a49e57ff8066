using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Shiliu.Core.Keys;

/// <summary>
/// A file encrypted at rest with AES-256-CTR under a key derived for this one file, and still seekable (a workbook is a
/// zip: reading and writing it jumps about). Layout: "SLF1", the key version (int32), a random 16-byte nonce, then the
/// ciphertext, byte for byte at the plaintext's positions. Confidentiality only, like the staged rows: the files live
/// for hours in the app's own staging folder.
/// </summary>
public sealed class SealedFile : Stream
{
    static readonly byte[] Magic = "SLF1"u8.ToArray();
    const int Header = 4 + 4 + 16;
    const int Chunk = 64 * 1024;

    readonly FileStream _file;
    readonly Aes _aes;
    readonly byte[] _nonce;
    readonly byte[] _counters = new byte[Chunk + 16];
    readonly byte[] _stream = new byte[Chunk + 16];
    readonly byte[] _scratch = new byte[Chunk];
    long _position;

    SealedFile(FileStream file, byte[] key, byte[] nonce)
    {
        _file = file;
        _nonce = nonce;
        _aes = Aes.Create();
        _aes.Key = key;
    }

    static byte[] FileKey(KeyRing keys, KeyPurpose purpose, int version, string context) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.Get(purpose, version), 32, info: Encoding.UTF8.GetBytes("shiliu.sealed-file.v1:" + context));

    /// <summary>A new file under the purpose's newest key; <paramref name="context"/> (e.g. the job and the file's role) binds the key to it.</summary>
    public static SealedFile Create(string path, KeyRing keys, KeyPurpose purpose, string context, FileMode mode = FileMode.CreateNew)
    {
        var version = keys.Newest(purpose);
        var nonce = RandomNumberGenerator.GetBytes(16);
        var file = new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[Header];
            Magic.CopyTo(head);
            BinaryPrimitives.WriteInt32LittleEndian(head[4..], version);
            nonce.CopyTo(head[8..]);
            file.Write(head);
            return new SealedFile(file, FileKey(keys, purpose, version, context), nonce);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public static SealedFile OpenRead(string path, KeyRing keys, KeyPurpose purpose, string context)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[Header];
            if (file.Length < Header || file.Read(head) != Header || !head[..4].SequenceEqual(Magic))
                throw new InvalidDataException("not a sealed file");
            return new SealedFile(file, FileKey(keys, purpose, BinaryPrimitives.ReadInt32LittleEndian(head[4..]), context), head[8..].ToArray());
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>XORs <paramref name="data"/>, which sits at plaintext position <paramref name="at"/>, with the key stream.</summary>
    void Apply(Span<byte> data, long at)
    {
        while (data.Length > 0)
        {
            var offset = (int)(at % 16);
            var n = Math.Min(data.Length, Chunk);
            var blocks = (offset + n + 15) / 16;
            var counter = at / 16;
            for (var i = 0; i < blocks; i++) Counter(counter + i, _counters.AsSpan(i * 16, 16));
            _aes.EncryptEcb(_counters.AsSpan(0, blocks * 16), _stream.AsSpan(0, blocks * 16), PaddingMode.None);
            for (var i = 0; i < n; i++) data[i] ^= _stream[offset + i];
            data = data[n..];
            at += n;
        }
    }

    /// <summary>The nonce read as a 128-bit big-endian number, plus the block index.</summary>
    void Counter(long block, Span<byte> into)
    {
        _nonce.CopyTo(into);
        var low = BinaryPrimitives.ReadUInt64BigEndian(into[8..]);
        var sum = low + (ulong)block;
        BinaryPrimitives.WriteUInt64BigEndian(into[8..], sum);
        if (sum < low) BinaryPrimitives.WriteUInt64BigEndian(into, BinaryPrimitives.ReadUInt64BigEndian(into) + 1);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _file.Position = Header + _position;
        var n = _file.Read(buffer);
        Apply(buffer[..n], _position);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _file.Position = Header + _position;
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, Chunk);
            var part = _scratch.AsSpan(0, n);
            buffer[..n].CopyTo(part);
            Apply(part, _position);
            _file.Write(part);
            _position += n;
            buffer = buffer[n..];
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override bool CanRead => _file.CanRead;
    public override bool CanSeek => true;
    public override bool CanWrite => _file.CanWrite;
    public override long Length => _file.Length - Header;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void SetLength(long value) => _file.SetLength(Header + value);

    public override void Flush() => _file.Flush();

    public override Task FlushAsync(CancellationToken ct) => _file.FlushAsync(ct);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _aes.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _aes.Dispose();
        GC.SuppressFinalize(this);
    }
}
