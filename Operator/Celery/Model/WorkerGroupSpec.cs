using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>One worker group: a Deployment of Celery workers consuming a set of queues.</summary>
[CelRule("!(has(self.replicas) && has(self.autoscaling))", "replicas and autoscaling are mutually exclusive: an autoscaled group's replica count belongs to its autoscaler", FieldPath = ".replicas")]
[CelRule("!(has(self.autoscale) && has(self.concurrency))", "autoscale and concurrency are mutually exclusive: autoscale sets the pool size", FieldPath = ".autoscale")]
[CelRule("!has(self.autoscale) || !has(self.pool) || self.pool in ['prefork', 'gevent', 'eventlet']", "autoscale needs a pool that can grow and shrink: prefork, gevent or eventlet", FieldPath = ".autoscale")]
[CelRule("!has(self.softTimeLimit) || !has(self.timeLimit) || self.softTimeLimit < self.timeLimit", "softTimeLimit must be less than timeLimit", FieldPath = ".softTimeLimit")]
[CelRule(WorkerOptionFlags.ArgsRule, WorkerOptionFlags.ArgsRuleMessage, FieldPath = ".args")]
public sealed record WorkerGroupSpec : CeleryComponentSpec
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
    [Description("Child processes or threads per worker (--concurrency). Default for the prefork pool: the worker container's CPU limit, else its CPU request (rounded up, at least 1); with neither, Celery's own default (the node's CPU count) and a warning on status. Other pools keep Celery's default: set it for them. Leave unset with autoscale.")]
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
    [Description("How many messages each process prefetches (--prefetch-multiplier; 0 means unlimited). Default 1 for a group scaled on queueLength (prefetched messages are invisible to the scaler and delay scale-down), else Celery's default (4).")]
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

    [Description("Pool autoscaling inside each worker (--autoscale=max,min): Celery grows and shrinks the pool with the load. Mutually exclusive with concurrency.")]
    [JsonPropertyName("autoscale")]
    public PoolAutoscaleSpec? Autoscale { get; init; }

    [Range(1, 604800)]
    [Description("Hard time limit of a task in seconds (--time-limit): the pool process running it is killed and replaced.")]
    [JsonPropertyName("timeLimit")]
    public int? TimeLimit { get; init; }

    [Range(1, 604800)]
    [Description("Soft time limit of a task in seconds (--soft-time-limit): the task gets SoftTimeLimitExceeded and may clean up. Less than timeLimit.")]
    [JsonPropertyName("softTimeLimit")]
    public int? SoftTimeLimit { get; init; }

    [AllowedValues("default", "fair")]
    [Description("Optimization profile (-O): fair hands a task only to a pool process that is free, so a long task does not hold short ones queued behind it in a busy process.")]
    [JsonPropertyName("optimization")]
    public string? Optimization { get; init; }

    [Description("Do not subscribe to other workers' events (--without-gossip): less broker traffic in large fleets.")]
    [JsonPropertyName("withoutGossip")]
    public bool? WithoutGossip { get; init; }

    [Description("Do not synchronize with other workers at start-up (--without-mingle): faster start in large fleets.")]
    [JsonPropertyName("withoutMingle")]
    public bool? WithoutMingle { get; init; }

    [Description("Do not send worker heartbeat events (--without-heartbeat).")]
    [JsonPropertyName("withoutHeartbeat")]
    public bool? WithoutHeartbeat { get; init; }

    [MaxLength(253)]
    [RegularExpression(@"^[^\s]+$")]
    [Description("Node name pattern (--hostname), for example gpu@%h. Celery expands %h to the host name, which is the pod name. Default celery@%h; a pattern without %h or %n gives every pod the same node name (a warning on status).")]
    [JsonPropertyName("hostname")]
    public string? Hostname { get; init; }

    [Description("Send task events (--task-events). Default: on when Flower is enabled (Flower shows tasks only from workers that send events), off otherwise.")]
    [JsonPropertyName("events")]
    public bool? Events { get; init; }

    [MaxLength(64)]
    [ItemMaxLength(1024)]
    [Description("Extra arguments appended to the worker command line: an escape hatch for options without a field. An option that has a field here may not be repeated in args.")]
    [JsonPropertyName("args")]
    public IList<string>? Args { get; init; }

    [Description("Compute resources of the worker container. Requests are required for cpu/memory autoscaling.")]
    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; init; }

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

    /// <summary>
    /// The pool size given to --concurrency: the field; else, for the prefork pool and unless autoscale or args size
    /// the pool, the worker container's CPU limit, else its CPU request, rounded up and at least 1. Null leaves
    /// Celery's own default, one process per CPU of the node, which on a large node is far more processes than the
    /// container can run. Thread and green-thread pools wait on I/O, so CPUs say nothing about their size.
    /// </summary>
    [SchemaIgnore]
    [JsonIgnore]
    public int? EffectiveConcurrency =>
        Concurrency ?? (!SizesPoolByCpu ? null : ContainerCpu() is { } cpu ? (int)Math.Clamp(Math.Ceiling(cpu), 1, 1024) : null);

    /// <summary>True when the pool size is left to a CPU count: a prefork pool sized by neither concurrency, autoscale nor args.</summary>
    [SchemaIgnore]
    [JsonIgnore]
    public bool SizesPoolByCpu =>
        Concurrency is null && Pool is null or "prefork" && Autoscale is null && !ArgsSet("--concurrency", "-c");

    /// <summary>The --prefetch-multiplier: the field; else 1 for a group scaled on queue length (unless args set it).</summary>
    [SchemaIgnore]
    [JsonIgnore]
    public int? EffectivePrefetchMultiplier =>
        PrefetchMultiplier ?? (Autoscaling?.QueueLength is not null && !ArgsSet("--prefetch-multiplier") ? 1 : null);

    /// <summary>The CPU limit of the worker container, else its request, in cores; null when neither is set.</summary>
    public decimal? ContainerCpu()
    {
        var quantity = Resources?.Limits?.TryGetValue("cpu", out var limit) == true ? limit
            : Resources?.Requests?.TryGetValue("cpu", out var request) == true ? request
            : null;
        return quantity?.ToDecimal();
    }

    private bool ArgsSet(params string[] prefixes) =>
        (Args ?? []).Any(a => a is not null && prefixes.Any(p => a.StartsWith(p, StringComparison.Ordinal)));
}

