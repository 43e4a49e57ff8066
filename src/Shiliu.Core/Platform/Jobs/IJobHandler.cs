namespace Shiliu.Core.Platform.Jobs;

/// <summary>What a handler is given: the job row's id, kind, payload and which attempt this is.</summary>
public sealed record JobContext(long Id, string Kind, string? Payload, int Attempt, int MaxAttempts);

/// <summary>
/// Runs one kind of background job. Registered by its module with <see cref="JobServiceCollectionExtensions.AddJobHandler{T}"/>
/// under the kind it declared; resolved in a scope that acts as the audited system. Handlers must be safe to run again
/// (a job is re-run after a crash or a failed attempt).
/// </summary>
public interface IJobHandler
{
    Task RunAsync(JobContext job, CancellationToken ct);

    /// <summary>The last attempt failed (or the error was a rule violation, which is not retried): record it on the domain record.</summary>
    Task FailedAsync(JobContext job, string error, CancellationToken ct) => Task.CompletedTask;
}
