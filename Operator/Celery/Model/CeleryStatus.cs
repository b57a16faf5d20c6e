using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>What the operator observed of a Celery resource's children.</summary>
public sealed record CeleryStatus
{
    [Description("The spec generation this status describes.")]
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [ListMapKeys("type")]
    [Description("Ready, Progressing, Degraded and AutoscalingActive conditions; BacklogRead and QueuesConsumed while the backlog is read; Scaling while a group uses the builtin scaler.")]
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; init; }

    [Description("Ready worker replicas over desired, over all groups (for example 3/4).")]
    [JsonPropertyName("workersReady")]
    public string? WorkersReady { get; init; }

    [ListMapKeys("name")]
    [Description("One entry per worker group.")]
    [JsonPropertyName("workers")]
    public IList<WorkerGroupStatus>? Workers { get; init; }

    [Description("The beat Deployment and its schedule claim.")]
    [JsonPropertyName("beat")]
    public BeatStatus? Beat { get; init; }

    [Description("Flower's Deployment, Service and URL.")]
    [JsonPropertyName("flower")]
    public FlowerStatus? Flower { get; init; }

    [Description("Messages waiting in every queue of the resource's worker groups, as last read from the broker (spec.broker.backlog).")]
    [JsonPropertyName("backlog")]
    public long? Backlog { get; init; }

    [ListMapKeys("name")]
    [Description("The backlog of each queue the worker groups consume, as last read from the broker; rewritten only when a count changes.")]
    [JsonPropertyName("queues")]
    public IList<QueueStatus>? Queues { get; init; }

    [Description("Risks in the spec that the API server accepts and the operator applies anyway (see the warnings in this reference), each as field: message.")]
    [JsonPropertyName("warnings")]
    public IList<string>? Warnings { get; init; }
}

/// <summary>The state of one worker group.</summary>
public sealed record WorkerGroupStatus
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("deployment")]
    public string? Deployment { get; init; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; init; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; init; }

    [JsonPropertyName("updatedReplicas")]
    public int? UpdatedReplicas { get; init; }

    [JsonPropertyName("autoscaler")]
    public AutoscalerReference? Autoscaler { get; init; }

    [Description("Messages waiting in the group's queues, as last read from the broker.")]
    [JsonPropertyName("backlog")]
    public long? Backlog { get; init; }

    [Description("The operator's own scaler (autoscaling.queueLength.engine builtin): what it wants, what the Deployment has, and its last change.")]
    [JsonPropertyName("scaler")]
    public BuiltinScalerStatus? Scaler { get; init; }
}

/// <summary>The builtin scaler's view of one group.</summary>
public sealed record BuiltinScalerStatus
{
    [Description("Replicas the scaler decided on at its last pass (after stabilization windows and rate policies).")]
    [JsonPropertyName("desiredReplicas")]
    public int? DesiredReplicas { get; init; }

    [Description("The Deployment's spec.replicas as the scaler last saw it.")]
    [JsonPropertyName("currentReplicas")]
    public int? CurrentReplicas { get; init; }

    [Description("When the scaler last changed the replica count.")]
    [JsonPropertyName("lastScaleTime")]
    public DateTime? LastScaleTime { get; init; }

    [Description("Why the scaler last changed the replica count: the backlog, the recommendation and any window or policy that held it.")]
    [JsonPropertyName("lastScaleReason")]
    public string? LastScaleReason { get; init; }
}

/// <summary>The autoscaler object that owns a group's replica count.</summary>
public sealed record AutoscalerReference
{
    [Description("HorizontalPodAutoscaler, ScaledObject, or Deployment when the operator's builtin scaler sets the replicas through its scale subresource.")]
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "";

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [Description("False when the autoscaler cannot be created (for example KEDA is not installed).")]
    [JsonPropertyName("active")]
    public bool? Active { get; init; }
}

/// <summary>Beat's Deployment, replica counts and schedule claim.</summary>
public sealed record BeatStatus
{
    [JsonPropertyName("deployment")]
    public string? Deployment { get; init; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; init; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; init; }

    [Description("The PersistentVolumeClaim holding the schedule file (beat.persistence).")]
    [JsonPropertyName("scheduleClaim")]
    public ClaimStatus? ScheduleClaim { get; init; }
}

/// <summary>A PersistentVolumeClaim the resource owns, and its phase as observed.</summary>
public sealed record ClaimStatus
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [Description("The claim's phase (Pending, Bound, Lost); empty until the claim is observed. A claim stays Pending while its StorageClass binds on first use (WaitForFirstConsumer) or no volume can be provisioned.")]
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }
}

/// <summary>Flower's state.</summary>
public sealed record FlowerStatus
{
    [JsonPropertyName("deployment")]
    public string? Deployment { get; init; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; init; }

    [JsonPropertyName("service")]
    public string? Service { get; init; }

    [Description("In-cluster URL of Flower (or the Ingress URL when one is enabled).")]
    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [Description("The PersistentVolumeClaim holding Flower's database (flower.persistence).")]
    [JsonPropertyName("stateClaim")]
    public ClaimStatus? StateClaim { get; init; }

    [Description("The ServiceMonitor scraping Flower's /metrics, once applied (flower.serviceMonitor; absent while the Prometheus Operator's ServiceMonitor is not served).")]
    [JsonPropertyName("serviceMonitor")]
    public string? ServiceMonitor { get; init; }
}
