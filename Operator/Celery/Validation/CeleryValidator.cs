// Everything that makes a Celery resource invalid, each error naming the field. The schema's own rules are
// re-checked from the model's attributes; the CEL rules (x-kubernetes-validations) and cross-field rules are
// written out here, because the operator must not depend on the API server having enforced them. Invariant:
// Validate reports only what a real API server rejects at admission (schema, CEL, list uniqueness), because a
// violation stops the whole resource; a risk the API server accepts is a warning (Warnings), applied anyway.
using Operator.Celery.Model;
using Operator.CustomResources;

namespace Operator.Celery.Validation;

/// <summary>A risk the API server accepts: the reason of its Warning event, the field and what may go wrong.</summary>
public sealed record SpecWarning(string Reason, string Field, string Message)
{
    public const string ResourceRequestMissing = "ResourceRequestMissing";
    public const string GracePeriodShorterThanTimeLimit = "GracePeriodShorterThanTimeLimit";
    public const string ConcurrencyFromNode = "ConcurrencyFromNode";
    public const string HostnameNotUnique = "HostnameNotUnique";

    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Validates a Celery resource before any child is built from it.</summary>
public static class CeleryValidator
{
    public static IReadOnlyList<FieldViolation> Validate(CeleryResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var violations = new List<FieldViolation>();
        if (string.IsNullOrEmpty(resource.Metadata?.Name))
        {
            violations.Add(new FieldViolation("metadata.name", "Required value"));
        }

        if (resource.Spec is null)
        {
            violations.Add(new FieldViolation("spec", "Required value"));
            return violations;
        }

        violations.AddRange(AnnotatedModelValidator.Validate(resource.Spec, "spec"));
        ValidateBroker(resource.Spec.Broker, violations);
        ValidateWorkers(resource.Spec.Workers, violations);
        ValidatePriorityLevels(resource.Spec, violations);
        ValidateBeat(resource.Spec.Beat, violations);
        ValidateFlower(resource.Spec.Flower, violations);
        return violations;
    }

    private static void ValidateBroker(BrokerSpec? broker, List<FieldViolation> violations)
    {
        if (broker is null)
        {
            return;
        }

        if (broker.Type == "sqs" && broker.Sqs is null)
        {
            violations.Add(new FieldViolation("spec.broker.sqs", "Required value: broker.sqs is required when broker.type is sqs"));
        }

        if (broker.Type != "sqs" && broker.Sqs is not null)
        {
            violations.Add(new FieldViolation("spec.broker.sqs", "Forbidden: broker.sqs applies only when broker.type is sqs"));
        }

        if (broker.Type is "redis" or "rabbitmq" && broker.UrlSecretRef is null)
        {
            violations.Add(new FieldViolation("spec.broker.urlSecretRef", "Required value: broker.urlSecretRef is required unless broker.type is sqs"));
        }
    }

    private static void ValidateWorkers(IList<WorkerGroupSpec>? workers, List<FieldViolation> violations)
    {
        if (workers is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < workers.Count; i++)
        {
            var worker = workers[i];
            var path = $"spec.workers[{i}]";
            if (worker is null)
            {
                violations.Add(new FieldViolation(path, "Required value"));
                continue;
            }

            if (!string.IsNullOrEmpty(worker.Name) && !seen.Add(worker.Name))
            {
                violations.Add(new FieldViolation($"{path}.name", $"Duplicate value: \"{worker.Name}\""));
            }

            if (worker.Queues is { } queues && queues.Distinct(StringComparer.Ordinal).Count() != queues.Count)
            {
                violations.Add(new FieldViolation($"{path}.queues", "Duplicate value: each queue may be listed once"));
            }

            if (worker.Replicas is not null && worker.Autoscaling is not null)
            {
                violations.Add(new FieldViolation($"{path}.replicas", "Forbidden: replicas and autoscaling are mutually exclusive: an autoscaled group's replica count belongs to its autoscaler"));
            }

            if (worker.Autoscaling is { } autoscaling)
            {
                ValidateAutoscaling(autoscaling, path, violations);
            }

            ValidateWorkerOptions(worker, path, violations);

            if (worker.PodDisruptionBudget is { } pdb && (pdb.MinAvailable is null) == (pdb.MaxUnavailable is null))
            {
                violations.Add(new FieldViolation($"{path}.podDisruptionBudget", "Invalid value: set exactly one of minAvailable or maxUnavailable"));
            }
        }
    }

