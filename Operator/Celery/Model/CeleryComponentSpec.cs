using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>
/// What each component (a worker group, beat, Flower) may set for its own pods. The builders merge it over the
/// resource-level settings (see <c>Operator.Celery.Builders.ComponentPodSettings</c> for the rule).
/// </summary>
public abstract record CeleryComponentSpec
{
    [Description("Container image of this component (default: spec.image).")]
    [JsonPropertyName("image")]
    public string? Image { get; init; }

    [Description("Environment variables of this component's container, merged by name over spec.env (this component's value wins).")]
    [ListMapKeys("name")]
    [JsonPropertyName("env")]
    public IList<V1EnvVar>? Env { get; init; }

    [Description("Sources of environment variables of this component's container, added after spec.envFrom.")]
    [JsonPropertyName("envFrom")]
    public IList<V1EnvFromSource>? EnvFrom { get; init; }

    [Description("Pod settings of this component, merged over spec.podTemplate: maps by key, volumes by name, volume mounts by mountPath, topology spread constraints by topologyKey and whenUnsatisfiable, tolerations appended, single values replaced.")]
    [JsonPropertyName("podTemplate")]
    public CeleryPodTemplate? PodTemplate { get; init; }

    [Description("Init containers of this component's pods, run in order before the main container.")]
    [ListMapKeys("name")]
    [JsonPropertyName("initContainers")]
    public IList<V1Container>? InitContainers { get; init; }

    [Description("Extra containers beside the main container in this component's pods. They get no volume mounts, env or security context from the resource: set what each needs.")]
    [ListMapKeys("name")]
    [JsonPropertyName("sidecars")]
    public IList<V1Container>? Sidecars { get; init; }

    [Description("Lifecycle hooks of the main container (for example a preStop hook).")]
    [JsonPropertyName("lifecycle")]
    public V1Lifecycle? Lifecycle { get; init; }

    [Range(0, 86400)]
    [Description("Seconds the pod gets to stop after SIGTERM. Workers default to 60 (a warm shutdown lets running tasks finish within it); beat and Flower to 30.")]
    [JsonPropertyName("terminationGracePeriodSeconds")]
    public long? TerminationGracePeriodSeconds { get; init; }
}
