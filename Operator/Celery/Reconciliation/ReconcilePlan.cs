using Operator.Runtime.Apply;

namespace Operator.Celery.Reconciliation;

/// <summary>
/// What one reconcile of a live resource will do, decided before anything is sent: the children to apply and
/// delete, what it already knows for status (problems, the autoscaling situation, warnings), the events to record
/// once the children are applied, and whether it waits for KEDA. <see cref="CeleryPlanner.Conclude"/> turns it and
/// what applying the children did into the status, the events and the requeue decision.
/// </summary>
public sealed record ReconcilePlan(ChildSet Children, ReconcileFindings Findings, IReadOnlyList<PlannedEvent> Events, bool WaitsForKeda);
