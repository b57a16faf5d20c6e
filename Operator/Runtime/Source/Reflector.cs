using k8s;
using k8s.Models;
using Operator.Runtime.Cache;
using Operator.Runtime.Metrics;
using Polly;
using Polly.Retry;

namespace Operator.Runtime.Source;

/// <summary>
/// Keeps a cache in step with one list+watch target, delivering each change it applies.
/// Invariants:
/// <list type="number">
/// <item>A list happens first and again only after a 410 (ERROR event or HTTP status); its difference with the
/// cache, deletions included, is delivered as changes.</item>
/// <item>A watch that ends normally, or is restarted by the inactivity watchdog, resumes from the last
/// resourceVersion seen (event or bookmark) without a list.</item>
/// <item>Any other failure is retried after an exponential, jittered backoff; the backoff starts over after an
/// attempt that ended normally.</item>
/// <item><see cref="Synced"/> completes after the first successful list and never faults.</item>
/// </list>
/// </summary>
internal sealed class Reflector<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ListWatchTarget target;
    private readonly IListWatchClient client;
    private readonly ObjectCache<T> cache;
    private readonly Action<CacheChange<T>> deliver;
    private readonly InformerOptions options;
    private readonly TimeProvider time;
    private readonly RuntimeMetrics? metrics;
    private readonly ILogger logger;
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResiliencePipeline retry;
    private string? resourceVersion;
    private RelistReason? relistReason = RelistReason.Initial;

    public Reflector(
        ListWatchTarget target,
        IListWatchClient client,
        ObjectCache<T> cache,
        Action<CacheChange<T>> deliver,
        InformerOptions options,
        TimeProvider time,
        RuntimeMetrics? metrics,
        ILogger logger)
    {
        this.target = target;
        this.client = client;
        this.cache = cache;
        this.deliver = deliver;
        this.options = options;
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
        retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    metrics?.WatchRestarted(Resource, WatchRestartReason.Error);
                    logger.LogWarning(args.Outcome.Exception, "List/watch of {Target} failed (attempt {Attempt}); retrying in {Delay}", target, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public Task Synced => synced.Task;

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string? ResourceVersion => Volatile.Read(ref resourceVersion);

    private string Resource => target.Resource.ToString();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await retry.ExecuteAsync(async token => await ListAndWatchOnceAsync(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Stopped list/watch of {Target}", target);
        }
    }

    private async Task ListAndWatchOnceAsync(CancellationToken cancellationToken)
    {
        if (relistReason is { } reason)
        {
            await ListAsync(reason, cancellationToken).ConfigureAwait(false);
            relistReason = null;
        }

        var timeout = TimeSpan.FromSeconds(Random.Shared.Next((int)options.MinWatchTimeout.TotalSeconds, (int)options.MaxWatchTimeout.TotalSeconds + 1));
        var inactivityLimit = timeout + options.WatchInactivityGrace;
        using var watchdog = new CancellationTokenSource(inactivityLimit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
        try
        {
            await foreach (var change in client.WatchAsync<T>(target, ResourceVersion!, timeout, linked.Token).ConfigureAwait(false))
            {
                watchdog.CancelAfter(inactivityLimit);
                Apply(change);
            }

            metrics?.WatchRestarted(Resource, WatchRestartReason.Closed);
            logger.LogDebug("Watch of {Target} ended; resuming from {ResourceVersion}", target, ResourceVersion);
        }
        catch (KubernetesApiException e) when (e.IsResourceExpired)
        {
            metrics?.WatchRestarted(Resource, WatchRestartReason.Expired);
            logger.LogInformation("Watch of {Target} expired at {ResourceVersion}; relisting", target, ResourceVersion);
            relistReason = RelistReason.Expired;
        }
        catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            metrics?.WatchRestarted(Resource, WatchRestartReason.Inactivity);
            logger.LogWarning("Watch of {Target} silent for {Limit}; restarting from {ResourceVersion}", target, inactivityLimit, ResourceVersion);
        }
    }

    private async Task ListAsync(RelistReason reason, CancellationToken cancellationToken)
    {
        var list = await client.ListAsync<T>(target, cancellationToken).ConfigureAwait(false);
        var changes = cache.Replace(list.Items, target.Resource.Namespaced ? target.Namespace : null);
        Volatile.Write(ref resourceVersion, list.ResourceVersion);
        metrics?.Relisted(Resource, reason);
        logger.LogInformation("Listed {Count} {Target} at {ResourceVersion} ({Reason}); {Changes} changes", list.Items.Count, target, list.ResourceVersion, RuntimeMetrics.Label(reason), changes.Count);
        foreach (var change in changes)
        {
            deliver(reason == RelistReason.Initial ? change with { IsInInitialList = true } : change);
        }

        synced.TrySetResult();
    }

    private void Apply(WatchEvent<T> change)
    {
        switch (change.Type)
        {
            case WatchEventType.Error:
                var status = change.Status;
                var code = status?.Code is { } c ? (System.Net.HttpStatusCode)c : System.Net.HttpStatusCode.InternalServerError;
                throw new KubernetesApiException(code, $"Watch of {target} reported {(int)code} {status?.Reason}: {status?.Message}");
            case WatchEventType.Bookmark:
                Advance(change.Object);
                return;
            case WatchEventType.Added or WatchEventType.Modified:
                Advance(change.Object);
                if (cache.Upsert(change.Object!) is { } upserted)
                {
                    deliver(upserted);
                }

                return;
            case WatchEventType.Deleted:
                Advance(change.Object);
                if (cache.Delete(change.Object!) is { } deleted)
                {
                    deliver(deleted);
                }

                return;
            default:
                throw new InvalidOperationException($"Unexpected watch event type {change.Type}.");
        }
    }

    private void Advance(T? obj)
    {
        var next = obj?.Metadata?.ResourceVersion;
        if (string.IsNullOrEmpty(next))
        {
            throw new KubernetesApiException($"A watch event of {target} carries no resourceVersion.");
        }

        Volatile.Write(ref resourceVersion, next);
    }
}
