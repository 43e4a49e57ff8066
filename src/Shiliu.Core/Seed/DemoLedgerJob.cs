using Microsoft.Extensions.Logging;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Seed;

/// <summary>
/// Fills the demo county's ledgers after the first start, in the background: the site answers at once and the records
/// appear within a minute or two (the operator's <c>seed-demo</c> does the same in the foreground).
/// </summary>
sealed class DemoLedgerJob(Seeder seeder, ILogger<DemoLedgerJob> log) : IJobHandler
{
    public const string Kind = "demo.ledgers";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        foreach (var line in (await seeder.SeedDemoLedgersAsync(ct)).Lines) log.LogInformation("{Line}", line);
    }
}
