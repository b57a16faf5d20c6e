// A KEDA ScaledObject for a group with queueLength scaling. A group that consumes several queues scales on
// their total backlog: each queue gets a named trigger, and KEDA's scalingModifiers formula sums them into the
// one metric the HPA sees (KEDA 2.12+). cpu/memory targets become KEDA cpu/memory triggers beside it, so the
// Deployment never has both an HPA of ours and KEDA's. On Redis, a queue whose tasks are sent with priorities
// is several lists (kombu keeps each non-zero priority step in QUEUE\x06\x16STEP): each gets a trigger, summed
// like queues are.
using System.Globalization;
using Operator.Celery.Broker;
using Operator.Celery.Model;
using Operator.Keda;

namespace Operator.Celery.Builders;

/// <summary>Builds a group's ScaledObject.</summary>
public static class ScaledObjectBuilder
{
    public static ScaledObject Build(BuildContext context, WorkerGroupSpec group, AutoscalingSpec autoscaling, QueueLengthTarget queueLength, BrokerEndpoint endpoint, string? authenticationName)
    {
        var queues = CountedQueues(group.EffectiveQueues, queueLength, endpoint);
        var composite = queues.Count > 1;
        var triggers = queues
            .Select((queue, i) => QueueTriggerFactory.Build(endpoint, context.Spec, queue, queueLength, composite ? TriggerName(i) : null, authenticationName))
            .ToList();
        AddResourceTrigger(triggers, "cpu", autoscaling.Cpu);
        AddResourceTrigger(triggers, "memory", autoscaling.Memory);

        ScalingModifiers? modifiers = composite
            ? new ScalingModifiers
            {
                Formula = string.Join(" + ", queues.Select((_, i) => TriggerName(i))),
                Target = queueLength.TargetPerReplica.ToString(CultureInfo.InvariantCulture),
                ActivationTarget = queueLength.ActivationThreshold?.ToString(CultureInfo.InvariantCulture),
                MetricType = "AverageValue",
            }
            : null;

        return new ScaledObject
        {
            Metadata = ChildMetadata.For(context, context.Names.WorkerScaledObject(group.Name), CeleryLabels.Components.Autoscaling, group.Name),
            Spec = new ScaledObjectSpec
            {
                ScaleTargetRef = new ScaleTargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = context.Names.WorkerDeployment(group.Name) },
                MinReplicaCount = autoscaling.MinReplicas,
                MaxReplicaCount = autoscaling.MaxReplicas,
                PollingInterval = autoscaling.PollingIntervalSeconds,
                CooldownPeriod = autoscaling.CooldownPeriodSeconds,
                IdleReplicaCount = autoscaling.IdleReplicaCount,
                Fallback = autoscaling.Fallback is { } fallback ? new ScaledObjectFallback { FailureThreshold = fallback.FailureThreshold, Replicas = fallback.Replicas } : null,
                Advanced = modifiers is null && autoscaling.Behavior is null
                    ? null
                    : new ScaledObjectAdvanced
                    {
                        ScalingModifiers = modifiers,
                        HorizontalPodAutoscalerConfig = autoscaling.Behavior is { } behavior ? new HorizontalPodAutoscalerConfig { Behavior = behavior } : null,
                    },
                Triggers = triggers,
            },
        };
    }

    /// <summary>kombu's separator between a Redis queue's name and its priority step.</summary>
    public const string RedisPrioritySeparator = "\x06\x16";

    /// <summary>What the triggers count: every queue, and on Redis each queue's priority lists after it.</summary>
    public static IReadOnlyList<string> CountedQueues(IReadOnlyList<string> queues, QueueLengthTarget queueLength, BrokerEndpoint endpoint) =>
        endpoint.Kind == BrokerKind.Redis && queueLength.PriorityLevels is { Count: > 0 } levels
            ? [.. queues.SelectMany(q => levels.Order().Select(level => q + RedisPrioritySeparator + level.ToString(CultureInfo.InvariantCulture)).Prepend(q))]
            : queues;

    /// <summary>Trigger names are identifiers in the scalingModifiers formula.</summary>
    public static string TriggerName(int index) => $"queue{index.ToString(CultureInfo.InvariantCulture)}";

    private static void AddResourceTrigger(List<ScaleTrigger> triggers, string type, UtilizationTarget? target)
    {
        if (target is not null)
        {
            triggers.Add(new ScaleTrigger
            {
                Type = type,
                MetricType = "Utilization",
                Metadata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["value"] = target.TargetUtilization.ToString(CultureInfo.InvariantCulture) },
            });
        }
    }
}