/// <summary>Celery's pool autoscaler: between min and max pool processes per worker.</summary>
[CelRule("self.min <= self.max", "autoscale.min must not exceed autoscale.max", FieldPath = ".min")]
public sealed record PoolAutoscaleSpec
{
    [Required]
    [Range(1, 1024)]
    [Description("Most pool processes.")]
    [JsonPropertyName("max")]
    public int Max { get; init; }

    [Range(0, 1024)]
    [SchemaDefault(0)]
    [Description("Fewest pool processes (default 0).")]
    [JsonPropertyName("min")]
    public int Min { get; init; }
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
[CelRule(AutoscalingSpec.BuiltinKedaOnlyRule, AutoscalingSpec.BuiltinKedaOnlyMessage, FieldPath = ".queueLength.engine")]
[CelRule(AutoscalingSpec.BuiltinQueueLengthOnlyRule, AutoscalingSpec.BuiltinQueueLengthOnlyMessage, FieldPath = ".queueLength.engine")]
[CelRule("!has(self.idleReplicaCount) || (has(self.queueLength) && self.idleReplicaCount < self.minReplicas)", "idleReplicaCount needs queueLength scaling and must be less than minReplicas", FieldPath = ".idleReplicaCount")]
[CelRule("!has(self.fallback) || has(self.queueLength)", "fallback needs queueLength scaling (it replaces the broker's metric when KEDA cannot read it)", FieldPath = ".fallback")]
public sealed record AutoscalingSpec
{
    public const string BuiltinKedaOnlyRule =
        "!has(self.queueLength) || !has(self.queueLength.engine) || self.queueLength.engine != 'builtin' || !(has(self.pollingIntervalSeconds) || has(self.cooldownPeriodSeconds) || has(self.idleReplicaCount) || has(self.fallback))";

    public const string BuiltinKedaOnlyMessage =
        "pollingIntervalSeconds, cooldownPeriodSeconds, idleReplicaCount and fallback are KEDA settings: the builtin engine reads the backlog at the operator's interval and scales down after behavior.scaleDown's stabilization window";

    public const string BuiltinQueueLengthOnlyRule =
        "!has(self.queueLength) || !has(self.queueLength.engine) || self.queueLength.engine != 'builtin' || !(has(self.cpu) || has(self.memory))";

    public const string BuiltinQueueLengthOnlyMessage =
        "the builtin engine scales on queue length only: cpu and memory targets need engine keda (an HPA beside it would fight over the replica count)";

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

