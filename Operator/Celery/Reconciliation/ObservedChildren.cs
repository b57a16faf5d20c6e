using k8s.Models;

namespace Operator.Celery.Reconciliation;

/// <summary>The live Deployments of one resource, by name, as the cache holds them.</summary>
public sealed record ObservedChildren(IReadOnlyDictionary<string, V1Deployment> Deployments)
{
    public static ObservedChildren None { get; } = new(new Dictionary<string, V1Deployment>());
}

/// <summary>Why something the resource asks for is not (fully) in effect; each becomes a condition and an Event.</summary>
public sealed record ReconcileProblem(string Reason, string Message, bool Terminal);

/// <summary>What the reconcile learned besides the children: problems and the autoscaling situation.</summary>
public sealed record ReconcileFindings(IReadOnlyList<ReconcileProblem> Problems, string? AutoscalingUnavailableReason, string? AutoscalingUnavailableMessage)
{
    public static ReconcileFindings None { get; } = new([], null, null);
}
