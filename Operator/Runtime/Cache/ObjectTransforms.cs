using k8s;
using k8s.Models;

namespace Operator.Runtime.Cache;

/// <summary>Transforms applied to objects before they are cached.</summary>
public static class ObjectTransforms
{
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>
    /// Drops the metadata the operator never reads (managed fields and kubectl's last-applied copy), which are
    /// often most of an object's size. Mutates and returns <paramref name="obj"/>: it was just deserialized and
    /// nobody else holds it.
    /// </summary>
    public static T DropUnreadMetadata<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj.Metadata is { } metadata)
        {
            metadata.ManagedFields = null;
            metadata.Annotations?.Remove(LastAppliedAnnotation);
        }

        return obj;
    }
}
