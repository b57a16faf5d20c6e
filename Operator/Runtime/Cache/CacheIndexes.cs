using k8s;
using k8s.Models;

namespace Operator.Runtime.Cache;

/// <summary>Index functions: the controller owner index every <see cref="ObjectCache{T}"/> keeps, and the namespace index a cache may add.</summary>
public static class CacheIndexes
{
    /// <summary>Index name: the object's namespace.</summary>
    public const string Namespace = "namespace";

    /// <summary>Index name: the uid of the object's controller owner reference.</summary>
    public const string ControllerOwnerUid = "controller-owner-uid";

    /// <summary>The namespace index function, for a cache that is read by namespace.</summary>
    public static IEnumerable<string> ByNamespace(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!string.IsNullOrEmpty(obj.Metadata?.NamespaceProperty))
        {
            yield return obj.Metadata.NamespaceProperty;
        }
    }

    public static IEnumerable<string> ByControllerOwnerUid(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var owner = obj.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (!string.IsNullOrEmpty(owner?.Uid))
        {
            yield return owner.Uid;
        }
    }
}
