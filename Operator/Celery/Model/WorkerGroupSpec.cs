using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>One worker group: a Deployment of Celery workers consuming a set of queues.</summary>
[CelRule("!(has(self.replicas) && has(self.autoscaling))", "replicas and autoscaling are mutually exclusive: an autoscaled group's replica count belongs to its autoscaler", FieldPath = ".replicas")]
public sealed record WorkerGroupSpec
{
    public const int DefaultReplicas = 1;
    public const string DefaultQueue = "celery";

    /// <summary>Queue names: no separators the worker's --queues flag would split on, within RabbitMQ's 255-byte limit.</summary>
    public const string QueueNamePattern = @"^[^,\s]{1,200}$";

    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [RegularExpression(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    [Description("Name of the group (a DNS label); part of its Deployment's name.")]
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [MinLength(1)]
    [MaxLength(32)]
    [ListSet]
    [RegularExpression(QueueNamePattern)]
    [Description("Queues the group consumes (default [celery]). Names may not hold commas or whitespace (the worker takes them as one comma-separated flag) and are at most 200 characters.")]
    [JsonPropertyName("queues")]
    public IList<string>? Queues { get; init; }

    [Range(0, 10000)]
    [Description("Fixed number of replicas (default 1). Leave unset when autoscaling is set.")]
    [JsonPropertyName("replicas")]
    public int? Replicas { get; init; }

    [Range(1, 1024)]
    [Description("Child processes or threads per worker (--concurrency). Celery's default is the number of CPUs.")]
    [JsonPropertyName("concurrency")]
    public int? Concurrency { get; init; }

    [AllowedValues("prefork", "threads", "gevent", "eventlet", "solo")]
    [SchemaDefault("prefork")]
    [Description("Execution pool (--pool).")]
    [JsonPropertyName("pool")]
    public string? Pool { get; init; }

    [AllowedValues("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")]
    [SchemaDefault("INFO")]
    [Description("Log level (--loglevel).")]
    [JsonPropertyName("logLevel")]
    public string? LogLevel { get; init; }

    [Range(0, 10000)]
    [Description("How many messages each process prefetches (--prefetch-multiplier; 0 means unlimited).")]
    [JsonPropertyName("prefetchMultiplier")]
    public int? PrefetchMultiplier { get; init; }

    [Range(1, int.MaxValue)]
    [Description("Tasks a pool process runs before it is replaced (--max-tasks-per-child).")]
    [JsonPropertyName("maxTasksPerChild")]
    public int? MaxTasksPerChild { get; init; }

    [Range(1, int.MaxValue)]
    [Description("Resident memory in KiB after which a pool process is replaced (--max-memory-per-child).")]
    [JsonPropertyName("maxMemoryPerChild")]
    public int? MaxMemoryPerChild { get; init; }

    [MaxLength(64)]
    [Description("Extra arguments appended to the worker command line.")]
    [JsonPropertyName("args")]
    public IList<string>? Args { get; init; }

    [Description("Compute resources of the worker container. Requests are required for cpu/memory autoscaling.")]
    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; init; }

    [Range(0, 86400)]
    [Description("Seconds a worker gets to finish running tasks after SIGTERM (warm shutdown). Default 60.")]
    [JsonPropertyName("terminationGracePeriodSeconds")]
    public long? TerminationGracePeriodSeconds { get; init; }

    [Description("Deployment strategy of the group.")]
    [JsonPropertyName("strategy")]
    public V1DeploymentStrategy? Strategy { get; init; }

    [Description("A PodDisruptionBudget for the group.")]
    [JsonPropertyName("podDisruptionBudget")]
    public DisruptionBudgetSpec? PodDisruptionBudget { get; init; }

    [Description("Liveness probe of the worker container (none by default: a probe that imports the app every few seconds costs more than it finds).")]
    [JsonPropertyName("livenessProbe")]
    public V1Probe? LivenessProbe { get; init; }

    [Description("Readiness probe of the worker container (none by default).")]
    [JsonPropertyName("readinessProbe")]
    public V1Probe? ReadinessProbe { get; init; }

    [Description("Autoscaling of the group: an HPA for cpu/memory targets, a KEDA ScaledObject when queueLength is set.")]
    [JsonPropertyName("autoscaling")]
    public AutoscalingSpec? Autoscaling { get; init; }

    /// <summary>The queues the group consumes, with the default applied.</summary>
    [SchemaIgnore]
    [JsonIgnore]
    public IReadOnlyList<string> EffectiveQueues => Queues is { Count: > 0 } q ? [.. q] : [DefaultQueue];
}

/// <summary>A PodDisruptionBudget: exactly one of minAvailable or maxUnavailable.</summary>
[CelRule("has(self.minAvailable) != has(self.maxUnavailable)", "set exactly one of minAvailable or maxUnavailable")]
public sealed record DisruptionBudgetSpec
{
    [IntOrString]
    [Description("Pods that must stay available (a number or a percentage).")]
    [JsonPropertyName("minAvailable")]
    public IntOrString? MinAvailable { get; init; }

