using System.Collections.Immutable;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Operator.Runtime.Cache;
using Operator.Runtime.Handler;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.Source;

/// <summary>
/// A cache of one resource type kept current by one reflector per watched namespace (or one for all), with
/// handlers told of every change. Invariants: handlers see changes in the order the cache applied them; a
/// handler added late first receives an add for every object already cached (marked as in the initial list, as
/// the first list's adds are); a throwing handler is logged and
/// never stops the watch.
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock deliveryGate = new();
    private readonly IReadOnlyList<Reflector<T>> reflectors;
    private readonly RuntimeMetrics? metrics;
    private readonly ILogger logger;
    private ImmutableArray<IResourceEventHandler<T>> handlers = [];

    public Informer(
        ResourceDescriptor resource,
        IListWatchClient client,
        InformerOptions options,
        ObjectCache<T>? cache = null,
        string? labelSelector = null,
        TimeProvider? timeProvider = null,
        RuntimeMetrics? metrics = null,
        ILogger<Informer<T>>? logger = null,
        ObjectProjection? projection = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Resource = resource;
        Cache = cache ?? new ObjectCache<T>();
        this.metrics = metrics;
        this.logger = logger ?? NullLogger<Informer<T>>.Instance;
        var time = timeProvider ?? TimeProvider.System;
        var scopes = resource.Namespaced && options.Namespaces.Count > 0 ? options.Namespaces.Select(n => (string?)n) : [null];
        reflectors = [.. scopes.Select(ns => new Reflector<T>(new ListWatchTarget(resource, ns, labelSelector, projection), client, Cache, Deliver, options, time, metrics, this.logger))];
        Synced = Task.WhenAll(reflectors.Select(r => r.Synced));
        metrics?.RegisterInformer(resource.ToString());
    }

    public ResourceDescriptor Resource { get; }

    public ObjectCache<T> Cache { get; }

    public Task Synced { get; }

    public bool HasSynced => Synced.IsCompletedSuccessfully;

    /// <summary>The resourceVersion each watch scope resumes from; for diagnostics and tests.</summary>
    public IReadOnlyList<string?> ResourceVersions => [.. reflectors.Select(r => r.ResourceVersion)];

    public void AddHandler(IResourceEventHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (deliveryGate)
        {
            handlers = handlers.Add(handler);
            foreach (var obj in Cache.List())
            {
                Invoke(handler, new CacheChange<T>(CacheChangeType.Added, obj, IsInInitialList: true));
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _ = Synced.ContinueWith(_ => metrics?.InformerSynced(Resource.ToString(), true), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await Task.WhenAll(reflectors.Select(r => Task.Run(() => r.RunAsync(cancellationToken), CancellationToken.None))).ConfigureAwait(false);
    }

    private void Deliver(CacheChange<T> change)
    {
        lock (deliveryGate)
        {
            foreach (var handler in handlers)
            {
                Invoke(handler, change);
            }
        }
    }

    private void Invoke(IResourceEventHandler<T> handler, CacheChange<T> change)
    {
        try
        {
            switch (change.Type)
            {
                case CacheChangeType.Added:
                    handler.OnAdd(change.Object, change.IsInInitialList);
                    break;
                case CacheChangeType.Modified:
                    handler.OnUpdate(change.Previous!, change.Object);
                    break;
                case CacheChangeType.Deleted:
                    handler.OnDelete(change.Object);
                    break;
            }
        }
#pragma warning disable CA1031 // A handler's bug must not stop the watch that feeds every other handler.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Event handler {Handler} failed on {Change} of {Key}", handler.GetType().Name, change.Type, ObjectKeys.Of(change.Object));
        }
    }
}
