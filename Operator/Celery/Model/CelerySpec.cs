using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>The desired state of a Celery deployment.</summary>
[CelRule("self.broker.type == 'redis' || self.workers.all(w, !has(w.autoscaling) || !has(w.autoscaling.queueLength) || !has(w.autoscaling.queueLength.priorityLevels))", "autoscaling.queueLength.priorityLevels applies only to a redis broker (a RabbitMQ priority queue is one queue)", FieldPath = ".workers")]
public sealed record CelerySpec
{
    [Required]
    [MinLength(1)]
    [Description("Container image holding the Celery application (used by workers and beat, and by Flower unless flower.image is set).")]
    [JsonPropertyName("image")]
    public string Image { get; init; } = "";

    [Description("Image pull policy for every container.")]
    [AllowedValues("Always", "IfNotPresent", "Never")]
    [JsonPropertyName("imagePullPolicy")]
    public string? ImagePullPolicy { get; init; }

    [Description("Secrets used to pull the images.")]
    [ListMapKeys("name")]
    [JsonPropertyName("imagePullSecrets")]
    public IList<V1LocalObjectReference>? ImagePullSecrets { get; init; }

    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression(@"^[A-Za-z_][A-Za-z0-9_.:]*$")]
    [Description("The Celery application, as given to `celery --app` (for example `proj.celery:app`).")]
    [JsonPropertyName("app")]
    public string App { get; init; } = "";

    [Required]
    [Description("The message broker. Its URL is read from a Secret and reaches containers only as CELERY_BROKER_URL.")]
    [JsonPropertyName("broker")]
    public BrokerSpec Broker { get; init; } = new();

    [Description("Where task results are stored (optional). The URL reaches containers as CELERY_RESULT_BACKEND.")]
    [JsonPropertyName("resultBackend")]
    public ResultBackendSpec? ResultBackend { get; init; }

    [Description("Environment variables of worker and beat containers (and Flower's when flower.inherit lists env). A group's, beat's or Flower's own env is merged over them by name.")]
    [ListMapKeys("name")]
    [JsonPropertyName("env")]
    public IList<V1EnvVar>? Env { get; init; }

    [Description("Sources of environment variables of worker and beat containers (and Flower's when flower.inherit lists envFrom).")]
    [JsonPropertyName("envFrom")]
    public IList<V1EnvFromSource>? EnvFrom { get; init; }

    [Description("Pod settings of worker and beat pods (and Flower's when flower.inherit lists podTemplate). Each component's own podTemplate is merged over them.")]
    [JsonPropertyName("podTemplate")]
    public CeleryPodTemplate? PodTemplate { get; init; }

    [Required]
    [MinLength(1)]
    [MaxLength(50)]
    [ListMapKeys("name")]
    [Description("Worker groups: one Deployment each, consuming its own queues.")]
    [JsonPropertyName("workers")]
    public IList<WorkerGroupSpec> Workers { get; init; } = [];

    [Description("The beat scheduler: one replica, never two at once.")]
    [JsonPropertyName("beat")]
    public BeatSpec? Beat { get; init; }

    [Description("Flower, the monitoring UI (enabled unless flower.enabled is false).")]
    [JsonPropertyName("flower")]
    public FlowerSpec? Flower { get; init; }
}

/// <summary>A reference to one key of a Secret in the resource's namespace.</summary>
public sealed record SecretKeyReference
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    [Description("Name of the Secret.")]
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression(@"^[-._a-zA-Z0-9]+$")]
    [Description("Key within the Secret.")]
    [JsonPropertyName("key")]
    public string Key { get; init; } = "";
}

/// <summary>The broker Celery sends tasks through.</summary>
[CelRule("self.type != 'sqs' || has(self.sqs)", "broker.sqs is required when broker.type is sqs", FieldPath = ".sqs")]
[CelRule("self.type == 'sqs' || has(self.urlSecretRef)", "broker.urlSecretRef is required unless broker.type is sqs", FieldPath = ".urlSecretRef")]
public sealed record BrokerSpec
{
    [Required]
    [AllowedValues("redis", "rabbitmq", "sqs")]
    [Description("The kind of broker: redis, rabbitmq or sqs.")]
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [Description("The Secret key holding the broker URL (redis://, rediss://, amqp://, amqps:// or sqs://). Optional for sqs, where credentials may come from the pod's identity.")]
    [JsonPropertyName("urlSecretRef")]
    public SecretKeyReference? UrlSecretRef { get; init; }

    [Description("Amazon SQS settings (required when type is sqs).")]
    [JsonPropertyName("sqs")]
    public SqsSpec? Sqs { get; init; }

    [Description("How the operator reads the backlog of the groups' queues from this broker into status.queues and its metrics (on unless the operator runs with Operator:Backlog:Enabled=false).")]
    [JsonPropertyName("backlog")]
    public BacklogSpec? Backlog { get; init; }
}

/// <summary>Amazon SQS settings.</summary>
public sealed record SqsSpec
{
    [Required]
    [MinLength(1)]
    [RegularExpression(@"^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    [Description("AWS region of the queues, for example eu-west-1.")]
    [JsonPropertyName("region")]
    public string Region { get; init; } = "";

    [Required]
    [RegularExpression(@"^https://.+/$")]
    [Description("Queue URL prefix ending in a slash (https://sqs.<region>.amazonaws.com/<account>/); a queue's URL is the prefix followed by its name.")]
    [JsonPropertyName("queueUrlPrefix")]
    public string QueueUrlPrefix { get; init; } = "";
}

/// <summary>The result backend.</summary>
public sealed record ResultBackendSpec
{
    [Required]
    [Description("The Secret key holding the result backend URL.")]
    [JsonPropertyName("urlSecretRef")]
    public SecretKeyReference UrlSecretRef { get; init; } = new();
}
