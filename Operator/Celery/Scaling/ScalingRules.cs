// One direction of a group's scaling behavior with the HorizontalPodAutoscaler's defaults filled in, the way the
// autoscaling/v2 API defaults an HPA's behavior: a field left unset takes the default, a field set replaces it whole
// (policies are not merged). Defaults: scale-up without stabilization, at most +4 pods or +100% per 15 s, whichever is
// more; scale-down after a 300 s stabilization window, at most -100% per 15 s.
using k8s.Models;

namespace Operator.Celery.Scaling;

/// <summary>How many replicas one policy lets change within its period: a number of pods, or a percent of the count at the period's start.</summary>
public sealed record ScalingPolicy(ScalingPolicyType Type, int Value, TimeSpan Period);

/// <summary>The kind of a scaling policy.</summary>
public enum ScalingPolicyType
{
    Pods,
    Percent,
}

/// <summary>Which policy wins when several allow different changes.</summary>
public enum PolicySelection
{
    /// <summary>The policy allowing the largest change (the default).</summary>
    Max,

    /// <summary>The policy allowing the smallest change.</summary>
    Min,

    /// <summary>No scaling in this direction.</summary>
    Disabled,
}

/// <summary>Stabilization window, policies and their selection for one direction.</summary>
public sealed record ScalingRules(TimeSpan StabilizationWindow, PolicySelection Selection, IReadOnlyList<ScalingPolicy> Policies)
{
    public static readonly TimeSpan DefaultScaleDownWindow = TimeSpan.FromSeconds(300);

    private static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(15);

    public static ScalingRules DefaultScaleUp { get; } = new(TimeSpan.Zero, PolicySelection.Max,
        [new ScalingPolicy(ScalingPolicyType.Pods, 4, DefaultPeriod), new ScalingPolicy(ScalingPolicyType.Percent, 100, DefaultPeriod)]);

    public static ScalingRules DefaultScaleDown { get; } = new(DefaultScaleDownWindow, PolicySelection.Max,
        [new ScalingPolicy(ScalingPolicyType.Percent, 100, DefaultPeriod)]);

    /// <summary>The scale-up rules of <paramref name="behavior"/>, defaults filled in.</summary>
    public static ScalingRules ScaleUp(V2HorizontalPodAutoscalerBehavior? behavior) => Of(behavior?.ScaleUp, DefaultScaleUp);

    /// <summary>The scale-down rules of <paramref name="behavior"/>, defaults filled in.</summary>
    public static ScalingRules ScaleDown(V2HorizontalPodAutoscalerBehavior? behavior) => Of(behavior?.ScaleDown, DefaultScaleDown);

    /// <summary>The longest policy period: changes older than this no longer limit anything.</summary>
    public TimeSpan LongestPeriod => Policies.Count == 0 ? TimeSpan.Zero : Policies.Max(p => p.Period);

    private static ScalingRules Of(V2HPAScalingRules? rules, ScalingRules defaults) => rules is null
        ? defaults
        : new ScalingRules(
            rules.StabilizationWindowSeconds is { } window ? TimeSpan.FromSeconds(window) : defaults.StabilizationWindow,
            rules.SelectPolicy switch
            {
                null => defaults.Selection,
                "Min" => PolicySelection.Min,
                "Disabled" => PolicySelection.Disabled,
                _ => PolicySelection.Max,
            },
            rules.Policies is { } policies
                ? [.. policies.Select(p => new ScalingPolicy(p.Type == "Percent" ? ScalingPolicyType.Percent : ScalingPolicyType.Pods, p.Value, TimeSpan.FromSeconds(p.PeriodSeconds)))]
                : defaults.Policies);
}