    private static void ValidateWorkerOptions(WorkerGroupSpec worker, string path, List<FieldViolation> violations)
    {
        if (worker.Autoscale is { } autoscale)
        {
            if (worker.Concurrency is not null)
            {
                violations.Add(new FieldViolation($"{path}.autoscale", "Forbidden: autoscale and concurrency are mutually exclusive: autoscale sets the pool size"));
            }

            if (worker.Pool is not (null or "prefork" or "gevent" or "eventlet"))
            {
                violations.Add(new FieldViolation($"{path}.autoscale", $"Forbidden: autoscale needs a pool that can grow and shrink: prefork, gevent or eventlet, not {worker.Pool}"));
            }

            if (autoscale.Min > autoscale.Max)
            {
                violations.Add(new FieldViolation($"{path}.autoscale.min", $"Invalid value: {autoscale.Min}: autoscale.min must not exceed autoscale.max ({autoscale.Max})"));
            }
        }

        if (worker.SoftTimeLimit is { } soft && worker.TimeLimit is { } hard && soft >= hard)
        {
            violations.Add(new FieldViolation($"{path}.softTimeLimit", $"Invalid value: {soft}: softTimeLimit must be less than timeLimit ({hard})"));
        }

        foreach (var (option, argument) in WorkerOptionFlags.Repeated(worker))
        {
            violations.Add(new FieldViolation($"{path}.args", $"Forbidden: \"{argument}\" repeats {option.Field}, which has a field: set it in one place"));
        }
    }

    private static void ValidatePriorityLevels(CelerySpec spec, List<FieldViolation> violations)
    {
        var workers = spec.Workers ?? [];
        for (var i = 0; i < workers.Count; i++)
        {
            if (workers[i]?.Autoscaling?.QueueLength?.PriorityLevels is not { } levels)
            {
                continue;
            }

            var path = $"spec.workers[{i}].autoscaling.queueLength.priorityLevels";
            if (spec.Broker?.Type != "redis")
            {
                violations.Add(new FieldViolation(path, "Forbidden: priorityLevels applies only to a redis broker (a RabbitMQ priority queue is one queue)"));
            }

            if (levels.Any(level => level is < 1 or > 255))
            {
                violations.Add(new FieldViolation(path, "Invalid value: priority levels are between 1 and 255"));
            }

            if (levels.Distinct().Count() != levels.Count)
            {
                violations.Add(new FieldViolation(path, "Duplicate value: each level may be listed once"));
            }
        }
    }

