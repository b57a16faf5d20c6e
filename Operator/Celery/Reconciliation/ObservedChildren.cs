using k8s.Models;
using Operator.Celery.Scaling;

namespace Operator.Celery.Reconciliation;

/// <summary>The live Deployments of one resource, by name, as the cache holds them, and the phases of its claims.</summary>
public sealed record ObservedChildren(IReadOnlyDictionary<string, V1Deployment> Deployments)
{
    /// <summary>The backlog reader's last observation of the resource; null when it is not read.</summary>
    public Backlog.BacklogObservation? Backlog { get; init; }

    /// <summary>The builtin scaler's state of each of the resource's groups, by name; null when it has made no pass over the resource.</summary>
    public IReadOnlyDictionary<string, GroupScaling>? Scaling { get; init; }

    /// <summary>
    /// True while the backlog reader has not ended its first pass since the operator started: a resource without
    /// <see cref="Backlog"/> is then one not read yet, and its status keeps the backlog parts it shows.
    /// </summary>
    public bool BacklogPending { get; init; }

    /// <summary>False when the builtin scaler does not run in this operator (its backlog reader is disabled operator-wide).</summary>
    public bool ScalerRuns { get; init; } = true;

    public static ObservedChildren None { get; } = new(new Dictionary<string, V1Deployment>());

    /// <summary>The phase of each live PersistentVolumeClaim of the resource, by name (null before the claim has one).</summary>
    public IReadOnlyDictionary<string, string?> ClaimPhases { get; init; } = new Dictionary<string, string?>();
}

/// <summary>Why something the resource asks for is not (fully) in effect; each becomes a condition and an Event.</summary>
public sealed record ReconcileProblem(string Reason, string Message, bool Terminal);

/// <summary>
/// What the reconcile learned besides the children: problems, the autoscaling situation (a reason when some autoscaler
/// is not applied), and autoscaling warnings (autoscalers applied that may not scale, such as a missing request).
/// </summary>
public sealed record ReconcileFindings(IReadOnlyList<ReconcileProblem> Problems, string? AutoscalingUnavailableReason, string? AutoscalingUnavailableMessage, IReadOnlyList<string> AutoscalingWarnings)
{
    /// <summary>Every warning on the spec (risks the API server accepts), autoscaling ones included; written to status.warnings.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = AutoscalingWarnings;

    /// <summary>True when flower.serviceMonitor is enabled but the cluster does not serve ServiceMonitors.</summary>
    public bool ServiceMonitorNotServed { get; init; }

    public static ReconcileFindings None { get; } = new([], null, null, []);
}
