using Operator.Celery.Builders;

namespace Operator.Celery.Reconciliation;

/// <summary>
/// What the plan needs to know beyond the resource and its cached children, gathered by the reconciler before it
/// plans: the broker resolved from the referenced Secrets (and the problems found doing so), and whether KEDA's API is
/// served (asked only of a resource that wants queue-length autoscaling).
/// </summary>
public sealed record ReconcileFacts(BrokerContext Broker, IReadOnlyList<ReconcileProblem> BrokerProblems, bool KedaServed)
{
    /// <summary>Whether monitoring.coreos.com/v1 ServiceMonitor is served (asked only of a resource that wants one).</summary>
    public bool ServiceMonitorServed { get; init; }

    /// <summary>The facts of a resource whose spec is invalid: nothing is resolved for it.</summary>
    public static ReconcileFacts None { get; } = new(BrokerContext.Unresolved, [], false);
}
