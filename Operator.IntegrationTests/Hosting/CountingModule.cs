using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Operator.Runtime;
using Operator.Runtime.Handler;
using Operator.Runtime.Hosting;
using Operator.Runtime.Metrics;
using Operator.Runtime.Queue;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.IntegrationTests.Hosting;

/// <summary>
/// A test module built only from the host's shared services: a ConfigMap informer and one controller whose
/// reconciler counts, per ConfigMap, how often it ran and how many data keys the cached object had. An optional
/// <see cref="Behaviour"/> lets a test make reconciles slow or failing.
/// </summary>
internal sealed class CountingModule : IControllerModule, IReconciler
{
    private static readonly ResourceDescriptor ConfigMaps = new(string.Empty, "v1", "configmaps", "ConfigMap", true);

    private readonly Informer<V1ConfigMap> informer;
    private readonly ControllerOptions options;
    private readonly RuntimeMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly Timeline timeline;

    public CountingModule(IServiceProvider services, Timeline timeline, string identity)
    {
        this.timeline = timeline;
        Identity = identity;
        metrics = services.GetRequiredService<RuntimeMetrics>();
        time = services.GetRequiredService<TimeProvider>();
        loggers = services.GetRequiredService<ILoggerFactory>();
        options = services.GetRequiredService<ControllerOptions>();
        informer = new Informer<V1ConfigMap>(
            ConfigMaps,
            services.GetRequiredService<IListWatchClient>(),
            services.GetRequiredService<InformerOptions>(),
            timeProvider: time,
            metrics: metrics,
            logger: loggers.CreateLogger<Informer<V1ConfigMap>>());
    }

    public string Name => "configmaps";

    /// <summary>Which host this module belongs to, as written in the timeline.</summary>
    public string Identity { get; }

    public IReadOnlyList<IInformer> Informers => [informer];

    public ConcurrentDictionary<ObjectKey, int> Reconciles { get; } = new();

    public ConcurrentDictionary<ObjectKey, int> DataKeys { get; } = new();

    public Func<ObjectKey, CancellationToken, Task<ReconcileResult>>? Behaviour { get; set; }

    public async Task RunAsLeaderAsync(CancellationToken cancellationToken)
    {
        using var queue = new RateLimitingQueue<ObjectKey>(Name, ControllerRateLimiter.Create<ObjectKey>(options.RateLimiter, time), time, metrics);
        informer.AddHandler(new EnqueueForObject<V1ConfigMap>(queue));
        var controller = new Controller(
            Name,
            this,
            queue,
            options,
            Informers,
            () => informer.Cache.List().Select(ObjectKeys.Of),
            time,
            metrics,
            loggers.CreateLogger<Controller>());
        await controller.RunAsync(cancellationToken);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        timeline.Record($"{Identity} reconcile {key}");
        Reconciles.AddOrUpdate(key, 1, (_, n) => n + 1);
        DataKeys[key] = informer.Cache.Get(key)?.Data?.Count ?? 0;
        return Behaviour is { } behaviour ? await behaviour(key, cancellationToken) : ReconcileResult.Success();
    }
}
