using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform.Jobs;

public sealed class JobOptions
{
    /// <summary>Off for an app node that should only serve requests (or an operator verb).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Names this node in job leases; stable across restarts so a restarted node takes back what it was running.</summary>
    public string? NodeId { get; set; }
    public int Workers { get; set; } = 2;
    public double PollSeconds { get; set; } = 5;
    public int LeaseSeconds { get; set; } = 600;
    /// <summary>First retry after this many seconds, doubling each time.</summary>
    public int BackoffSeconds { get; set; } = 10;
}

/// <summary>
/// Puts jobs on the table. <see cref="Enqueue"/> adds the row to the caller's context, so it is committed (or not) with
/// the record it works on; this node's workers are woken when that save succeeds, other nodes find it when they poll.
/// </summary>
public sealed class JobQueue(IServiceProviderIsKeyedService handlers)
{
    readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public BackgroundJob Enqueue(ShiliuDb db, string kind, string? payload, string title, int maxAttempts = 5, DateTime? runAfterUtc = null)
    {
        if (!handlers.IsKeyedService(typeof(IJobHandler), kind)) throw new InvalidOperationException($"No handler is registered for job kind {kind}");
        var job = new BackgroundJob
        {
            Kind = kind, Payload = payload, Title = title.Length > 200 ? title[..200] : title, MaxAttempts = maxAttempts,
            CreatedUtc = db.UtcNow, CreatedBy = db.Caller.UserName, RunAfterUtc = runAfterUtc ?? db.UtcNow,
        };
        db.BackgroundJobs.Add(job);
        db.SavedChanges += (_, _) => Wake();
        return job;
    }

    public void Wake()
    {
        if (_signal.CurrentCount < 64) _signal.Release();
    }

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

public static class JobServiceCollectionExtensions
{
    /// <summary>Registers the handler of a job kind the module declared with <see cref="ModuleBuilder.Job"/>.</summary>
    public static IServiceCollection AddJobHandler<T>(this IServiceCollection services, string kind) where T : class, IJobHandler =>
        services.AddKeyedScoped<IJobHandler, T>(kind);
}
