// Everything that makes a Celery resource invalid, each error naming the field. The schema's own rules are
// re-checked from the model's attributes; the CEL rules (x-kubernetes-validations) and cross-field rules are
// written out here, because the operator must not depend on the API server having enforced them. Invariant:
// Validate reports only what a real API server rejects at admission (schema, CEL, list uniqueness), because a
// violation stops the whole resource; a risk the API server accepts is a warning (Warnings), applied anyway.
using Operator.Celery.Model;
using Operator.CustomResources;

namespace Operator.Celery.Validation;

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

            if (worker.PodDisruptionBudget is { } pdb && (pdb.MinAvailable is null) == (pdb.MaxUnavailable is null))
            {
                violations.Add(new FieldViolation($"{path}.podDisruptionBudget", "Invalid value: set exactly one of minAvailable or maxUnavailable"));
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
    }

    /// <summary>The rule <see cref="Warnings"/> checks, as the resource reference states it.</summary>
    public const string WarningRule =
        "a worker group autoscaled on `cpu` or `memory` whose `resources` set neither a request nor a limit for it " +
        "(Kubernetes copies a limit into a missing request). Unless a LimitRange in the namespace gives a default, its " +
        "HorizontalPodAutoscaler cannot compute utilization and does not scale.";

    /// <summary>
    /// Risks the API server accepts and the operator applies anyway: a group scaled on cpu or memory utilization
    /// whose worker container has neither a request nor a limit for it (Kubernetes copies a limit into a missing
    /// request). Unless a namespace LimitRange gives a default, which the operator cannot see, the HPA has no request
    /// to compute utilization against and does not scale.
    /// </summary>
    public static IReadOnlyList<FieldViolation> Warnings(CeleryResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var warnings = new List<FieldViolation>();
        var workers = resource.Spec?.Workers ?? [];
        for (var i = 0; i < workers.Count; i++)
        {
            if (workers[i] is not { Autoscaling: { } autoscaling } worker)
            {
                continue;
            }

            foreach (var (name, target) in new[] { ("cpu", autoscaling.Cpu), ("memory", autoscaling.Memory) })
            {
                if (target is not null && worker.Resources?.Requests?.ContainsKey(name) != true && worker.Resources?.Limits?.ContainsKey(name) != true)
                {
                    warnings.Add(new FieldViolation(
                        $"spec.workers[{i}].resources.requests.{name}",
                        $"worker group {worker.Name} scales on {name} utilization but sets no {name} request (nor a limit, which Kubernetes copies into the request): unless a LimitRange in the namespace gives a default, its HorizontalPodAutoscaler cannot compute utilization and will not scale"));
                }
            }
        }

        return warnings;
    }

    private static void ValidateFlower(FlowerSpec? flower, List<FieldViolation> violations)
    {
        if (flower?.Ingress is { Enabled: true, Host: null or "" })
        {
            violations.Add(new FieldViolation("spec.flower.ingress.host", "Required value: ingress.host is required when the ingress is enabled"));
        }
    }
}
