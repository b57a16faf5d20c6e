// KEDA's ScaledObject (keda.sh/v1alpha1), the fields the operator writes. KEDA reads every trigger
// metadata value as a string, so metadata is a string map by type.
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Operator.Keda;

/// <summary>A KEDA ScaledObject.</summary>
public sealed class ScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "keda.sh";
    public const string Version = "v1alpha1";
    public const string ApiVersionValue = Group + "/" + Version;
    public const string KindValue = "ScaledObject";
    public const string Plural = "scaledobjects";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ScaledObjectSpec Spec { get; set; } = new();
}

public sealed record ScaledObjectSpec
{
    [JsonPropertyName("scaleTargetRef")]
    public ScaleTargetReference ScaleTargetRef { get; init; } = new();

    [JsonPropertyName("pollingInterval")]
    public int? PollingInterval { get; init; }

    [JsonPropertyName("cooldownPeriod")]
    public int? CooldownPeriod { get; init; }

    [JsonPropertyName("minReplicaCount")]
    public int? MinReplicaCount { get; init; }

    [JsonPropertyName("maxReplicaCount")]
    public int? MaxReplicaCount { get; init; }

    [JsonPropertyName("idleReplicaCount")]
    public int? IdleReplicaCount { get; init; }

    [JsonPropertyName("fallback")]
    public ScaledObjectFallback? Fallback { get; init; }

    [JsonPropertyName("advanced")]
    public ScaledObjectAdvanced? Advanced { get; init; }

    [JsonPropertyName("triggers")]
    public IList<ScaleTrigger> Triggers { get; init; } = [];
}

/// <summary>Replicas KEDA keeps while a scaler fails (spec.fallback).</summary>
public sealed record ScaledObjectFallback
{
    [JsonPropertyName("failureThreshold")]
    public int FailureThreshold { get; init; }

    [JsonPropertyName("replicas")]
    public int Replicas { get; init; }
}

public sealed record ScaleTargetReference
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";
}

public sealed record ScaledObjectAdvanced
{
    [JsonPropertyName("horizontalPodAutoscalerConfig")]
    public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; init; }

    [JsonPropertyName("scalingModifiers")]
    public ScalingModifiers? ScalingModifiers { get; init; }
}

public sealed record HorizontalPodAutoscalerConfig
{
    [JsonPropertyName("behavior")]
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; init; }
}

/// <summary>Combines named triggers into one metric with a formula (KEDA 2.12+).</summary>
public sealed record ScalingModifiers
{
    [JsonPropertyName("formula")]
    public string Formula { get; init; } = "";

    [JsonPropertyName("target")]
    public string Target { get; init; } = "";

    [JsonPropertyName("activationTarget")]
    public string? ActivationTarget { get; init; }

    [JsonPropertyName("metricType")]
    public string? MetricType { get; init; }
}

public sealed record ScaleTrigger
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("metricType")]
    public string? MetricType { get; init; }

    [JsonPropertyName("metadata")]
    public IDictionary<string, string> Metadata { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    [JsonPropertyName("authenticationRef")]
    public AuthenticationReference? AuthenticationRef { get; init; }
}

public sealed record AuthenticationReference
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";
}
