using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>Metadata of a child: name, namespace, labels and the controller ownerReference to the resource.</summary>
public static class ChildMetadata
{
    public static V1ObjectMeta For(BuildContext context, string name, string component, string? group = null, IDictionary<string, string>? annotations = null) => new()
    {
        Name = name,
        NamespaceProperty = context.Namespace,
        Labels = CeleryLabels.ForObject(context, component, group),
        Annotations = annotations is { Count: > 0 } ? new SortedDictionary<string, string>(annotations, StringComparer.Ordinal) : null,
        OwnerReferences = [ControllerReference(context.Resource)],
    };

    /// <summary>
    /// The controller reference: Kubernetes' garbage collector deletes the child with the resource (even while
    /// the operator is down), and blockOwnerDeletion holds a foreground delete until children are gone.
    /// </summary>
    public static V1OwnerReference ControllerReference(CeleryResource resource) => new()
    {
        ApiVersion = CeleryResource.ApiVersionValue,
        Kind = CeleryResource.KindValue,
        Name = resource.Metadata.Name,
        // Null only when rendering offline: the cluster assigns the uid, and the field is then left out.
        Uid = resource.Metadata.Uid!,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
