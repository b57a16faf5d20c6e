// The builtin scaler's state of one group, kept by the leader between passes. Invariant: SameStatusAs compares only
// what the status shows (never the history or the time of the pass), so a pass that changes nothing a user sees
// costs no status write.
namespace Operator.Celery.Scaling;

/// <summary>Why the scaler could not act on a group: a condition reason and a message.</summary>
public sealed record ScalingProblem(string Reason, string Message);

/// <summary>What the scaler last decided and saw for one group, and the history its next decision needs.</summary>
/// <param name="DesiredReplicas">The count decided at the last pass; null before the first decision.</param>
/// <param name="CurrentReplicas">The Deployment's spec.replicas at the last pass; null before the Deployment exists.</param>
/// <param name="LastScaleTime">When the scaler last changed the count.</param>
/// <param name="LastScaleReason">Why it did.</param>
/// <param name="ContestedBy">The other autoscaler targeting the Deployment (Kind/name), while one does; the scaler then leaves the count alone.</param>
/// <param name="Problem">Why the last pass could not scale (the backlog unread, the Deployment not handed over, a failed write); null when it could.</param>
public sealed record GroupScaling(
    int? DesiredReplicas,
    int? CurrentReplicas,
    DateTime? LastScaleTime,
    string? LastScaleReason,
    string? ContestedBy,
    ScalingProblem? Problem,
    ScaleHistory History)
{
    public static GroupScaling Initial { get; } = new(null, null, null, null, null, null, ScaleHistory.Empty);

    public bool SameStatusAs(GroupScaling? other) =>
        other is not null && DesiredReplicas == other.DesiredReplicas && CurrentReplicas == other.CurrentReplicas
        && LastScaleTime == other.LastScaleTime && LastScaleReason == other.LastScaleReason
        && ContestedBy == other.ContestedBy && Problem == other.Problem;

    /// <summary>Whether two resources' group states would write the same status: the same groups, each <see cref="SameStatusAs(GroupScaling?)"/>.</summary>
    public static bool SameStatusAs(IReadOnlyDictionary<string, GroupScaling>? groups, IReadOnlyDictionary<string, GroupScaling>? other) =>
        ReferenceEquals(groups, other)
        || (groups is not null && other is not null && groups.Count == other.Count
            && groups.All(group => group.Value.SameStatusAs(other.GetValueOrDefault(group.Key))));
}
