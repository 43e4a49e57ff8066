using Shiliu.Core.Platform;

namespace Shiliu.Core.Assessment;

/// <summary>Demo data: a round in progress for the demo county.</summary>
static class AssessmentDemo
{
    public static Task SeedAsync(SeedContext seed, CancellationToken ct) => Task.CompletedTask;
}
