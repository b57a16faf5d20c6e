// A read-only view of one child kind's cache, as the reconciler needs it: by controller owner, and by name.
// KEDA's kinds may have no informer yet (KEDA not installed); such a view reports itself not synced.
using k8s;
using k8s.Models;
using Operator.Runtime;
using Operator.Runtime.Cache;
using Operator.Runtime.Source;

namespace Operator.Celery.Reconciliation;

/// <summary>The cached children of one kind.</summary>
public interface IChildCache
{
    ResourceDescriptor Resource { get; }

    bool IsSynced { get; }

    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ControlledBy(string ownerUid);

    IKubernetesObject<V1ObjectMeta>? Get(string @namespace, string name);
}

/// <summary>An <see cref="IChildCache"/> over an informer that may start later.</summary>
public sealed class ChildCache<T>(ResourceDescriptor resource, Func<Informer<T>?> informer) : IChildCache
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public ResourceDescriptor Resource { get; } = resource;

    public bool IsSynced => informer() is { HasSynced: true };

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ControlledBy(string ownerUid) =>
        informer()?.Cache.ByIndex(CacheIndexes.ControllerOwnerUid, ownerUid) ?? [];

    public IKubernetesObject<V1ObjectMeta>? Get(string @namespace, string name) => informer()?.Cache.Get(new ObjectKey(@namespace, name));
}
