// A component's state claim. Kubernetes lets a claim change after creation only in its requested size (and only
// upwards, where the StorageClass allows expansion), so every other field here is effectively fixed at creation;
// a later change of storageClassName or accessModes is rejected by the API server and reported as ApplyFailed.
using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>The PersistentVolumeClaim behind beat's schedule or Flower's database.</summary>
public static class PersistentVolumeClaimBuilder
{
    public static V1PersistentVolumeClaim Build(BuildContext context, string name, string component, PersistenceSpec persistence) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = ChildMetadata.For(context, name, component),
        Spec = new V1PersistentVolumeClaimSpec
        {
            StorageClassName = persistence.StorageClassName,
            AccessModes = [.. persistence.EffectiveAccessModes],
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new ResourceQuantity(persistence.Size) },
            },
        },
    };

    /// <summary>The pod volume that mounts the claim.</summary>
    public static V1Volume Volume(string volumeName, string claimName) => new()
    {
        Name = volumeName,
        PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claimName },
    };
}
