// The controller runs on a fake clock: backoff, requeue-after, resync and the shutdown timeout only pass when a test
// advances it. A "nothing else happens" assertion is made once the controller is idle on that clock (every worker
// waiting for an item that only time can bring), so it needs no real-time pause to be true.
using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Operator.Runtime;
using Operator.Runtime.Queue;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Tests.Runtime;

public sealed class ControllerTests
{
    private sealed class FakeInformer : IInformer
    {
        private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ResourceDescriptor Resource { get; } = new("example.com", "v1", "things", "Thing", true);

        public Task Synced => synced.Task;

        public bool HasSynced => synced.Task.IsCompleted;

        public void MarkSynced() => synced.TrySetResult();

        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ScriptedReconciler(Func<ObjectKey, int, CancellationToken, Task<ReconcileResult>> script) : IReconciler
    {
        private readonly ConcurrentDictionary<ObjectKey, int> calls = new();
        private readonly ConcurrentDictionary<ObjectKey, int> running = new();
        private int overlaps;

        public int Overlaps => Volatile.Read(ref overlaps);

        public int Calls(ObjectKey key) => calls.GetValueOrDefault(key);

        public int TotalCalls => calls.Values.Sum();

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            var attempt = calls.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (!running.TryAdd(key, 0))
            {
                Interlocked.Increment(ref overlaps);
            }

            try
            {
                return await script(key, attempt, cancellationToken);
            }
            finally
            {
                running.TryRemove(key, out _);
            }
        }
    }

    private static readonly ObjectKey A = new("ns", "a");

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    private sealed record Harness(Controller Controller, RateLimitingQueue<ObjectKey> Queue, FakeInformer Informer, FakeTimeProvider Time)
    {
        /// <summary>True once no worker holds an item and none is ready: only the fake clock can bring more work.</summary>
        public bool Idle => Queue.Length == 0 && Controller.ActiveWorkers == 0;
    }

