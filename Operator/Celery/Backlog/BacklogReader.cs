// The backlog reader's loop, outside the reconcile workers: every interval it reads each broker endpoint once (one
// request set per connection and database, for all the resources on it), with at most MaxConcurrentReads endpoints
// at a time, each read under its endpoint's timeout and circuit breaker. Per resource it keeps the observation in
// the store, and enqueues the resource for a status write only when the observation would change the status, so
// status is written at most once per interval and never while backlogs stand still. A Warning event marks a queue
// that starts waiting for a consumer beyond the threshold. Invariants: a failed or slow broker delays only its own
// resources' observations (never the loop, never a reconcile); nothing logged names more than the endpoint's
// redacted form; a resource with the backlog off, or a broker kind without a reader, is never connected to. The end of
// each pass is signalled to the builtin scaler, which scales from the fresh observations.
using k8s.Models;
using Operator.Celery.Broker;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Runtime;
using Operator.Runtime.Events;

namespace Operator.Celery.Backlog;

/// <summary>Reads every resource's queue backlog on an interval.</summary>
public sealed partial class BacklogReader(
    CeleryClusterState state,
    Func<CeleryResource, CancellationToken, Task<BrokerEndpoint?>> resolveBroker,
    BacklogStore store,
    QueueDepthReaders readers,
    Action<ObjectKey> enqueue,
    IEventRecorder events,
    BacklogMetrics metrics,
    BacklogOptions options,
    TimeProvider time,
    ILogger<BacklogReader> logger,
    Scaling.BacklogPasses? passes = null)
{
    public const string NotConsumedReason = "QueueNotConsumed";

    /// <summary>The least time between two passes when nudges (new resources) come faster than the interval.</summary>
    public static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(1);

    private TaskCompletionSource wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Asks for a pass soon rather than at the end of the interval: a new resource gets its first reading (and its
    /// BacklogRead condition) while it is being created, not one interval later when it looks settled.
    /// </summary>
    public void Nudge() => Volatile.Read(ref wake).TrySetResult();

    /// <summary>Reads until cancelled, one pass per interval.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, options.Interval, options.MaxConcurrentReads);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var nudged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref wake, nudged);
                try
                {
                    await ReadOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPassFailed(logger, e.GetType().Name);
                }

                using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    await Task.WhenAny(Task.Delay(options.Interval, time, waiting.Token), nudged.Task).ConfigureAwait(false);
                    await waiting.CancelAsync().ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (nudged.Task.IsCompleted)
                {
                    await Task.Delay(MinimumGap, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await readers.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One pass over every resource; public for tests that drive passes themselves.</summary>
    public async Task ReadOnceAsync(CancellationToken cancellationToken)
    {
        var plans = new List<ResourcePlan>();
        foreach (var resource in state.Celeries.List())
        {
            if (resource.Metadata.DeletionTimestamp is not null || resource.Spec.Broker.Backlog is { Enabled: false })
            {
                continue;
            }

            var endpoint = await resolveBroker(resource, cancellationToken).ConfigureAwait(false);
            if (endpoint is null || !QueueDepthReaders.Supports(endpoint.Kind))
            {
                continue;
            }

            plans.Add(new ResourcePlan(resource, ObjectKeys.Of(resource), endpoint, Groups(resource)));
        }

        var targets = plans
            .GroupBy(p => new ReadTarget(BrokerConnectionKey.Of(p.Endpoint), p.Endpoint.Database))
            .ToDictionary(g => g.Key, g => (Endpoint: g.First().Endpoint, Queues: Queues(g.Select(p => p.Resource))));
        var results = new System.Collections.Concurrent.ConcurrentDictionary<ReadTarget, ReadResult>();
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentReads, CancellationToken = cancellationToken }, async (target, ct) =>
        {
            try
            {
                var depths = await readers.ReadAsync(target.Value.Endpoint, target.Value.Queues, ct).ConfigureAwait(false);
                results[target.Key] = new ReadResult(depths.ToDictionary(d => d.Queue, StringComparer.Ordinal), null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var failure = BacklogReadFailure.Of(e, target.Value.Endpoint);
                LogReadFailed(logger, target.Key.Connection.ToString(), failure.Reason);
                results[target.Key] = new ReadResult(null, failure);
            }
        }).ConfigureAwait(false);

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var plan in plans)
        {
            var result = results[new ReadTarget(BrokerConnectionKey.Of(plan.Endpoint), plan.Endpoint.Database)];
            await ObserveAsync(plan, result, now, cancellationToken).ConfigureAwait(false);
        }

        store.Retain(plans.Select(p => p.Key).ToHashSet());
        store.PassCompleted();
        await readers.RetainAsync(targets.Keys.Select(t => t.Connection).ToHashSet()).ConfigureAwait(false);
        passes?.Completed();
    }

    private async Task ObserveAsync(ResourcePlan plan, ReadResult result, DateTime now, CancellationToken cancellationToken)
    {
        metrics.Register(plan.Key);
        // Not read since this reader started: compared with what status shows, so a restart rewrites nothing unchanged.
        var previous = store.Get(plan.Key) ?? ShownObservation.Of(plan.Resource, plan.Groups);
        BacklogObservation next;
        if (result.Failure is { } failure)
        {
            metrics.ReadFailed(plan.Key, failure.Reason);
            // An outage stays on status as the failure that began it: a dead endpoint's reads alternate between
            // timing out, being unreachable and being paused by the circuit, and rewriting every resource that uses
            // it at each change would be a write storm saying nothing new (the counter still has every reason).
            var shown = failure.IsOutage && previous?.Failure is { IsOutage: true } cause ? cause : failure;
            next = new BacklogObservation(plan.Groups, previous?.Queues ?? [], shown);
        }
        else
        {
            var threshold = (plan.Resource.Spec.Broker.Backlog ?? new BacklogSpec()).NoConsumerThreshold;
            var readyByQueue = ReadyReplicasByQueue(plan);
            var readings = new List<QueueReading>();
            foreach (var queue in plan.Groups.SelectMany(g => g.Queues).Distinct(StringComparer.Ordinal))
            {
                var depth = result.Depths![queue];
                var before = previous?.Queues.FirstOrDefault(q => q.Queue == queue);
                var observedAt = before is not null && before.Messages == depth.Messages && before.Consumers == depth.Consumers && before.InFlight == depth.InFlight ? before.ObservedAt : now;
                // Messages in flight (SQS) were received by someone: the queue is being consumed.
                var unconsumed = depth.Messages > 0 && (depth.Consumers ?? readyByQueue.GetValueOrDefault(queue)) == 0 && depth.InFlight is null or 0;
                var since = unconsumed ? before?.UnconsumedSince ?? now : (DateTime?)null;
                readings.Add(new QueueReading(queue, depth.Messages, depth.Consumers, observedAt, since, since is { } s && now - s >= threshold, depth.InFlight));
            }

            next = new BacklogObservation(plan.Groups, readings, null);
            foreach (var reading in readings.Where(r => r.Stalled && previous?.Queues.FirstOrDefault(q => q.Queue == r.Queue)?.Stalled != true))
            {
                await events.RecordAsync(plan.Resource, EventSeverity.Warning, NotConsumedReason, "ReadBacklog",
                    $"queue {reading.Queue} has held messages ({reading.Messages} now) with {BacklogStatus.NoConsumerWording(reading)} for more than {threshold.TotalSeconds}s", cancellationToken).ConfigureAwait(false);
            }
        }

        store.Set(plan.Key, next);
        if (!next.SameStatusAs(previous))
        {
            enqueue(plan.Key);
        }
    }

    // Redis and SQS do not report consumers: a queue counts as consumed while a group consuming it has a ready pod
    // (or, on SQS, while messages are in flight).
    private Dictionary<string, int> ReadyReplicasByQueue(ResourcePlan plan)
    {
        var deployments = state.CacheFor(CeleryApiResources.Deployments).ControlledBy(plan.Resource.Metadata.Uid).OfType<V1Deployment>()
            .ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
        var names = new Naming.ChildNames(plan.Resource.Metadata.Name);
        var ready = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in plan.Resource.Spec.Workers)
        {
            var replicas = deployments.GetValueOrDefault(names.WorkerDeployment(group.Name))?.Status?.ReadyReplicas ?? 0;
            foreach (var queue in group.EffectiveQueues)
            {
                ready[queue] = ready.GetValueOrDefault(queue) + replicas;
            }
        }

        return ready;
    }

    private static IReadOnlyList<(string Group, IReadOnlyList<string> Queues)> Groups(CeleryResource resource) =>
        [.. resource.Spec.Workers.Select(w => (w.Name, w.EffectiveQueues))];

    // Every queue of every resource on one target, once, with the union of the priority steps they ask for.
    private static IReadOnlyList<BacklogQueue> Queues(IEnumerable<CeleryResource> resources)
    {
        var steps = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        foreach (var group in resources.SelectMany(r => r.Spec.Workers))
        {
            foreach (var queue in group.EffectiveQueues)
            {
                if (!steps.TryGetValue(queue, out var set))
                {
                    steps[queue] = set = [.. BacklogQueue.DefaultPrioritySteps];
                }

                set.UnionWith(group.Autoscaling?.QueueLength?.PriorityLevels ?? []);
            }
        }

        return [.. steps.Select(s => new BacklogQueue(s.Key, [.. s.Value]))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backlog reader started: every {Interval}, at most {MaxConcurrentReads} endpoints at a time")]
    private static partial void LogStarted(ILogger logger, TimeSpan interval, int maxConcurrentReads);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backlog read of {Endpoint} failed: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backlog pass failed: {Error}")]
    private static partial void LogPassFailed(ILogger logger, string error);

    private sealed record ResourcePlan(CeleryResource Resource, ObjectKey Key, BrokerEndpoint Endpoint, IReadOnlyList<(string Group, IReadOnlyList<string> Queues)> Groups);

    private sealed record ReadTarget(BrokerConnectionKey Connection, int Database);

    private sealed record ReadResult(IReadOnlyDictionary<string, QueueDepth>? Depths, BacklogReadFailure? Failure);
}
