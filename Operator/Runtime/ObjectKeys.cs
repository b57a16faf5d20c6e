using k8s;
using k8s.Models;

namespace Operator.Runtime;

/// <summary>Derives the <see cref="ObjectKey"/> of a Kubernetes object from its metadata.</summary>
public static class ObjectKeys
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj.Metadata ?? throw new ArgumentException("The object has no metadata.", nameof(obj));
        return new ObjectKey(metadata.NamespaceProperty, metadata.Name);
    }
}
