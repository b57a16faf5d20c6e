// KEDA's TriggerAuthentication (keda.sh/v1alpha1): where a scaler reads its secret parameters.
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Operator.Keda;

/// <summary>A KEDA TriggerAuthentication.</summary>
public sealed class TriggerAuthentication : IKubernetesObject<V1ObjectMeta>
{
    public const string KindValue = "TriggerAuthentication";
    public const string Plural = "triggerauthentications";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ScaledObject.ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TriggerAuthenticationSpec Spec { get; set; } = new();
}

public sealed record TriggerAuthenticationSpec
{
    [JsonPropertyName("secretTargetRef")]
    public IList<SecretTargetReference>? SecretTargetRef { get; init; }

    [JsonPropertyName("podIdentity")]
    public PodIdentity? PodIdentity { get; init; }
}

/// <summary>Maps a scaler parameter to a Secret key.</summary>
public sealed record SecretTargetReference
{
    [JsonPropertyName("parameter")]
    public string Parameter { get; init; } = "";

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("key")]
    public string Key { get; init; } = "";
}

/// <summary>Cloud identity the scaler uses instead of static credentials.</summary>
public sealed record PodIdentity
{
    [JsonPropertyName("provider")]
    public string Provider { get; init; } = "";

    [JsonPropertyName("identityOwner")]
    public string? IdentityOwner { get; init; }
}
