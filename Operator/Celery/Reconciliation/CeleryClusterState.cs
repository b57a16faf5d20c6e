// What the Celery reconciler reads instead of calling the API: the Celery cache and one child cache per kind it
// writes. Built by the controller module from its informers. (Referenced Secrets are read through BrokerSecrets.)
using k8s;
using k8s.Models;
using Operator.Celery.Model;
using Operator.Runtime.Cache;

namespace Operator.Celery.Reconciliation;

/// <summary>The caches the reconciler works from.</summary>
public sealed class CeleryClusterState(ObjectCache<CeleryResource> celeries, IReadOnlyList<IChildCache> children)
{
    public ObjectCache<CeleryResource> Celeries { get; } = celeries;

    public IReadOnlyList<IChildCache> Children { get; } = children;

    public IChildCache CacheFor(string apiVersion, string kind) =>
        Children.FirstOrDefault(c => c.Resource.ApiVersion == apiVersion && c.Resource.Kind == kind)
        ?? throw new InvalidOperationException($"no cache for {apiVersion} {kind}");

    /// <summary>Every cached child controlled by the resource, with the cache it came from.</summary>
    public IEnumerable<(IChildCache Cache, IKubernetesObject<V1ObjectMeta> Child)> ControlledBy(string uid) =>
        Children.SelectMany(cache => cache.ControlledBy(uid).Select(child => (cache, child)));
}
