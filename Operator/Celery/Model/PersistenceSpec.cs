using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>
/// A PersistentVolumeClaim a component keeps its state on (beat's schedule file, Flower's task database). The claim
/// is owned by the Celery resource: it is deleted with the resource, or when persistence is turned off.
/// </summary>
public sealed record PersistenceSpec
{
    /// <summary>What an unset accessModes means: one node mounts the claim, which a single-replica Recreate Deployment needs.</summary>
    public const string DefaultAccessMode = "ReadWriteOnce";

    /// <summary>A Kubernetes quantity without sign (what a storage request accepts).</summary>
    public const string QuantityPattern = @"^(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    [MaxLength(253)]
    [Description("StorageClass of the claim (default: the cluster's default StorageClass). Fixed once the claim exists: Kubernetes does not let a claim change its class.")]
    [JsonPropertyName("storageClassName")]
    public string? StorageClassName { get; init; }

    [Required]
    [RegularExpression(QuantityPattern)]
    [Description("Requested size, as a Kubernetes quantity (for example 1Gi). May grow later where the StorageClass allows volume expansion; never shrink.")]
    [JsonPropertyName("size")]
    public string Size { get; init; } = "";

    [MaxLength(3)]
    [ListSet]
    [AllowedValues("ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany")]
    [Description("Access modes of the claim (default [ReadWriteOnce]). The component runs one pod and is replaced with Recreate, so one writer at a time is all it needs; ReadWriteOncePod makes the volume enforce that.")]
    [JsonPropertyName("accessModes")]
    public IList<string>? AccessModes { get; init; }

    /// <summary>The access modes the claim is created with.</summary>
    [JsonIgnore]
    public IList<string> EffectiveAccessModes => AccessModes is { Count: > 0 } modes ? modes : [DefaultAccessMode];
}
