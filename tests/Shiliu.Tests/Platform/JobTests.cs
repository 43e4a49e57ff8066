using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Jobs;
using Shiliu.Core.Residents;
using Shiliu.Core.Residents.Import;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>The one job table: retries with backoff, one run per job across nodes, and work that survives a killed process.</summary>
public sealed class JobTests
{
    /// <summary>Fails the first <c>N</c> attempts of each job (N = payload), then succeeds; remembers what it was told.</summary>
    sealed class FlakyHandler(Recorder recorder) : IJobHandler
    {
        public Task RunAsync(JobContext job, CancellationToken ct)
        {
            recorder.Runs.Add((job.Id, job.Attempt));
            if (job.Payload == "rule") throw new RuleViolation(CommonErrors.Validation, "单位已撤销，无法生成");
            if (job.Attempt <= int.Parse(job.Payload!)) throw new IOException("disk full");
            return Task.CompletedTask;
        }

        public Task FailedAsync(JobContext job, string error, CancellationToken ct)
        {
            recorder.Failures.Add((job.Id, error));
            return Task.CompletedTask;
        }
    }

    /// <summary>Counts which node ran which job.</summary>
    sealed class CountingHandler(Recorder recorder, JobRunner runner) : IJobHandler
    {
        public async Task RunAsync(JobContext job, CancellationToken ct)
        {
            recorder.Nodes.Add((job.Id, runner.NodeId));
            await Task.Delay(15, ct);
        }
    }

    sealed class Recorder
    {
        public ConcurrentBag<(long Id, int Attempt)> Runs { get; } = [];
        public ConcurrentBag<(long Id, string Error)> Failures { get; } = [];
        public ConcurrentBag<(long Id, string Node)> Nodes { get; } = [];
    }

    static Action<IServiceCollection> Handlers(Recorder recorder) => s =>
    {
        s.AddSingleton(recorder);
        s.AddJobHandler<FlakyHandler>("test.flaky");
        s.AddJobHandler<CountingHandler>("test.count");
    };

    static async Task<List<BackgroundJob>> EnqueueAsync(ShiliuApp app, string kind, IEnumerable<string> payloads, int maxAttempts = 5) =>
        await app.AsAsync("county", async sp =>
        {
            var queue = sp.GetRequiredService<JobQueue>();
            await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
            var jobs = payloads.Select(p => queue.Enqueue(db, kind, p, $"测试任务 {p}", maxAttempts)).ToList();
            await db.SaveChangesAsync();
            return jobs;
        });