    private static Harness Build(IReconciler reconciler, ControllerOptions? options = null, Func<IEnumerable<ObjectKey>>? resyncKeys = null)
    {
        options ??= new ControllerOptions();
        options = options with { RateLimiter = new RateLimiterOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20) } };
        var time = new FakeTimeProvider();
        var queue = new RateLimitingQueue<ObjectKey>("things", ControllerRateLimiter.Create<ObjectKey>(options.RateLimiter, time), time);
        var informer = new FakeInformer();
        return new Harness(new Controller("things", reconciler, queue, options, [informer], resyncKeys ?? (() => [A]), time), queue, informer, time);
    }

    [Test]
    public async Task NothingIsReconciledBeforeInformersSync()
    {
        FakeInformer? informer = null;
        var reconciledBeforeSync = 0;
        var reconciler = new ScriptedReconciler((_, _, _) =>
        {
            if (!informer!.HasSynced)
            {
                Interlocked.Increment(ref reconciledBeforeSync);
            }

            return Task.FromResult(ReconcileResult.Success());
        });
        (var controller, var queue, informer, _) = Build(reconciler);
        queue.Add(A);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        // RunAsync returns its task once it awaits the informers: from here on no worker may take the key.
        Assert.That((queue.Length, reconciler.TotalCalls, run.IsCompleted), Is.EqualTo((1, 0, false)), "the key waits in the queue while the controller waits for the informers");
        informer.MarkSynced();
        await Eventually.TrueAsync(() => reconciler.Calls(A) == 1, "the key is reconciled after sync");
        Assert.That(reconciledBeforeSync, Is.Zero, "no reconcile saw an unsynced informer");

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task ExceptionsAreRetriedWithBackoffAndSuccessForgetsTheKey()
    {
        var reconciler = new ScriptedReconciler((_, attempt, _) =>
            attempt < 3 ? throw new InvalidOperationException("boom") : Task.FromResult(ReconcileResult.Success()));
        var (controller, queue, informer, time) = Build(reconciler);
        informer.MarkSynced();
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        queue.Add(A);

        await Eventually.TrueAsync(() => reconciler.Calls(A) == 1 && queue.Waiting == 1, "the failure is retried after a backoff");
        Assert.That(queue.NumRequeues(A), Is.EqualTo(1));
        await Eventually.AdvanceUntilAsync(time, Step, () => reconciler.Calls(A) == 3, "two failures then a success");
        await Eventually.TrueAsync(() => queue.NumRequeues(A) == 0, "success forgets the backoff");

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(reconciler.Calls(A), Is.EqualTo(3));
    }

    [Test]
    public async Task TerminalErrorsAreNotRetriedAndRequeueAfterComesBack()
    {
        var b = new ObjectKey("ns", "b");
        var reconciler = new ScriptedReconciler((key, attempt, _) => Task.FromResult(
            key == A ? ReconcileResult.Terminal("invalid spec") : attempt == 1 ? ReconcileResult.After(TimeSpan.FromMilliseconds(50)) : ReconcileResult.Success()));
        var harness = Build(reconciler);
        var (controller, queue, informer, time) = harness;
        informer.MarkSynced();
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        queue.Add(A);
        queue.Add(b);

        // One worker takes A, then b; once it is idle both outcomes are applied and only the clock can add work.
        await Eventually.TrueAsync(() => reconciler.Calls(b) == 1 && harness.Idle, "both keys are reconciled once");
        Assert.That((queue.Waiting, queue.NumRequeues(A)), Is.EqualTo((1, 0)), "only b waits to come back; the terminal A has no retry scheduled");
        await Eventually.AdvanceUntilAsync(time, Step, () => reconciler.Calls(b) == 2, "requeue-after brings the key back");
        await Eventually.TrueAsync(() => harness.Idle, "b's second reconcile is done");
        Assert.That((reconciler.Calls(A), queue.Waiting), Is.EqualTo((1, 0)));

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task ManyWorkersNeverReconcileOneKeyConcurrently()
    {
        var reconciler = new ScriptedReconciler(async (_, _, _) =>
        {
            await Task.Delay(Random.Shared.Next(3));
            return ReconcileResult.Success();
        });
        var (controller, queue, informer, _) = Build(reconciler, new ControllerOptions { MaxConcurrentReconciles = 8 });
        informer.MarkSynced();
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        for (var i = 0; i < 3000; i++)
        {
            queue.Add(new ObjectKey("ns", $"k{i % 12}"));
            if (i % 20 == 0)
            {
                await Task.Yield();
            }
        }

        await Eventually.TrueAsync(() => queue.Length == 0 && controller.ActiveWorkers == 0, "the queue is drained");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(reconciler.Overlaps, Is.Zero);
        Assert.That(reconciler.TotalCalls, Is.GreaterThanOrEqualTo(12));
    }

    [Test]
    public async Task StoppingDrainsInFlightWorkWithoutCancellingIt()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelledInFlight = false;
        var reconciler = new ScriptedReconciler(async (_, _, token) =>
        {
            await release.Task;
            cancelledInFlight = token.IsCancellationRequested;
            return ReconcileResult.Success();
        });
        var (controller, queue, informer, time) = Build(reconciler);
        informer.MarkSynced();
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        queue.Add(A);
        await Eventually.TrueAsync(() => controller.ActiveWorkers == 1, "the reconcile is in flight");

        await stop.CancelAsync();
        await Eventually.TrueAsync(() => queue.ShuttingDown, "the controller stops taking work");
        time.Advance(new ControllerOptions().ShutdownTimeout - Step);
        Assert.That(run.IsCompleted, Is.False, "stop waits for in-flight work until the shutdown timeout");
        queue.Add(new ObjectKey("ns", "late"));

        release.SetResult();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(cancelledInFlight, Is.False);
        Assert.That(reconciler.TotalCalls, Is.EqualTo(1), "no new work is taken after stop");
    }

    [Test]
    public async Task InFlightWorkIsCancelledAfterTheShutdownTimeout()
    {
        var reconciler = new ScriptedReconciler(async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return ReconcileResult.Success();
        });
        var (controller, queue, informer, time) = Build(reconciler, new ControllerOptions { ShutdownTimeout = TimeSpan.FromMilliseconds(200) });
        informer.MarkSynced();
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        queue.Add(A);
        await Eventually.TrueAsync(() => controller.ActiveWorkers == 1, "the reconcile is in flight");

        await stop.CancelAsync();
        await Eventually.TrueAsync(() => queue.ShuttingDown, "the controller stops taking work");
        Assert.That(run.IsCompleted, Is.False, "the in-flight reconcile keeps running before the timeout");
        await Eventually.AdvanceUntilAsync(time, Step, () => run.IsCompleted, "the shutdown timeout cancels the reconcile", TimeSpan.FromSeconds(1));
        await run;
        Assert.That(controller.ActiveWorkers, Is.Zero);
    }

    [Test]
    public async Task ResyncReEnqueuesCachedKeys()
    {
        var reconciler = new ScriptedReconciler((_, _, _) => Task.FromResult(ReconcileResult.Success()));
        var (controller, _, informer, time) = Build(reconciler, new ControllerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(50) });
        informer.MarkSynced();
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await Eventually.AdvanceUntilAsync(time, Step, () => reconciler.Calls(A) >= 2, "resync enqueues the cached key repeatedly");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task AWatchedChangeIsReconciledBeforeTheKeysAResyncQueued()
    {
        var resynced = Enumerable.Range(0, 20).Select(i => new ObjectKey("ns", $"r{i}")).ToList();
        var edited = new ObjectKey("ns", "edited");
        var order = new ConcurrentQueue<ObjectKey>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedReconciler(async (key, _, _) =>
        {
            order.Enqueue(key);
            if (key == resynced[0])
            {
                await release.Task;
            }

            return ReconcileResult.Success();
        });
        var (controller, queue, informer, time) = Build(
            reconciler,
            new ControllerOptions { MaxConcurrentReconciles = 1, ResyncPeriod = TimeSpan.FromMilliseconds(50) },
            () => resynced);
        informer.MarkSynced();
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await Eventually.AdvanceUntilAsync(time, Step, () => order.Count == 1 && queue.Length == resynced.Count - 1, "the resync queued every key and the one worker holds the first");
        queue.Add(edited);
        release.SetResult();
        await Eventually.TrueAsync(() => order.Count == resynced.Count + 1, "every key is reconciled");

        Assert.That(order.Take(2), Is.EqualTo(new[] { resynced[0], edited }), "the edited resource waits for the reconcile in progress only, not for the resync's 19 others");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
