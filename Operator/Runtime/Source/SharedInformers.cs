using k8s;
using k8s.Models;
using Operator.Runtime.Cache;
using Operator.Runtime.Discovery;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.Source;

/// <summary>
/// The informers of one host, one per <see cref="InformerKey"/>: two controllers declaring the same type, selector and
/// projection read the same cache and cost one watch. Invariants: an informer is created on its first declaration
/// and never replaced; <see cref="All"/> lists every informer once, in the order of first declaration, and the host
/// starts them all the same way on every replica; an informer of a kind that may not be served
/// (<see cref="GetOrAddWhenServed{T}"/>) starts listing only once discovery sees its API.
/// </summary>
public sealed class SharedInformers
{
    private readonly Lock gate = new();
    private readonly IListWatchClient client;
    private readonly InformerOptions options;
    private readonly ApiDiscovery discovery;
    private readonly TimeSpan discoveryRecheck;
    private readonly TimeProvider time;
    private readonly RuntimeMetrics? metrics;
    private readonly ILoggerFactory loggers;
    private readonly Dictionary<InformerKey, IInformer> byKey = [];
    private readonly List<IInformer> all = [];

    /// <param name="discoveryRecheck">How often an informer waiting for its API asks discovery again.</param>
    public SharedInformers(IListWatchClient client, InformerOptions options, ApiDiscovery discovery, TimeSpan discoveryRecheck, ILoggerFactory loggers, TimeProvider? time = null, RuntimeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(discoveryRecheck, TimeSpan.Zero);
        options.Validate();
        this.client = client;
        this.options = options;
        this.discovery = discovery;
        this.discoveryRecheck = discoveryRecheck;
        this.loggers = loggers;
        this.time = time ?? TimeProvider.System;
        this.metrics = metrics;
    }

    /// <summary>Every informer declared so far, each once.</summary>
    public IReadOnlyList<IInformer> All
    {
        get
        {
            lock (gate)
            {
                return [.. all];
            }
        }
    }

    /// <summary>The informer of this resource, selector and projection, created with <paramref name="indexers"/> on first use.</summary>
    /// <exception cref="InvalidOperationException">The informer exists without an index asked for now.</exception>
    public Informer<T> GetOrAdd<T>(ResourceDescriptor resource, string? labelSelector, ObjectProjection? projection, IReadOnlyDictionary<string, IndexFunc<T>>? indexers = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = (Informer<T>)GetOrAdd(new InformerKey(typeof(T), resource, labelSelector, projection), () =>
            new Informer<T>(resource, client, options, new ObjectCache<T>(indexers), labelSelector, time, metrics, loggers.CreateLogger<Informer<T>>(), projection));
        RequireIndexes(informer.Cache, indexers);
        return informer;
    }

    /// <summary>The informer of this resource, selector and projection, for a kind whose API may not be served (yet).</summary>
    public ServedInformer<T> GetOrAddWhenServed<T>(ResourceDescriptor resource, string? labelSelector, ObjectProjection? projection)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        (ServedInformer<T>)GetOrAdd(new InformerKey(typeof(ServedInformer<T>), resource, labelSelector, projection), () =>
            new ServedInformer<T>(
                discovery,
                discoveryRecheck,
                cache => new Informer<T>(resource, client, options, cache, labelSelector, time, metrics, loggers.CreateLogger<Informer<T>>(), projection),
                resource,
                time,
                loggers.CreateLogger<ServedInformer<T>>()));

    private static void RequireIndexes<T>(ObjectCache<T> cache, IReadOnlyDictionary<string, IndexFunc<T>>? indexers)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var missing = (indexers?.Keys ?? []).Where(name => !cache.HasIndex(name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The shared informer of {typeof(T).Name} was declared first without the index(es) {string.Join(", ", missing)}; declare every index where the informer is first declared.");
        }
    }

    private IInformer GetOrAdd(InformerKey key, Func<IInformer> create)
    {
        lock (gate)
        {
            if (byKey.TryGetValue(key, out var existing))
            {
                return existing;
            }

            var informer = create();
            byKey[key] = informer;
            all.Add(informer);
            return informer;
        }
    }
}
