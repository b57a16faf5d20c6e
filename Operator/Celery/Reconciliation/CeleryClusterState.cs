// What the Celery reconciler reads instead of calling the API: the Celery cache and one owned-objects view per kind
// it writes, as the controller builder declared them. (Referenced Secrets are read through BrokerSecrets.)
using k8s;
using k8s.Models;
using Operator.Celery.Model;
using Operator.Runtime.Cache;
using Operator.Runtime.Source;

namespace Operator.Celery.Reconciliation;

/// <summary>The caches the reconciler works from.</summary>
public sealed class CeleryClusterState(ObjectCache<CeleryResource> celeries, IReadOnlyList<IOwnedObjects> children)
{
    public ObjectCache<CeleryResource> Celeries { get; } = celeries;

    public IReadOnlyList<IOwnedObjects> Children { get; } = children;

    public IOwnedObjects CacheFor(ResourceDescriptor resource) =>
        Children.FirstOrDefault(c => c.Resource == resource)
        ?? throw new InvalidOperationException($"no cache for {resource}");

    /// <summary>Every cached child controlled by the resource, with the cache it came from.</summary>
    public IEnumerable<(IOwnedObjects Cache, IKubernetesObject<V1ObjectMeta> Child)> ControlledBy(string uid) =>
        Children.SelectMany(cache => cache.ControlledBy(uid).Select(child => (cache, child)));
}
