// The queue metric KEDA feeds the HPA for a generated ScaledObject: each queue trigger measured by its scaler,
// then, with advanced.scalingModifiers, the formula over the trigger names (KEDA 2.12+ composite metric).
// Only sums of trigger names are evaluated (the operator generates nothing else); any other formula fails.
using Operator.Keda;

namespace Operator.IntegrationTests.Conformance;

/// <summary>The per-trigger readings and the composite metric of one ScaledObject.</summary>
internal sealed record KedaScaledObjectMetric(IReadOnlyList<(ScaleTrigger Trigger, long Value)> Triggers, long Metric)
{
    public static async Task<KedaScaledObjectMetric> MeasureAsync(RenderedCelery rendered, ScaledObject scaledObject, CancellationToken cancellationToken)
    {
        var readings = new List<(ScaleTrigger, long)>();
        foreach (var trigger in scaledObject.Spec.Triggers.Where(t => t.Type is not ("cpu" or "memory")))
        {
            var authentication = rendered.AuthenticationParameters(trigger);
            var value = trigger.Type switch
            {
                KedaRedisListScaler.TriggerType => await KedaRedisListScaler.MeasureAsync(trigger, authentication, cancellationToken),
                KedaRabbitMqQueueScaler.TriggerType => await KedaRabbitMqQueueScaler.MeasureAsync(trigger, authentication, cancellationToken),
                _ => throw new NotSupportedException($"trigger type {trigger.Type} is not emulated"),
            };
            readings.Add((trigger, value));
        }

        var metric = scaledObject.Spec.Advanced?.ScalingModifiers is { } modifiers
            ? EvaluateSum(modifiers.Formula, readings)
            : readings.Single().Item2;
        return new KedaScaledObjectMetric(readings, metric);
    }

    public override string ToString() =>
        $"metric {Metric} from [{string.Join(", ", Triggers.Select(t => $"{t.Trigger.Name ?? t.Trigger.Type}={t.Value}"))}]";

    private static long EvaluateSum(string formula, List<(ScaleTrigger Trigger, long Value)> readings)
    {
        var byName = readings.Where(r => r.Trigger.Name is not null).ToDictionary(r => r.Trigger.Name!, r => r.Value, StringComparer.Ordinal);
        return formula.Split('+', StringSplitOptions.TrimEntries).Sum(term =>
            byName.TryGetValue(term, out var value) ? value : throw new NotSupportedException($"formula term '{term}' is not a trigger name"));
    }
}