    static async Task<BackgroundJob> RowAsync(ShiliuApp app, long id)
    {
        await using var db = await app.SystemDbAsync();
        return await db.BackgroundJobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    static async Task<BackgroundJob> UntilAsync(ShiliuApp app, long id, Func<BackgroundJob, bool> done, int seconds = 30)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var row = await RowAsync(app, id);
            if (done(row)) return row;
            if (row.Status == JobStatus.Failed && !done(row)) throw new Xunit.Sdk.XunitException($"job {id} failed: {row.Error}");
            if (watch.Elapsed > TimeSpan.FromSeconds(seconds)) throw new TimeoutException($"job {id} stayed {row.Status} ({row.Attempts} attempts, {row.Error})");
            await Task.Delay(50);
        }
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_failed_attempt_is_retried_after_a_doubling_backoff_and_then_succeeds(DbProvider kind)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        var recorder = new Recorder();
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind), clock) { ExtraServices = Handlers(recorder) };
        _ = app.Server;
        var job = (await EnqueueAsync(app, "test.flaky", ["2"])).Single();
        var wake = app.Services.GetRequiredService<JobQueue>();

        var first = await UntilAsync(app, job.Id, j => j.Attempts == 1 && j.Status == JobStatus.Queued);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(10), first.RunAfterUtc);
        Assert.Equal("第 1 次执行出错：IOException", first.Error);
        // Not due yet: nothing runs however often the workers look.
        wake.Wake();
        await Task.Delay(300);
        Assert.Equal(1, (await RowAsync(app, job.Id)).Attempts);

        clock.Advance(TimeSpan.FromSeconds(10));
        wake.Wake();
        var second = await UntilAsync(app, job.Id, j => j.Attempts == 2 && j.Status == JobStatus.Queued);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(20), second.RunAfterUtc);

        clock.Advance(TimeSpan.FromSeconds(20));
        wake.Wake();
        var done = await UntilAsync(app, job.Id, j => j.Status == JobStatus.Succeeded);
        Assert.Equal(3, done.Attempts);
        Assert.Null(done.Error);
        Assert.Empty(recorder.Failures);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_job_that_keeps_failing_stops_and_a_rule_violation_is_not_retried(DbProvider kind)
    {
        var recorder = new Recorder();
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind))
        {
            ExtraServices = Handlers(recorder), Settings = new Dictionary<string, string> { ["Jobs:BackoffSeconds"] = "0" },
        };
        _ = app.Server;
        var jobs = await EnqueueAsync(app, "test.flaky", ["99", "rule"], maxAttempts: 3);

        var hopeless = await UntilAsync(app, jobs[0].Id, j => j.Status == JobStatus.Failed);
        Assert.Equal(3, hopeless.Attempts);
        var refused = await UntilAsync(app, jobs[1].Id, j => j.Status == JobStatus.Failed);
        Assert.Equal(1, refused.Attempts);
        Assert.Equal("单位已撤销，无法生成", refused.Error);
        // The handler is told once, after the last attempt, so it can mark its own record failed.
        Assert.Equal(2, recorder.Failures.Count);
        Assert.Contains(recorder.Failures, f => f.Id == jobs[1].Id && f.Error == "单位已撤销，无法生成");

        // The county office sees it and can run it again once the cause is fixed.
        var listed = await app.AsAsync("county", sp => sp.GetRequiredService<JobService>().ListAsync(new JobQuery { Status = JobStatus.Failed }));
        Assert.Contains(listed.Items, r => r.Id == jobs[1].Id && r.StatusName == "失败");
        var denied = await app.AsAsync("community", sp => Assert.ThrowsAsync<RuleViolation>(() => sp.GetRequiredService<JobService>().RetryAsync(jobs[1].Id)));
        Assert.Equal(JobErrors.Denied, denied.Code);
        await app.AsAsync("county", sp => sp.GetRequiredService<JobService>().RetryAsync(jobs[1].Id));
        await UntilAsync(app, jobs[1].Id, j => j.Status == JobStatus.Failed && j.Attempts == 1 && recorder.Runs.Count(r => r.Id == jobs[1].Id) == 2);
    }

    [Fact]
    public async Task Two_app_nodes_on_one_postgresql_run_each_job_exactly_once()
    {
        if (!Db.Engines.Contains(DbProvider.Postgres)) return;
        var recorder = new Recorder();
        var cs = await Db.FreshAsync(DbProvider.Postgres);
        var data = Path.Combine(Path.GetTempPath(), $"shiliu-data-{Guid.NewGuid():N}");
        Dictionary<string, string> Node(string id) => new() { ["Jobs:NodeId"] = id, ["Jobs:PollSeconds"] = "0.1", ["Jobs:Workers"] = "3" };
        await using var a = new ShiliuApp(DbProvider.Postgres, cs) { DataDir = data, ExtraServices = Handlers(recorder), Settings = Node("node-a") };
        _ = a.Server;
        await using var b = new ShiliuApp(DbProvider.Postgres, cs) { DataDir = data, ExtraServices = Handlers(recorder), Settings = Node("node-b") };
        _ = b.Server;

        var jobs = await EnqueueAsync(a, "test.count", Enumerable.Range(1, 300).Select(i => i.ToString()));
        var watch = Stopwatch.StartNew();
        while (recorder.Nodes.Count < 300 && watch.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        await Task.Delay(300); // a duplicate run would show up now

        Assert.Equal(300, recorder.Nodes.Count);
        Assert.Equal(jobs.Select(j => j.Id).Order(), recorder.Nodes.Select(n => n.Id).Order());
        Assert.Equal(["node-a", "node-b"], recorder.Nodes.Select(n => n.Node).Distinct().Order());
        await using var db = await a.SystemDbAsync();
        var rows = await db.BackgroundJobs.Where(j => j.Kind == "test.count").ToListAsync();
        Assert.All(rows, r => Assert.Equal((JobStatus.Succeeded, 1), (r.Status, r.Attempts)));
        Assert.Equal(recorder.Nodes.ToDictionary(n => n.Id, n => n.Node), rows.ToDictionary(r => r.Id, r => r.LockedBy!));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_import_interrupted_by_a_killed_app_finishes_after_the_restart(DbProvider kind)
    {
        // This process only uploads; the real executable, started as a separate process, does the work and is killed.
        await using var app = new ShiliuApp(kind, await Db.FreshAsync(kind)) { Settings = new Dictionary<string, string> { ["Jobs:Enabled"] = "false" } };
        _ = app.Server;
        var community = await app.UnitAsync("530427001001");
        var id = await ImportTests.StartAsync(app, "community", community.Id, ImportTests.Book(60_000, 0, seed: 41));
        long jobId;
        await using (var db = await app.SystemDbAsync())
            jobId = (await db.BackgroundJobs.SingleAsync(j => j.Kind == ResidentImportService.JobKind && j.Payload == id.ToString())).Id;

        using (var first = StartNode(app, "node-k"))
        {
            await UntilAsync(app, jobId, j => j.Status == JobStatus.Running && j.LockedBy == "node-k", seconds: 90);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var interrupted = await RowAsync(app, jobId);
        Assert.Equal(JobStatus.Running, interrupted.Status);
        var view = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentImportService>().GetAsync(id));
        Assert.NotEqual(ImportStatus.Previewed, view.Status);

        using var second = StartNode(app, "node-k");
        try
        {
            var done = await UntilAsync(app, jobId, j => j.Status == JobStatus.Succeeded, seconds: 180);
            Assert.Equal(2, done.Attempts);
            view = await ImportTests.WaitAsync(app, "community", id, ImportStatus.Previewed);
            Assert.Equal(60_000, view.ValidRows);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    static Process StartNode(ShiliuApp app, string node)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = false, RedirectStandardError = false, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Shiliu.Web.dll"));
        psi.Environment["Database__Provider"] = app.Provider.ToString();
        psi.Environment["ConnectionStrings__Shiliu"] = app.ConnectionString;
        psi.Environment["Audit__Key"] = Db.AuditKey;
        psi.Environment["Shiliu__DataDir"] = app.DataDir;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["Jobs__NodeId"] = node;
        psi.Environment["Jobs__PollSeconds"] = "0.2";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(psi)!;
    }
}
