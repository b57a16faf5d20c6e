// The builtin scaler's decision for one group, as the HorizontalPodAutoscaler controller makes it with a behavior
// (kubernetes pkg/controller/podautoscaler, normalizeDesiredReplicasWithBehaviors), from a backlog instead of a metric:
// 1. recommend ceil(backlog / targetPerReplica) within the bounds (ScaleTarget.Recommend);
// 2. stabilize: the count may not rise above the lowest recommendation of the scale-up window nor fall below the
//    highest of the scale-down window (the current count stays when it lies between them);
// 3. limit the rate: each policy allows a change relative to the count at the start of its period (the current count
//    minus the changes made since), the selection picks the largest (Max) or smallest (Min) allowance or none
//    (Disabled); the bounds apply last.
// Differences, on purpose: an empty history counts as the current count recommended now, so a new leader waits a full
// scale-down window before scaling in; from zero replicas, scale-up (unless disabled) allows at least one replica
// whatever the policies say, like KEDA's activation, since a percentage of zero is zero. No tolerance band: the
// backlog is a count, not a noisy utilization. Pure: the time is an argument, the history comes in and goes out.
namespace Operator.Celery.Scaling;

/// <summary>What the scaler should set, why, and the history to keep once it is set.</summary>
/// <param name="Replicas">The count to set (the current count when nothing changes).</param>
/// <param name="Recommended">The unstabilized recommendation from the backlog.</param>
/// <param name="Message">Why, in words (the backlog, the recommendation and any window or policy that held it).</param>
/// <param name="Unapplied">The history to keep when the count is not written: this recommendation recorded, no change.</param>
/// <param name="Change">The change to <paramref name="Replicas"/>; null when the count stays.</param>
public sealed record ScaleOutcome(int Replicas, int Recommended, string Message, ScaleHistory Unapplied, TimedChange? Change)
{
    /// <summary>The history to keep once <see cref="Replicas"/> is written: the change recorded too.</summary>
    public ScaleHistory History => Change is null ? Unapplied : Unapplied with { Changes = [.. Unapplied.Changes, Change] };
}

/// <summary>Decides a builtin-scaled group's replica count.</summary>
public static class ScaleDecision
{
    public static ScaleOutcome Decide(ScaleTarget target, int currentReplicas, long backlog, ScaleHistory history, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(history);
        var recommended = target.Recommend(backlog);
        var past = history.Recommendations.Count == 0 ? [new TimedRecommendation(now, currentReplicas)] : history.Recommendations;

        var upCutoff = now - target.Up.StabilizationWindow;
        var downCutoff = now - target.Down.StabilizationWindow;
        int upLimit = recommended, downLimit = recommended;
        foreach (var recommendation in past)
        {
            if (recommendation.At > upCutoff)
            {
                upLimit = Math.Min(upLimit, recommendation.Replicas);
            }

            if (recommendation.At > downCutoff)
            {
                downLimit = Math.Max(downLimit, recommendation.Replicas);
            }
        }

        var stabilized = Math.Min(Math.Max(currentReplicas, upLimit), downLimit);
        var message = $"backlog {backlog} at {target.TargetPerReplica} per replica recommends {recommended}";
        if (stabilized != recommended)
        {
            message += stabilized > recommended
                ? $"; the scale-down stabilization window ({target.Down.StabilizationWindow.TotalSeconds}s) holds {stabilized}"
                : $"; the scale-up stabilization window ({target.Up.StabilizationWindow.TotalSeconds}s) holds {stabilized}";
        }

        var replicas = stabilized;
        if (stabilized > currentReplicas)
        {
            var allowed = Math.Max(ScaleUpLimit(target.Up, currentReplicas, history.Changes, now), currentReplicas);
            if (currentReplicas == 0 && target.Up.Selection != PolicySelection.Disabled)
            {
                allowed = Math.Max(allowed, 1);
            }

            replicas = Math.Min(stabilized, Math.Min(allowed, target.MaxReplicas));
            if (replicas < stabilized)
            {
                message += target.Up.Selection == PolicySelection.Disabled
                    ? "; scale-up is disabled (behavior.scaleUp.selectPolicy)"
                    : $"; the scale-up policies allow {replicas} now";
            }
        }
        else if (stabilized < currentReplicas)
        {
            var allowed = Math.Min(ScaleDownLimit(target.Down, currentReplicas, history.Changes, now), currentReplicas);
            replicas = Math.Max(stabilized, Math.Max(allowed, target.MinReplicas));
            if (replicas > stabilized)
            {
                message += target.Down.Selection == PolicySelection.Disabled
                    ? "; scale-down is disabled (behavior.scaleDown.selectPolicy)"
                    : $"; the scale-down policies allow {replicas} now";
            }
        }

        var keepFrom = now - Max(target.Up.StabilizationWindow, target.Down.StabilizationWindow);
        var recommendations = past.Where(r => r.At > keepFrom).Append(new TimedRecommendation(now, recommended)).ToList();
        var changesFrom = now - Max(target.Up.LongestPeriod, target.Down.LongestPeriod);
        var changes = history.Changes.Where(c => c.At > changesFrom).ToList();
        return new ScaleOutcome(replicas, recommended, message, new ScaleHistory(recommendations, changes),
            replicas != currentReplicas ? new TimedChange(now, replicas - currentReplicas) : null);
    }

    private static int ScaleUpLimit(ScalingRules rules, int current, IReadOnlyList<TimedChange> changes, DateTimeOffset now)
    {
        if (rules.Selection == PolicySelection.Disabled || rules.Policies.Count == 0)
        {
            return current;
        }

        var proposals = rules.Policies.Select(policy =>
        {
            var start = PeriodStart(policy, current, changes, now);
            return policy.Type == ScalingPolicyType.Pods
                ? start + policy.Value
                : (int)Math.Ceiling(start * (1 + (policy.Value / 100.0)));
        });
        return rules.Selection == PolicySelection.Min ? proposals.Min() : proposals.Max();
    }

    private static int ScaleDownLimit(ScalingRules rules, int current, IReadOnlyList<TimedChange> changes, DateTimeOffset now)
    {
        if (rules.Selection == PolicySelection.Disabled || rules.Policies.Count == 0)
        {
            return current;
        }

        var proposals = rules.Policies.Select(policy =>
        {
            var start = PeriodStart(policy, current, changes, now);
            return policy.Type == ScalingPolicyType.Pods
                ? start - policy.Value
                : (int)Math.Truncate(start * (1 - (policy.Value / 100.0)));
        });
        // Scaling down, the largest change is the lowest count.
        return rules.Selection == PolicySelection.Min ? proposals.Max() : proposals.Min();
    }

    // The count at the start of the policy's period: the current count without the changes made within it.
    private static int PeriodStart(ScalingPolicy policy, int current, IReadOnlyList<TimedChange> changes, DateTimeOffset now) =>
        current - changes.Where(c => c.At > now - policy.Period).Sum(c => c.Delta);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
