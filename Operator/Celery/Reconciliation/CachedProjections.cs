// What the informers keep of each kind, which is what the reconciler reads: for every child, its identity,
// owner references and the fingerprint of the fields the operator applied (ChildSetApplier compares
// fingerprints, never whole objects; labels were already used by the informer's selector); for Deployments
// also the replicas-owner annotation, the replica count and the rollout counters the status reports, for claims their
// phase. Secrets are
// watched as metadata only (the referenced ones are read on demand), and Celery resources whole but for managedFields.
// Anything added to what the reconciler reads must be added here, or it reads as absent.
using Operator.Celery.Builders;
using Operator.Runtime.Source;

namespace Operator.Celery.Reconciliation;

/// <summary>The projection each informer of the Celery controller decodes through.</summary>
public static class CachedProjections
{
    /// <summary>Deployments: replicas (for the hand-over to an autoscaler) and the rollout counters.</summary>
    public static ObjectProjection Deployment { get; } = new()
    {
        FieldManager = CeleryControllerSettings.FieldManager,
        KeepLabels = false,
        KeepAnnotations = [CeleryLabels.ReplicasOwnerAnnotation],
        Keep =
        [
            "spec.replicas",
            "status.observedGeneration",
            "status.replicas",
            "status.readyReplicas",
            "status.updatedReplicas",
            "status.availableReplicas",
        ],
    };

    /// <summary>PersistentVolumeClaims: the phase the status reports.</summary>
    public static ObjectProjection Claim { get; } = new()
    {
        FieldManager = CeleryControllerSettings.FieldManager,
        KeepLabels = false,
        KeepAnnotations = [],
        Keep = ["status.phase"],
    };

    /// <summary>Every other child kind: metadata and fingerprint only.</summary>
    public static ObjectProjection MetadataOnly { get; } = new()
    {
        FieldManager = CeleryControllerSettings.FieldManager,
        KeepLabels = false,
        KeepAnnotations = [],
        Keep = [],
    };

    /// <summary>
    /// The Celery resources: whole (spec and status are read), without managedFields, their short strings shared
    /// (condition types, reasons and messages, queue and pool names repeat across resources; name and uid are the
    /// strings their children's owner references already share). No fingerprint: the operator applies only their
    /// status.
    /// </summary>
    public static ObjectProjection Celery { get; } = new() { ShareStrings = true };

    /// <summary>
    /// Every Secret of the watched namespaces: metadata only, asked of the server as such, so no Secret's data ever
    /// reaches the process through a watch. Its resourceVersion tells when a referenced Secret changed; the Secrets a
    /// resource references are then read one by one (<see cref="BrokerSecrets"/>).
    /// </summary>
    public static ObjectProjection SecretMetadata { get; } = new()
    {
        RequestMetadataOnly = true,
        KeepLabels = false,
        KeepAnnotations = [],
        Keep = [],
    };
}
