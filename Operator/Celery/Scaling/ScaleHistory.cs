// What a group's past decisions leave for the next one, as the HorizontalPodAutoscaler controller keeps it: the
// unstabilized recommendations of the longest stabilization window (the windows pick from them) and the replica
// changes made within the longest policy period (the policies limit what may change on top of them). Immutable;
// held in memory by the leader, so a new leader starts from an empty history.
namespace Operator.Celery.Scaling;

/// <summary>A recommendation made at a time.</summary>
public sealed record TimedRecommendation(DateTimeOffset At, int Replicas);

/// <summary>A replica change made at a time: positive for a scale-up, negative for a scale-down.</summary>
public sealed record TimedChange(DateTimeOffset At, int Delta);

/// <summary>Recent recommendations and changes of one group.</summary>
public sealed record ScaleHistory(IReadOnlyList<TimedRecommendation> Recommendations, IReadOnlyList<TimedChange> Changes)
{
    public static ScaleHistory Empty { get; } = new([], []);
}
