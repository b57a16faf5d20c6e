using k8s;
using k8s.Models;
using Operator.Runtime.Source;

namespace Operator.Runtime.Cache;

/// <summary>
/// A read-only view of one owned kind's cache, as a reconciler reads it: by controller owner, and by name. It reads
/// whatever the cache holds now; a cache whose informer has not listed yet (or whose API is not served) reads empty,
/// so a reader that finds nothing must ask the API before concluding an object does not exist.
/// </summary>
public interface IOwnedObjects
{
    ResourceDescriptor Resource { get; }

    /// <summary>The objects whose controller is <paramref name="ownerUid"/>, as projected.</summary>
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ControlledBy(string ownerUid);

    /// <summary>The object of this name and the fingerprint of the fields the operator applied to it; null when not cached.</summary>
    IFingerprinted? Get(string? @namespace, string name);
}

/// <summary>An <see cref="IOwnedObjects"/> over the cache of an owned kind's informer.</summary>
public sealed class OwnedObjects<T>(ResourceDescriptor resource, ObjectCache<Fingerprinted<T>> cache) : IOwnedObjects
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public ResourceDescriptor Resource { get; } = resource;

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ControlledBy(string ownerUid) =>
        [.. cache.ByIndex(CacheIndexes.ControllerOwnerUid, ownerUid).Select(child => child.Object)];

    public IFingerprinted? Get(string? @namespace, string name) => cache.Get(new ObjectKey(@namespace, name));
}
