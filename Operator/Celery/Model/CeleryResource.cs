// The Celery custom resource (celeryproject.org/v1alpha1). The schema in deploy/crds/ is generated from
// these types, so every attribute here is part of the API contract users write against.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Operator.Celery.Model;

/// <summary>A Celery deployment: worker groups, an optional beat scheduler and Flower.</summary>
[Description("Celery runs Celery workers, an optional beat scheduler and Flower for one Celery application.")]
public sealed class CeleryResource : IKubernetesObject<V1ObjectMeta>, ISpec<CelerySpec>, IStatus<CeleryStatus?>
{
    public const string Group = "celeryproject.org";
    public const string Version = "v1alpha1";
    public const string ApiVersionValue = Group + "/" + Version;
    public const string KindValue = "Celery";
    public const string Plural = "celeries";
    public const string Singular = "celery";
    public const string ShortName = "cel";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [Required]
    [JsonPropertyName("spec")]
    public CelerySpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public CeleryStatus? Status { get; set; }
}
