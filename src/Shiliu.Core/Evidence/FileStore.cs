using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Shiliu.Core.Evidence;

/// <summary>Where evidence bytes live. Keys are relative, '/'-separated and made by the system (never from user input).</summary>
public interface IFileStore
{
    /// <summary>A local directory for staging uploads and building archives before they are stored.</summary>
    string StagingDirectory { get; }

    Task<bool> ExistsAsync(string key, CancellationToken ct = default);

    /// <summary>Stores a finished local file under the key (streamed; never read whole into memory).</summary>
    Task PutFileAsync(string key, string localPath, string contentType, CancellationToken ct = default);

    /// <summary>Opens the stored bytes; seekable when the store can serve ranges (local disk).</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken ct = default);

    Task DeleteAsync(string key, CancellationToken ct = default);
}

public sealed class StorageOptions
{
    /// <summary>"local" (default) or "s3".</summary>
    public string Kind { get; set; } = "local";
    /// <summary>Root of the local store (relative paths are under the content root).</summary>
    public string LocalRoot { get; set; } = "data/files";
    public string? S3ServiceUrl { get; set; }
    public string S3Bucket { get; set; } = "shiliu";
    public string? S3AccessKey { get; set; }
    public string? S3SecretKey { get; set; }
    public string S3Region { get; set; } = "us-east-1";
    /// <summary>Staging for the S3 store (uploads are hashed and checked on local disk first).</summary>
    public string StagingRoot { get; set; } = "data/staging";
}

/// <summary>Files on local disk under one root; writes go to a temp name and are renamed, so a crash never leaves half a file.</summary>
public sealed class LocalFileStore : IFileStore
{
    readonly string _root;

    public LocalFileStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
        StagingDirectory = Path.Combine(_root, ".staging");
        Directory.CreateDirectory(StagingDirectory);
    }

    public string StagingDirectory { get; }

    /// <summary>The folder the files live in (for the backup).</summary>
    public string Root => _root;

    string PathOf(string key)
    {
        var full = Path.GetFullPath(Path.Combine(_root, key));
        // Keys are system-made, but a key that escapes the root is a bug that must not touch other files.
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || key.Contains(".."))
            throw new InvalidOperationException($"Storage key outside the store: {key}");
        return full;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task PutFileAsync(string key, string localPath, string contentType, CancellationToken ct = default)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target)) return Task.CompletedTask;
        var temp = target + "." + Guid.NewGuid().ToString("N")[..8] + ".part";
        File.Copy(localPath, temp);
        try
        {
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Someone stored the same content at the same moment; theirs is identical.
            File.Delete(temp);
        }
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) throw new FileNotFoundException("stored file missing", key);
        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan));
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }
}

/// <summary>An S3-compatible bucket (AWS, MinIO, Ceph, 华为云 OBS, 阿里云 OSS …), path-style addressing.</summary>
public sealed class S3FileStore : IFileStore, IDisposable
{
    readonly AmazonS3Client _s3;
    readonly string _bucket;

    public S3FileStore(StorageOptions o, string stagingDirectory)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = o.S3ServiceUrl ?? throw new InvalidOperationException("Storage:S3ServiceUrl is required for the s3 store"),
            ForcePathStyle = true,
            AuthenticationRegion = o.S3Region,
            // Many S3-compatible servers do not speak the newer trailing-checksum uploads.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        _s3 = new AmazonS3Client(new BasicAWSCredentials(o.S3AccessKey ?? "", o.S3SecretKey ?? ""), config);
        _bucket = o.S3Bucket;
        StagingDirectory = stagingDirectory;
        Directory.CreateDirectory(StagingDirectory);
    }

    public string StagingDirectory { get; }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(_bucket, key, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task PutFileAsync(string key, string localPath, string contentType, CancellationToken ct = default)
    {
        if (await ExistsAsync(key, ct)) return;
        await using var file = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = key, InputStream = file, ContentType = contentType, AutoCloseStream = false, UseChunkEncoding = false,
        }, ct);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        try
        {
            var res = await _s3.GetObjectAsync(_bucket, key, ct);
            return new OwnedStream(res.ResponseStream, res);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException("stored file missing", key);
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct = default) => _s3.DeleteObjectAsync(_bucket, key, ct);

    /// <summary>Creates the bucket when it does not exist (first start against a new server).</summary>
    public async Task EnsureBucketAsync(CancellationToken ct = default)
    {
        var buckets = await _s3.ListBucketsAsync(ct);
        if (buckets.Buckets?.Any(b => b.BucketName == _bucket) != true)
            await _s3.PutBucketAsync(_bucket, ct);
    }

    public void Dispose() => _s3.Dispose();

    /// <summary>The response body, disposing the response with it.</summary>
    sealed class OwnedStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