    private static void ValidateAutoscaling(AutoscalingSpec autoscaling, string workerPath, List<FieldViolation> violations)
    {
        var path = $"{workerPath}.autoscaling";
        if (autoscaling.MinReplicas > autoscaling.MaxReplicas)
        {
            violations.Add(new FieldViolation($"{path}.minReplicas", $"Invalid value: {autoscaling.MinReplicas}: minReplicas must not exceed maxReplicas ({autoscaling.MaxReplicas})"));
        }

        if (autoscaling.Cpu is null && autoscaling.Memory is null && autoscaling.QueueLength is null)
        {
            violations.Add(new FieldViolation(path, "Required value: set at least one of cpu, memory or queueLength"));
        }

        if (autoscaling.MinReplicas == 0 && autoscaling.QueueLength is null)
        {
            violations.Add(new FieldViolation($"{path}.minReplicas", "Invalid value: 0: minReplicas may be 0 only with queueLength scaling"));
        }

        if (autoscaling.IdleReplicaCount is { } idle && (autoscaling.QueueLength is null || idle >= autoscaling.MinReplicas))
        {
            violations.Add(new FieldViolation($"{path}.idleReplicaCount", $"Invalid value: {idle}: idleReplicaCount needs queueLength scaling and must be less than minReplicas ({autoscaling.MinReplicas})"));
        }

        if (autoscaling.Fallback is not null && autoscaling.QueueLength is null)
        {
            violations.Add(new FieldViolation($"{path}.fallback", "Forbidden: fallback needs queueLength scaling (it replaces the broker's metric when KEDA cannot read it)"));
        }

        if (autoscaling.QueueLength is { IsBuiltin: true })
        {
            if (autoscaling.PollingIntervalSeconds is not null || autoscaling.CooldownPeriodSeconds is not null || autoscaling.IdleReplicaCount is not null || autoscaling.Fallback is not null)
            {
                violations.Add(new FieldViolation($"{path}.queueLength.engine", $"Forbidden: {AutoscalingSpec.BuiltinKedaOnlyMessage}"));
            }

            if (autoscaling.Cpu is not null || autoscaling.Memory is not null)
            {
                violations.Add(new FieldViolation($"{path}.queueLength.engine", $"Forbidden: {AutoscalingSpec.BuiltinQueueLengthOnlyMessage}"));
            }
        }
    }

    /// <summary>The rules <see cref="Warnings"/> checks, as the resource reference states them.</summary>
    public const string WarningRule =
        "(1) `ResourceRequestMissing`, on `AutoscalingActive` (Unknown): a worker group autoscaled on `cpu` or `memory` whose " +
        "`resources` set neither a request nor a limit for it (Kubernetes copies a limit into a missing request); unless a " +
        "LimitRange in the namespace gives a default, its HorizontalPodAutoscaler cannot compute utilization and does not scale. " +
        "(2) `GracePeriodShorterThanTimeLimit`: a group's `terminationGracePeriodSeconds` is shorter than its `timeLimit` (or " +
        "`softTimeLimit` when only that is set), so a pod stopped during a long task is killed before the task can finish. " +
        "(3) `ConcurrencyFromNode`: a prefork group with no `concurrency`, `autoscale` or CPU limit or request, so Celery " +
        "starts one process per CPU of the node. (4) `HostnameNotUnique`: a `hostname` without `%h` or `%n`, so every pod of the group " +
        "has the same node name and Celery's remote control and Flower cannot tell them apart.";