    [Description("Scale on the broker's backlog of the group's queues, with KEDA (engine keda, the default) or the operator's own scaler (engine builtin).")]
    [JsonPropertyName("queueLength")]
    public QueueLengthTarget? QueueLength { get; init; }

    [Range(1, 3600)]
    [Description("Seconds between KEDA's checks of the queues (default 30). KEDA only: refused with engine builtin, which reads at the operator's backlog interval.")]
    [JsonPropertyName("pollingIntervalSeconds")]
    public int? PollingIntervalSeconds { get; init; }

    [Range(0, 86400)]
    [Description("Seconds after the last active trigger before KEDA scales to zero (default 300). KEDA only: with engine builtin, behavior.scaleDown.stabilizationWindowSeconds delays every scale-down, to zero included.")]
    [JsonPropertyName("cooldownPeriodSeconds")]
    public int? CooldownPeriodSeconds { get; init; }

    [Range(0, 10000)]
    [Description("Replicas while no task is pending (KEDA idleReplicaCount, below minReplicas; usually 0): the group rests at this count and jumps to minReplicas when tasks arrive. KEDA only: refused with engine builtin (set minReplicas 0 instead).")]
    [JsonPropertyName("idleReplicaCount")]
    public int? IdleReplicaCount { get; init; }

    [Description("Replicas KEDA keeps while it cannot read the queue length (KEDA fallback). KEDA only: refused with engine builtin, which keeps the replica count unchanged while the backlog cannot be read.")]
    [JsonPropertyName("fallback")]
    public QueueLengthFallback? Fallback { get; init; }

    [Description("Scaling behavior (autoscaling/v2 HorizontalPodAutoscalerBehavior): stabilization windows and rate policies, applied by the HPA (KEDA) or, with engine builtin, by the operator the same way (scale-down window 300s and scale-up window 0 by default).")]
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
    public const string KedaEngine = "keda";
    public const string BuiltinEngine = "builtin";

    // No schema default: a default inside this optional object is set by the server, not applied by the user, so an
    // apply that drops autoscaling removes the fields it applied and can leave autoscaling.queueLength.engine behind,
    // an object missing its required fields (the emulator's apply does exactly that). Unset means keda.
    [AllowedValues(KedaEngine, BuiltinEngine)]
    [Description("Who scales the group: keda (a KEDA ScaledObject; the default when unset) or builtin (the operator itself, from the backlog it reads, through the Deployment's scale subresource; needs no KEDA and spec.broker.backlog enabled). The builtin engine never scales a Deployment another HorizontalPodAutoscaler or ScaledObject targets.")]
    [JsonPropertyName("engine")]
    public string? Engine { get; init; }

    /// <summary>True when the operator scales the group itself.</summary>
    [SchemaIgnore]
    [JsonIgnore]
    public bool IsBuiltin => Engine == BuiltinEngine;

    [Required]
    [Range(1, 1000000)]
    [Description("Pending tasks per replica the autoscaler aims for (summed over the group's queues).")]
    [JsonPropertyName("targetPerReplica")]
    public int TargetPerReplica { get; init; }

    [Range(0, 1000000)]
    [Description("Backlog above which a group at zero replicas is activated (default 0).")]
    [JsonPropertyName("activationThreshold")]
    public int? ActivationThreshold { get; init; }

    [MaxLength(10)]
    [ListSet]
    [CelRule("self.all(level, level >= 1 && level <= 255)", "priority levels are between 1 and 255")]
    [Description("Redis only: the non-zero priority steps of the broker (kombu's priority_steps, for example [3, 6, 9]). kombu keeps messages of each step in a separate list, QUEUE\\x06\\x16STEP; each gets a trigger and all are summed with the queue itself. Leave unset when tasks are sent without priorities.")]
    [JsonPropertyName("priorityLevels")]
    public IList<int>? PriorityLevels { get; init; }
}

/// <summary>What KEDA does when it cannot read the queue length.</summary>
public sealed record QueueLengthFallback
{
    [Required]
    [Range(1, 100)]
    [Description("Failed reads in a row before the fallback applies.")]
    [JsonPropertyName("failureThreshold")]
    public int FailureThreshold { get; init; }

    [Required]
    [Range(0, 10000)]
    [Description("Replicas to run while the fallback applies.")]
    [JsonPropertyName("replicas")]
    public int Replicas { get; init; }
}
