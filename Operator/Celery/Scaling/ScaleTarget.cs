// What a builtin-scaled group asks for, from its autoscaling spec: the replica bounds, the backlog per replica, the
// activation threshold and the behavior in both directions. Invariant: Recommend is the unstabilized count, within
// [MinReplicas, MaxReplicas], and 0 only when MinReplicas is 0 and the backlog is at or below the activation threshold.
using Operator.Celery.Model;

namespace Operator.Celery.Scaling;

/// <summary>A builtin-scaled group's bounds, target and behavior.</summary>
public sealed record ScaleTarget(int MinReplicas, int MaxReplicas, int TargetPerReplica, long ActivationThreshold, ScalingRules Up, ScalingRules Down)
{
    public static ScaleTarget Of(AutoscalingSpec autoscaling)
    {
        ArgumentNullException.ThrowIfNull(autoscaling);
        var queueLength = autoscaling.QueueLength ?? throw new ArgumentException("a builtin-scaled group scales on queueLength", nameof(autoscaling));
        return new ScaleTarget(
            autoscaling.MinReplicas,
            autoscaling.MaxReplicas,
            queueLength.TargetPerReplica,
            queueLength.ActivationThreshold ?? 0,
            ScalingRules.ScaleUp(autoscaling.Behavior),
            ScalingRules.ScaleDown(autoscaling.Behavior));
    }

    /// <summary>
    /// ceil(backlog / targetPerReplica) within the bounds; a group that may rest at zero does so while the backlog is at
    /// or below the activation threshold, and runs at least one replica above it.
    /// </summary>
    public int Recommend(long backlog)
    {
        if (MinReplicas == 0 && backlog <= ActivationThreshold)
        {
            return 0;
        }

        var wanted = (backlog + TargetPerReplica - 1) / TargetPerReplica;
        return (int)Math.Clamp(wanted, Math.Max(MinReplicas, 1), MaxReplicas);
    }
}
