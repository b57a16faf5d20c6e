using Microsoft.Extensions.Logging.Abstractions;
using Operator.Runtime.Metrics;
using Operator.Runtime.Queue;
using Operator.Runtime.Source;

namespace Operator.Runtime.Reconcile;

/// <summary>
/// Runs <see cref="ControllerOptions.MaxConcurrentReconciles"/> workers over a rate-limited queue of keys.
/// Invariants:
/// <list type="number">
/// <item>No reconcile starts before every informer has synced.</item>
/// <item>A key is reconciled by at most one worker at a time (the queue guarantees it).</item>
/// <item>A reconcile's exception is caught, logged with the key in scope, counted, and the key retried
/// rate-limited; a worker never dies of it.</item>
/// <item>On stop, no new key is taken; in-flight reconciles get <see cref="ControllerOptions.ShutdownTimeout"/>
/// to finish before their token is cancelled, and <see cref="RunAsync"/> returns only when all have ended.</item>
/// </list>
/// </summary>
public sealed class Controller
{
    private readonly IReconciler reconciler;
    private readonly IRateLimitingQueue<ObjectKey> queue;
    private readonly ControllerOptions options;
    private readonly IReadOnlyList<IInformer> informers;
    private readonly Func<IEnumerable<ObjectKey>>? resyncKeys;
    private readonly TimeProvider time;
    private readonly RuntimeMetrics? metrics;
    private readonly ILogger logger;
    private int activeWorkers;

    /// <param name="resyncKeys">The keys to re-enqueue on each resync, typically the primary cache's keys.</param>
    public Controller(
        string name,
        IReconciler reconciler,
        IRateLimitingQueue<ObjectKey> queue,
        ControllerOptions options,
        IReadOnlyList<IInformer> informers,
        Func<IEnumerable<ObjectKey>>? resyncKeys = null,
        TimeProvider? timeProvider = null,
        RuntimeMetrics? metrics = null,
        ILogger<Controller>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(reconciler);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(informers);
        options.Validate();
        Name = name;
        this.reconciler = reconciler;
        this.queue = queue;
        this.options = options;
        this.informers = informers;
        this.resyncKeys = resyncKeys;
        time = timeProvider ?? TimeProvider.System;
        this.metrics = metrics;
        this.logger = logger ?? NullLogger<Controller>.Instance;
    }

    public string Name { get; }

    public int ActiveWorkers => Volatile.Read(ref activeWorkers);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        metrics?.RegisterController(Name, options.MaxConcurrentReconciles, () => ActiveWorkers);
        try
        {
            logger.LogInformation("Controller {Controller} waiting for {Count} informers to sync", Name, informers.Count);
            await Task.WhenAll(informers.Select(i => i.Synced)).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            queue.ShutDown();
            return;
        }

        logger.LogInformation("Controller {Controller} starting {Workers} workers", Name, options.MaxConcurrentReconciles);
        using var abandon = new CancellationTokenSource();
        var workers = Enumerable.Range(0, options.MaxConcurrentReconciles)
            .Select(_ => Task.Run(() => WorkAsync(abandon.Token), CancellationToken.None))
            .ToList();
        var resync = options.ResyncPeriod > TimeSpan.Zero && resyncKeys is not null
            ? ResyncAsync(stoppingToken)
            : Task.CompletedTask;

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the only way out of a controller's run.
        }

        logger.LogInformation("Controller {Controller} stopping; draining {Active} in-flight reconciles", Name, ActiveWorkers);
        queue.ShutDown();
        await resync.ConfigureAwait(false);
        var all = Task.WhenAll(workers);
        try
        {
            await all.WaitAsync(options.ShutdownTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Controller {Controller}: reconciles still running after {Timeout}; cancelling them", Name, options.ShutdownTimeout);
            await abandon.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }

        logger.LogInformation("Controller {Controller} stopped", Name);
    }

    private async Task WorkAsync(CancellationToken abandonToken)
    {
        while (await queue.GetAsync(CancellationToken.None).ConfigureAwait(false) is { } key)
        {
            Interlocked.Increment(ref activeWorkers);
            try
            {
                await ReconcileOneAsync(key, abandonToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref activeWorkers);
                queue.Done(key);
            }
        }
    }

    private async Task ReconcileOneAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        // A template scope renders as "controller namespace/name" in text logs and as separate properties in JSON
        // logs; a dictionary scope would print as its type name in text.
        using var scope = logger.BeginScope("{Controller} {Namespace}/{Name}", Name, key.Namespace, key.Name);
        var started = time.GetTimestamp();
        ReconcileOutcome outcome;
        try
        {
            var result = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            outcome = Apply(key, result);
        }
#pragma warning disable CA1031 // Any failure of a reconcile is an error to retry, never the end of the worker.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Reconcile of {Key} failed; retrying with backoff", key);
            queue.AddRateLimited(key);
            outcome = ReconcileOutcome.Error;
        }

        metrics?.ReconcileFinished(Name, outcome, time.GetElapsedTime(started));
    }

    private ReconcileOutcome Apply(ObjectKey key, ReconcileResult result)
    {
        if (result.TerminalError is { } error)
        {
            logger.LogError("Reconcile of {Key} failed terminally: {Error}", key, error);
            queue.Forget(key);
            return ReconcileOutcome.Error;
        }

        if (result.RequeueAfter is { } delay)
        {
            queue.Forget(key);
            queue.AddAfter(key, delay);
            return ReconcileOutcome.RequeueAfter;
        }

        if (result.Requeue)
        {
            queue.AddRateLimited(key);
            return ReconcileOutcome.Requeue;
        }

        queue.Forget(key);
        return ReconcileOutcome.Success;
    }

    private async Task ResyncAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ResyncPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var count = 0;
                foreach (var key in resyncKeys!())
                {
                    // Low: a resync finds drift nobody reported; a watched change waiting behind it goes first.
                    queue.Add(key, WorkPriority.Low);
                    count++;
                }

                logger.LogDebug("Controller {Controller} resync re-enqueued {Count} keys", Name, count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Resync ends with the controller.
        }
    }
}