    /// <summary>
    /// Risks the API server accepts and the operator applies anyway (see <see cref="WarningRule"/>), each with the
    /// reason of the Warning event it becomes.
    /// </summary>
    public static IReadOnlyList<SpecWarning> Warnings(CeleryResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var warnings = new List<SpecWarning>();
        var workers = resource.Spec?.Workers ?? [];
        for (var i = 0; i < workers.Count; i++)
        {
            if (workers[i] is not { } worker)
            {
                continue;
            }

            var path = $"spec.workers[{i}]";
            if (worker.Autoscaling is { } autoscaling)
            {
                foreach (var (name, target) in new[] { ("cpu", autoscaling.Cpu), ("memory", autoscaling.Memory) })
                {
                    if (target is not null && worker.Resources?.Requests?.ContainsKey(name) != true && worker.Resources?.Limits?.ContainsKey(name) != true)
                    {
                        warnings.Add(new SpecWarning(
                            SpecWarning.ResourceRequestMissing,
                            $"{path}.resources.requests.{name}",
                            $"worker group {worker.Name} scales on {name} utilization but sets no {name} request (nor a limit, which Kubernetes copies into the request): unless a LimitRange in the namespace gives a default, its HorizontalPodAutoscaler cannot compute utilization and will not scale"));
                    }
                }
            }

            var grace = worker.TerminationGracePeriodSeconds ?? Builders.WorkerDeploymentBuilder.DefaultTerminationGracePeriodSeconds;
            if ((worker.TimeLimit ?? worker.SoftTimeLimit) is { } longest && longest > grace)
            {
                warnings.Add(new SpecWarning(
                    SpecWarning.GracePeriodShorterThanTimeLimit,
                    $"{path}.terminationGracePeriodSeconds",
                    $"worker group {worker.Name} lets a task run {longest} s but its pods get {grace} s to stop: a pod stopped during a long task is killed before the task finishes (raise terminationGracePeriodSeconds, or make the task safe to run again with task_acks_late)"));
            }

            if (worker.SizesPoolByCpu && worker.ContainerCpu() is null)
            {
                warnings.Add(new SpecWarning(
                    SpecWarning.ConcurrencyFromNode,
                    $"{path}.concurrency",
                    $"worker group {worker.Name} sets no concurrency and no CPU limit or request: Celery starts one pool process per CPU of the node, however small the pod"));
            }

            if (worker.Hostname is { Length: > 0 } hostname && !hostname.Contains("%h", StringComparison.Ordinal) && !hostname.Contains("%n", StringComparison.Ordinal))
            {
                warnings.Add(new SpecWarning(
                    SpecWarning.HostnameNotUnique,
                    $"{path}.hostname",
                    $"worker group {worker.Name}: hostname {hostname} has no %h or %n, so every pod gets the same node name"));
            }
        }

        return warnings;
    }

    private static void ValidateBeat(BeatSpec? beat, List<FieldViolation> violations)
    {
        if (beat?.Persistence is null)
        {
            return;
        }

        foreach (var argument in (beat.Args ?? []).Where(a => a is "--schedule" || a?.StartsWith("--schedule=", StringComparison.Ordinal) == true || a?.StartsWith("-s", StringComparison.Ordinal) == true))
        {
            violations.Add(new FieldViolation("spec.beat.args", $"Forbidden: \"{argument}\" sets the schedule file, which persistence keeps on its claim: set it in one place"));
        }

        ValidateStateVolume(beat, BeatSpec.ScheduleVolume, "spec.beat", violations);
    }

    private static void ValidateFlower(FlowerSpec? flower, List<FieldViolation> violations)
    {
        if (flower?.Ingress is { Enabled: true, Host: null or "" })
        {
            violations.Add(new FieldViolation("spec.flower.ingress.host", "Required value: ingress.host is required when the ingress is enabled"));
        }

        if (flower?.Persistence is null)
        {
            return;
        }

        if (flower.Replicas > 1)
        {
            violations.Add(new FieldViolation("spec.flower.replicas", $"Invalid value: {flower.Replicas}: persistence needs a single Flower replica: Flower's database is one file only one process may write"));
        }

        foreach (var argument in (flower.Args ?? []).Where(a => a?.StartsWith("--persistent", StringComparison.Ordinal) == true || a?.StartsWith("--db", StringComparison.Ordinal) == true))
        {
            violations.Add(new FieldViolation("spec.flower.args", $"Forbidden: \"{argument}\" repeats what persistence sets (--persistent and --db): set it in one place"));
        }

        ValidateStateVolume(flower, FlowerSpec.StateVolume, "spec.flower", violations);
    }

    /// <summary>A component with persistence may not define the volume its claim is mounted as.</summary>
    private static void ValidateStateVolume(CeleryComponentSpec component, string volume, string path, List<FieldViolation> violations)
    {
        if (component.PodTemplate?.Volumes?.Any(v => v?.Name == volume) == true)
        {
            violations.Add(new FieldViolation($"{path}.podTemplate.volumes", $"Forbidden: the {volume} volume is the persistence claim: do not define it in podTemplate.volumes"));
        }
    }
}
