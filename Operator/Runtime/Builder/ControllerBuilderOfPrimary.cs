using k8s;
using k8s.Models;
using Operator.Runtime.Cache;
using Operator.Runtime.Handler;
using Operator.Runtime.Queue;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Runtime.Builder;

/// <summary>
/// The declarations of a controller of <typeparamref name="TPrimary"/>. Invariants: a change of the primary enqueues
/// its key; a change of an owned object enqueues its controller owner when that owner is a <typeparamref name="TPrimary"/>;
/// a change of a watched object enqueues whatever keys its map returns; the controller starts no worker before the
/// informers it reads have synced (an informer of a kind that may not be served never holds it up); the reconciler
/// reads the owned caches in the order they were declared.
/// </summary>
public sealed class ControllerBuilder<TPrimary>
    where TPrimary : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ControllerDeclaration declaration;
    private readonly ResourceDescriptor primaryResource;
    private readonly Informer<TPrimary> primary;
    private readonly RateLimitingQueue<ObjectKey> queue;
    private readonly List<IInformer> read = [];
    private readonly List<IOwnedObjects> owned = [];
    private readonly Dictionary<ResourceDescriptor, object> watched = [];
    private bool completed;

    internal ControllerBuilder(ControllerDeclaration declaration, ResourceDescriptor primaryResource, Informer<TPrimary> primary)
    {
        this.declaration = declaration;
        this.primaryResource = primaryResource;
        this.primary = primary;
        queue = new RateLimitingQueue<ObjectKey>(
            declaration.Name,
            ControllerRateLimiter.Create<ObjectKey>(declaration.Options.RateLimiter, declaration.Time),
            declaration.Time,
            declaration.Metrics);
        primary.AddHandler(new EnqueueForObject<TPrimary>(queue));
        read.Add(primary);
    }

    /// <summary>
    /// A kind whose objects the controller creates and controls (controller ownerReference to the primary); its cache
    /// holds each object with the fingerprint of the fields the projection's field manager applied.
    /// </summary>
    public ControllerBuilder<TPrimary> Owns<T>(ResourceDescriptor resource, ObjectProjection projection)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = declaration.Informers.GetOrAdd<Fingerprinted<T>>(resource, declaration.OwnedSelector, projection);
        informer.AddHandler(OwnerHandler<Fingerprinted<T>>());
        read.Add(informer);
        owned.Add(new OwnedObjects<T>(resource, informer.Cache));
        return this;
    }

    /// <summary>
    /// An owned kind whose API may not be served (a CRD installed later): its informer lists once discovery sees the
    /// API, and its cache reads empty until then.
    /// </summary>
    public ControllerBuilder<TPrimary> OwnsWhenServed<T>(ResourceDescriptor resource, ObjectProjection projection)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = declaration.Informers.GetOrAddWhenServed<Fingerprinted<T>>(resource, declaration.OwnedSelector, projection);
        informer.AddHandler(OwnerHandler<Fingerprinted<T>>());
        read.Add(informer);
        owned.Add(new OwnedObjects<T>(resource, informer.Cache));
        return this;
    }

    /// <summary>
    /// A kind the controller reads but does not own, unfiltered by the owned selector: each change enqueues the keys
    /// <paramref name="map"/> finds for it in the primary cache (e.g. every resource referencing a changed Secret).
    /// </summary>
    public ControllerBuilder<TPrimary> Watches<T>(ResourceDescriptor resource, ObjectProjection projection, Func<T, ObjectCache<TPrimary>, IEnumerable<ObjectKey>> map)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        var informer = declaration.Informers.GetOrAdd<T>(resource, null, projection);
        informer.AddHandler(new EnqueueMapped<T>(queue, obj => map(obj, primary.Cache)));
        read.Add(informer);
        if (!watched.TryAdd(resource, informer.Cache))
        {
            throw new InvalidOperationException($"{resource} is watched twice by controller {declaration.Name}.");
        }

        return this;
    }

    /// <summary>Builds the controller around the reconciler made from the caches declared above.</summary>
    public BuiltController Complete(Func<ControllerCaches<TPrimary>, IReconciler> reconciler)
    {
        ArgumentNullException.ThrowIfNull(reconciler);
        if (completed)
        {
            throw new InvalidOperationException($"Controller {declaration.Name} is already complete.");
        }

        completed = true;
        var caches = new ControllerCaches<TPrimary>(primary.Cache, [.. owned], new Dictionary<ResourceDescriptor, object>(watched));
        var controller = new Controller(
            declaration.Name,
            reconciler(caches),
            queue,
            declaration.Options,
            [.. read.Distinct()],
            () => primary.Cache.Snapshot.Keys,
            declaration.Time,
            declaration.Metrics,
            declaration.Loggers.CreateLogger<Controller>());
        return new BuiltController(controller, queue);
    }

    private EnqueueForControllerOwner<T> OwnerHandler<T>()
        where T : IKubernetesObject<V1ObjectMeta> => new(queue, primaryResource.Kind, primaryResource.ApiVersion);
}
