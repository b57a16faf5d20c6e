using k8s;
using k8s.Models;
using Operator.Runtime.Cache;
using Operator.Runtime.Source;

namespace Operator.Runtime.Builder;

/// <summary>The caches a controller declared, handed to its reconciler: the primary, the owned kinds in declaration order, the watched kinds.</summary>
public sealed class ControllerCaches<TPrimary>
    where TPrimary : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IReadOnlyDictionary<ResourceDescriptor, object> watched;

    internal ControllerCaches(ObjectCache<TPrimary> primary, IReadOnlyList<IOwnedObjects> owned, IReadOnlyDictionary<ResourceDescriptor, object> watched)
    {
        Primary = primary;
        Owned = owned;
        this.watched = watched;
    }

    public ObjectCache<TPrimary> Primary { get; }

    public IReadOnlyList<IOwnedObjects> Owned { get; }

    /// <summary>The cache of a kind declared with Watches.</summary>
    public ObjectCache<T> Watched<T>(ResourceDescriptor resource)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        watched.TryGetValue(resource, out var cache) && cache is ObjectCache<T> typed
            ? typed
            : throw new InvalidOperationException($"{resource} ({typeof(T).Name}) was not declared with Watches.");
}
