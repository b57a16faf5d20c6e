using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>Pod settings, at the resource level (worker and beat pods) or of one component.</summary>
public sealed record CeleryPodTemplate
{
    [Description("Labels added to the pods (the operator's own selector labels win on a clash).")]
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; init; }

    [Description("Annotations added to the pods.")]
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; init; }

    [Description("Service account the pods run as.")]
    [JsonPropertyName("serviceAccountName")]
    public string? ServiceAccountName { get; init; }

    [Description("Node selector for the pods.")]
    [JsonPropertyName("nodeSelector")]
    public IDictionary<string, string>? NodeSelector { get; init; }

    [Description("Tolerations for the pods.")]
    [JsonPropertyName("tolerations")]
    public IList<V1Toleration>? Tolerations { get; init; }

    [Description("Affinity rules for the pods.")]
    [JsonPropertyName("affinity")]
    public V1Affinity? Affinity { get; init; }

    [Description("Topology spread constraints for the pods.")]
    [ListMapKeys("topologyKey", "whenUnsatisfiable")]
    [JsonPropertyName("topologySpreadConstraints")]
    public IList<V1TopologySpreadConstraint>? TopologySpreadConstraints { get; init; }

    [Description("Priority class of the pods.")]
    [JsonPropertyName("priorityClassName")]
    public string? PriorityClassName { get; init; }

    [Description("Pod security context. Replaces the restricted default (runAsNonRoot, RuntimeDefault seccomp) when set.")]
    [JsonPropertyName("securityContext")]
    public V1PodSecurityContext? SecurityContext { get; init; }

    [Description("Security context of the main container. Replaces the restricted default (no privilege escalation, all capabilities dropped) when set.")]
    [JsonPropertyName("containerSecurityContext")]
    public V1SecurityContext? ContainerSecurityContext { get; init; }

    [Description("Volumes added to the pods.")]
    [ListMapKeys("name")]
    [JsonPropertyName("volumes")]
    public IList<V1Volume>? Volumes { get; init; }

    [Description("Volume mounts of the main container.")]
    [ListMapKeys("mountPath")]
    [JsonPropertyName("volumeMounts")]
    public IList<V1VolumeMount>? VolumeMounts { get; init; }
}