    [IntOrString]
    [Description("Pods that may be unavailable (a number or a percentage).")]
    [JsonPropertyName("maxUnavailable")]
    public IntOrString? MaxUnavailable { get; init; }
}

/// <summary>Autoscaling of one worker group.</summary>
[CelRule("self.minReplicas <= self.maxReplicas", "minReplicas must not exceed maxReplicas", FieldPath = ".minReplicas")]
[CelRule("has(self.cpu) || has(self.memory) || has(self.queueLength)", "set at least one of cpu, memory or queueLength")]
[CelRule("self.minReplicas > 0 || has(self.queueLength)", "minReplicas may be 0 only with queueLength scaling (KEDA activates the group when tasks arrive)", FieldPath = ".minReplicas")]
public sealed record AutoscalingSpec
{
    [Range(0, 10000)]
    [SchemaDefault(1)]
    [Description("Fewest replicas (0 allowed with queueLength: scale to zero).")]
    [JsonPropertyName("minReplicas")]
    public int MinReplicas { get; init; } = 1;

    [Required]
    [Range(1, 10000)]
    [Description("Most replicas.")]
    [JsonPropertyName("maxReplicas")]
    public int MaxReplicas { get; init; }

    [Description("Target average CPU utilization (percent of requests).")]
    [JsonPropertyName("cpu")]
    public UtilizationTarget? Cpu { get; init; }

    [Description("Target average memory utilization (percent of requests).")]
    [JsonPropertyName("memory")]
    public UtilizationTarget? Memory { get; init; }

    [Description("Scale on the broker's backlog of the group's queues (KEDA).")]
    [JsonPropertyName("queueLength")]
    public QueueLengthTarget? QueueLength { get; init; }

    [Range(1, 3600)]
    [Description("Seconds between KEDA's checks of the queues (default 30).")]
    [JsonPropertyName("pollingIntervalSeconds")]
    public int? PollingIntervalSeconds { get; init; }

    [Range(0, 86400)]
    [Description("Seconds after the last active trigger before KEDA scales to zero (default 300).")]
    [JsonPropertyName("cooldownPeriodSeconds")]
    public int? CooldownPeriodSeconds { get; init; }

    [Description("Scaling behavior (autoscaling/v2 HorizontalPodAutoscalerBehavior).")]
    [JsonPropertyName("behavior")]
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; init; }
}

/// <summary>A utilization target in percent.</summary>
public sealed record UtilizationTarget
{
    [Required]
    [Range(1, 1000)]
    [Description("Target average utilization, in percent of the containers' requests.")]
    [JsonPropertyName("targetUtilization")]
    public int TargetUtilization { get; init; }
}

/// <summary>A queue backlog target.</summary>
public sealed record QueueLengthTarget
{
    [Required]
    [Range(1, 1000000)]
    [Description("Pending tasks per replica the autoscaler aims for (summed over the group's queues).")]
    [JsonPropertyName("targetPerReplica")]
    public int TargetPerReplica { get; init; }

    [Range(0, 1000000)]
    [Description("Backlog above which a group at zero replicas is activated (default 0).")]
    [JsonPropertyName("activationThreshold")]
    public int? ActivationThreshold { get; init; }
}
